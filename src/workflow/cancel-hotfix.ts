import type { WorkflowDeps } from './deps.js';
import { act } from './act.js';
import type { Outcome } from './transact.js';

/**
 * `/hotfix cancel HF-n`: decides the cancel; the redraw and the thread reply follow as jobs. A cancel asked for again
 * while the first one's abort has not got through (Jenkins unreachable) changes nothing on the record, but tries the
 * abort again at once instead of at the end of its backoff.
 */
export async function cancelHotfix(
  deps: WorkflowDeps,
  input: { userId: string; id: string; reason: string },
): Promise<Outcome> {
  const outcome = await act(deps, {
    userId: input.userId,
    ref: { id: input.id },
    command: { type: 'cancel', reason: input.reason },
  });
  const { hotfix } = outcome;
  const aborting =
    hotfix?.cancelRequest && (hotfix.state === 'deploying' || hotfix.state === 'awaiting_input');
  if (outcome.ok && outcome.events.length === 0 && hotfix && aborting) {
    const now = deps.clock.now().getTime();
    await deps.jobs.enqueue({ ulid: hotfix.ulid, step: 'advance', attempt: `cancel-again-${now}` });
  }
  return outcome;
}
