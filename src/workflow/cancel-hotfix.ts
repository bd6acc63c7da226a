import type { WorkflowDeps } from './deps.js';
import { act } from './act.js';
import type { Outcome } from './transact.js';

/** `/hotfix cancel HF-n`: decides the cancel; the redraw and the thread reply follow as jobs. */
export async function cancelHotfix(
  deps: WorkflowDeps,
  input: { userId: string; id: string; reason: string },
): Promise<Outcome> {
  return act(deps, {
    userId: input.userId,
    ref: { id: input.id },
    command: { type: 'cancel', reason: input.reason },
  });
}
