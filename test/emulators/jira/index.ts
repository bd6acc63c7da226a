export { startJiraEmulator } from './jira-emulator.js';
export type { JiraEmulator, JiraEmulatorOptions } from './jira-emulator.js';
export type { JiraIssue, JiraProject } from './state.js';
export { adfText } from './adf.js';
export { CHANGE_WORKFLOW, type JiraWorkflow } from './workflow.js';
