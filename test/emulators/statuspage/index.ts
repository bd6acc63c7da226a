export { startStatuspageEmulator } from './statuspage-emulator.js';
export type { StatuspageEmulator, StatuspageEmulatorOptions } from './statuspage-emulator.js';
export type { PageSeed, SpComponent, SpIncident } from './state.js';
