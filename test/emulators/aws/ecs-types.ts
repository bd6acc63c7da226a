/** The ECS emulator's state types and the scripts tests give rollouts. */
import type { JsonObject } from './wire.js';

/** How the next rollout of a service behaves. */
export interface RolloutScript {
  /**
   * `complete`: tasks start one per step, then the deployment is COMPLETED. `fail`: after `failAfterSteps` the
   * deployment circuit breaker trips (rolloutState FAILED; with the service's rollback on, ECS rolls back to the
   * previous revision by itself). `stall`: tasks never start, the deployment stays IN_PROGRESS.
   */
  outcome: 'complete' | 'fail' | 'stall';
  /** Milliseconds per step. @defaultValue the emulator's stepMs */
  stepMs?: number;
  /** Steps before the breaker trips (`fail`). @defaultValue 2 */
  failAfterSteps?: number;
  /** Why the tasks failed, as the service event and rolloutStateReason say it. */
  reason?: string;
}

/** One registered task-definition revision. */
export interface TaskDefinitionRecord {
  arn: string;
  family: string;
  revision: number;
  status: 'ACTIVE' | 'INACTIVE';
  /** What was registered (containerDefinitions, cpu, memory, ...), without the read-only fields. */
  body: JsonObject;
  tags: { key: string; value: string }[];
  registeredAt: number;
}

/** A deployment of a service (`deployments[]`), with the service deployment ARN it is known by. */
export interface DeploymentRecord {
  id: string;
  serviceDeploymentArn: string;
  status: 'PRIMARY' | 'ACTIVE';
  taskDefinition: string;
  /** The revision running before this deployment: where a rollback returns. */
  sourceTaskDefinition: string | undefined;
  desiredCount: number;
  runningCount: number;
  pendingCount: number;
  failedTasks: number;
  rolloutState: 'IN_PROGRESS' | 'COMPLETED' | 'FAILED';
  rolloutStateReason: string;
  createdAt: number;
  updatedAt: number;
  /** Service-deployment status (ListServiceDeployments). */
  serviceDeploymentStatus: string;
  script: RolloutScript;
  /** Steps already applied. */
  stepsDone: number;
  /** Set when this deployment rolls back another one: the service deployment that asked for it. */
  rollbackOf?: DeploymentRecord;
}

/** One ECS service. */
export interface ServiceRecord {
  cluster: string;
  name: string;
  arn: string;
  taskDefinition: string;
  desiredCount: number;
  circuitBreaker: { enable: boolean; rollback: boolean };
  deployments: DeploymentRecord[];
  /** Every deployment ever made, for ListServiceDeployments. */
  history: DeploymentRecord[];
  /** Newest first, as DescribeServices returns them. */
  events: { id: string; createdAt: number; message: string }[];
}

/** A service to create at start. */
export interface ServiceSeed {
  cluster: string;
  name: string;
  /** `family:revision` of a task definition registered before. */
  taskDefinition: string;
  desiredCount?: number;
  circuitBreaker?: { enable: boolean; rollback: boolean };
}
