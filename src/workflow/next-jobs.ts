import type { Hotfix } from '../domain/hotfix.js';
import type { WorkflowDeps } from './deps.js';

/**
 * After a transition: look at the hotfix again (the next step), redraw its status message, and redraw its plan and
 * change-control notice and tell its thread (refresh_messages), so every message follows every state change.
 */
export async function afterTransition(deps: Pick<WorkflowDeps, 'jobs'>, hotfix: Hotfix): Promise<void> {
  await deps.jobs.enqueue({ ulid: hotfix.ulid, step: 'advance', attempt: String(hotfix.seq) });
  await deps.jobs.enqueue({ ulid: hotfix.ulid, step: 'render_status', attempt: String(hotfix.seq) });
  await deps.jobs.enqueue({ ulid: hotfix.ulid, step: 'refresh_messages', attempt: String(hotfix.seq) });
  // The change ticket follows the deploy (started, failed), the ticket and event a revised plan, and a scheduled
  // maintenance the deploy's start; nothing when the hotfix has no record.
  if (hotfix.refs['jiraKey'] || hotfix.refs['calendarEventId'] || hotfix.refs['statuspageIncidentId'])
    await deps.jobs.enqueue({ ulid: hotfix.ulid, step: 'sync_records', attempt: String(hotfix.seq) });
  // The GitHub deployment follows the deploy from its start (in progress, success, failure, inactive).
  if (hotfix.times.deployStartedAt !== undefined)
    await deps.jobs.enqueue({ ulid: hotfix.ulid, step: 'source_deployment', attempt: String(hotfix.seq) });
}

/**
 * Looks at a running deploy again after `delayMs`. Named by time slot, so the job never shares an id with the one
 * running now, and two runners scheduling the same look merge into one job instead of two polling loops.
 */
export async function lookAgain(
  deps: Pick<WorkflowDeps, 'jobs' | 'clock'>,
  hotfix: Hotfix,
  delayMs: number,
): Promise<void> {
  const slot = Math.ceil((deps.clock.now().getTime() + delayMs) / Math.max(1, delayMs));
  await deps.jobs.enqueue({ ulid: hotfix.ulid, step: 'advance', attempt: `look-${slot}` }, { delayMs });
}
