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

/**
 * Takes the lock when the environment is free and this hotfix is first in line; otherwise waits (the status shows
 * behind whom). Nothing polls: finalize wakes the next in line, and the reconciler catches a missed wake-up.
 */
export async function acquireLock(deps: WorkflowDeps, hotfix: Hotfix): Promise<void> {
  const key = lockKey(hotfix);
  // A queued hotfix that somehow lost its place gets it back: joining is idempotent.
  await deps.locks.enqueue(key, hotfix.ulid, new Date(hotfix.times.queuedAt ?? hotfix.stateSince.at));
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
    // Cancelled or resolved while waiting: the lock must not stay with a hotfix that will never use it.
    await deps.locks.forceRelease(key, hotfix.ulid);
    deps.log.warn(
      { hotfix: hotfix.id, reason: outcome.refusal.code },
      'lock granted to a hotfix that could not take it',
    );
    return;
  }
  deps.log.info({ hotfix: hotfix.id, fence: attempt.token }, 'lock acquired');
  await afterTransition(deps, outcome.hotfix);
}
