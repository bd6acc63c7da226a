import { holdsLock, type Hotfix } from '../domain/hotfix.js';
import type { WorkflowDeps } from './deps.js';
import { updateRecordOnce } from './update-record.js';

/** The step that starts a scheduled maintenance once the deploy takes its environment. */
const START = 'statuspage_started';

/**
 * A plan with a deploy window got a scheduled Statuspage maintenance at approval; when the hotfix takes its
 * environment (the deploy starts, perhaps later than the window if the environment was busy) the maintenance is
 * started: in progress, its components under maintenance, their statuses of that moment kept for completing it.
 * Once, claimed (two runners must not both read the components); a Statuspage refusal is told in the thread and
 * left, as the deploy never waits on its public notice.
 */
export async function startMaintenance(deps: WorkflowDeps, hotfix: Hotfix): Promise<Hotfix> {
  const id = hotfix.refs['statuspageIncidentId'];
  const pageId = hotfix.snapshot.env.statuspage?.pageId;
  const statusPage = deps.records.statusPage;
  if (!id || !pageId || !statusPage || !maintenanceStartOwed(hotfix)) return hotfix;
  return updateRecordOnce(deps, hotfix, START, {
    record: 'statuspage',
    what: `start the scheduled Statuspage maintenance ${id}`,
    effect: async () => (await statusPage.start(pageId, id)).status,
  });
}

/**
 * A windowed hotfix with a maintenance has taken its environment (it holds the lock now, or its deploy started at
 * some point) and its maintenance has not been started yet: the reconciler enqueues `sync_records` for it.
 */
export function maintenanceStartOwed(hotfix: Hotfix): boolean {
  const underway = holdsLock(hotfix.state) || hotfix.times.deployStartedAt !== undefined;
  return (
    underway &&
    hotfix.deployAt !== undefined &&
    hotfix.refs['statuspageIncidentId'] !== undefined &&
    !hotfix.steps[START]?.result
  );
}
