import type { Hotfix } from '../domain/hotfix.js';
import { maintenanceText } from '../domain/change-records.js';
import type { WorkflowDeps } from './deps.js';
import type { RecordOutcome } from './record-once.js';
import { BOOKED_WINDOW_MS } from './record-calendar.js';
import { recordOnce } from './record-once.js';
import type { MaintenanceDraft } from '../ports/status-page.js';
import { beforeWindow } from '../domain/deploy-window.js';

/**
 * The Statuspage maintenance of a hotfix on the client's components, created once (found again by the ULID in its
 * metadata, which also keeps each component's previous status for completing it) and recorded on the hotfix. In
 * progress from approval (the deploy follows as soon as the environment is free), or, for a plan whose deploy
 * window is still ahead, scheduled for the window (seed 001) and started by `startMaintenance` when the deploy starts.
 */
export async function recordStatuspage(deps: WorkflowDeps, hotfix: Hotfix): Promise<RecordOutcome> {
  const statusPage = deps.records.statusPage;
  const target = hotfix.snapshot.env.statuspage;
  if (!statusPage || !target)
    throw new Error(`${hotfix.id}: no Statuspage page for ${hotfix.client} ${hotfix.env}`);
  return recordOnce(deps, hotfix, 'statuspage', async (current) => {
    const now = deps.clock.now();
    const window: MaintenanceDraft['window'] =
      current.deployAt && beforeWindow(current, now)
        ? {
            mode: 'scheduled',
            from: current.deployAt,
            until: new Date(Date.parse(current.deployAt) + BOOKED_WINDOW_MS).toISOString(),
          }
        : {
            mode: 'in_progress',
            from: now.toISOString(),
            until: new Date(now.getTime() + BOOKED_WINDOW_MS).toISOString(),
          };
    const maintenance = await statusPage.ensureOpen({
      pageId: target.pageId,
      componentIds: target.componentIds,
      ulid: current.ulid,
      text: maintenanceText(current),
      window,
    });
    return { id: maintenance.id, ...(maintenance.url ? { url: maintenance.url } : {}) };
  });
}
