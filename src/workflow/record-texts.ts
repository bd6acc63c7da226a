import { eventText, ticketText } from '../domain/change-records.js';
import type { Hotfix } from '../domain/hotfix.js';
import { approversOf } from '../domain/change-records.js';
import { isTerminal } from '../domain/hotfix.js';
import { RECORD_SYSTEMS, created } from '../domain/record-plan.js';
import { RecordSystemError } from '../ports/record-errors.js';
import type { WorkflowDeps } from './deps.js';
import { tell } from './open-records.js';
import { recordContextOf } from './record-context.js';
import { BOT } from './system-actor.js';
import { transact } from './transact.js';

/** The records whose text follows the plan: the ticket and the event (the public maintenance names no plan detail). */
const REWRITTEN = ['jira', 'calendar'] as const;

/**
 * After a plan is revised, the ticket and the event that exist already are rewritten from the record: once when the
 * revision is made (new services, severity, reason; no approvers yet) and once when it is approved again (who
 * approved). Each rewrite once per plan version and approver count (the step says so); an unchanged plan is never
 * rewritten. A system's refusal is told in the thread and left: the plan goes on.
 */
export async function rewriteRecordTexts(deps: WorkflowDeps, hotfix: Hotfix): Promise<Hotfix> {
  let current = hotfix;
  // Two runners (the revision's and the approval's) may overlap: whoever writes looks again afterwards and writes
  // once more if the plan moved on meanwhile, so the last text written is always the latest plan's.
  for (let pass = 0; pass < 3; pass += 1) {
    // The key of the plan this pass writes, taken before writing: what it records afterwards may be newer.
    const wrote = textKey(current);
    const after = await rewriteOnce(deps, current, pass > 0);
    const fresh = (await deps.store.load(current.ulid)) ?? after;
    if (textKey(fresh) === wrote) return fresh;
    current = fresh;
  }
  return current;
}

function textKey(hotfix: Hotfix): string {
  return `v${hotfix.planVersion}_a${approversOf(hotfix).length}`;
}

/** One rewrite of each record whose text is behind; `again` rewrites even where the step says it was done. */
async function rewriteOnce(deps: WorkflowDeps, hotfix: Hotfix, again: boolean): Promise<Hotfix> {
  if (hotfix.planVersion <= 1 || isTerminal(hotfix.state)) return hotfix;
  // Every record is written from the plan as given; `current` only follows the record for what is returned.
  let current = hotfix;
  for (const kind of REWRITTEN) {
    const step = `text_${kind}_${textKey(hotfix)}`;
    if (!created(hotfix, kind) || (current.steps[step]?.result && !again)) continue;
    let detail = 'rewritten';
    try {
      await REWRITE[kind](deps, hotfix);
    } catch (error) {
      if (!(error instanceof RecordSystemError)) throw error;
      deps.log.error({ hotfix: current.id, record: kind, err: error }, 'change record text not rewritten');
      detail = `failed: ${error.message}`;
      current = await tell(
        deps,
        current,
        {
          kind: 'not_updated',
          record: kind,
          what: `bring the ${RECORD_SYSTEMS[kind]} record of ${current.id} up to date with the revised plan`,
          failure: error.failure,
          message: error.message,
        },
        `note_${step}`,
      );
    }
    const saved = await transact(deps, { ulid: current.ulid }, { type: 'record_result', step, detail }, BOT);
    if (saved.ok) current = saved.hotfix;
  }
  return current;
}

const REWRITE: Readonly<
  Record<(typeof REWRITTEN)[number], (deps: WorkflowDeps, hotfix: Hotfix) => Promise<void>>
> = {
  jira: async (deps, hotfix) => {
    const key = hotfix.refs['jiraKey'];
    if (!key || !deps.records.tickets) return;
    await deps.records.tickets.updateText(key, ticketText(hotfix, await recordContextOf(deps, hotfix)));
  },
  calendar: async (deps, hotfix) => {
    const eventId = hotfix.refs['calendarEventId'];
    const calendarId = hotfix.snapshot.env.calendarId;
    if (!eventId || !calendarId || !deps.records.calendar) return;
    const text = eventText(hotfix, await recordContextOf(deps, hotfix));
    await deps.records.calendar.updateText(calendarId, eventId, text);
  },
};
