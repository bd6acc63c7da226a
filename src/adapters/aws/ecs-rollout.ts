/**
 * Reading one service's rollout of a revision from `deployments[]`: done only when the primary deployment runs that
 * revision, its rolloutState is COMPLETED with running == desired and the running tasks use it. A service back on
 * another revision (the circuit breaker rolled it back) is a failure with ECS's reason, although the service is
 * stable: `waitUntilServicesStable` would call that a success.
 */
import type { Stage } from '../../domain/hotfix.js';
import type { ServiceDeployment, ServiceView } from '../../ports/containers.js';
import { shortName } from './ecs-image-target.js';

/** Where one service's rollout is. */
export type RolloutReading =
  | { state: 'rolling'; stages: Stage[] }
  | { state: 'confirming'; stages: Stage[] }
  | { state: 'failed'; stages: Stage[]; reason: string };

const RUNNING: Stage['status'] = 'running';

function counts(d: ServiceDeployment | undefined): string {
  if (!d) return '';
  return ` (desired ${d.desiredCount} · running ${d.runningCount} · pending ${d.pendingCount}${d.failedTasks > 0 ? ` · failed ${d.failedTasks}` : ''})`;
}

/** The newest service event, as a stage line people read in the live status. */
function latestEvent(service: ServiceView, status: Stage['status']): Stage[] {
  const [event] = service.events;
  return event ? [{ name: `${service.name} latest event: ${event.message}`, status }] : [];
}

/** Why ECS failed or rolled back this revision: the deployment's reason, else the newest failure event. */
function failureReason(service: ServiceView, ours: ServiceDeployment | undefined): string {
  if (ours?.rolloutStateReason && ours.rolloutState === 'FAILED') return ours.rolloutStateReason;
  // The failure itself says more than the rollback that followed it, though the rollback event is newer.
  const event =
    service.events.find((e) => /deployment failed|circuit breaker|failed|unable/i.test(e.message)) ??
    service.events.find((e) => /rolling back/i.test(e.message));
  return event?.message ?? 'ECS gave no reason';
}

/** Reads `service`'s rollout of `revision` (an ARN). */
export function readRollout(service: ServiceView, revision: string): RolloutReading {
  const name = shortName(revision);
  const primary = service.deployments.find((d) => d.status === 'PRIMARY');
  const ours = service.deployments.find((d) => d.taskDefinition === revision);
  const rollout = `${service.name}: roll out ${name}`;
  if (!primary || primary.taskDefinition !== revision) {
    const now = primary ? shortName(primary.taskDefinition) : 'no deployment';
    const why = failureReason(service, ours);
    return {
      state: 'failed',
      reason: `ECS put ${service.name} back on ${now} instead of ${name}: ${why}`,
      stages: [
        { name: `${rollout}${counts(ours)}`, status: 'failed' },
        { name: `${service.name}: ${why}`, status: 'failed' },
      ],
    };
  }
  if (primary.rolloutState === 'FAILED') {
    const why = failureReason(service, primary);
    return {
      state: 'failed',
      reason: `The rollout of ${name} on ${service.name} failed: ${why}`,
      stages: [
        { name: `${rollout}${counts(primary)}`, status: 'failed' },
        { name: `${service.name}: ${why}`, status: 'failed' },
      ],
    };
  }
  const complete = primary.rolloutState === 'COMPLETED' && primary.runningCount === primary.desiredCount;
  return {
    state: complete ? 'confirming' : 'rolling',
    stages: [
      { name: `${rollout}${counts(primary)}`, status: complete ? 'succeeded' : RUNNING },
      ...latestEvent(service, complete ? 'succeeded' : RUNNING),
    ],
  };
}
