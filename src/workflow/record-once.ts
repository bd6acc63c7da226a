import type { RecordKind } from '../domain/catalog.js';
import type { Hotfix } from '../domain/hotfix.js';
import { RECORD_REFS, createStep, failedStep } from '../domain/record-plan.js';
import { RetryLater } from '../ports/jobs.js';
import { RecordSystemError } from '../ports/record-errors.js';
import type { WorkflowDeps } from './deps.js';
import { claimStep } from './claim-step.js';
import { BOT } from './system-actor.js';
import { transact } from './transact.js';

/** A record as its system returned it: its id and, when the system gives one, a link for people. */
export interface MadeRecord {
  id: string;
  url?: string;
}

/** What one attempt at a record came to: it exists, it failed this round (why), or another runner is at it. */
export type RecordOutcome =
  | { kind: 'created'; hotfix: Hotfix }
  | { kind: 'failed'; hotfix: Hotfix; message: string }
  | { kind: 'busy'; hotfix: Hotfix };

/**
 * Creates one change record at most once (DESIGN.md section 7): the claim is the intent; `ensure` looks for a record
 * carrying the hotfix ULID before it creates one (so a crash between creating and recording never makes a second);
 * the record's id and link are recorded on the hotfix. A system's refusal or outage is recorded as this round's
 * failure, with the reason code, for the thread to report; a rate limit waits as a delayed job.
 */
export async function recordOnce(
  deps: WorkflowDeps,
  hotfix: Hotfix,
  kind: RecordKind,
  ensure: (current: Hotfix) => Promise<MadeRecord>,
): Promise<RecordOutcome> {
  const step = createStep(kind);
  const claim = await claimStep(deps, hotfix, step);
  if (claim.kind === 'done') return { kind: 'created', hotfix: claim.hotfix };
  if (claim.kind === 'busy') return { kind: 'busy', hotfix: claim.hotfix };
  let made: MadeRecord | undefined;
  let refusal: RecordSystemError | undefined;
  try {
    made = await ensure(claim.hotfix);
  } catch (error) {
    if (!(error instanceof RecordSystemError)) {
      claim.abandon();
      throw error;
    }
    refusal = error;
  }
  if (refusal || !made) {
    // Nothing half-done to guard: the next attempt looks for the record by the ULID before creating it.
    await claim.releaseUnused();
    return failed(deps, claim.hotfix, kind, refusal);
  }
  try {
    const refs = {
      [RECORD_REFS[kind].id]: made.id,
      ...(made.url ? { [RECORD_REFS[kind].url]: made.url } : {}),
    };
    const saved = await transact(
      deps,
      { ulid: hotfix.ulid },
      { type: 'record_result', step, detail: made.id, refs },
      BOT,
    );
    if (!saved.ok) throw new Error(saved.refusal.message);
    // The plan, the notice and the status link every record: redraw them now that this one exists.
    const attempt = `record-${kind}`;
    await deps.jobs.enqueue({ ulid: hotfix.ulid, step: 'refresh_messages', attempt });
    await deps.jobs.enqueue({ ulid: hotfix.ulid, step: 'render_status', attempt });
    return { kind: 'created', hotfix: saved.hotfix };
  } finally {
    await claim.done();
  }
}

async function failed(
  deps: WorkflowDeps,
  hotfix: Hotfix,
  kind: RecordKind,
  error: RecordSystemError | undefined,
): Promise<RecordOutcome> {
  const message = error?.message ?? 'the system returned no record';
  if (error?.failure === 'rate_limited')
    throw new RetryLater((error.retryAfterSeconds ?? 1) * 1000, `${error.system} asked to wait: ${message}`);
  deps.log.error(
    { hotfix: hotfix.id, record: kind, failure: error?.failure, err: error },
    'change record not created',
  );
  const step = failedStep(kind, hotfix.recordRound ?? 0);
  const detail = `${error?.failure ?? 'refused'}: ${message}`;
  const saved = await transact(deps, { ulid: hotfix.ulid }, { type: 'record_result', step, detail }, BOT);
  if (!saved.ok) throw new Error(saved.refusal.message);
  return { kind: 'failed', hotfix: saved.hotfix, message };
}
