/**
 * What an ECS account holds: task-definition revisions with tags, clusters, services whose deployments roll out over
 * time (scripted to complete, trip the circuit breaker, roll back or stall), their tasks and service deployments.
 * Shapes follow the ECS API reference; every read first brings rollouts up to the emulator's clock.
 */
import type {
  DeploymentRecord,
  RolloutScript,
  ServiceRecord,
  ServiceSeed,
  TaskDefinitionRecord,
} from './ecs-types.js';
import type { RunOnceTasks } from './run-once-state.js';
import { AwsError, clientError, epochSeconds, invalidParameter, type Json, type JsonObject } from './wire.js';

/** Fields ECS returns but refuses on RegisterTaskDefinition. */
const READ_ONLY = [
  'taskDefinitionArn',
  'revision',
  'status',
  'requiresAttributes',
  'compatibilities',
  'registeredAt',
  'registeredBy',
  'deregisteredAt',
];

const DEFAULT_FAILURE = 'tasks failed to start';

/** The ECS state of one emulated account and region. */
export class EcsState {
  readonly taskDefinitions: TaskDefinitionRecord[] = [];
  readonly clusters = new Set<string>();
  readonly services: ServiceRecord[] = [];
  private readonly scripts = new Map<string, RolloutScript[]>();
  private sequence = 0;
  /** The one-shot services (seed 000's deployment service) and their tasks, when the emulator has them. */
  runOnce: RunOnceTasks | undefined;

  constructor(
    private readonly clock: () => number,
    private readonly region: string,
    private readonly account: string,
    private readonly stepMs: number,
  ) {}

  // ---- set-up (tests) ----

  /** Registers a revision as a test's starting point; returns its `family:revision`. */
  seedTaskDefinition(body: JsonObject, tags: { key: string; value: string }[] = []): string {
    return this.register(body, tags).arn.split('/').pop() ?? '';
  }

  /** Creates a cluster and a service on a revision, all tasks running and the deployment COMPLETED. */
  seedService(seed: ServiceSeed): ServiceRecord {
    this.clusters.add(seed.cluster);
    const td = this.taskDefinition(seed.taskDefinition);
    const desired = seed.desiredCount ?? 2;
    const service: ServiceRecord = {
      cluster: seed.cluster,
      name: seed.name,
      arn: `arn:aws:ecs:${this.region}:${this.account}:service/${seed.cluster}/${seed.name}`,
      taskDefinition: td.arn,
      desiredCount: desired,
      circuitBreaker: seed.circuitBreaker ?? { enable: true, rollback: true },
      deployments: [],
      history: [],
      events: [],
    };
    const deployment = this.newDeployment(service, td.arn, undefined, { outcome: 'complete' });
    Object.assign(deployment, {
      runningCount: desired,
      pendingCount: 0,
      rolloutState: 'COMPLETED',
      rolloutStateReason: `ECS deployment ${deployment.id} completed.`,
      serviceDeploymentStatus: 'SUCCESSFUL',
    });
    service.deployments.push(deployment);
    this.services.push(service);
    return service;
  }

  /** The next rollout of `cluster/service` follows `script`. */
  scriptNextRollout(cluster: string, service: string, script: RolloutScript): void {
    const key = `${cluster}/${service}`;
    this.scripts.set(key, [...(this.scripts.get(key) ?? []), script]);
  }

  // ---- task definitions ----

  /** RegisterTaskDefinition: a new ACTIVE revision of the family. */
  register(input: JsonObject, tags: { key: string; value: string }[]): TaskDefinitionRecord {
    const family = input['family'];
    if (typeof family !== 'string' || !/^[A-Za-z0-9_-]{1,255}$/.test(family))
      throw clientError('Family contains invalid characters or is missing.');
    const containers = input['containerDefinitions'];
    if (!Array.isArray(containers) || containers.length === 0)
      throw clientError('Container definitions must not be empty.');
    for (const c of containers) {
      const container = c as JsonObject;
      if (typeof container['name'] !== 'string' || typeof container['image'] !== 'string')
        throw clientError('Container.name and Container.image should not be null or empty.');
    }
    const readOnly = READ_ONLY.filter((field) => field in input);
    if (readOnly.length > 0) throw invalidParameter(`Unknown parameter(s): ${readOnly.join(', ')}`);
    if (tags.length > 50) throw invalidParameter('Too many tags: at most 50 per resource.');
    const revision = this.taskDefinitions.filter((td) => td.family === family).length + 1;
    const { tags: _tags, ...body } = input;
    const record: TaskDefinitionRecord = {
      arn: `arn:aws:ecs:${this.region}:${this.account}:task-definition/${family}:${revision}`,
      family,
      revision,
      status: 'ACTIVE',
      body: structuredClone(body),
      tags: structuredClone(tags),
      registeredAt: this.clock(),
    };
    this.taskDefinitions.push(record);
    return record;
  }

  /** A revision by ARN or `family:revision`, or the latest ACTIVE revision of a family. */
  taskDefinition(ref: string): TaskDefinitionRecord {
    const name = ref.startsWith('arn:') ? (ref.split('/').pop() ?? '') : ref;
    const [family, revision] = name.split(':');
    const found =
      revision === undefined
        ? this.taskDefinitions.filter((td) => td.family === family && td.status === 'ACTIVE').pop()
        : this.taskDefinitions.find((td) => td.family === family && String(td.revision) === revision);
    if (!found) throw clientError('Unable to describe task definition.');
    return found;
  }

  /** DescribeTaskDefinition's `taskDefinition`, read-only fields included. */
  describeTaskDefinition(td: TaskDefinitionRecord): JsonObject {
    return {
      ...structuredClone(td.body),
      taskDefinitionArn: td.arn,
      family: td.family,
      revision: td.revision,
      status: td.status,
      requiresAttributes: [{ name: 'com.amazonaws.ecs.capability.docker-remote-api.1.18' }],
      compatibilities: ['EC2', 'FARGATE'],
      registeredAt: epochSeconds(td.registeredAt),
      registeredBy: `arn:aws:iam::${this.account}:role/deployer`,
    };
  }

  /** DeregisterTaskDefinition: needs a revision; an inactive one cannot be deregistered again. */
  deregister(ref: string): TaskDefinitionRecord {
    const name = ref.startsWith('arn:') ? (ref.split('/').pop() ?? '') : ref;
    if (!name.includes(':')) throw clientError('The specified task definition needs a revision.');
    const td = this.taskDefinition(name);
    if (td.status === 'INACTIVE') throw clientError('The specified task definition is already inactive.');
    td.status = 'INACTIVE';
    return td;
  }

  // ---- services ----

  /** A service by cluster and name or ARN; the cluster must exist. */
  service(cluster: string, ref: string): ServiceRecord | undefined {
    this.requireCluster(cluster);
    const name = ref.startsWith('arn:') ? ref.split('/').pop() : ref;
    const found = this.services.find((s) => s.cluster === this.clusterName(cluster) && s.name === name);
    if (found) this.advance(found);
    if (found) this.runOnce?.advance(found);
    return found;
  }

  /** ClusterNotFoundException unless the cluster exists. */
  requireCluster(cluster: string): void {
    if (!this.clusters.has(this.clusterName(cluster)))
      throw new AwsError(400, 'ClusterNotFoundException', 'Cluster not found.');
  }

  /** A cluster's name from its name or ARN. */
  clusterName(ref: string): string {
    return ref.startsWith('arn:') ? (ref.split('/').pop() ?? '') : ref;
  }

  /** UpdateService: a new PRIMARY deployment when the task definition changes (or a new deployment is forced). */
  updateService(
    service: ServiceRecord,
    change: { taskDefinition?: string; desiredCount?: number; forceNewDeployment?: boolean },
  ): void {
    if (change.desiredCount !== undefined) {
      service.desiredCount = change.desiredCount;
      for (const d of service.deployments.filter((d) => d.status === 'PRIMARY'))
        d.desiredCount = change.desiredCount;
      this.runOnce?.scaled(service);
    }
    if (change.taskDefinition === undefined && !change.forceNewDeployment) return;
    const td = change.taskDefinition
      ? this.taskDefinition(change.taskDefinition)
      : this.taskDefinition(service.taskDefinition);
    if (td.status !== 'ACTIVE') throw clientError(`TaskDefinition is inactive`);
    const script = this.nextScript(service);
    this.startDeployment(service, td.arn, service.taskDefinition, script);
    service.taskDefinition = td.arn;
  }

  /** StopServiceDeployment: ROLLBACK returns the service to the revision before this deployment; ABORT stops it. */
  stopDeployment(arn: string, stopType: string): void {
    const found = this.services
      .flatMap((s) => s.history.map((d) => ({ s, d })))
      .find(({ d }) => d.serviceDeploymentArn === arn);
    if (!found)
      throw new AwsError(400, 'ServiceDeploymentNotFoundException', `Service deployment ${arn} not found.`);
    const { s: service, d: deployment } = found;
    this.advance(service);
    if (deployment.rolloutState !== 'IN_PROGRESS' || deployment.status !== 'PRIMARY')
      throw new AwsError(400, 'ConflictException', `The service deployment ${arn} is not in progress.`);
    const at = this.clock();
    deployment.updatedAt = at;
    if (stopType === 'ABORT') {
      deployment.serviceDeploymentStatus = 'STOPPED';
      deployment.rolloutState = 'FAILED';
      deployment.rolloutStateReason = 'Service deployment stopped by request.';
      deployment.script = { outcome: 'stall' };
      return;
    }
    if (!deployment.sourceTaskDefinition)
      throw new AwsError(400, 'ConflictException', 'There is no revision to roll back to.');
    deployment.serviceDeploymentStatus = 'ROLLBACK_IN_PROGRESS';
    this.rollBack(service, deployment, 'Service deployment rolled back by request.');
  }

  /** DescribeServices' service object. */
  describeService(service: ServiceRecord): JsonObject {
    const running = service.deployments.reduce((n, d) => n + d.runningCount, 0);
    const pending = service.deployments.reduce((n, d) => n + d.pendingCount, 0);
    return {
      serviceArn: service.arn,
      serviceName: service.name,
      clusterArn: `arn:aws:ecs:${this.region}:${this.account}:cluster/${service.cluster}`,
      status: 'ACTIVE',
      desiredCount: service.desiredCount,
      runningCount: running,
      pendingCount: pending,
      launchType: 'FARGATE',
      taskDefinition: service.taskDefinition,
      deploymentConfiguration: {
        deploymentCircuitBreaker: { ...service.circuitBreaker },
        maximumPercent: 200,
        minimumHealthyPercent: 100,
      },
      deployments: service.deployments.map((d) => this.describeDeployment(d)),
      events: service.events.slice(0, 100).map((e) => ({ ...e, createdAt: epochSeconds(e.createdAt) })),
      createdAt: epochSeconds(service.history[0]?.createdAt ?? this.clock()),
    };
  }

  /** ListServiceDeployments' entries, newest first. */
  serviceDeployments(service: ServiceRecord, statuses: readonly string[] | undefined): JsonObject[] {
    return [...service.history]
      .reverse()
      .filter((d) => !statuses || statuses.includes(d.serviceDeploymentStatus))
      .map((d) => ({
        serviceDeploymentArn: d.serviceDeploymentArn,
        serviceArn: service.arn,
        clusterArn: `arn:aws:ecs:${this.region}:${this.account}:cluster/${service.cluster}`,
        targetServiceRevisionArn: `${service.arn.replace(':service/', ':service-revision/')}/${d.id}`,
        status: d.serviceDeploymentStatus,
        createdAt: epochSeconds(d.createdAt),
        startedAt: epochSeconds(d.createdAt),
      }));
  }

  /** The tasks of a service with this desired status, one per running task of each deployment. */
  tasks(service: ServiceRecord, desiredStatus = 'RUNNING'): JsonObject[] {
    if (this.runOnce?.handles(service)) return this.runOnce.describe(service, desiredStatus);
    if (desiredStatus !== 'RUNNING') return [];
    return service.deployments.flatMap((d) =>
      Array.from({ length: d.runningCount }, (_, i) => ({
        taskArn: `arn:aws:ecs:${this.region}:${this.account}:task/${service.cluster}/${d.id.replace('ecs-svc/', '')}${i}`,
        clusterArn: `arn:aws:ecs:${this.region}:${this.account}:cluster/${service.cluster}`,
        taskDefinitionArn: d.taskDefinition,
        group: `service:${service.name}`,
        lastStatus: 'RUNNING',
        desiredStatus: 'RUNNING',
        startedBy: d.id,
        launchType: 'FARGATE',
      })),
    );
  }

  // ---- rollouts ----

  private nextScript(service: ServiceRecord): RolloutScript {
    const key = `${service.cluster}/${service.name}`;
    const queued = this.scripts.get(key) ?? [];
    const script = queued.shift() ?? { outcome: 'complete' };
    return script;
  }

  private newDeployment(
    service: ServiceRecord,
    taskDefinition: string,
    source: string | undefined,
    script: RolloutScript,
    at = this.clock(),
  ): DeploymentRecord {
    this.sequence += 1;
    const id = `ecs-svc/${String(4_000_000_000_000_000 + this.sequence)}`;
    const deployment: DeploymentRecord = {
      id,
      serviceDeploymentArn: `arn:aws:ecs:${this.region}:${this.account}:service-deployment/${service.cluster}/${service.name}/${id.replace('ecs-svc/', 'sd')}`,
      status: 'PRIMARY',
      taskDefinition,
      sourceTaskDefinition: source,
      desiredCount: service.desiredCount,
      runningCount: 0,
      pendingCount: service.desiredCount,
      failedTasks: 0,
      rolloutState: 'IN_PROGRESS',
      rolloutStateReason: 'ECS deployment detected.',
      createdAt: at,
      updatedAt: at,
      serviceDeploymentStatus: 'IN_PROGRESS',
      script,
      stepsDone: 0,
    };
    service.history.push(deployment);
    return deployment;
  }

  private startDeployment(
    service: ServiceRecord,
    taskDefinition: string,
    source: string | undefined,
    script: RolloutScript,
    at = this.clock(),
  ): DeploymentRecord {
    for (const d of service.deployments) {
      d.status = 'ACTIVE';
      // An in-progress deployment replaced by a newer one is stopped, as ECS does.
      if (d.rolloutState === 'IN_PROGRESS') {
        d.serviceDeploymentStatus = 'STOPPED';
        d.script = { outcome: 'stall' };
      }
    }
    const deployment = this.newDeployment(service, taskDefinition, source, script, at);
    service.deployments.unshift(deployment);
    this.event(
      service,
      `(service ${service.name}) has started a deployment ${deployment.id} with task definition ${taskDefinition.split('/').pop() ?? ''}.`,
      at,
    );
    return deployment;
  }

  private rollBack(
    service: ServiceRecord,
    failed: DeploymentRecord,
    reason: string,
    at = this.clock(),
  ): void {
    failed.status = 'ACTIVE';
    failed.rolloutState = 'FAILED';
    failed.rolloutStateReason = reason;
    failed.pendingCount = 0;
    const source = failed.sourceTaskDefinition ?? service.taskDefinition;
    this.event(
      service,
      `(service ${service.name}) rolling back to deployment with task definition ${source.split('/').pop() ?? ''}.`,
      at,
    );
    const back = this.startDeployment(
      service,
      source,
      failed.taskDefinition,
      { outcome: 'complete', stepMs: failed.script.stepMs ?? this.stepMs },
      at,
    );
    back.rollbackOf = failed;
    // startDeployment marks every older deployment ACTIVE; the failed one keeps its FAILED state and reason.
    failed.rolloutState = 'FAILED';
    failed.rolloutStateReason = reason;
    service.taskDefinition = source;
  }

  /** Brings every deployment of the service up to the clock, one step at a time. */
  private advance(service: ServiceRecord): void {
    for (let guard = 0; guard < 1000; guard += 1) {
      const primary = service.deployments.find((d) => d.status === 'PRIMARY');
      if (!primary || primary.rolloutState !== 'IN_PROGRESS' || primary.script.outcome === 'stall') return;
      const stepMs = primary.script.stepMs ?? this.stepMs;
      const due = Math.floor((this.clock() - primary.createdAt) / stepMs);
      if (primary.stepsDone >= due) return;
      primary.stepsDone += 1;
      this.step(service, primary, primary.createdAt + primary.stepsDone * stepMs);
    }
  }

  private step(service: ServiceRecord, d: DeploymentRecord, at: number): void {
    d.updatedAt = at;
    if (d.script.outcome === 'fail' && d.stepsDone >= (d.script.failAfterSteps ?? 2))
      return this.trip(service, d, at);
    if (d.script.outcome === 'fail') {
      d.failedTasks += 1;
      this.event(
        service,
        `(service ${service.name}) (task ${d.id.slice(-6)}${d.stepsDone}) failed: ${d.script.reason ?? DEFAULT_FAILURE}.`,
        at,
      );
      return;
    }
    if (d.runningCount < d.desiredCount) {
      d.runningCount += 1;
      d.pendingCount = d.desiredCount - d.runningCount;
      // Old tasks drain as new ones come up (minimum healthy 100%, maximum 200%).
      const old = service.deployments.find((o) => o !== d && o.runningCount > 0);
      if (old) old.runningCount -= 1;
      this.event(
        service,
        `(service ${service.name}) has started 1 tasks: (task ${d.id.slice(-6)}${d.runningCount}).`,
        at,
      );
      return;
    }
    d.rolloutState = 'COMPLETED';
    d.rolloutStateReason = `ECS deployment ${d.id} completed.`;
    d.serviceDeploymentStatus = d.rollbackOf ? 'SUCCESSFUL' : 'SUCCESSFUL';
    if (d.rollbackOf) d.rollbackOf.serviceDeploymentStatus = 'ROLLBACK_SUCCESSFUL';
    service.deployments = [d];
    this.event(service, `(service ${service.name}) (deployment ${d.id}) deployment completed.`, at);
    this.event(service, `(service ${service.name}) has reached a steady state.`, at);
  }

  /** The circuit breaker trips: FAILED, and with rollback on, ECS returns to the previous revision by itself. */
  private trip(service: ServiceRecord, d: DeploymentRecord, at: number): void {
    const reason = `ECS deployment circuit breaker: ${d.script.reason ?? DEFAULT_FAILURE}.`;
    this.event(
      service,
      `(service ${service.name}) (deployment ${d.id}) deployment failed: ${d.script.reason ?? DEFAULT_FAILURE}.`,
      at,
    );
    if (service.circuitBreaker.enable && service.circuitBreaker.rollback && d.sourceTaskDefinition) {
      d.serviceDeploymentStatus = 'ROLLBACK_IN_PROGRESS';
      this.rollBack(service, d, reason, at);
      return;
    }
    d.rolloutState = 'FAILED';
    d.rolloutStateReason = reason;
    d.serviceDeploymentStatus = 'ROLLBACK_FAILED';
    d.pendingCount = 0;
  }

  private describeDeployment(d: DeploymentRecord): Json {
    return {
      id: d.id,
      status: d.status,
      taskDefinition: d.taskDefinition,
      desiredCount: d.desiredCount,
      pendingCount: d.pendingCount,
      runningCount: d.runningCount,
      failedTasks: d.failedTasks,
      createdAt: epochSeconds(d.createdAt),
      updatedAt: epochSeconds(d.updatedAt),
      launchType: 'FARGATE',
      rolloutState: d.rolloutState,
      rolloutStateReason: d.rolloutStateReason,
    };
  }

  private event(service: ServiceRecord, message: string, at = this.clock()): void {
    this.sequence += 1;
    service.events.unshift({ id: `ev-${this.sequence}`, createdAt: at, message });
  }
}
