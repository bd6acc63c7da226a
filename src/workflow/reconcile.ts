import type { WorkflowDeps } from './deps.js';
import { dueSteps } from './due-steps.js';

/** Enqueues every due step that has no job; returns how many it enqueued. Safe to run from any number of workers. */
export async function reconcile(
  deps: Pick<WorkflowDeps, 'store' | 'jobs' | 'log' | 'clock' | 'timing'>,
): Promise<number> {
  let enqueued = 0;
  for (const hotfix of await deps.store.listActive()) {
    for (const job of dueSteps(hotfix, deps.clock.now(), Math.max(1000, 3 * deps.timing.pollMs))) {
      if (await deps.jobs.isPending(job)) continue;
      await deps.jobs.enqueue(job);
      enqueued++;
      deps.log.warn({ hotfix: hotfix.id, step: job.step }, 'reconciler re-enqueued a due step');
    }
  }
  return enqueued;
}
