import { isTerminal } from '../domain/hotfix.js';
import type { WorkflowDeps } from './deps.js';
import { acquireLock, queueForLock } from './lock-queue.js';
import { driveDeploy } from './drive-deploy.js';
import { finalize } from './finalize.js';
import { prepare } from './prepare.js';
import { rollBack } from './roll-back.js';
import { verify } from './verify.js';
import type { Hotfix } from '../domain/hotfix.js';
import { recordsHoldDeploy } from '../domain/record-plan.js';
import { openRecords } from './open-records.js';
import { recheckSource } from './recheck-source.js';

/**
 * The one step that moves an approved hotfix along: it reads the record and does what its state calls for. Run it
 * any number of times: each part is idempotent by the record, and the reconciler runs it for any hotfix that has
 * no job, so a crash anywhere only delays the next part.
 */
export async function advance(deps: WorkflowDeps, ulid: string): Promise<void> {
  const hotfix = await deps.store.load(ulid);
  if (!hotfix) return;
  switch (hotfix.state) {
    case 'approved': {
      const checked = await recheckSource(deps, hotfix);
      return checked ? recordsThenQueue(deps, checked) : undefined;
    }
    case 'queued':
    case 'rollback_queued':
      return acquireLock(deps, hotfix);
    case 'preparing':
      return prepare(deps, hotfix);
    case 'deploying':
    case 'awaiting_input':
      return driveDeploy(deps, hotfix);
    case 'verifying':
      return verify(deps, hotfix);
    case 'rolling_back':
      return rollBack(deps, hotfix);
    default:
      if (isTerminal(hotfix.state)) return finalize(deps, hotfix);
  }
}

/**
 * The change records come before the queue: a required one that cannot be created holds the hotfix here until a
 * Retry. Seed 001's Sev 1 exception: its records are created by a job of their own, alongside the deploy.
 */
async function recordsThenQueue(deps: WorkflowDeps, hotfix: Hotfix): Promise<void> {
  if (!recordsHoldDeploy(hotfix)) {
    await deps.jobs.enqueue({
      ulid: hotfix.ulid,
      step: 'open_records',
      attempt: `round-${hotfix.recordRound ?? 0}`,
    });
    return queueForLock(deps, hotfix);
  }
  if (await openRecords(deps, hotfix))
    return queueForLock(deps, (await deps.store.load(hotfix.ulid)) ?? hotfix);
}
