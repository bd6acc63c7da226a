import type { Hotfix } from '../domain/hotfix.js';
import { lockKey } from '../domain/hotfix.js';
import type { WorkflowDeps } from './deps.js';
import { allDrawn } from './redraws-due.js';
import { closeRecordsLater } from './close-records.js';
import { startForwardPort } from './chase-forward-port.js';
import { BOT } from './system-actor.js';
import { transact } from './transact.js';

/**
 * Entering any terminal state: the lock was already freed in the same write as the terminal event (the store does
 * that); here the final status is drawn at once, the plan and notice are redrawn, and the next hotfix waiting for
 * the environment is woken. Idempotent: each part is safe to repeat and the `finalized` event, written once every
 * message shows the final state, marks the end.
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
  await closeRecordsLater(deps, hotfix);
  // Seed 003: a completed hotfix leaves production non-standard until its fix is on the default branch.
  await startForwardPort(deps, hotfix);
  const next = (await deps.locks.waiting(lockKey(hotfix)))[0];
  if (next)
    await deps.jobs.enqueue({
      ulid: next,
      step: 'advance',
      attempt: `woken-by-${hotfix.ulid}-${hotfix.stateSince.seq}`,
    });
  // The hotfix stays unfinalized (so the reconciler keeps redrawing) until its final messages are drawn: a final
  // status still offering Cancel, or a notice still offering Approve, would be left for good otherwise. Each draw
  // step asks for this step again once it has drawn.
  if (!(await allDrawn(deps, hotfix))) return;
  await transact(deps, { ulid: hotfix.ulid }, { type: 'finalize' }, BOT);
  deps.log.info({ hotfix: hotfix.id, state: hotfix.state, woke: next }, 'hotfix finalized');
}
