import { RetryLater } from '../ports/jobs.js';
import type { WorkflowDeps } from './deps.js';

/** Before writing to Slack: if Slack asked every writer to wait (a 429 anywhere), this step waits too, as a job. */
export async function waitForSlack(deps: Pick<WorkflowDeps, 'pacing'>): Promise<void> {
  const ms = await deps.pacing.slackPausedFor();
  if (ms > 0) throw new RetryLater(ms, `Slack asked every writer to wait ${ms} ms`);
}
