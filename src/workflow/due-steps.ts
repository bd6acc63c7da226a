import type { Hotfix, HotfixState } from '../domain/hotfix.js';
import { isTerminal } from '../domain/hotfix.js';
import type { StepJob } from '../ports/jobs.js';
import { lastNudge, reminderDue } from './remind.js';
import { created, failureOf, recordsHoldDeploy, recordsOf } from '../domain/record-plan.js';
import { WINDOW_WAIT, beforeWindow } from '../domain/deploy-window.js';
import { maintenanceStartOwed } from './start-maintenance.js';

/**
 * The steps a hotfix is waiting for at `now`, read from the record alone. The reconciler enqueues these when no job
 * for them exists (a crash between saving and enqueueing, or a job BullMQ gave up on), so nothing depends on a
 * job surviving.
 */
export function dueSteps(hotfix: Hotfix, now: Date, staleMs = 15_000): StepJob[] {
  const due: StepJob[] = [];
  // Named by time slot: a job BullMQ gave up on keeps its id for days, and re-adding that id would do nothing.
  const slot = Math.floor(now.getTime() / staleMs);
  const announced = hotfix.steps['post_plan']?.result && hotfix.steps['post_notice']?.result;
  const settled = now.getTime() - Date.parse(hotfix.times.plannedAt) >= staleMs;
  if (!announced && settled && !(isTerminal(hotfix.state) && !hotfix.refs['planTs'])) {
    due.push({ ulid: hotfix.ulid, step: 'announce', attempt: `due-${slot}` });
  }
  if (hotfix.state === 'planned' && now.getTime() >= Date.parse(hotfix.expiresAt)) {
    due.push({ ulid: hotfix.ulid, step: 'expire', attempt: `due-${slot}` });
  }
  const reminder = reminderDue(hotfix);
  const every = hotfix.snapshot.policy.approvalReminderMinutes * 60_000;
  if (announced && reminder && now.getTime() >= lastNudge(hotfix, reminder) + every) {
    due.push({
      ulid: hotfix.ulid,
      step: 'remind',
      attempt: `due-${reminder}-${slot}`,
    });
  }
  if (
    recordsOwed(hotfix) &&
    now.getTime() - Date.parse(hotfix.times.approvedAt ?? hotfix.stateSince.at) >= staleMs
  ) {
    due.push({ ulid: hotfix.ulid, step: 'open_records', attempt: `due-${slot}` });
  }
  const quiet = now.getTime() - Date.parse(hotfix.stateSince.at) >= staleMs;
  if (maintenanceStartOwed(hotfix) && quiet && !isTerminal(hotfix.state))
    due.push({ ulid: hotfix.ulid, step: 'sync_records', attempt: `due-${slot}` });
  const unfinalized = isTerminal(hotfix.state) && (hotfix.finalizedSeq ?? 0) < hotfix.stateSince.seq;
  if ((AUTOMATED.has(hotfix.state) && !waitingForWindow(hotfix, now)) || unfinalized) {
    // A quiet hotfix the machine should be moving is looked at again; an extra look is harmless (idempotent).
    if (quiet) due.push({ ulid: hotfix.ulid, step: 'advance', attempt: `reconcile-${hotfix.seq}-${slot}` });
  }
  return due;
}

/**
 * A Sev 1 whose required records are neither created nor failed this round: their job (created alongside the
 * deploy) was lost. Other severities create theirs in `advance`, which the reconciler already runs.
 */
function recordsOwed(hotfix: Hotfix): boolean {
  if (recordsHoldDeploy(hotfix) || isTerminal(hotfix.state) || !hotfix.times.approvedAt) return false;
  return recordsOf(hotfix, new Set()).some(
    (r) => !created(hotfix, r.kind) && failureOf(hotfix, r.kind) === undefined,
  );
}

/** An approved hotfix whose records are made and whose delayed look at its window's opening is scheduled. */
function waitingForWindow(hotfix: Hotfix, now: Date): boolean {
  return hotfix.state === 'approved' && beforeWindow(hotfix, now) && !!hotfix.steps[WINDOW_WAIT]?.result;
}

/** States the bot moves along by itself (the others wait for people). */
const AUTOMATED: ReadonlySet<HotfixState> = new Set<HotfixState>([
  'approved',
  'queued',
  'preparing',
  'deploying',
  'awaiting_input',
  'verifying',
  'rollback_queued',
  'rolling_back',
]);
