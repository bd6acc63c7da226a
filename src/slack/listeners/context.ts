import type { WorkflowDeps } from '../../workflow/deps.js';

/** What listeners need: the workflow, and whether the store answers (the web role fails fast when Redis is down). */
export interface ListenerContext {
  deps: WorkflowDeps;
  /** False while Redis is unreachable: people are told to try again instead of waiting on a queued action. */
  storeReady: () => boolean;
}
