/**
 * The `ecs-image` deploy method (seed 000's external agents, seed 002's releases): a new task-definition revision
 * copied from the one the service runs with only the target container's image changed, tagged with the hotfix ULID,
 * the service updated to it and followed through `deployments[]` until the rollout is COMPLETED and the running tasks
 * use it. Every call is safe to repeat: start() looks for the tagged revision before registering and at the service
 * before updating it; poll() reads everything from ECS.
 */
import type { HealthResult } from '../../domain/health.js';
import type { Hotfix, Stage } from '../../domain/hotfix.js';
import type { Clock } from '../../ports/clock.js';
import { ContainersError, type Containers, type TaskDefinitionRevision } from '../../ports/containers.js';
import type { DeployMethod, DeployProgress, MethodRollback } from '../../ports/deploy-method.js';
import {
  DEFAULT_TIMEOUT_MINUTES,
  HOTFIX_TAG,
  imageTag,
  REPLACES_TAG,
  revisionRef,
  rollbackToRef,
  settingsDiff,
  shortName,
  targetsOf,
  withImage,
  withTag,
  type EcsImageService,
} from './ecs-image-target.js';
import { EcsPanicRollback } from './ecs-panic-rollback.js';

export { revisionRef } from './ecs-image-target.js';
import { readRollout } from './ecs-rollout.js';
import { tasksOnRevision } from './ecs-task-revisions.js';

/** The ref a start that ECS refused for good leaves, per attempt, so poll() fails the hotfix with it. */
const startFailureRef = (attempt: number): string => `ecsStartFailure:${attempt}`;

/** EcsImageMethod: DeployMethod over Containers. */
export class EcsImageMethod implements DeployMethod {
  /** The panic rollback of seed 002, for the rollback step to call. */
  readonly rollback: MethodRollback;

  constructor(
    private readonly ecs: Containers,
    private readonly clock: Clock,
  ) {
    this.rollback = new EcsPanicRollback(ecs);
  }

  /**
   * Per service, the image tag the service runs now: the version a rollback returns to and its health checks expect.
   * The revision itself (what the panic rollback puts the service back on) is recorded by start() as `ecsRollbackTo`,
   * and the plan names it (`a copy of family:revision`).
   */
  async currentVersions(hotfix: Hotfix): Promise<Record<string, string>> {
    const versions: Record<string, string> = {};
    for (const s of targetsOf(hotfix)) {
      const running = await this.running(s);
      versions[s.service] = imageTag(this.imageOf(running, s));
    }
    return versions;
  }

  /** What the deploy will do, before ECS is read. */
  describe(hotfix: Hotfix): string[] {
    return targetsOf(hotfix).map(
      ({ target, tag }) =>
        `ECS ${target.cluster}/${target.service}: a new task-definition revision with container ${target.container} at ${tag}, nothing else changed`,
    );
  }

  /**
   * The exact change per service (current image -> target image, the revision copied), and a flag when the
   * family's latest revision differs from the running one in anything but images (seed 002: a new revision may carry
   * changed settings that this hotfix does not deploy).
   */
  async plan(hotfix: Hotfix): Promise<string[]> {
    const lines: string[] = [];
    for (const s of targetsOf(hotfix)) {
      const running = await this.running(s);
      const image = this.imageOf(running, s);
      lines.push(
        `ECS ${s.target.cluster}/${s.target.service}: a copy of ${shortName(running.arn)} with container ${s.target.container} ${image} → ${withTag(image, s.tag)}; nothing else changes`,
      );
      const latest = await this.ecs.taskDefinition(s.target.family ?? running.family);
      const drift = latest.arn === running.arn ? [] : settingsDiff(running, latest);
      if (drift.length > 0) {
        lines.push(
          `:warning: ${shortName(latest.arn)}, the family's latest revision, differs from the running ${shortName(running.arn)} in ${drift.join('; ')}: this hotfix copies the running revision, so those changes are not deployed`,
        );
      }
    }
    return lines;
  }

  /** The same lines as `plan`, read before approval so the approver sees the exact change and any flag. */
  preview(hotfix: Hotfix): Promise<string[]> {
    return this.plan(hotfix);
  }

  /** The cluster and service exist and the running revision has the container the catalog names. */
  async checkTarget(hotfix: Hotfix): Promise<string | undefined> {
    try {
      for (const s of targetsOf(hotfix)) {
        const service = await this.ecs.service(s.target.cluster, s.target.service);
        if (!service)
          return `ECS cluster ${s.target.cluster} has no service ${s.target.service} (catalog: ${hotfix.client} ${hotfix.env} ecsImage.${s.service}), so nothing was planned. Fix the catalog or the service name, then plan again.`;
        const running = await this.ecs.taskDefinition(service.taskDefinition);
        if (running.images[s.target.container] === undefined)
          return `The task definition ${shortName(running.arn)} that ${s.target.service} runs has no container ${s.target.container} (containers: ${Object.keys(running.images).join(', ')}), so nothing was planned.`;
      }
      return undefined;
    } catch (error) {
      if (error instanceof ContainersError && !error.retryable)
        return `${error.message}; nothing was planned.`;
      const why = error instanceof Error ? ` (${error.message})` : '';
      return `AWS did not answer when I checked the ECS services${why}; nothing was planned; try again.`;
    }
  }

  /** Per service: finds the hotfix's tagged revision or registers it, then updates the service unless it is on it. */
  async start(hotfix: Hotfix): Promise<Record<string, string>> {
    const refs: Record<string, string> = {};
    try {
      for (const s of targetsOf(hotfix)) {
        const revision = await this.revisionFor(hotfix, s);
        refs[revisionRef(s.service)] = revision.arn;
        // The revision it replaced, as tagged when it was registered: a re-run after the rollout began still names
        // the one that ran before the hotfix, never the hotfix's own.
        const replaces = revision.tags.find((t) => t.key === REPLACES_TAG)?.value;
        if (replaces) refs[rollbackToRef(s.service)] = replaces;
        const service = await this.ecs.service(s.target.cluster, s.target.service);
        if (!service) throw new ContainersError('not_found', `ECS service ${s.target.service} is gone`);
        const primary = service.deployments.find((d) => d.status === 'PRIMARY');
        const onIt = primary?.taskDefinition === revision.arn;
        // Already rolling out or rolled out (an earlier run's UpdateService): updating again would start over.
        if (!onIt || primary.rolloutState === 'FAILED')
          await this.ecs.updateService(s.target.cluster, s.target.service, revision.arn, onIt);
      }
    } catch (error) {
      if (!(error instanceof ContainersError) || error.retryable) throw error;
      refs[startFailureRef(hotfix.attempts)] = error.message;
    }
    return { ...refs, ...this.shownRefs(hotfix, refs) };
  }

  /** Each service's rollout; succeeded when every service's tasks run the new revision. */
  async poll(hotfix: Hotfix): Promise<DeployProgress> {
    const refused = hotfix.refs[startFailureRef(hotfix.attempts)];
    if (refused) return { status: 'failed', stages: [], message: refused, condition: 'unknown' };
    const stages: Stage[] = [];
    const failures: string[] = [];
    let done = 0;
    try {
      for (const s of targetsOf(hotfix)) {
        const reading = await this.follow(hotfix, s);
        stages.push(...reading.stages);
        if (reading.failure) failures.push(reading.failure);
        if (reading.done) done += 1;
      }
    } catch (error) {
      if (!(error instanceof ContainersError) || error.retryable) throw error;
      return { status: 'failed', stages, message: error.message, condition: 'unknown' };
    }
    if (failures.length > 0)
      return { status: 'failed', stages, message: failures.join('\n'), condition: 'unknown' };
    return { status: done === targetsOf(hotfix).length ? 'succeeded' : 'running', stages };
  }

  /** Per service, every running task on the revision the hotfix deployed, judged with each verify round. */
  async checkRunning(hotfix: Hotfix): Promise<HealthResult[]> {
    const results: HealthResult[] = [];
    for (const s of targetsOf(hotfix))
      results.push(await tasksOnRevision(this.ecs, s, hotfix.refs[revisionRef(s.service)]));
    return results;
  }

  /** ECS image deploys have no input steps. */
  answer(): Promise<void> {
    return Promise.reject(new Error('ecs-image deploys have no input steps to answer'));
  }

  /**
   * Stops a rollout still in progress with ECS's own rollback; a finished one is returned to the revision it replaced
   * with one UpdateService (a cancelled hotfix gives up its lock, so nothing is left on the new revision). The new
   * revision stays registered, and said so.
   */
  async abort(hotfix: Hotfix): Promise<string> {
    const said: string[] = [];
    for (const s of targetsOf(hotfix)) {
      const arn = hotfix.refs[revisionRef(s.service)];
      const back = hotfix.refs[rollbackToRef(s.service)];
      const service = await this.ecs.service(s.target.cluster, s.target.service);
      const primary = service?.deployments.find((d) => d.status === 'PRIMARY');
      const kept = arn
        ? ` ${shortName(arn)} stays registered until the hotfix is rolled back (Rollback on its live status, or \`/hotfix rollback ${hotfix.id}\`), which follows the service back and deregisters it.`
        : '';
      if (!arn || !service || primary?.taskDefinition !== arn) {
        // Looked at before anything is sent: a re-run after a crash finds the service already on its way back.
        const returning = back !== undefined && primary?.taskDefinition === back;
        said.push(
          returning
            ? `${s.target.service}: on its way back to ${shortName(back)}.${kept}`
            : `${s.target.service}: the new revision was not rolling out; nothing was stopped.`,
        );
      } else if (
        primary.rolloutState === 'IN_PROGRESS' &&
        (await this.ecs.stopWithRollback(s.target.cluster, s.target.service))
      ) {
        said.push(
          `${s.target.service}: stopped the rollout of ${shortName(arn)}; ECS is rolling back to the previous revision.${kept}`,
        );
      } else if (back) {
        await this.ecs.updateService(s.target.cluster, s.target.service, back);
        said.push(
          `${s.target.service}: ${shortName(arn)} had rolled out; returned the service to ${shortName(back)} (one UpdateService), ECS replaces its tasks now.${kept}`,
        );
      } else {
        said.push(
          `${s.target.service}: not undone, it runs ${shortName(arn)} and no earlier revision is recorded; return it in ECS following the runbook.`,
        );
      }
    }
    return said.join(' ');
  }

  private async follow(
    hotfix: Hotfix,
    s: EcsImageService,
  ): Promise<{ stages: Stage[]; done: boolean; failure?: string }> {
    const arn = hotfix.refs[revisionRef(s.service)];
    if (!arn)
      return { stages: [], done: false, failure: `${s.service}: no revision was registered for this hotfix` };
    const service = await this.ecs.service(s.target.cluster, s.target.service);
    if (!service)
      return {
        stages: [],
        done: false,
        failure: `ECS service ${s.target.service} in ${s.target.cluster} is gone`,
      };
    const registered: Stage = {
      name: `${s.service}: register ${shortName(arn)} (${s.tag})`,
      status: 'succeeded',
    };
    const reading = readRollout(service, arn);
    const confirm = `${s.service}: running tasks on ${shortName(arn)}`;
    if (reading.state === 'failed')
      return { stages: [registered, ...reading.stages], done: false, failure: reading.reason };
    if (reading.state === 'rolling') {
      const overdue = this.overdue(hotfix, s);
      const stages = [registered, ...reading.stages, { name: confirm, status: 'pending' as const }];
      return overdue
        ? { stages, done: false, failure: `${overdue} ${reading.stages[0]?.name ?? ''}` }
        : { stages, done: false };
    }
    const tasks = await this.ecs.runningTaskDefinitions(s.target.cluster, s.target.service);
    const onIt = tasks.filter((t) => t === arn).length;
    const done = onIt === service.desiredCount && tasks.length === onIt;
    const status: Stage['status'] = done ? 'succeeded' : 'running';
    return {
      stages: [registered, ...reading.stages, { name: `${confirm} (${onIt} of ${tasks.length})`, status }],
      done,
    };
  }

  /** A sentence when the attempt has run past the catalog's timeout. */
  private overdue(hotfix: Hotfix, s: EcsImageService): string | undefined {
    const since = hotfix.times.attemptStartedAt ?? hotfix.times.deployStartedAt;
    const minutes = s.target.timeoutMinutes ?? DEFAULT_TIMEOUT_MINUTES;
    if (!since || this.clock.now().getTime() - Date.parse(since) <= minutes * 60_000) return undefined;
    return `The rollout on ${s.target.service} did not finish within ${minutes} minutes (the catalog's timeout):`;
  }

  private async revisionFor(hotfix: Hotfix, s: EcsImageService): Promise<TaskDefinitionRevision> {
    const running = await this.running(s);
    const family = s.target.family ?? running.family;
    const found = await this.ecs.findTagged(family, HOTFIX_TAG, hotfix.ulid);
    if (found) return found;
    const image = withTag(this.imageOf(running, s), s.tag);
    const definition = withImage({ ...running.definition, family }, s.target.container, image);
    return this.ecs.register(definition, [
      { key: HOTFIX_TAG, value: hotfix.ulid },
      { key: REPLACES_TAG, value: running.arn },
      { key: 'hotfix-bot:id', value: hotfix.id },
    ]);
  }

  private async running(s: EcsImageService): Promise<TaskDefinitionRevision> {
    const service = await this.ecs.service(s.target.cluster, s.target.service);
    if (!service)
      throw new ContainersError(
        'not_found',
        `ECS cluster ${s.target.cluster} has no service ${s.target.service}`,
      );
    return this.ecs.taskDefinition(service.taskDefinition);
  }

  private imageOf(td: TaskDefinitionRevision, s: EcsImageService): string {
    const image = td.images[s.target.container];
    if (image === undefined)
      throw new ContainersError('not_found', `${shortName(td.arn)} has no container ${s.target.container}`);
    return image;
  }

  private shownRefs(hotfix: Hotfix, refs: Record<string, string>): Record<string, string> {
    const targets = targetsOf(hotfix).filter((s) => refs[revisionRef(s.service)]);
    if (targets.length === 0) return {};
    return {
      ecsService: targets.map((s) => `${s.target.cluster}/${s.target.service}`).join(', '),
      ecsTaskDefinition: targets.map((s) => shortName(refs[revisionRef(s.service)] ?? '')).join(', '),
    };
  }
}
