import type { Hotfix } from '../domain/hotfix.js';
import { isTerminal } from '../domain/hotfix.js';
import type { RecordLink } from '../domain/record-plan.js';
import { RECORD_SYSTEMS, recordLinks } from '../domain/record-plan.js';
import { RecordSystemError } from '../ports/record-errors.js';
import type { WorkflowDeps } from './deps.js';
import { tell } from './open-records.js';
import { BOT } from './system-actor.js';
import { transact } from './transact.js';

/**
 * After someone clicked Extend maintenance: the Statuspage maintenance's scheduled end and the calendar event's end
 * move to the recorded `maintenanceUntil`, each once per extension (the step says so; setting an end is idempotent
 * anyway), then the thread is told once what was extended, or what could not be. Nothing once the hotfix ended:
 * closing the records sets their real end.
 */
export async function extendRecords(deps: WorkflowDeps, hotfix: Hotfix): Promise<Hotfix> {
  const until = hotfix.maintenanceUntil;
  if (!until || isTerminal(hotfix.state)) return hotfix;
  let current = hotfix;
  const extended: RecordLink[] = [];
  for (const link of recordLinks(hotfix).filter((l) => l.kind !== 'jira')) {
    const step = `extend_${link.kind}_${until}`;
    const done = current.steps[step]?.result?.detail;
    if (done !== undefined) {
      if (done === 'extended') extended.push(link);
      continue;
    }
    let detail = 'extended';
    try {
      await EXTEND[link.kind === 'calendar' ? 'calendar' : 'statuspage'](deps, current, link.id, until);
      extended.push(link);
    } catch (error) {
      if (!(error instanceof RecordSystemError)) throw error;
      deps.log.error({ hotfix: current.id, record: link.kind, err: error }, 'maintenance not extended');
      detail = `failed: ${error.message}`;
      current = await tell(
        deps,
        current,
        {
          kind: 'not_updated',
          record: link.kind,
          what: `extend the ${link.label} ${link.id} to ${until.slice(11, 16)} UTC`,
          failure: error.failure,
          message: error.message,
        },
        `note_${step}`,
      );
    }
    const saved = await transact(deps, { ulid: current.ulid }, { type: 'record_result', step, detail }, BOT);
    if (saved.ok) current = saved.hotfix;
  }
  if (extended.length === 0) return current;
  return tell(deps, current, { kind: 'extended', until, extended }, `note_extended_${until}`);
}

type Extend = (deps: WorkflowDeps, hotfix: Hotfix, id: string, until: string) => Promise<void>;

const EXTEND: Readonly<Record<'calendar' | 'statuspage', Extend>> = {
  statuspage: async (deps, hotfix, id, until) => {
    const pageId = hotfix.snapshot.env.statuspage?.pageId;
    if (!deps.records.statusPage || !pageId)
      throw new RecordSystemError('Statuspage', false, `${RECORD_SYSTEMS.statuspage} is not configured`);
    await deps.records.statusPage.extend(pageId, id, until);
  },
  calendar: async (deps, hotfix, id, until) => {
    const calendarId = hotfix.snapshot.env.calendarId;
    if (!deps.records.calendar || !calendarId)
      throw new RecordSystemError('Google Calendar', false, `${RECORD_SYSTEMS.calendar} is not configured`);
    await deps.records.calendar.setEnd(calendarId, id, until);
  },
};
