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
import { WINDOW_WAIT, beforeWindow } from '../domain/deploy-window.js';
import { BOT } from './system-actor.js';
import { transact } from './transact.js';
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
 * Retry. Seed 001's Sev 1 exception: its records are created by a job of their own, alongside the deploy. A plan
 * with a deploy window has its records made at approval and queues when the window opens.
 */
async function recordsThenQueue(deps: WorkflowDeps, hotfix: Hotfix): Promise<void> {
  if (!recordsHoldDeploy(hotfix)) {
    await deps.jobs.enqueue({
      ulid: hotfix.ulid,
      step: 'open_records',
      attempt: `round-${hotfix.recordRound ?? 0}`,
    });
    return queueWhenOpen(deps, hotfix);
  }
  if (await openRecords(deps, hotfix))
    return queueWhenOpen(deps, (await deps.store.load(hotfix.ulid)) ?? hotfix);
}

/** Queues for the lock now, or, before the plan's deploy window opens, looks again when it does. */
async function queueWhenOpen(deps: WorkflowDeps, hotfix: Hotfix): Promise<void> {
  if (!beforeWindow(hotfix, deps.clock.now())) return queueForLock(deps, hotfix);
  const opens = hotfix.deployAt ?? '';
  const delayMs = Math.max(0, Date.parse(opens) - deps.clock.now().getTime());
  await deps.jobs.enqueue({ ulid: hotfix.ulid, step: 'advance', attempt: `window-${opens}` }, { delayMs });
  // Recorded once, so the reconciler leaves a hotfix waiting for its window alone until the window opens.
  if (!hotfix.steps[WINDOW_WAIT]?.result)
    await transact(
      deps,
      { ulid: hotfix.ulid },
      { type: 'record_result', step: WINDOW_WAIT, detail: opens },
      BOT,
    );
}
