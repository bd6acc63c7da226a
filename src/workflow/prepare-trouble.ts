import type { Hotfix } from '../domain/hotfix.js';
import { CiServerError } from '../ports/ci-server.js';
import type { WorkflowDeps } from './deps.js';
import { failForTrouble, troubleNotedSince } from './outside-trouble.js';
import { BOT } from './system-actor.js';
import { transact } from './transact.js';

/**
 * The ref that says since when reading the running versions has been failing, as `<seq>@<ISO time>`: `seq` is where
 * this stay in preparing began, so a note from before a Retry is stale by itself and nothing needs clearing.
 */
export const PREPARE_TROUBLE_SINCE = 'prepareTroubleSince';

/**
 * What a failed look at the outside system while preparing becomes: the rules of a running deploy's trouble
 * (outside-trouble.ts, DESIGN.md section 7). Trouble a retry may fix (5xx, resets, timeouts) is thrown on, so BullMQ
 * runs the step again with backoff (a delayed job, never a sleep) and the reconciler after that, until it has lasted
 * `outsideTroubleMs`; a refusal no retry can fix (credentials) fails at once. Either way the hotfix fails before
 * anything was triggered, saying so, and the thread offers Retry (which prepares again). Kept apart from the
 * deploy's note so neither can take the other's for its own. Anything else is thrown on unchanged.
 */
export async function prepareTrouble(deps: WorkflowDeps, ulid: string, error: unknown): Promise<void> {
  if (!(error instanceof CiServerError)) throw error;
  const hotfix = await deps.store.load(ulid);
  if (hotfix?.state !== 'preparing') throw error;
  const nothing =
    'Nothing was deployed: no build was started, because the versions running now (the rollback target) could not be read.';
  if (!error.retryable)
    return fail(deps, hotfix, error, `${error.message}. ${nothing} Fix that, then Retry.`);
  const now = deps.clock.now().getTime();
  const since = troubleNotedSince(hotfix, PREPARE_TROUBLE_SINCE, hotfix.stateSince.seq);
  if (since === undefined) {
    const entry = hotfix.stateSince.seq;
    const refs = { [PREPARE_TROUBLE_SINCE]: `${entry}@${new Date(now).toISOString()}` };
    await transact(deps, { ulid }, { type: 'record_result', step: `prepare_trouble_${entry}`, refs }, BOT);
    throw error;
  }
  if (now - since < deps.timing.outsideTroubleMs) throw error;
  const minutes = Math.max(1, Math.round((now - since) / 60_000));
  return fail(
    deps,
    hotfix,
    error,
    `Every look at the versions running now has failed for ${minutes} min; the last: ${error.message}. ${nothing} Retry reads them again; Resolve if you give this hotfix up.`,
  );
}

function fail(deps: WorkflowDeps, hotfix: Hotfix, error: CiServerError, message: string): Promise<void> {
  return failForTrouble(
    deps,
    hotfix,
    error,
    message,
    'preparing failed: the outside system refused or kept failing',
  );
}
