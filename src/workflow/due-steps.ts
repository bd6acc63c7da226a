import type { Hotfix, HotfixState } from '../domain/hotfix.js';
import { isTerminal } from '../domain/hotfix.js';
import type { StepJob } from '../ports/jobs.js';
import { lastNudge, reminderDue } from './remind.js';

/**
 * The steps a hotfix is waiting for at `now`, read from the record alone. The reconciler enqueues these when no job
 * for them exists (a crash between saving and enqueueing, or a job BullMQ gave up on), so nothing depends on a
 * job surviving.
 */
export function dueSteps(hotfix: Hotfix, now: Date, staleMs = 15_000): StepJob[] {
  const due: StepJob[] = [];
  const announced = hotfix.steps['post_plan']?.result && hotfix.steps['post_notice']?.result;
  if (!announced && !(isTerminal(hotfix.state) && !hotfix.refs['planTs'])) {
    due.push({ ulid: hotfix.ulid, step: 'announce', attempt: '1' });
  }
  if (hotfix.state === 'planned' && now.getTime() >= Date.parse(hotfix.expiresAt)) {
    due.push({ ulid: hotfix.ulid, step: 'expire', attempt: `due-${hotfix.expiresAt}` });
  }
  const reminder = reminderDue(hotfix);
  const every = hotfix.snapshot.policy.approvalReminderMinutes * 60_000;
  if (announced && reminder && now.getTime() >= lastNudge(hotfix, reminder) + every) {
    due.push({
      ulid: hotfix.ulid,
      step: 'remind',
      attempt: `due-${reminder}-${lastNudge(hotfix, reminder)}`,
    });
  }
  if (AUTOMATED.has(hotfix.state)) {
    // A quiet hotfix the machine should be moving is looked at again; an extra look is harmless (idempotent).
    const quietFor = now.getTime() - Date.parse(hotfix.stateSince.at);
    const slot = Math.floor(now.getTime() / staleMs);
    if (quietFor >= staleMs)
      due.push({ ulid: hotfix.ulid, step: 'advance', attempt: `reconcile-${hotfix.seq}-${slot}` });
  }
  return due;
}

/** States the bot moves along by itself (the others wait for people). */
const AUTOMATED: ReadonlySet<HotfixState> = new Set<HotfixState>([
  'approved',
  'queued',
  'preparing',
  'deploying',
  'awaiting_input',
  'verifying',
]);
