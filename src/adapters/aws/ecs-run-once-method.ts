/**
 * The `ecs-run-once` deploy method (seed 000's "Running the Deployment Service"): the env's one-shot deployment
 * service is set from 0 to 1 desired, its task is followed until it stops, and its CloudWatch log is tailed into the
 * live status. Success is the task stopped with exit code 0 and the service back at 0 desired (the deployment service
 * scales itself back). A non-zero exit, the service's own rollback lines or the catalog's timeout fail the hotfix; the
 * bot then sets the desired count to 0 (else ECS starts the task again and again) and reports the log. The
 * deployment service rolls back by itself; this method has no rollback of its own.
 *
 * Every call is safe to repeat: the attempt's start time is recorded before the start's intent, and before setting
 * the desired count the method looks for a task created since then and at the count itself, so a re-run after a
 * crash starts no second task. Tasks' createdAt (ECS's clock) is compared with the bot's clock: both hosts keep NTP
 * time; ECS lists stopped tasks for about an hour, long enough for any re-run.
 */
import type { Hotfix, Stage } from '../../domain/hotfix.js';
import type { Clock } from '../../ports/clock.js';
import { ContainersError, type Containers, type ServiceView } from '../../ports/containers.js';
import type { DeployMethod, DeployProgress } from '../../ports/deploy-method.js';
import type { ProcessGuard } from '../../ports/process-guard.js';
import type { Redactor } from '../../redact.js';
import { imageTag, shortName } from './ecs-image-target.js';
import type { EcsRunOnceAws, RunOnceTask } from './ecs-run-once-aws.js';
import {
  consoleUrl,
  LOG_REFS,
  tailFrom,
  tailRefs,
  takeIn,
  unread,
  type LogTail,
} from './ecs-run-once-log.js';
import { guardOf, runOnceOf, taskId, type RunOnceService } from './ecs-run-once-target.js';
import { checkGuard, guardRefusal } from './ecs-run-once-guard.js';

/** The ref holding when the attempt's start was intended (epoch ms): tasks created since then are this hotfix's. */
export const sinceRef = (attempt: number): string => `ecsRunOnceSince:${attempt}`;
const startFailureRef = (attempt: number): string => `ecsStartFailure:${attempt}`;

/** What the method needs. */
export interface EcsRunOnceDeps {
  ecs: Containers;
  aws: EcsRunOnceAws;
  /** The Postgres process guard; without one, an env whose catalog names a guard is refused. */
  guard: ProcessGuard | undefined;
  clock: Clock;
  redact: Redactor;
  /** For the console link. */
  region: string;
}

/** EcsRunOnceMethod: DeployMethod over ECS, CloudWatch Logs and the process guard. */
export class EcsRunOnceMethod implements DeployMethod {
  constructor(private readonly deps: EcsRunOnceDeps) {}

  /** The image tag the deployment service's task definition runs (unchanged by a hotfix, seed 000). */
  async currentVersions(hotfix: Hotfix): Promise<Record<string, string>> {
    const run = runOnceOf(hotfix);
    const { revision, image } = await this.running(run);
    return Object.fromEntries(
      hotfix.services.map(({ service }) => [
        service,
        `${imageTag(image)} (task definition ${shortName(revision)})`,
      ]),
    );
  }

  /** What the deploy will do. */
  describe(hotfix: Hotfix): string[] {
    const run = runOnceOf(hotfix);
    const guard = guardOf(hotfix);
    return [
      `ECS ${run.target.cluster}/${run.target.service}: the deployment service run once (desired count 0 → 1, task definition unchanged), its log ${run.logGroup} followed in the thread`,
      ...(guard
        ? [
            `Waits while processes run in ${guard.target.query ? 'the catalog query' : (guard.target.table ?? 'meta.process')} (up to ${guard.waitMinutes} min)`,
          ]
        : []),
    ];
  }

  /**
   * The deployment service exists, runs the family's latest revision with the planned image tag, is at 0 desired (no
   * other deployment running), its log group exists, and the process guard finds nothing running.
   */
  async checkTarget(hotfix: Hotfix): Promise<string | undefined> {
    const run = runOnceOf(hotfix);
    const { cluster, service } = run.target;
    try {
      const view = await this.deps.ecs.service(cluster, service);
      if (!view)
        return `ECS cluster ${cluster} has no service ${service} (catalog: ${hotfix.client} ${hotfix.env} ecsRunOnce), so nothing was planned. Fix the catalog or the service name, then plan again.`;
      if (view.desiredCount !== 0 || view.runningCount !== 0)
        return `Another deployment is running: ${service} is at ${view.desiredCount} desired and ${view.runningCount} running, so nothing was planned. Wait for it to finish (its log is in ${run.logGroup}), then plan again.`;
      const { revision, image } = await this.running(run);
      const family = shortName(revision).split(':')[0] ?? revision;
      const latest = await this.deps.ecs.taskDefinition(family);
      if (latest.arn !== revision)
        return `${service} runs ${shortName(revision)}, but the family's latest revision is ${shortName(latest.arn)}; a hotfix runs the deployment service as it is (seed 000), so nothing was planned. Point the service at the revision you mean, then plan again.`;
      // The log the thread follows must be there before anything runs: a run nobody can watch is not started.
      await this.deps.aws.checkLogGroup(run.logGroup, this.deps.clock.now().getTime());
      const wrong = hotfix.services.filter(({ tag }) => tag !== imageTag(image));
      if (wrong.length > 0)
        return `${service} runs ${image} (task definition ${shortName(revision)}), not ${wrong.map((s) => `${s.service}@${s.tag}`).join(', ')}, so nothing was planned. Plan the tag it runs, or change its task definition first.`;
    } catch (error) {
      if (error instanceof ContainersError && !error.retryable)
        return `${error.message}; nothing was planned.`;
      const why = error instanceof Error ? ` (${error.message})` : '';
      return `AWS did not answer when I checked the deployment service${why}; nothing was planned; try again.`;
    }
    const guard = guardOf(hotfix);
    if (!guard) return undefined;
    const check = await checkGuard(this.deps.guard, guard.target);
    // Processes running now do not refuse the plan: the plan shows them (preview) and the deploy waits for them.
    if (check.kind === 'running') return undefined;
    return guardRefusal(check, this.deps.redact);
  }

  /**
   * What is running in the client's database now, for the plan and the notice (a few rows, redacted): the deploy
   * will wait for it, re-checking, up to the policy's limit. Nothing when the guard finds nothing.
   */
  async preview(hotfix: Hotfix): Promise<string[]> {
    const guard = guardOf(hotfix);
    if (!guard) return [];
    const check = await checkGuard(this.deps.guard, guard.target);
    if (check.kind !== 'running') return [];
    const more = check.total > check.shown.length ? [`…and ${check.total - check.shown.length} more`] : [];
    return [
      `:warning: ${check.total} process${check.total === 1 ? ' is' : 'es are'} running in the client's database now; the deployment service only runs when none are (seed 000), so the deploy will wait for them, checking again, for up to ${guard.waitMinutes} min, and fail without starting anything if they still run then.`,
      ...check.shown.map((row) => `running: ${this.deps.redact(row)}`),
      ...more,
    ];
  }

  /** Records when the attempt began, then starts the run unless processes are running (poll waits for them). */
  async start(hotfix: Hotfix): Promise<Record<string, string>> {
    const run = runOnceOf(hotfix);
    // The attempt's start, recorded before any start intent: a runner taking over a dead one's claim writes a newer
    // intent, and a task the dead runner started before that must still count as this attempt's.
    const began =
      hotfix.times.attemptStartedAt ??
      hotfix.times.deployStartedAt ??
      hotfix.steps[`start_${hotfix.attempts}`]?.intent?.at;
    const since = String(began ? Date.parse(began) : this.deps.clock.now().getTime());
    const refs: Record<string, string> = {
      [sinceRef(hotfix.attempts)]: since,
      ecsService: `${run.target.cluster}/${run.target.service}`,
      [LOG_REFS.url]: consoleUrl(this.deps.region, run.logGroup),
    };
    try {
      const held = await this.launch({ ...hotfix, refs: { ...hotfix.refs, ...refs } }, run);
      if (held?.kind === 'failed') refs[startFailureRef(hotfix.attempts)] = held.message;
    } catch (error) {
      if (!(error instanceof ContainersError) || error.retryable) throw error;
      refs[startFailureRef(hotfix.attempts)] = error.message;
    }
    return refs;
  }

  /** The run: waiting on the guard, the task and its log, the service back at 0. */
  async poll(hotfix: Hotfix): Promise<DeployProgress> {
    const refused = hotfix.refs[startFailureRef(hotfix.attempts)];
    if (refused) return { status: 'failed', stages: [], message: refused, condition: 'unknown' };
    const run = runOnceOf(hotfix);
    const since = Number(hotfix.refs[sinceRef(hotfix.attempts)] ?? this.deps.clock.now().getTime());
    try {
      const tasks = await this.deps.aws.tasksSince(run.target.cluster, run.target.service, since);
      const service = await this.serviceOf(run);
      if (tasks.length === 0 && service.desiredCount === 0) {
        const held = await this.launch(hotfix, run);
        if (held?.kind === 'failed')
          return { status: 'failed', stages: held.stages, message: held.message, condition: 'unknown' };
        if (held) return { status: 'running', stages: held.stages };
      }
      const tail = await this.readLog(hotfix, run, since);
      return await this.follow(hotfix, run, service, tasks, tail);
    } catch (error) {
      if (!(error instanceof ContainersError) || error.retryable) throw error;
      const message = await this.stoppedAfter(hotfix, run, error.message);
      return { status: 'failed', stages: [], message, condition: 'unknown' };
    }
  }

  /**
   * AWS refused a call mid-run for good (access denied, the service gone): the service is set back to 0 desired if
   * it is not, or ECS starts its task again and again; the sentence says which happened, and the manual path.
   */
  private async stoppedAfter(hotfix: Hotfix, run: RunOnceService, why: string): Promise<string> {
    const { cluster, service } = run.target;
    let zero: string;
    try {
      const view = await this.deps.ecs.service(cluster, service);
      if (!view) zero = `${service} is gone from ${cluster}, so nothing of it is left running`;
      else if (view.desiredCount === 0) zero = `${service} is at 0 desired`;
      else {
        await this.deps.aws.setDesiredCount(cluster, service, 0);
        zero = `the bot set ${service} back to 0 desired, so ECS does not start its task again`;
      }
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      zero = `setting ${service} back to 0 desired failed too (${detail}): set it to 0 by hand in the ECS console, or ECS starts its task again and again`;
    }
    const log = hotfix.refs[LOG_REFS.url] ?? run.logGroup;
    return `AWS refused a call while the deployment service ${service} ran: ${why}. ${zero}. The bot has no rollback for it: read the log (${log}) for what it changed, fix the cause, then Retry or resolve by hand.`;
  }

  /** The deployment service has no input steps. */
  answer(): Promise<void> {
    return Promise.reject(new Error('ecs-run-once deploys have no input steps to answer'));
  }

  /** Sets the desired count to 0; what the task did before it stopped is in its log, and the thread says so. */
  async abort(hotfix: Hotfix): Promise<string> {
    const run = runOnceOf(hotfix);
    const service = await this.serviceOf(run);
    if (service.desiredCount !== 0)
      await this.deps.aws.setDesiredCount(run.target.cluster, run.target.service, 0);
    return `${run.target.service} set to 0 desired, so ECS stops its task; whatever the deployment service had done is not undone by the bot: read ${run.logGroup} and follow the runbook's manual path.`;
  }

  /**
   * Sets the desired count to 1 unless a task was created since the intent or the count is already 1 (a re-run), once
   * the process guard is clear; undefined once the run is started, else why it is held.
   */
  private async launch(
    hotfix: Hotfix,
    run: RunOnceService,
  ): Promise<{ kind: 'waiting' | 'failed'; stages: Stage[]; message: string } | undefined> {
    const since = Number(hotfix.refs[sinceRef(hotfix.attempts)]);
    const guard = guardOf(hotfix);
    if (guard) {
      const check = await checkGuard(this.deps.guard, guard.target);
      const held = heldBy(check, guard, since, this.deps.clock.now().getTime(), this.deps.redact);
      if (held) return held;
    }
    const tasks = await this.deps.aws.tasksSince(run.target.cluster, run.target.service, since);
    const service = await this.serviceOf(run);
    if (tasks.length === 0 && service.desiredCount === 0)
      await this.deps.aws.setDesiredCount(run.target.cluster, run.target.service, 1);
    return undefined;
  }

  private async readLog(hotfix: Hotfix, run: RunOnceService, since: number): Promise<LogTail> {
    const tail = tailFrom(hotfix.refs, hotfix.attempts, since);
    const read = await this.deps.aws.logSince(run.logGroup, tail.cursor.timestamp);
    return takeIn(tail, unread(tail, read), this.deps.redact);
  }

  private async follow(
    hotfix: Hotfix,
    run: RunOnceService,
    service: ServiceView,
    tasks: RunOnceTask[],
    tail: LogTail,
  ): Promise<DeployProgress> {
    const name = run.target.service;
    const task = tasks.find((t) => t.exitCode !== undefined && t.exitCode !== 0) ?? tasks[0];
    const notes = { ...tailRefs(tail), ...(task ? { ecsTask: taskId(task.arn) } : {}) };
    const stopped = task?.lastStatus === 'STOPPED';
    const exit = task?.exitCode;
    const backAtZero = service.desiredCount === 0;
    const stages: Stage[] = [
      { name: `${name}: desired count 0 → 1`, status: 'succeeded' },
      {
        name: task
          ? `${name}: task ${taskId(task.arn)} ${stopped ? `stopped, exit code ${exit ?? 'none'}` : task.lastStatus}`
          : `${name}: waiting for ECS to start the task`,
        status: !stopped ? 'running' : exit === 0 ? 'succeeded' : 'failed',
      },
      { name: `${name}: back at 0 desired`, status: backAtZero && stopped ? 'succeeded' : 'pending' },
    ];
    const why = this.failure(hotfix, run, task, tail);
    if (why) {
      if (!backAtZero) await this.deps.aws.setDesiredCount(run.target.cluster, run.target.service, 0);
      const message = failureMessage(hotfix, run, why, !backAtZero, tail);
      return { status: 'failed', stages, message, condition: 'unknown', notes };
    }
    if (stopped && exit === 0 && backAtZero) return { status: 'succeeded', stages, notes };
    return { status: 'running', stages, notes };
  }

  /** Why the run failed, when it did. */
  private failure(
    hotfix: Hotfix,
    run: RunOnceService,
    task: RunOnceTask | undefined,
    tail: LogTail,
  ): string | undefined {
    if (task?.lastStatus === 'STOPPED' && task.exitCode !== 0)
      return `task ${taskId(task.arn)} exited with code ${task.exitCode ?? 'none'}${task.stoppedReason ? ` (${task.stoppedReason})` : ''}`;
    if (tail.rollback.length > 0) return 'it logged that it rolled back';
    const since = Number(hotfix.refs[sinceRef(hotfix.attempts)]);
    if (this.deps.clock.now().getTime() - since > run.timeoutMinutes * 60_000)
      return `it did not finish within ${run.timeoutMinutes} minutes (the catalog's timeout)`;
    return undefined;
  }

  private async serviceOf(run: RunOnceService): Promise<ServiceView> {
    const view = await this.deps.ecs.service(run.target.cluster, run.target.service);
    if (!view)
      throw new ContainersError(
        'not_found',
        `ECS cluster ${run.target.cluster} has no service ${run.target.service}`,
      );
    return view;
  }

  private async running(run: RunOnceService): Promise<{ revision: string; image: string }> {
    const view = await this.serviceOf(run);
    const td = await this.deps.ecs.taskDefinition(view.taskDefinition);
    const image = td.images[run.target.container];
    if (image === undefined)
      throw new ContainersError('not_found', `${shortName(td.arn)} has no container ${run.target.container}`);
    return { revision: td.arn, image };
  }
}

/** The failure's sentence (what failed, what the service undid, the manual path), then the log excerpt. */
function failureMessage(
  hotfix: Hotfix,
  run: RunOnceService,
  why: string,
  scaledDown: boolean,
  tail: LogTail,
): string {
  const undone =
    tail.rollback.length > 0
      ? 'it rolled back by itself (its lines below)'
      : 'it logged no rollback, so check what it changed';
  const zero = scaledDown ? 'the bot set it back to 0 desired' : 'it is back at 0 desired';
  const sentence = `The deployment service ${run.target.service} failed: ${why}; ${undone}; ${zero}. The bot has no rollback for it: read the log (${hotfix.refs[LOG_REFS.url] ?? run.logGroup}), fix the cause, then Retry or resolve by hand.`;
  const log = [
    ...(tail.rollback.length > 0 ? ['-- rolled back by the deployment service --', ...tail.rollback] : []),
    ...(tail.errors.length > 0 ? ['-- error lines --', ...tail.errors] : []),
    ...(tail.latest.length > 0 ? ['-- latest lines --', ...tail.latest] : []),
  ];
  return [sentence, ...log].join('\n');
}

/** Why a guard check holds the deploy: processes running (waiting, or failed past the limit), or no answer. */
function heldBy(
  check: Awaited<ReturnType<typeof checkGuard>>,
  guard: NonNullable<ReturnType<typeof guardOf>>,
  since: number,
  now: number,
  redact: Redactor,
): { kind: 'waiting' | 'failed'; stages: Stage[]; message: string } | undefined {
  if (check.kind === 'clear') return undefined;
  if (check.kind === 'failed') {
    const message = guardRefusal(check, redact, 'deployed') ?? check.message;
    return { kind: 'failed', stages: [{ name: 'Process guard', status: 'failed' }], message };
  }
  const rows = check.shown.map((row) => ({ name: `running: ${redact(row)}`, status: 'waiting' as const }));
  const head = `Process guard: ${check.total} process${check.total === 1 ? '' : 'es'} running; the deploy waits (up to ${guard.waitMinutes} min)`;
  if (now - since <= guard.waitMinutes * 60_000)
    return { kind: 'waiting', stages: [{ name: head, status: 'waiting' }, ...rows], message: head };
  const message = `${check.total} process${check.total === 1 ? ' was' : 'es were'} still running after ${guard.waitMinutes} minutes, so the deployment service was not started and nothing changed. Wait for them to finish (or stop them), then Retry.\n${check.shown.map(redact).join('\n')}`;
  return { kind: 'failed', stages: [{ name: head, status: 'failed' }, ...rows], message };
}
