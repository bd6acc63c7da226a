import type { Hotfix } from '../domain/hotfix.js';
import { WAITING_STATES, lockKey } from '../domain/hotfix.js';
import type { StepJob } from '../ports/jobs.js';
import type { WorkflowDeps } from './deps.js';

/**
 * The lock-taking step owed to each free environment: its first waiter's `advance`, so a missed wake-up (finalize
 * lost, a grant refused) costs at most one reconciler period instead of a stale-state timeout. Read from the locks,
 * not the record: a free lock is not visible in any record.
 */
export async function wakeFirstWaiters(
  deps: Pick<WorkflowDeps, 'locks' | 'controls'>,
  active: readonly Hotfix[],
  slot: number,
): Promise<StepJob[]> {
  if (await deps.controls.paused()) return [];
  const keys = new Set(active.filter((h) => WAITING_STATES.has(h.state)).map(lockKey));
  const jobs: StepJob[] = [];
  for (const key of keys) {
    if (await deps.locks.holder(key)) continue;
    const first = (await deps.locks.waiting(key))[0];
    if (first) jobs.push({ ulid: first, step: 'advance', attempt: `lock-free-${slot}` });
  }
  return jobs;
}
