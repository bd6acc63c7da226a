import type { RecordKind } from '../domain/catalog.js';
import { calledOffText, commentMarker, eventText, timelineText } from '../domain/change-records.js';
import type { Hotfix } from '../domain/hotfix.js';
import { isTerminal } from '../domain/hotfix.js';
import type { RecordLink } from '../domain/record-plan.js';
import { closeStep, recordLinks } from '../domain/record-plan.js';
import { RetryLater } from '../ports/jobs.js';
import { RecordSystemError } from '../ports/record-errors.js';
import type { WorkflowDeps } from './deps.js';
import { claimStep } from './claim-step.js';
import { tell } from './open-records.js';
import { recordContextOf } from './record-context.js';
import { ticketStarted } from './record-moments.js';
import { BOT } from './system-actor.js';
import { transact } from './transact.js';

/** Tries per record before it is named in the thread as left open. */
export const CLOSE_TRIES = 4;

/** Called by finalize: the records are closed by a job of their own, so a slow system never delays the lock. */
export async function closeRecordsLater(deps: WorkflowDeps, hotfix: Hotfix): Promise<void> {
  if (recordLinks(hotfix).length === 0) return;
  await deps.jobs.enqueue({
    ulid: hotfix.ulid,
    step: 'close_records',
    attempt: `final-${hotfix.stateSince.seq}`,
  });
}

/**
 * The `close_records` job, on every ending: the Jira ticket gets the timeline from the audit trail and moves
 * through the transition for the ending; the calendar event's end becomes the real end; the Statuspage maintenance is
 * completed with each component back to its previous status. Each record once (claimed, its result recorded); a
 * failed close is tried again as a delayed job and, after CLOSE_TRIES, left open; then the thread is told once what
 * was closed and what was left open.
 */
export async function closeRecords(deps: WorkflowDeps, ulid: string): Promise<void> {
  let hotfix = await deps.store.load(ulid);
  if (!hotfix || !isTerminal(hotfix.state)) return;
  const seq = hotfix.stateSince.seq;
  let waitMs = 0;
  for (const link of recordLinks(hotfix)) {
    const step = closeStep(link.kind, seq);
    if (hotfix.steps[step]?.result) continue;
    const claim = await claimStep(deps, hotfix, step);
    if (claim.kind === 'busy') {
      waitMs = Math.max(waitMs, deps.timing.claimMs);
      continue;
    }
    if (claim.kind === 'done') {
      hotfix = claim.hotfix;
      continue;
    }
    let detail: string;
    try {
      detail = `closed: ${await CLOSE[link.kind](deps, claim.hotfix, link)}`;
    } catch (error) {
      if (!(error instanceof RecordSystemError)) {
        claim.abandon();
        throw error;
      }
      await claim.releaseUnused();
      deps.log.error({ hotfix: hotfix.id, record: link.kind, err: error }, 'change record not closed');
      const tries = Object.keys(claim.hotfix.steps).filter((s) => s.startsWith(`${step}_try_`)).length + 1;
      const last = tries >= CLOSE_TRIES;
      const failed = last ? step : `${step}_try_${tries}`;
      hotfix = await recordResult(deps, hotfix, failed, `${last ? 'left open' : 'failed'}: ${error.message}`);
      // Waits grow with each try (from the poll interval), or follow the system's own Retry-After.
      const backoff = error.retryAfterSeconds
        ? error.retryAfterSeconds * 1000
        : deps.timing.pollMs * 2 ** tries;
      if (!last) waitMs = Math.max(waitMs, backoff);
      continue;
    }
    try {
      hotfix = await recordResult(deps, hotfix, step, detail);
    } finally {
      await claim.done();
    }
  }
  if (waitMs > 0) throw new RetryLater(waitMs, `${hotfix.id}: some change records are not closed yet`);
  await tellClosed(deps, hotfix, seq);
}

async function recordResult(
  deps: WorkflowDeps,
  hotfix: Hotfix,
  step: string,
  detail: string,
): Promise<Hotfix> {
  const saved = await transact(deps, { ulid: hotfix.ulid }, { type: 'record_result', step, detail }, BOT);
  if (!saved.ok) throw new Error(saved.refusal.message);
  return saved.hotfix;
}

/** Once every record has its close result: one reply naming what was closed and what was left open. */
async function tellClosed(deps: WorkflowDeps, hotfix: Hotfix, seq: number): Promise<void> {
  const closed: { link: RecordLink; what: string }[] = [];
  const leftOpen: { link: RecordLink; why: string }[] = [];
  for (const link of recordLinks(hotfix)) {
    const detail = hotfix.steps[closeStep(link.kind, seq)]?.result?.detail ?? '';
    if (detail.startsWith('closed: ')) closed.push({ link, what: detail.slice('closed: '.length) });
    else leftOpen.push({ link, why: detail.replace(/^left open: /, '') });
  }
  await tell(deps, hotfix, { kind: 'closed', closed, leftOpen }, `note_closed_${seq}`);
}

type Close = (deps: WorkflowDeps, hotfix: Hotfix, link: RecordLink) => Promise<string>;

const CLOSE: Readonly<Record<RecordKind, Close>> = {
  jira: closeTicket,
  calendar: endEvent,
  statuspage: completeMaintenance,
};

/** The transition for the ending, by its catalog name; undefined where the ticket is already where it belongs. */
function endingTransition(
  hotfix: Hotfix,
  t: NonNullable<WorkflowDeps['catalog']['changeTickets']>['transitions'],
) {
  switch (hotfix.state) {
    case 'completed':
      return t.complete;
    case 'rolled_back':
      return t.rollback ?? t.fail;
    case 'resolved':
    case 'superseded':
      // After a failure the ticket already says so; resolved by hand before any deploy, nothing was changed.
      if (hotfix.failure) return t.fail;
      return hotfix.times.deployStartedAt ? t.complete : t.cancel;
    default:
      return t.cancel;
  }
}

async function closeTicket(deps: WorkflowDeps, hotfix: Hotfix, link: RecordLink): Promise<string> {
  const tickets = deps.records.tickets;
  const settings = deps.catalog.changeTickets;
  if (!tickets || !settings)
    throw new RecordSystemError('Jira', false, 'Jira is not configured in this installation');
  // A deploy whose start the ticket missed (its job was lost) still reaches the status the ending leaves from.
  await ticketStarted(deps, hotfix, settings);
  // The timeline once per ending, even when the transition after it is tried again; marked with the ending, so a
  // close tried again after a crash between the comment and its record finds the timeline instead of adding a second.
  const timeline = `${closeStep('jira', hotfix.stateSince.seq)}_timeline`;
  if (!hotfix.steps[timeline]?.result) {
    const marker = commentMarker(hotfix.ulid, closeStep('jira', hotfix.stateSince.seq));
    const events = await deps.store.events(hotfix.ulid);
    const text = timelineText(hotfix, events, await recordContextOf(deps, hotfix, events));
    await tickets.comment(link.id, text, marker);
    await recordResult(deps, hotfix, timeline, 'added');
  }
  // Rolled back after it completed: the ticket was closed as done, so it is reopened and started again first.
  const { reopen, start } = settings.transitions;
  if (hotfix.state === 'rolled_back' && hotfix.times.completedAt && reopen) {
    await tickets.transition(link.id, reopen).catch(() => undefined);
    await tickets.transition(link.id, start).catch(() => undefined);
  }
  const name = endingTransition(hotfix, settings.transitions);
  const ticket = await tickets.transition(link.id, name);
  return `timeline added, now ${ticket.status}`;
}

async function endEvent(deps: WorkflowDeps, hotfix: Hotfix, link: RecordLink): Promise<string> {
  const calendar = deps.records.calendar;
  const calendarId = hotfix.snapshot.env.calendarId;
  if (!calendar || !calendarId)
    throw new RecordSystemError(
      'Google Calendar',
      false,
      'Google Calendar is not configured in this installation',
    );
  const end = hotfix.times.endedAt ?? deps.clock.now().toISOString();
  if (hotfix.deployAt && Date.parse(end) < Date.parse(hotfix.deployAt)) {
    // Ended before its window: an event cannot end before it starts, and the window did not happen.
    const text = eventText(hotfix, await recordContextOf(deps, hotfix));
    await calendar.updateText(calendarId, link.id, calledOffText(hotfix, text));
    return `marked called off: ${hotfix.id} ended before its deploy window opened`;
  }
  await calendar.setEnd(calendarId, link.id, end);
  return `ends at ${end.slice(11, 16)} UTC, when ${hotfix.id} ended`;
}

async function completeMaintenance(deps: WorkflowDeps, hotfix: Hotfix, link: RecordLink): Promise<string> {
  const statusPage = deps.records.statusPage;
  const target = hotfix.snapshot.env.statuspage;
  if (!statusPage || !target)
    throw new RecordSystemError('Statuspage', false, 'Statuspage is not configured in this installation');
  const maintenance = await statusPage.findByUlid(target.pageId, hotfix.ulid);
  if (!maintenance)
    throw new RecordSystemError(
      'Statuspage',
      false,
      `maintenance ${link.id} is no longer on page ${target.pageId}`,
    );
  await statusPage.complete(maintenance);
  return 'completed, components back to their earlier status';
}
