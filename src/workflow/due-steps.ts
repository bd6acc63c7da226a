import type { Hotfix } from '../domain/hotfix.js';
import { isTerminal } from '../domain/hotfix.js';
import type { StepJob } from '../ports/jobs.js';

/**
 * The steps a hotfix is waiting for, read from the record alone. The reconciler enqueues these when no job for them
 * exists (a crash between saving and enqueueing, or a job BullMQ gave up on), so nothing depends on a job surviving.
 */
export function dueSteps(hotfix: Hotfix): StepJob[] {
  const due: StepJob[] = [];
  const announced = hotfix.steps['post_plan']?.result && hotfix.steps['post_notice']?.result;
  if (!announced && !(isTerminal(hotfix.state) && !hotfix.refs['planTs'])) {
    due.push({ ulid: hotfix.ulid, step: 'announce', attempt: '1' });
  }
  return due;
}
