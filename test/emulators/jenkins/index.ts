/** The Jenkins emulator: jobs, queue, scripted pipeline builds, crumbs and faults, over the real REST API. */
export { DEFAULT_USER, ManualClock, startJenkinsEmulator } from './jenkins-emulator.js';
export type { JenkinsEmulator, JenkinsEmulatorOptions, ObservedRequest } from './jenkins-emulator.js';
export { CRUMB_FIELD } from './http.js';
export { BUILDS_LISTED, LEFT_ITEM_RETENTION_MS } from './state.js';
export { DEFAULT_STAGE_MS } from './builds.js';
export type * from './types.js';
