/**
 * The forward-port after a completed hotfix (seed 003), on a job scheduler: the first run comes right after the
 * hotfix completes, then one every `timing.forwardPortEveryMs`, with nothing waiting in between. Each run looks at
 * every service of the hotfix (workflow/forward-port.ts): the pull request from its `hotfix/` branch to the default
 * branch is opened once (intent on the record, looked for by its branch before one is opened, the result recorded),
 * linked in the incident thread, and the owner is reminded there at each later run while it stays open. Once every
 * service's fix is on the default branch (merged, or there from the start) or someone recorded that it is not needed
 * on main, the thread says so once and the schedule is removed.
 */
import type { Hotfix } from '../domain/hotfix.js';
import type { ForwardPortEnd, ForwardPortLink, ForwardPortNote } from '../ports/forward-port-notes.js';
import { RetryLater, type StepJob } from '../ports/jobs.js';
import type { SourceHost } from '../ports/source-host.js';
import { SourceHostError } from '../ports/source-host.js';
import { claimStep } from './claim-step.js';
import type { WorkflowDeps } from './deps.js';
import { checkForwardPort } from './forward-port.js';
import { postOnce } from './post-once.js';
import { waitForSlack } from './slack-gate.js';
import { BOT } from './system-actor.js';
import { transact } from './transact.js';

/** The step whose result marks the forward-port over (its detail says why). */
export const FORWARD_PORT_STEP = 'forward_port';

/** The job scheduler of one hotfix's forward-port. */
export function forwardPortSchedule(ulid: string): string {
  return `forward-port.${ulid}`;
}

/** What one service came to in this run. */
type ServiceState =
  | { service: string; state: 'done'; why: ForwardPortEnd; pr?: ForwardPortLink }
  | { service: string; state: 'open'; pr: ForwardPortLink }
  | { service: string; state: 'missing' }
  | { service: string; state: 'trouble'; retryable: boolean; retryAfterMs?: number };

/** Whether this hotfix's fix is still to be chased onto the default branch (a rehearsal deploys nothing). */
function chased(deps: WorkflowDeps, hotfix: Hotfix): boolean {
  return (
    deps.sourceHost !== undefined &&
    hotfix.state === 'completed' &&
    hotfix.method !== 'rehearsal' &&
    !hotfix.steps[FORWARD_PORT_STEP]?.result
  );
}

/** Starts the forward-port schedule of a completed hotfix; setting it again keeps the one schedule. */
export async function startForwardPort(deps: WorkflowDeps, hotfix: Hotfix): Promise<void> {
  if (!chased(deps, hotfix)) return;
  const job: StepJob = { ulid: hotfix.ulid, step: 'forward_port', attempt: 'scheduled' };
  await deps.jobs.schedule(forwardPortSchedule(hotfix.ulid), job, deps.timing.forwardPortEveryMs);
}

/** One run of the forward-port schedule. */
export async function chaseForwardPort(deps: WorkflowDeps, ulid: string): Promise<void> {
  const loaded = await deps.store.load(ulid);
  const source = deps.sourceHost;
  // Rolled back, already over, or GitHub no longer enabled: nothing is chased any more.
  if (!loaded || !source || !chased(deps, loaded)) return deps.jobs.unschedule(forwardPortSchedule(ulid));
  await waitForSlack(deps);
  let hotfix = loaded;
  const states: ServiceState[] = [];
  for (const { service, tag } of hotfix.services) {
    const looked = await lookAt(deps, source, hotfix, service, tag);
    hotfix = looked.hotfix;
    states.push(looked.state);
  }
  if (states.every((s) => s.state === 'done')) return finish(deps, hotfix, states);
  hotfix = await remindIfDue(deps, hotfix, states);
  const trouble = states.find((s) => s.state === 'trouble' && s.retryable);
  const every = deps.timing.forwardPortEveryMs;
  // GitHub will likely answer soon: look again then rather than at the next run, but only within the first interval
  // since the owner was last told, so a long outage leaves one look per run instead of a growing pile of retries.
  if (trouble?.state === 'trouble' && deps.clock.now().getTime() - lastNudge(hotfix) < every) {
    const wait = Math.min(trouble.retryAfterMs ?? 60_000, every);
    throw new RetryLater(wait, `${hotfix.id}: GitHub could not answer about the forward-port; looking again`);
  }
}

const prKey = (service: string) => `forwardPortPr.${service}`;
const urlKey = (service: string) => `forwardPortUrl.${service}`;

/** The pull request recorded for a service, if any. */
export function recordedPr(hotfix: Hotfix, service: string): ForwardPortLink | undefined {
  const number = Number(hotfix.refs[prKey(service)]);
  const url = hotfix.refs[urlKey(service)];
  return Number.isInteger(number) && number > 0 && url ? { service, number, url } : undefined;
}

async function lookAt(
  deps: WorkflowDeps,
  source: SourceHost,
  hotfix: Hotfix,
  service: string,
  tag: string,
): Promise<{ hotfix: Hotfix; state: ServiceState }> {
  const repo = hotfix.snapshot.services[service]?.repo;
  const recorded = recordedPr(hotfix, service);
  if (hotfix.forwardPortWaiver)
    return {
      hotfix,
      state: { service, state: 'done', why: 'not_needed', ...(recorded ? { pr: recorded } : {}) },
    };
  if (!repo) return { hotfix, state: { service, state: 'done', why: 'on_default_branch' } };
  // The pull request is opened under a claim, so two runs never both open one (GitHub is looked at first anyway).
  const claim = recorded ? undefined : await claimStep(deps, hotfix, `forward_port_pr_${service}`);
  if (claim?.kind === 'busy')
    throw new RetryLater(deps.timing.claimMs, `${hotfix.id}: another runner is opening the forward-port`);
  const current = claim ? claim.hotfix : hotfix;
  const pr = recorded ?? (claim ? recordedPr(current, service) : undefined);
  let outcome;
  try {
    const sha = await tagCommit(source, repo, tag);
    outcome = await checkForwardPort(source, {
      hotfixId: current.id,
      service,
      repo,
      tag,
      sha,
      where: `${current.client} ${current.env}`,
      ...(pr ? { pr: { number: pr.number, url: pr.url, state: 'open' as const } } : {}),
      everyHours: deps.timing.forwardPortEveryMs / 3_600_000,
      now: deps.clock.now(),
    });
  } catch (error) {
    if (!(error instanceof SourceHostError)) {
      if (claim?.kind === 'mine') claim.abandon();
      throw error;
    }
    outcome = {
      step: 'trouble' as const,
      message: `${service} ${tag}: ${error.message}`,
      retryable: error.retryable,
      ...(error.retryAfterMs === undefined ? {} : { retryAfterMs: error.retryAfterMs }),
    };
  }
  if (outcome.step !== 'remind' && claim?.kind === 'mine') {
    if (outcome.step === 'trouble') claim.abandon();
    else await claim.releaseUnused();
  }
  switch (outcome.step) {
    case 'done': {
      const why = outcome.why === 'on_default_branch' && pr ? await mergedOr(source, repo, pr) : outcome.why;
      return { hotfix: current, state: { service, state: 'done', why, ...(pr ? { pr } : {}) } };
    }
    case 'open_pr': // only when no pull request was asked for; checkForwardPort opens one otherwise
    case 'no_branch': {
      const message = outcome.step === 'no_branch' ? outcome.message : `${service} ${tag} is not on main.`;
      const note: ForwardPortNote = { kind: 'no_branch', service, message };
      const told = await tell(deps, current, `forward_port_no_branch_${service}`, note);
      return { hotfix: told, state: { service, state: 'missing' } };
    }
    case 'trouble': {
      const told = outcome.retryable
        ? current
        : await tell(deps, current, `forward_port_trouble_${service}`, {
            kind: 'trouble',
            service,
            message: outcome.message,
          });
      const state: ServiceState = {
        service,
        state: 'trouble',
        retryable: outcome.retryable,
        ...(outcome.retryAfterMs === undefined ? {} : { retryAfterMs: outcome.retryAfterMs }),
      };
      return { hotfix: told, state };
    }
    case 'remind': {
      const link = { service, number: outcome.pr.number, url: outcome.pr.url };
      let saved = current;
      try {
        if (!pr || pr.number !== link.number) saved = await recordPr(deps, current, link, Boolean(pr));
      } finally {
        if (claim?.kind === 'mine') await claim.done();
      }
      saved = await announce(deps, source, repo, saved, link);
      return { hotfix: saved, state: { service, state: 'open', pr: link } };
    }
  }
}

/** A fix that reached the default branch through its pull request was merged; otherwise it got there another way. */
async function mergedOr(source: SourceHost, repo: string, pr: ForwardPortLink): Promise<ForwardPortEnd> {
  try {
    return (await source.pullRequest(repo, pr.number)).state === 'merged' ? 'merged' : 'on_default_branch';
  } catch (error) {
    if (error instanceof SourceHostError) return 'on_default_branch';
    throw error;
  }
}

async function tagCommit(source: SourceHost, repo: string, tag: string): Promise<string> {
  const found = await source.findTag(repo, tag);
  if (!found.found) throw new SourceHostError('refused', found.message);
  return found.sha;
}

/** Records the pull request (the first one on its claimed step; one opened after a closed one on its own step). */
async function recordPr(
  deps: WorkflowDeps,
  hotfix: Hotfix,
  pr: ForwardPortLink,
  again: boolean,
): Promise<Hotfix> {
  const step = again ? `forward_port_pr_${pr.service}_${pr.number}` : `forward_port_pr_${pr.service}`;
  const refs = { [prKey(pr.service)]: String(pr.number), [urlKey(pr.service)]: pr.url };
  const saved = await transact(
    deps,
    { ulid: hotfix.ulid },
    { type: 'record_result', step, detail: `#${pr.number} ${pr.url}`, refs },
    BOT,
  );
  if (!saved.ok) throw new Error(saved.refusal.message);
  return saved.hotfix;
}

/** Links a pull request in the thread once, naming its branches. */
async function announce(
  deps: WorkflowDeps,
  source: SourceHost,
  repo: string,
  hotfix: Hotfix,
  pr: ForwardPortLink,
): Promise<Hotfix> {
  const step = `forward_port_link_${pr.service}_${pr.number}`;
  if (hotfix.steps[step]?.result) return hotfix;
  const branches = await source.pullRequest(repo, pr.number).then(
    (found) => ({ head: found.head, base: found.base }),
    (error: unknown) => {
      // The link matters more than the branch names: post it without them.
      if (!(error instanceof SourceHostError)) throw error;
      return { head: 'its hotfix/ branch', base: 'the default branch' };
    },
  );
  return tell(deps, hotfix, step, { kind: 'opened', pr, ...branches });
}

function tell(deps: WorkflowDeps, hotfix: Hotfix, step: string, note: ForwardPortNote): Promise<Hotfix> {
  return postOnce(deps, hotfix, {
    step,
    find: { channel: hotfix.incident.channel, kind: 'reply', key: step },
    post: () => deps.chat.postForwardPort(hotfix, note, step),
    whenUndeliverable: 'record',
  });
}

const NUDGES = /^forward_port_(link|no_branch|remind)_/;

/** When the owner was last told (the completion, a link, a reminder). */
function lastNudge(hotfix: Hotfix): number {
  const times = Object.entries(hotfix.steps)
    .filter(([step, progress]) => NUDGES.test(step) && progress.result)
    .map(([, progress]) => Date.parse(progress.result?.at ?? ''));
  return Math.max(Date.parse(hotfix.times.completedAt ?? hotfix.stateSince.at), ...times);
}

/**
 * Reminds the owner when the last word in the thread is at least half an interval old: the schedule's runs are
 * about an interval apart, and a run delivered twice (or looked at again after GitHub trouble) stays quiet.
 */
async function remindIfDue(deps: WorkflowDeps, hotfix: Hotfix, states: ServiceState[]): Promise<Hotfix> {
  const prs = states.flatMap((s) => (s.state === 'open' ? [s.pr] : []));
  const missing = states.flatMap((s) => (s.state === 'missing' ? [s.service] : []));
  if (prs.length === 0 && missing.length === 0) return hotfix;
  const since = deps.clock.now().getTime() - lastNudge(hotfix);
  if (since < deps.timing.forwardPortEveryMs / 2) return hotfix;
  // Numbered by the reminders posted, so two runs due at once claim the same one and post it once.
  const n =
    Object.entries(hotfix.steps).filter(([s, p]) => s.startsWith('forward_port_remind_') && p.result).length +
    1;
  const completed = hotfix.times.completedAt ?? hotfix.stateSince.at;
  return tell(deps, hotfix, `forward_port_remind_${n}`, { kind: 'reminder', prs, missing, since: completed });
}

/** Every service's fix is on the default branch or not needed there: say so once, record it, stop the schedule. */
async function finish(deps: WorkflowDeps, hotfix: Hotfix, states: ServiceState[]): Promise<void> {
  const ends = states.flatMap((s) => (s.state === 'done' ? [s.why] : []));
  const why: ForwardPortEnd = ends.includes('not_needed')
    ? 'not_needed'
    : ends.includes('merged')
      ? 'merged'
      : 'on_default_branch';
  const prs = states.flatMap((s) => (s.state === 'done' && s.pr ? [s.pr] : []));
  const waiver = hotfix.forwardPortWaiver;
  const note: ForwardPortNote = {
    kind: 'done',
    why,
    prs,
    ...(waiver ? { waiver: { by: waiver.by, reason: waiver.reason } } : {}),
  };
  const told = await tell(deps, hotfix, 'forward_port_done', note);
  const saved = await transact(
    deps,
    { ulid: told.ulid },
    { type: 'record_result', step: FORWARD_PORT_STEP, detail: why },
    BOT,
  );
  if (!saved.ok) throw new Error(saved.refusal.message);
  await deps.jobs.unschedule(forwardPortSchedule(hotfix.ulid));
  deps.log.info({ hotfix: hotfix.id, why }, 'forward-port over');
}
