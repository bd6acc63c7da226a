export { startGoogleCalendarEmulator } from './google-calendar-emulator.js';
export type { GoogleCalendarEmulator, GoogleCalendarEmulatorOptions } from './google-calendar-emulator.js';
export type { ServiceAccountSeed } from './auth.js';
export type { CalendarEvent } from './state.js';
