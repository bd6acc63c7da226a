/**
 * ECS as the `ecs-image` deploy needs it: read a service with its deployments and events, read and register
 * task-definition revisions (tags included, so a re-run finds what an earlier attempt registered), point the service
 * at a revision, stop a rolling deployment with ECS's own rollback, list the revisions running tasks use, deregister a
 * bad revision. Every failure to reach ECS is a ContainersError, never a quiet answer.
 */

/** Why an ECS call failed, so the caller knows whether to try again. */
export const CONTAINERS_ERROR_CODES = {
  /** ECS throttled the call (ThrottlingException): try again with backoff. */
  throttled: { retryable: true },
  /** ECS answered 5xx or could not be reached. */
  unavailable: { retryable: true },
  /** The credentials were refused or lack a permission. */
  denied: { retryable: false },
  /** The cluster, service or task definition does not exist. */
  not_found: { retryable: false },
  /** ECS refused the request as invalid (ClientException, InvalidParameterException, ConflictException). */
  refused: { retryable: false },
} as const;
export type ContainersErrorCode = keyof typeof CONTAINERS_ERROR_CODES;

/** A failed ECS call: a reason code, whether a retry may help, and a sentence naming what was being done. */
export class ContainersError extends Error {
  readonly retryable: boolean;

  constructor(
    readonly code: ContainersErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ContainersError';
    this.retryable = CONTAINERS_ERROR_CODES[code].retryable;
  }
}

/** A tag on a task-definition revision. */
export interface ResourceTag {
  key: string;
  value: string;
}

/** One task-definition revision as registered. */
export interface TaskDefinitionRevision {
  arn: string;
  family: string;
  revision: number;
  status: string;
  /** Containers by name with their images. */
  images: Record<string, string>;
  /**
   * The registerable definition (containerDefinitions, cpu, memory, roles, ...), without the read-only fields ECS
   * adds: what a copy is made from and what two revisions are compared by.
   */
  definition: Record<string, unknown>;
  tags: ResourceTag[];
}

/** One entry of a service's `deployments[]`. */
export interface ServiceDeployment {
  id: string;
  /** PRIMARY (the newest) or ACTIVE (older ones still draining or failed). */
  status: string;
  taskDefinition: string;
  desiredCount: number;
  runningCount: number;
  pendingCount: number;
  failedTasks: number;
  /** IN_PROGRESS, COMPLETED or FAILED. */
  rolloutState: string;
  rolloutStateReason: string;
}

/** A service as DescribeServices shows it. */
export interface ServiceView {
  arn: string;
  cluster: string;
  name: string;
  taskDefinition: string;
  desiredCount: number;
  runningCount: number;
  deployments: ServiceDeployment[];
  /** Newest first. */
  events: { at: string; message: string }[];
}

/** ECS, as narrow as the deploy and its rollback need. */
export interface Containers {
  /** The service, or undefined when the cluster has no such service (a missing cluster is a not_found error). */
  service(cluster: string, service: string): Promise<ServiceView | undefined>;
  /** A revision by ARN or `family:revision`, or a family's latest ACTIVE revision by its name, tags included. */
  taskDefinition(ref: string): Promise<TaskDefinitionRevision>;
  /**
   * The family's newest revision carrying the tag `key=value` (deregistered ones too when asked); undefined when
   * none does.
   */
  findTagged(
    family: string,
    key: string,
    value: string,
    includeInactive?: boolean,
  ): Promise<TaskDefinitionRevision | undefined>;
  /** Registers a new revision of `definition`'s family with these tags. */
  register(definition: Record<string, unknown>, tags: ResourceTag[]): Promise<TaskDefinitionRevision>;
  /** Points the service at a revision, forcing a new deployment when asked (a retry of the same revision). */
  updateService(cluster: string, service: string, taskDefinition: string, force?: boolean): Promise<void>;
  /**
   * Stops the service's in-progress deployment with ECS's ROLLBACK stop type; false when no deployment is in
   * progress (nothing to stop).
   */
  stopWithRollback(cluster: string, service: string): Promise<boolean>;
  /** The task-definition ARNs the service's RUNNING tasks use, one entry per task. */
  runningTaskDefinitions(cluster: string, service: string): Promise<string[]>;
  /** Marks a revision INACTIVE. */
  deregister(taskDefinition: string): Promise<void>;
}
