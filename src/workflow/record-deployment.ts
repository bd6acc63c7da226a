/**
 * The `source_deployment` job: the hotfix's GitHub deployment of each service's tag (environment `<client>-<env>`)
 * follows the hotfix: created when the deploy starts and marked in_progress, then success on completion, failure on
 * failure, inactive after a rollback (domain/source-records.ts). Each effect is a step on the record: the intent is
 * written first, the deployment is looked for by the hotfix ULID before one is created, the result is recorded. One
 * runner at a time marks a hotfix (a lease, renewed while it works), and it reads the record inside the lease, so the newest state always has
 * the last word. GitHub trouble never holds the deploy: it is retried as a delayed job, then logged and told.
 */
import { randomUUID } from 'node:crypto';
import type { Hotfix, PlannedService } from '../domain/hotfix.js';
import { threadOf } from '../domain/hotfix.js';
import { deploymentMarkFor, type DeploymentMark } from '../domain/source-records.js';
import { RetryLater } from '../ports/jobs.js';
import { SourceHostError, type SourceHost } from '../ports/source-host.js';
import type { WorkflowDeps } from './deps.js';
import { postOnce } from './post-once.js';
import { BOT } from './system-actor.js';
import { transact } from './transact.js';

/** The step recording the deployment of one service; its ref `ghDeployment.<service>` holds the deployment id. */
export function deploymentStep(service: string): string {
  return `gh_deployment_${service}`;
}

/** The step recording one status of one service's deployment, per deploy attempt. */
export function deploymentMarkStep(service: string, attempt: number, mark: DeploymentMark): string {
  return `gh_deployment_${service}_${attempt}_${mark}`;
}

/** How long a retryable GitHub failure is retried before the status is given up (logged and told). */
const GIVE_UP_AFTER_TRIES = 5;

/** Marks every service's deployment for the hotfix's current state; nothing before the deploy starts. */
export async function recordDeployment(deps: WorkflowDeps, ulid: string): Promise<void> {
  const source = deps.sourceHost;
  if (!source) return;
  const name = `${ulid}.source_deployment`;
  const holder = randomUUID();
  if (!(await deps.leases.take(name, holder, deps.timing.claimMs)))
    throw new RetryLater(
      Math.max(50, Math.floor(deps.timing.claimMs / 3)),
      'another runner marks the deployment',
    );
  // Renewed while this runner works (GitHub may be slow), so a second runner never marks alongside it.
  const renewal = setInterval(
    () => {
      deps.leases.renew(name, holder, deps.timing.claimMs).catch(() => undefined);
    },
    Math.max(20, Math.floor(deps.timing.claimMs / 3)),
  );
  renewal.unref();
  try {
    let hotfix = await deps.store.load(ulid);
    if (!hotfix || hotfix.times.deployStartedAt === undefined) return;
    for (const planned of hotfix.services) hotfix = await markService(deps, source, hotfix, planned);
  } finally {
    clearInterval(renewal);
    await deps.leases.release(name, holder);
  }
}

async function markService(
  deps: WorkflowDeps,
  source: SourceHost,
  hotfix: Hotfix,
  planned: PlannedService,
): Promise<Hotfix> {
  const repo = hotfix.snapshot.services[planned.service]?.repo;
  const created = deploymentStep(planned.service);
  const mark = deploymentMarkFor(hotfix.state, hotfix.steps[created]?.result !== undefined);
  if (!repo || mark === undefined) return hotfix;
  const step = deploymentMarkStep(planned.service, hotfix.attempts, mark);
  if (hotfix.steps[step]?.result) return hotfix;
  let current = hotfix;
  try {
    current = await intend(deps, current, created);
    // Found by the ULID before one is created, so a re-run after a crash never makes a second deployment.
    const deployment = await source.ensureDeployment({
      repo,
      ref: planned.tag,
      environment: `${hotfix.client}-${hotfix.env}`,
      ulid: hotfix.ulid,
      hotfixId: hotfix.id,
      description: `${hotfix.id}: ${planned.service} ${planned.tag} to ${hotfix.client} ${hotfix.env}`,
      production: hotfix.snapshot.env.production,
    });
    current = await recorded(deps, current, created, String(deployment.id), {
      [`ghDeployment.${planned.service}`]: String(deployment.id),
    });
    current = await intend(deps, current, step);
    await source.setDeploymentState(repo, deployment, mark, await details(deps, current, mark));
    return recorded(deps, current, step, mark);
  } catch (error) {
    if (!(error instanceof SourceHostError)) throw error;
    return troubled(deps, current, step, error);
  }
}

async function details(
  deps: WorkflowDeps,
  hotfix: Hotfix,
  mark: DeploymentMark,
): Promise<{ description: string; logUrl?: string }> {
  const { planChannel, planTs } = hotfix.refs;
  const logUrl =
    planChannel && planTs
      ? await deps.chat.permalink({ channel: planChannel, ts: planTs }).catch(() => undefined)
      : undefined;
  const description = `${hotfix.id} ${mark.replace('_', ' ')} (${hotfix.state.replace(/_/g, ' ')})`;
  return { description, ...(logUrl ? { logUrl } : {}) };
}

/**
 * A retryable failure waits as a delayed job (as long as GitHub asked, else with backoff); one that outlasts its
 * retries, or that no retry can fix, is recorded as given up, logged and told in the thread: the deploy goes on.
 */
async function troubled(
  deps: WorkflowDeps,
  hotfix: Hotfix,
  step: string,
  error: SourceHostError,
): Promise<Hotfix> {
  const tries = Object.keys(hotfix.steps).filter((s) => s.startsWith(`${step}_try_`)).length;
  if (error.retryable && tries < GIVE_UP_AFTER_TRIES) {
    await recorded(deps, hotfix, `${step}_try_${tries + 1}`, error.message);
    throw new RetryLater(error.retryAfterMs ?? 1000 * 2 ** tries, `GitHub: ${error.message}`);
  }
  deps.log.error({ hotfix: hotfix.id, step, err: error }, 'GitHub deployment status not recorded');
  const given = await recorded(deps, hotfix, step, `failed: ${error.message}`);
  const key = `note_${step}`;
  const threadTs = threadOf(given);
  const text =
    `:warning: GitHub's deployment record of ${given.id} could not be updated (${error.message}); the hotfix ` +
    `itself goes on. Whoever watches deployments on GitHub should look here instead.`;
  return postOnce(deps, given, {
    step: key,
    find: { channel: given.incident.channel, kind: 'reply', key, ...(threadTs ? { threadTs } : {}) },
    post: () => deps.chat.replyInThread(given, text, key),
    whenBusy: 'skip',
    whenUndeliverable: 'record',
  });
}

async function intend(deps: WorkflowDeps, hotfix: Hotfix, step: string): Promise<Hotfix> {
  const progress = hotfix.steps[step];
  if (progress?.result || progress?.intent) return hotfix;
  const saved = await transact(
    deps,
    { ulid: hotfix.ulid },
    { type: 'record_intent', step, key: randomUUID() },
    BOT,
  );
  if (!saved.ok) throw new Error(saved.refusal.message);
  return saved.hotfix;
}

async function recorded(
  deps: WorkflowDeps,
  hotfix: Hotfix,
  step: string,
  detail: string,
  refs?: Record<string, string>,
): Promise<Hotfix> {
  if (hotfix.steps[step]?.result) return hotfix;
  const saved = await transact(
    deps,
    { ulid: hotfix.ulid },
    { type: 'record_result', step, detail, ...(refs ? { refs } : {}) },
    BOT,
  );
  if (!saved.ok) throw new Error(saved.refusal.message);
  return saved.hotfix;
}
