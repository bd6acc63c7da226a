import type { Hotfix } from '../domain/hotfix.js';
import { eventText } from '../domain/change-records.js';
import type { WorkflowDeps } from './deps.js';
import type { RecordOutcome } from './record-once.js';
import { recordOnce } from './record-once.js';
import { recordContextOf } from './record-context.js';

/** How long the change window is booked for at first; the event's end is moved to the real end when the hotfix ends. */
export const BOOKED_WINDOW_MS = 60 * 60_000;

/**
 * The change-calendar event of a hotfix for its deploy window (from approval, or from the plan's `at=`), naming the stakeholders (a service
 * account cannot invite them), created once (found again by the ULID property) and recorded on the hotfix.
 */
export async function recordCalendar(deps: WorkflowDeps, hotfix: Hotfix): Promise<RecordOutcome> {
  const calendar = deps.records.calendar;
  const calendarId = hotfix.snapshot.env.calendarId;
  if (!calendar || !calendarId)
    throw new Error(`${hotfix.id}: no change calendar for ${hotfix.client} ${hotfix.env}`);
  return recordOnce(deps, hotfix, 'calendar', async (current) => {
    // The plan's deploy window when it has one; else the deploy follows the approval.
    const start = new Date(current.deployAt ?? current.times.approvedAt ?? deps.clock.now().toISOString());
    const event = await calendar.ensure({
      calendarId,
      ulid: current.ulid,
      text: eventText(current, await recordContextOf(deps, current)),
      start: start.toISOString(),
      end: new Date(start.getTime() + BOOKED_WINDOW_MS).toISOString(),
    });
    return { id: event.id, ...(event.url ? { url: event.url } : {}) };
  });
}
