import type { Hotfix } from '../domain/hotfix.js';
import { CiServerError } from '../ports/ci-server.js';
import type { WorkflowDeps } from './deps.js';
import { afterTransition } from './next-jobs.js';
import { BOT } from './system-actor.js';
import { transact } from './transact.js';

/**
 * The ref that says since when the deploy's outside system has been failing, as `<attempt>@<ISO time>` (empty once it
 * answers again). A note of another attempt is stale: a look that failed just as the deploy ended leaves one behind.
 */
export const TROUBLE_SINCE = 'outsideTroubleSince';
const STEP = 'outside_trouble';

/**
 * What a failed look at a running deploy becomes (DESIGN.md section 7). Trouble a retry may fix (5xx, resets,
 * timeouts) is thrown on, so BullMQ runs the step again with backoff (a delayed job, never a sleep), until it has
 * lasted `outsideTroubleMs`: then the deploy fails with a sentence saying what happened and what to do, and the
 * thread offers the next steps (Retry among them). A refusal no retry can fix (credentials, a build that is gone)
 * fails it at once. Anything else is thrown on unchanged.
 */
export async function outsideTrouble(deps: WorkflowDeps, ulid: string, error: unknown): Promise<void> {
  if (!(error instanceof CiServerError)) throw error;
  const hotfix = await deps.store.load(ulid);
  if (!hotfix || (hotfix.state !== 'deploying' && hotfix.state !== 'awaiting_input')) throw error;
  if (!error.retryable)
    return fail(deps, hotfix, error, `${error.message}. Nothing more was done; fix that, then Retry.`);
  const now = deps.clock.now().getTime();
  const since = troubleSince(hotfix);
  if (since === undefined) {
    const refs = { [TROUBLE_SINCE]: `${hotfix.attempts}@${new Date(now).toISOString()}` };
    await transact(deps, { ulid }, { type: 'record_result', step: STEP, refs }, BOT);
    throw error;
  }
  if (now - since < deps.timing.outsideTroubleMs) throw error;
  const minutes = Math.max(1, Math.round((now - since) / 60_000));
  return fail(
    deps,
    hotfix,
    error,
    `Every look at the deploy has failed for ${minutes} min; the last: ${error.message}. The build may still be running or may have finished: look at it in Jenkins before you decide. Retry starts a new build; Resolve if it finished by itself.`,
  );
}

/** When this attempt's trouble began, if it is in trouble. */
function troubleSince(hotfix: Hotfix): number | undefined {
  const [attempt, at] = (hotfix.refs[TROUBLE_SINCE] ?? '').split('@');
  if (attempt !== String(hotfix.attempts) || at === undefined) return undefined;
  const since = Date.parse(at);
  return Number.isNaN(since) ? undefined : since;
}

/** Once the outside system answers again, the trouble is over: a later failure starts its own count. */
export async function troubleOver(deps: WorkflowDeps, hotfix: Hotfix): Promise<void> {
  if (!hotfix.refs[TROUBLE_SINCE]) return;
  await transact(
    deps,
    { ulid: hotfix.ulid },
    { type: 'record_result', step: STEP, refs: { [TROUBLE_SINCE]: '' } },
    BOT,
  );
}

async function fail(
  deps: WorkflowDeps,
  hotfix: Hotfix,
  error: CiServerError,
  message: string,
): Promise<void> {
  deps.log.error(
    { hotfix: hotfix.id, err: error },
    'deploy failed: its outside system refused or kept failing',
  );
  const outcome = await transact(
    deps,
    { ulid: hotfix.ulid },
    { type: 'deploy_failed', message, condition: 'unknown' },
    BOT,
  );
  if (outcome.ok && outcome.events.length > 0) await afterTransition(deps, outcome.hotfix);
}
