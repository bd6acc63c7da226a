import type { Hotfix } from '../domain/hotfix.js';
import type { StepJob } from '../ports/jobs.js';
import type { WorkflowDeps } from './deps.js';
import { dueSteps } from './due-steps.js';
import { owesReply } from './refresh-messages.js';

type ReconcileDeps = Pick<WorkflowDeps, 'store' | 'jobs' | 'log' | 'clock' | 'timing'>;

/** Enqueues every due step that has no job; returns how many it enqueued. Safe to run from any number of workers. */
export async function reconcile(deps: ReconcileDeps): Promise<number> {
  let enqueued = 0;
  const staleMs = Math.max(1000, 3 * deps.timing.pollMs);
  const [active, unfinalized] = await Promise.all([deps.store.listActive(), deps.store.listUnfinalized()]);
  for (const hotfix of [...active, ...unfinalized]) {
    const due = dueSteps(hotfix, deps.clock.now(), staleMs);
    const untold = await untoldReply(deps, hotfix, staleMs);
    for (const job of untold ? [...due, untold] : due) {
      if (await deps.jobs.isPending(job)) continue;
      await deps.jobs.enqueue(job);
      enqueued++;
      deps.log.warn({ hotfix: hotfix.id, step: job.step }, 'reconciler re-enqueued a due step');
    }
  }
  return enqueued;
}

/**
 * A thread reply the hotfix still owes (its job was lost, say to repeated crashes), once the event is older than
 * `staleMs` so the normal job has had its chance.
 */
async function untoldReply(
  deps: ReconcileDeps,
  hotfix: Hotfix,
  staleMs: number,
): Promise<StepJob | undefined> {
  if (!hotfix.refs['planTs']) return undefined;
  const now = deps.clock.now().getTime();
  const events = await deps.store.events(hotfix.ulid);
  const owed = owesReply(hotfix, events, now, staleMs);
  return owed
    ? { ulid: hotfix.ulid, step: 'refresh_messages', attempt: `reconcile-${Math.floor(now / staleMs)}` }
    : undefined;
}
