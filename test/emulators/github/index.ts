export { startGithubEmulator } from './github-emulator.js';
export type { GithubEmulator, GithubEmulatorOptions, SecondaryLimit } from './github-emulator.js';
export type { GhCheckRun, GhDeployment, GhPull, GhRepo, GhStatus } from './repo.js';
