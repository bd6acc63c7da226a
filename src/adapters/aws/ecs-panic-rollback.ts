/**
 * Seed 002's panic rollback for `ecs-image`: the service back on the revision it ran before the hotfix (recorded as
 * `ecsRollbackTo` by the deploy, from the REPLACES tag on the hotfix's own revision), followed until stable and its
 * running tasks on that revision, then the hotfix's revision deregistered. While ECS
 * still rolls the bad revision out, its own StopServiceDeployment with the ROLLBACK stop type is the fastest way back;
 * otherwise one UpdateService. Every step first reads where ECS is, so a re-run after a crash at any point sends at
 * most one UpdateService back and one deregistration.
 */
import type { Hotfix, Stage } from '../../domain/hotfix.js';
import { ContainersError, type Containers, type TaskDefinitionRevision } from '../../ports/containers.js';
import type { DeployProgress, MethodRollback } from '../../ports/deploy-method.js';
import {
  HOTFIX_TAG,
  REPLACES_TAG,
  revisionRef,
  rollbackToRef,
  shortName,
  targetsOf,
  type EcsImageService,
} from './ecs-image-target.js';

/** The ref a rollback start that ECS refused for good leaves, so poll() fails the rollback with ECS's words. */
const REFUSED_REF = 'ecsRollbackRefused';

/** The bad revision and the one to return to, for one service. */
interface Way {
  s: EcsImageService;
  bad: TaskDefinitionRevision;
  back: string;
}

/** EcsPanicRollback: MethodRollback over Containers. */
export class EcsPanicRollback implements MethodRollback {
  constructor(private readonly ecs: Containers) {}

  async returnsTo(hotfix: Hotfix): Promise<Record<string, string>> {
    const ways = await this.ways(hotfix);
    return Object.fromEntries(
      ways.map((w) => [
        w.s.service,
        `task definition ${shortName(w.back)} (${shortName(w.bad.arn)} deregistered)`,
      ]),
    );
  }

  /** Sends the service back once; a refusal for good (access denied, service gone) is kept for poll() to report. */
  async start(hotfix: Hotfix): Promise<Record<string, string>> {
    try {
      return await this.send(hotfix);
    } catch (error) {
      if (!(error instanceof ContainersError) || error.retryable) throw error;
      return { [REFUSED_REF]: error.message };
    }
  }

  /** Follows the return and deregisters the bad revision; ECS refusing for good fails the rollback with its words. */
  async poll(hotfix: Hotfix): Promise<DeployProgress> {
    const refused = hotfix.refs[REFUSED_REF];
    if (refused) return { status: 'failed', stages: [], message: refused, condition: 'unknown' };
    try {
      return await this.follow(hotfix);
    } catch (error) {
      if (!(error instanceof ContainersError) || error.retryable) throw error;
      return { status: 'failed', stages: [], message: error.message, condition: 'unknown' };
    }
  }

  private async send(hotfix: Hotfix): Promise<Record<string, string>> {
    const refs: Record<string, string> = {};
    for (const { s, bad, back } of await this.ways(hotfix)) {
      const service = await this.ecs.service(s.target.cluster, s.target.service);
      if (!service)
        throw new ContainersError(
          'not_found',
          `ECS service ${s.target.service} in ${s.target.cluster} is gone`,
        );
      const primary = service.deployments.find((d) => d.status === 'PRIMARY');
      refs[rollbackToRef(s.service)] = back;
      // Already on the way back (ECS's circuit breaker, or an earlier run of this step): nothing more to send.
      if (primary?.taskDefinition === back) continue;
      const rolling = primary?.taskDefinition === bad.arn && primary.rolloutState === 'IN_PROGRESS';
      if (rolling && (await this.ecs.stopWithRollback(s.target.cluster, s.target.service))) continue;
      await this.ecs.updateService(s.target.cluster, s.target.service, back);
    }
    return refs;
  }

  private async follow(hotfix: Hotfix): Promise<DeployProgress> {
    const stages: Stage[] = [];
    const failures: string[] = [];
    let done = 0;
    const ways = await this.ways(hotfix);
    for (const { s, bad, back } of ways) {
      const service = await this.ecs.service(s.target.cluster, s.target.service);
      const primary = service?.deployments.find((d) => d.status === 'PRIMARY');
      const returning = `${s.service}: back to ${shortName(back)}`;
      const deregister = `${s.service}: deregister ${shortName(bad.arn)}`;
      if (!service || primary?.taskDefinition !== back) {
        failures.push(
          `${s.target.service} is not returning to ${shortName(back)}: it runs ${primary ? shortName(primary.taskDefinition) : 'nothing'}`,
        );
        stages.push({ name: returning, status: 'failed' });
        continue;
      }
      const counts = `(desired ${primary.desiredCount} · running ${primary.runningCount} · pending ${primary.pendingCount})`;
      if (primary.rolloutState === 'FAILED') {
        failures.push(
          `The rollback of ${s.target.service} to ${shortName(back)} failed: ${primary.rolloutStateReason}`,
        );
        stages.push({ name: `${returning} ${counts}`, status: 'failed' });
        continue;
      }
      const stable =
        primary.rolloutState === 'COMPLETED' &&
        primary.runningCount === primary.desiredCount &&
        service.deployments.length === 1;
      stages.push({ name: `${returning} ${counts}`, status: stable ? 'succeeded' : 'running' });
      // Stable is not enough: the running tasks themselves must be on the revision returned to.
      const tasks = stable ? await this.ecs.runningTaskDefinitions(s.target.cluster, s.target.service) : [];
      const onIt = tasks.filter((t) => t === back).length;
      const confirmed = stable && onIt === primary.desiredCount && onIt === tasks.length;
      const confirm = `${s.service}: running tasks on ${shortName(back)}`;
      stages.push({
        name: stable ? `${confirm} (${onIt} of ${tasks.length})` : confirm,
        status: confirmed ? 'succeeded' : stable ? 'running' : 'pending',
      });
      if (!confirmed) {
        stages.push({ name: deregister, status: 'pending' });
        continue;
      }
      // Looked up before it is caused: a revision already INACTIVE was deregistered by an earlier run.
      const current = await this.ecs.taskDefinition(bad.arn);
      if (current.status === 'ACTIVE') await this.ecs.deregister(bad.arn);
      stages.push({ name: deregister, status: 'succeeded' });
      done += 1;
    }
    if (failures.length > 0)
      return { status: 'failed', stages, message: failures.join('\n'), condition: 'unknown' };
    return { status: done === ways.length ? 'succeeded' : 'running', stages };
  }

  /**
   * Per service, the hotfix's revision (as the deploy recorded it, else found by its ULID tag) and the revision it
   * replaced (its REPLACES tag).
   */
  private async ways(hotfix: Hotfix): Promise<Way[]> {
    const ways: Way[] = [];
    for (const s of targetsOf(hotfix)) {
      const bad = await this.badRevision(hotfix, s);
      // The revision the record names (the one the confirmation showed), else the bad revision's REPLACES tag.
      const back =
        hotfix.refs[rollbackToRef(s.service)] ?? bad?.tags.find((t) => t.key === REPLACES_TAG)?.value;
      // No revision of this hotfix: nothing was deployed to this service, so there is nothing to return from.
      if (bad && back) ways.push({ s, bad, back });
    }
    return ways;
  }

  private async badRevision(hotfix: Hotfix, s: EcsImageService): Promise<TaskDefinitionRevision | undefined> {
    const recorded = hotfix.refs[revisionRef(s.service)];
    if (recorded) return this.ecs.taskDefinition(recorded);
    const service = await this.ecs.service(s.target.cluster, s.target.service);
    if (!service)
      throw new ContainersError(
        'not_found',
        `ECS service ${s.target.service} in ${s.target.cluster} is gone`,
      );
    const running = await this.ecs.taskDefinition(service.taskDefinition);
    return this.ecs.findTagged(s.target.family ?? running.family, HOTFIX_TAG, hotfix.ulid, true);
  }
}
