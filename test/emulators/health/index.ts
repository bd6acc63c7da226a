export { startHealthEmulator } from './health-emulator.js';
export type { HealthAnswer, HealthEmulator } from './health-emulator.js';
