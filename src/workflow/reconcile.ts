import type { HotfixEvent } from '../domain/events.js';
import type { Hotfix } from '../domain/hotfix.js';
import type { StepJob } from '../ports/jobs.js';
import type { WorkflowDeps } from './deps.js';
import { dueSteps } from './due-steps.js';
import { redrawsDue } from './redraws-due.js';
import { owesReply } from './refresh-messages.js';
import { wakeFirstWaiters } from './wake-waiters.js';

/**
 * Enqueues every due step that has no job: the next step of the record, the thread replies it still owes, the
 * redraw of any message that no longer shows the record, and the lock-taking step of a free environment's first
 * waiter. Returns how many it enqueued. Safe to run from any number of workers.
 */
export async function reconcile(deps: WorkflowDeps): Promise<number> {
  let enqueued = 0;
  const staleMs = Math.max(1000, 3 * deps.timing.pollMs);
  const [active, unfinalized] = await Promise.all([deps.store.listActive(), deps.store.listUnfinalized()]);
  const now = deps.clock.now().getTime();
  // By the second, not the stale slot: a free lock with waiters is a transient state and must not wait 15 s.
  const jobs = await wakeFirstWaiters(deps, active, Math.floor(now / 1000));
  for (const hotfix of [...active, ...unfinalized]) {
    const events = await deps.store.events(hotfix.ulid);
    const lastChangeAt = Date.parse(events.at(-1)?.at ?? hotfix.stateSince.at);
    jobs.push(
      ...dueSteps(hotfix, deps.clock.now(), staleMs),
      ...untoldReply(hotfix, events, now, staleMs),
      ...(await redrawsDue(deps, hotfix, lastChangeAt, staleMs)),
    );
  }
  for (const job of jobs) {
    if (await deps.jobs.isPending(job)) continue;
    await deps.jobs.enqueue(job);
    enqueued++;
    deps.log.warn({ hotfix: job.ulid, step: job.step }, 'reconciler re-enqueued a due step');
  }
  return enqueued;
}

/**
 * A thread reply the hotfix still owes (its job was lost, say to repeated crashes), once the event is older than
 * `staleMs` so the normal job has had its chance.
 */
function untoldReply(hotfix: Hotfix, events: HotfixEvent[], now: number, staleMs: number): StepJob[] {
  if (!hotfix.refs['planTs']) return [];
  const owed = owesReply(hotfix, events, now, staleMs);
  return owed
    ? [{ ulid: hotfix.ulid, step: 'refresh_messages', attempt: `reconcile-${Math.floor(now / staleMs)}` }]
    : [];
}
