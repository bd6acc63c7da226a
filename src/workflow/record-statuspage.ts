import type { Hotfix } from '../domain/hotfix.js';
import { maintenanceText } from '../domain/change-records.js';
import type { WorkflowDeps } from './deps.js';
import type { RecordOutcome } from './record-once.js';
import { BOOKED_WINDOW_MS } from './record-calendar.js';
import { recordOnce } from './record-once.js';

/**
 * The Statuspage maintenance of a hotfix on the client's components, in progress from approval (the deploy follows
 * as soon as the environment is free), created once (found again by the ULID in its metadata, which also keeps each
 * component's previous status for completing it) and recorded on the hotfix.
 */
export async function recordStatuspage(deps: WorkflowDeps, hotfix: Hotfix): Promise<RecordOutcome> {
  const statusPage = deps.records.statusPage;
  const target = hotfix.snapshot.env.statuspage;
  if (!statusPage || !target)
    throw new Error(`${hotfix.id}: no Statuspage page for ${hotfix.client} ${hotfix.env}`);
  return recordOnce(deps, hotfix, 'statuspage', async (current) => {
    const maintenance = await statusPage.ensureOpen({
      pageId: target.pageId,
      componentIds: target.componentIds,
      ulid: current.ulid,
      text: maintenanceText(current),
      window: {
        mode: 'in_progress',
        from: deps.clock.now().toISOString(),
        until: new Date(deps.clock.now().getTime() + BOOKED_WINDOW_MS).toISOString(),
      },
    });
    return { id: maintenance.id, ...(maintenance.url ? { url: maintenance.url } : {}) };
  });
}
