import type { StepName } from '../ports/jobs.js';
import { advance } from './advance.js';
import { chaseForwardPort } from './chase-forward-port.js';
import { announce } from './announce.js';
import { closeRecords } from './close-records.js';
import type { WorkflowDeps } from './deps.js';
import { expirePlan } from './expire.js';
import { openRecordsAlongside } from './open-records.js';
import { recordDeployment } from './record-deployment.js';
import { syncRecords } from './record-moments.js';
import { refreshMessages } from './refresh-messages.js';
import { remind } from './remind.js';
import { renderStatus } from './render-status.js';

/** The workflow step each job runs, by step name: what a worker calls for a job. */
export function stepHandlers(deps: WorkflowDeps): Record<StepName, (ulid: string) => Promise<void>> {
  return {
    announce: (id) => announce(deps, id),
    refresh_messages: (id) => refreshMessages(deps, id),
    expire: (id) => expirePlan(deps, id),
    remind: (id) => remind(deps, id),
    advance: (id) => advance(deps, id),
    render_status: (id) => renderStatus(deps, id),
    open_records: (id) => openRecordsAlongside(deps, id),
    close_records: (id) => closeRecords(deps, id),
    sync_records: (id) => syncRecords(deps, id),
    source_deployment: (id) => recordDeployment(deps, id),
    forward_port: (id) => chaseForwardPort(deps, id),
  };
}
