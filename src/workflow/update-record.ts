import type { RecordKind } from '../domain/catalog.js';
import type { Hotfix } from '../domain/hotfix.js';
import { RECORD_SYSTEMS } from '../domain/record-plan.js';
import { RecordSystemError } from '../ports/record-errors.js';
import type { RecordNote } from '../ports/record-notes.js';
import { claimStep } from './claim-step.js';
import type { WorkflowDeps } from './deps.js';
import { tell } from './open-records.js';
import { BOT } from './system-actor.js';
import { transact } from './transact.js';

/**
 * One change to a record that exists, claimed so it happens once, its outcome recorded under `step` (the effect's
 * answer, or `failed: <why>`). A refusal of the record's system is logged and told in the thread once (people make
 * the change by hand), never holding the deploy; any other error is thrown on with the claim left to run out.
 */
export async function updateRecordOnce(
  deps: WorkflowDeps,
  hotfix: Hotfix,
  step: string,
  change: { record: RecordKind; what: string; effect: () => Promise<string> },
): Promise<Hotfix> {
  const claim = await claimStep(deps, hotfix, step);
  if (claim.kind !== 'mine') return claim.hotfix;
  let detail: string;
  let failed: RecordSystemError | undefined;
  try {
    detail = await change.effect();
  } catch (error) {
    if (!(error instanceof RecordSystemError)) {
      claim.abandon();
      throw error;
    }
    deps.log.error({ hotfix: hotfix.id, step, err: error }, `${RECORD_SYSTEMS[change.record]}: not updated`);
    detail = `failed: ${error.message}`;
    failed = error;
  }
  let saved: Hotfix;
  try {
    const result = await transact(deps, { ulid: hotfix.ulid }, { type: 'record_result', step, detail }, BOT);
    if (!result.ok) throw new Error(result.refusal.message);
    saved = result.hotfix;
  } finally {
    await claim.done();
  }
  if (!failed) return saved;
  const note: RecordNote = {
    kind: 'not_updated',
    record: change.record,
    what: change.what,
    failure: failed.failure,
    message: failed.message,
  };
  return tell(deps, saved, note, `note_${step}`);
}
