import type { Outcome } from './transact.js';
import { transact } from './transact.js';
import type { WorkflowDeps } from './deps.js';

/** `/hotfix cancel HF-n`: decides the cancel, then redraws the plan and the notice. */
export async function cancelHotfix(
  deps: WorkflowDeps,
  input: { userId: string; id: string; reason: string },
): Promise<Outcome> {
  const actor = await deps.actors.actor(input.userId, deps.catalog.policy);
  const outcome = await transact(deps, { id: input.id }, { type: 'cancel', reason: input.reason }, actor);
  if (outcome.ok && outcome.events.length > 0) {
    await deps.jobs.enqueue({
      ulid: outcome.hotfix.ulid,
      step: 'refresh_messages',
      attempt: String(outcome.hotfix.seq),
    });
    deps.log.info({ hotfix: outcome.hotfix.id, by: input.userId }, 'hotfix cancel decided');
  }
  return outcome;
}
