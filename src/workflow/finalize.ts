import type { Hotfix } from '../domain/hotfix.js';
import { lockKey } from '../domain/hotfix.js';
import type { WorkflowDeps } from './deps.js';
import { BOT } from './system-actor.js';
import { transact } from './transact.js';

/**
 * Entering any terminal state: the lock was already freed in the same write as the terminal event (the store does
 * that); here the final status is drawn at once, the plan and notice are redrawn, and the next hotfix waiting for
 * the environment is woken. Idempotent: each part is safe to repeat and the `finalized` event marks the end.
 */
export async function finalize(deps: WorkflowDeps, hotfix: Hotfix): Promise<void> {
  if ((hotfix.finalizedSeq ?? 0) >= hotfix.stateSince.seq) return;
  await deps.jobs.enqueue({
    ulid: hotfix.ulid,
    step: 'render_status',
    attempt: `final-${hotfix.stateSince.seq}`,
  });
  await deps.jobs.enqueue({
    ulid: hotfix.ulid,
    step: 'refresh_messages',
    attempt: `final-${hotfix.stateSince.seq}`,
  });
  const next = (await deps.locks.waiting(lockKey(hotfix)))[0];
  if (next)
    await deps.jobs.enqueue({
      ulid: next,
      step: 'advance',
      attempt: `woken-by-${hotfix.ulid}-${hotfix.stateSince.seq}`,
    });
  await transact(deps, { ulid: hotfix.ulid }, { type: 'finalize' }, BOT);
  deps.log.info({ hotfix: hotfix.id, state: hotfix.state, woke: next }, 'hotfix finalized');
}
