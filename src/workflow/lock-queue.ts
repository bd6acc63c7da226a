import type { Hotfix } from '../domain/hotfix.js';
import { lockKey } from '../domain/hotfix.js';
import type { WorkflowDeps } from './deps.js';
import { afterTransition } from './next-jobs.js';
import { BOT } from './system-actor.js';
import { transact } from './transact.js';

/** An approved hotfix joins its environment's queue (first come, first served), then tries for the lock. */
export async function queueForLock(deps: WorkflowDeps, hotfix: Hotfix): Promise<void> {
  await deps.locks.enqueue(lockKey(hotfix), hotfix.ulid, deps.clock.now());
  const outcome = await transact(deps, { ulid: hotfix.ulid }, { type: 'queue' }, BOT);
  if (outcome.ok && outcome.events.length > 0) await afterTransition(deps, outcome.hotfix);
}

/** When the hotfix joined the line it waits in now: a rollback after completion joins anew when it is asked for. */
function queuedSince(hotfix: Hotfix): string {
  if (hotfix.state === 'rollback_queued') return hotfix.stateSince.at;
  return hotfix.times.queuedAt ?? hotfix.stateSince.at;
}

/**
 * Takes the lock when the environment is free and this hotfix is first in line; otherwise waits (the status shows
 * behind whom). Nothing polls: finalize wakes the next in line, and the reconciler catches a missed wake-up.
 */
export async function acquireLock(deps: WorkflowDeps, hotfix: Hotfix): Promise<void> {
  const key = lockKey(hotfix);
  // A queued hotfix that somehow lost its place gets it back: joining is idempotent, and refused once the record
  // has moved on (the queue reads the record's state in the same step), so this stale copy cannot re-add a finished one.
  await deps.locks.enqueue(key, hotfix.ulid, new Date(queuedSince(hotfix)));
  if (await deps.controls.paused()) return;
  const attempt = await deps.locks.tryAcquire(key, hotfix.ulid);
  if (!attempt.granted) return;
  const outcome = await transact(
    deps,
    { ulid: hotfix.ulid },
    { type: 'acquire_lock', lock: { token: attempt.token } },
    BOT,
  );
  if (!outcome.ok) {
    // Nothing to release, and releasing would be wrong: either another run of this step recorded the same grant
    // first (the record now holds this very lock), or the hotfix ended since the grant and its terminal write freed
    // the lock it held. The grant itself only goes to a queued record, checked in the same atomic step.
    deps.log.info({ hotfix: hotfix.id, reason: outcome.refusal.code }, 'lock grant already recorded or moot');
    return;
  }
  deps.log.info({ hotfix: hotfix.id, fence: attempt.token }, 'lock acquired');
  await afterTransition(deps, outcome.hotfix);
}
