import type { Hotfix } from '../domain/hotfix.js';
import { SYSTEM, threadOf } from '../domain/hotfix.js';
import { CiServerError } from '../ports/ci-server.js';
import type { WorkflowDeps } from './deps.js';
import { afterTransition } from './next-jobs.js';
import { postOnce } from './post-once.js';
import { BOT } from './system-actor.js';
import { transact } from './transact.js';

/**
 * The ref that says since when the deploy's outside system has been failing, as `<attempt>@<ISO time>` (empty once it
 * answers again). A note of another attempt is stale: a look that failed just as the deploy ended leaves one behind.
 */
export const TROUBLE_SINCE = 'outsideTroubleSince';

/**
 * The step each change of the trouble note is recorded under: one per change, since a step records its result once
 * (a second `record_result` of the same step is a no-op, so one shared step would never clear or start the note again).
 */
function noteStep(change: 'began' | 'over', note: string): string {
  return `outside_trouble_${change}_${note.replace(/[^0-9A-Za-z]/g, '')}`;
}

/**
 * What a failed look at a running deploy becomes (DESIGN.md section 7). Trouble a retry may fix (5xx, resets,
 * timeouts) is thrown on, so BullMQ runs the step again with backoff (a delayed job, never a sleep), until it has
 * lasted `outsideTroubleMs`: then the deploy fails with a sentence saying what happened and what to do, and the
 * thread offers the next steps (Retry among them). A refusal no retry can fix (credentials, a build that is gone)
 * fails it at once. Anything else is thrown on unchanged. A cancel's abort that cannot get through never fails the
 * hotfix (see abortTrouble).
 */
export async function outsideTrouble(deps: WorkflowDeps, ulid: string, error: unknown): Promise<void> {
  if (!(error instanceof CiServerError)) throw error;
  const hotfix = await deps.store.load(ulid);
  if (!hotfix || (hotfix.state !== 'deploying' && hotfix.state !== 'awaiting_input')) throw error;
  if (hotfix.cancelRequest) return abortTrouble(deps, hotfix, error);
  if (!error.retryable)
    return fail(deps, hotfix, error, `${error.message}. Nothing more was done; fix that, then Retry.`);
  const now = deps.clock.now().getTime();
  const since = troubleSince(hotfix);
  if (since === undefined) {
    await noteTrouble(deps, hotfix, new Date(now));
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

/**
 * A cancel whose abort cannot get through to the CI server. The hotfix never fails for it: the build may still run,
 * so it keeps its state, its cancel request and its lock, which people can act on (cancel again tries the abort at
 * once; resolve ends it once they stopped the build by hand). The thread is told once per attempt, on the second
 * failed try in a row (a blip passes unsaid) or at once for a refusal no retry fixes, and the error is thrown on:
 * BullMQ tries the abort again with backoff, as delayed jobs, and the reconciler keeps looking after that.
 */
async function abortTrouble(deps: WorkflowDeps, hotfix: Hotfix, error: CiServerError): Promise<never> {
  const before = troubleSince(hotfix);
  if (before === undefined) await noteTrouble(deps, hotfix, deps.clock.now());
  deps.log.warn({ hotfix: hotfix.id, err: error }, 'the abort of a cancelled deploy did not get through');
  if (before !== undefined || !error.retryable) await tellAbortTrouble(deps, hotfix, error);
  throw error;
}

/** The step of the thread reply saying the cancel's abort cannot get through: one per attempt. */
function abortTroubleStep(hotfix: Pick<Hotfix, 'attempts'>): string {
  return `note_abort_trouble_${hotfix.attempts}`;
}

async function tellAbortTrouble(deps: WorkflowDeps, hotfix: Hotfix, error: CiServerError): Promise<void> {
  const step = abortTroubleStep(hotfix);
  if (hotfix.steps[step]?.result) return;
  const threadTs = threadOf(hotfix);
  await postOnce(deps, hotfix, {
    step,
    find: { channel: hotfix.incident.channel, kind: 'reply', key: step, ...(threadTs ? { threadTs } : {}) },
    post: () => deps.chat.replyInThread(hotfix, abortTroubleText(hotfix, error), step),
    whenBusy: 'skip',
    whenUndeliverable: 'record',
  });
}

/** What the thread reads when a cancel's abort cannot reach Jenkins: what may still run, and what people can do. */
function abortTroubleText(hotfix: Hotfix, error: CiServerError): string {
  const people = [hotfix.owner, hotfix.cancelRequest?.by]
    .filter((u): u is string => u !== undefined && u !== SYSTEM)
    .filter((u, i, all) => all.indexOf(u) === i)
    .map((u) => `<@${u}>`)
    .join(' ');
  const env = `${hotfix.client} ${hotfix.env}`;
  const url = hotfix.refs['jenkinsBuildUrl'];
  const build = hotfix.refs['jenkinsBuild'];
  const queueItem = hotfix.refs['jenkinsQueueItem'];
  const where =
    url && /^https?:\/\/[^\s<>|]+$/.test(url)
      ? `The build may still be running: <${url}|Jenkins build${build ? ` #${build}` : ''}>.`
      : queueItem
        ? `Its Jenkins queue item ${queueItem} may still start a build: look in Jenkins.`
        : 'A build may still be running: look in Jenkins.';
  const retry = error.retryable
    ? 'I keep trying to abort it.'
    : 'I keep trying, but this refusal needs fixing first.';
  return (
    `:warning: ${people ? `${people} ` : ''}The cancel of ${hotfix.id} could not reach Jenkins to abort the deploy: ${error.message}. ${where}\n` +
    `${hotfix.id} stays ${hotfix.state.replace(/_/g, ' ')} and keeps ${env} locked; ${retry} ` +
    `\`/hotfix cancel ${hotfix.id} "&lt;why&gt;"\` again tries the abort at once; once you have stopped the build in Jenkins yourself, \`/hotfix resolve ${hotfix.id} "&lt;why&gt;"\` ends ${hotfix.id} and frees ${env}.`
  );
}

/** When this attempt's trouble began, if it is in trouble. */
function troubleSince(hotfix: Hotfix): number | undefined {
  return troubleNotedSince(hotfix, TROUBLE_SINCE, hotfix.attempts);
}

/**
 * When the trouble noted in ref `ref` as `<epoch>@<ISO time>` began, if the note is of `epoch` (the attempt, or the
 * stay in a state): a note of an earlier epoch is stale by itself, and nothing needs clearing.
 */
export function troubleNotedSince(hotfix: Hotfix, ref: string, epoch: number): number | undefined {
  const [noted, at] = (hotfix.refs[ref] ?? '').split('@');
  if (noted !== String(epoch) || at === undefined) return undefined;
  const since = Date.parse(at);
  return Number.isNaN(since) ? undefined : since;
}

/** Notes on the record that this attempt's trouble began at `at`. */
async function noteTrouble(deps: WorkflowDeps, hotfix: Hotfix, at: Date): Promise<void> {
  const note = `${hotfix.attempts}@${at.toISOString()}`;
  const command = {
    type: 'record_result' as const,
    step: noteStep('began', note),
    refs: { [TROUBLE_SINCE]: note },
  };
  await transact(deps, { ulid: hotfix.ulid }, command, BOT);
}

/** Once the outside system answers again, the trouble is over: a later failure starts its own count. */
export async function troubleOver(deps: WorkflowDeps, hotfix: Hotfix): Promise<void> {
  const note = hotfix.refs[TROUBLE_SINCE];
  if (!note) return;
  await transact(
    deps,
    { ulid: hotfix.ulid },
    { type: 'record_result', step: noteStep('over', note), refs: { [TROUBLE_SINCE]: '' } },
    BOT,
  );
}

function fail(deps: WorkflowDeps, hotfix: Hotfix, error: CiServerError, message: string): Promise<void> {
  return failForTrouble(
    deps,
    hotfix,
    error,
    message,
    'deploy failed: its outside system refused or kept failing',
  );
}

/** Fails the hotfix for outside trouble with `message` (logged as `logLine`, with the error); next steps follow. */
export async function failForTrouble(
  deps: WorkflowDeps,
  hotfix: Hotfix,
  error: CiServerError,
  message: string,
  logLine: string,
): Promise<void> {
  deps.log.error({ hotfix: hotfix.id, err: error }, logLine);
  const outcome = await transact(
    deps,
    { ulid: hotfix.ulid },
    { type: 'deploy_failed', message, condition: 'unknown' },
    BOT,
  );
  if (outcome.ok && outcome.events.length > 0) await afterTransition(deps, outcome.hotfix);
}
