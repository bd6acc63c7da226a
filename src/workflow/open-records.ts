import type { RecordKind } from '../domain/catalog.js';
import type { Hotfix } from '../domain/hotfix.js';
import { isTerminal, threadOf } from '../domain/hotfix.js';
import {
  RECORD_SYSTEMS,
  created,
  failedStep,
  failureOf,
  heldBy,
  recordLinks,
  recordsHoldDeploy,
  recordsOf,
} from '../domain/record-plan.js';
import { enabledKinds } from '../ports/change-records.js';
import type { RecordNote } from '../ports/record-notes.js';
import { parseFailureDetail } from '../ports/record-notes.js';
import type { WorkflowDeps } from './deps.js';
import { postOnce } from './post-once.js';
import { recordCalendar } from './record-calendar.js';
import { recordJira } from './record-jira.js';
import type { RecordOutcome } from './record-once.js';
import { recordStatuspage } from './record-statuspage.js';
import { BOT } from './system-actor.js';
import { transact } from './transact.js';

/** One step per record, in the order they are made: the ticket first, so the calendar event can name it. */
const CREATE: Readonly<Record<RecordKind, (deps: WorkflowDeps, hotfix: Hotfix) => Promise<RecordOutcome>>> = {
  jira: recordJira,
  calendar: recordCalendar,
  statuspage: recordStatuspage,
};

/**
 * Creates each change record the hotfix gets that neither exists nor failed in this round, and tells the thread
 * about each failure (and, for a Sev 1 whose records go alongside its deploy, about each record as it exists).
 * Returns whether the hotfix may queue: no required record holds it and no other runner is still creating one.
 */
export async function openRecords(deps: WorkflowDeps, hotfix: Hotfix): Promise<boolean> {
  const enabled = enabledKinds(deps.records);
  let current = hotfix;
  let busy = false;
  for (const record of recordsOf(hotfix, enabled)) {
    if (created(current, record.kind) || failureOf(current, record.kind) !== undefined) continue;
    const outcome = enabled.has(record.kind)
      ? await CREATE[record.kind](deps, current)
      : await notConfigured(deps, current, record.kind);
    current = outcome.hotfix;
    if (outcome.kind === 'busy') busy = true;
  }
  // Told after every record is made, each reply once (postOnce): a run cut short by Slack's pacing tells, when it
  // runs again, what it had not told yet, though the records themselves are already made.
  for (const record of recordsOf(current, enabled)) {
    if (failureOf(current, record.kind) !== undefined) await tellFailure(deps, current, record.kind);
    else if (created(current, record.kind) && !recordsHoldDeploy(current))
      await tellCreated(deps, current, record.kind);
    current = await settleRetried(deps, current, record.kind);
  }
  return !busy && heldBy(current).length === 0;
}

/** The `open_records` job: a Sev 1's records, created alongside its deploy. Nothing once the hotfix has ended. */
export async function openRecordsAlongside(deps: WorkflowDeps, ulid: string): Promise<void> {
  const hotfix = await deps.store.load(ulid);
  if (!hotfix || isTerminal(hotfix.state)) return;
  await openRecords(deps, hotfix);
}

/** A system the configuration disabled after the plan was accepted fails its record like a refusal would. */
async function notConfigured(deps: WorkflowDeps, hotfix: Hotfix, kind: RecordKind): Promise<RecordOutcome> {
  const message = `${RECORD_SYSTEMS[kind]} is not configured in this installation`;
  const step = failedStep(kind, hotfix.recordRound ?? 0);
  const saved = await transact(
    deps,
    { ulid: hotfix.ulid },
    { type: 'record_result', step, detail: `refused: ${message}` },
    BOT,
  );
  if (!saved.ok) throw new Error(saved.refusal.message);
  return { kind: 'failed', hotfix: saved.hotfix, message };
}

async function tellFailure(deps: WorkflowDeps, hotfix: Hotfix, kind: RecordKind): Promise<void> {
  const detail = failureOf(hotfix, kind);
  if (detail === undefined) return;
  const held = heldBy(hotfix).includes(kind);
  const note: RecordNote = { kind: 'failed', record: kind, ...parseFailureDetail(detail), held };
  await tell(deps, hotfix, note, `note_${failedStep(kind, hotfix.recordRound ?? 0)}`);
}

/**
 * The failure messages of earlier rounds lose their Retry button once someone retried: each is redrawn, once, saying
 * the record exists now (with its link) or that it failed again (the newer message says why and offers Retry).
 */
async function settleRetried(deps: WorkflowDeps, hotfix: Hotfix, kind: RecordKind): Promise<Hotfix> {
  let current = hotfix;
  for (let round = 0; round < (hotfix.recordRound ?? 0); round += 1) {
    const noteStep = `note_${failedStep(kind, round)}`;
    const settled = `${noteStep}_retried`;
    const posted = /^([^/]+)\/(.+)$/.exec(current.steps[noteStep]?.result?.detail ?? '');
    const detail = current.steps[failedStep(kind, round)]?.result?.detail;
    if (!posted?.[1] || !posted[2] || detail === undefined || current.steps[settled]?.result) continue;
    const link = recordLinks(current).find((l) => l.kind === kind);
    // Still being made this round: redrawn when it exists or has failed.
    if (!link && failureOf(current, kind) === undefined) continue;
    const note: RecordNote = {
      kind: 'failed',
      record: kind,
      ...parseFailureDetail(detail),
      held: false,
      retried: link ? { link } : 'again',
    };
    try {
      await deps.chat.updateRecordNote(current, note, { channel: posted[1], ts: posted[2] });
    } catch (error) {
      // The old button refuses politely when clicked (nothing is held); a redraw is not worth failing the step.
      deps.log.warn({ hotfix: hotfix.id, record: kind, err: error }, 'record failure message not redrawn');
      continue;
    }
    const saved = await transact(
      deps,
      { ulid: hotfix.ulid },
      { type: 'record_result', step: settled, detail: link ? 'created' : 'failed again' },
      BOT,
    );
    if (saved.ok) current = saved.hotfix;
  }
  return current;
}

async function tellCreated(deps: WorkflowDeps, hotfix: Hotfix, kind: RecordKind): Promise<void> {
  const link = recordLinks(hotfix).find((l) => l.kind === kind);
  if (link) await tell(deps, hotfix, { kind: 'created', link }, `note_record_${kind}`);
}

/** One reply in the incident thread, posted once however often the step runs. */
export async function tell(
  deps: WorkflowDeps,
  hotfix: Hotfix,
  note: RecordNote,
  key: string,
): Promise<Hotfix> {
  const threadTs = threadOf(hotfix);
  return postOnce(deps, hotfix, {
    step: key,
    find: { channel: hotfix.incident.channel, kind: 'reply', key, ...(threadTs ? { threadTs } : {}) },
    whenBusy: 'skip',
    whenUndeliverable: 'record',
    post: () => deps.chat.postRecordNote(hotfix, note, key),
  });
}
