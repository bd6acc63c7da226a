/** `Containers` on the real ECS client (@aws-sdk/client-ecs). */
import {
  DeregisterTaskDefinitionCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  type ECSClient,
  ListServiceDeploymentsCommand,
  ListTaskDefinitionsCommand,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  StopServiceDeploymentCommand,
  UpdateServiceCommand,
  type RegisterTaskDefinitionCommandInput,
  type Service,
  type TaskDefinition,
  type Tag,
} from '@aws-sdk/client-ecs';
import type { Containers, ResourceTag, ServiceView, TaskDefinitionRevision } from '../../ports/containers.js';
import { asContainersError } from './aws-errors.js';

/** Fields DescribeTaskDefinition returns that RegisterTaskDefinition does not take. */
const READ_ONLY = new Set([
  'taskDefinitionArn',
  'revision',
  'status',
  'requiresAttributes',
  'compatibilities',
  'registeredAt',
  'registeredBy',
  'deregisteredAt',
]);

/** How many of a family's newest revisions are searched for a tag. */
const TAG_SEARCH_DEPTH = 20;

function tagsOf(tags: Tag[] | undefined): ResourceTag[] {
  return (tags ?? []).flatMap((t) => (t.key ? [{ key: t.key, value: t.value ?? '' }] : []));
}

function revisionOf(td: TaskDefinition | undefined, tags: Tag[] | undefined): TaskDefinitionRevision {
  if (!td?.taskDefinitionArn || !td.family) throw new Error('ECS returned a task definition without an ARN');
  const definition = Object.fromEntries(
    Object.entries(td).filter(([key, value]) => !READ_ONLY.has(key) && value !== undefined),
  );
  const images = Object.fromEntries(
    (td.containerDefinitions ?? []).map((c) => [c.name ?? '', c.image ?? '']),
  );
  return {
    arn: td.taskDefinitionArn,
    family: td.family,
    revision: td.revision ?? 0,
    status: td.status ?? 'ACTIVE',
    images,
    definition,
    tags: tagsOf(tags),
  };
}

function serviceOf(cluster: string, s: Service): ServiceView {
  return {
    arn: s.serviceArn ?? '',
    cluster,
    name: s.serviceName ?? '',
    taskDefinition: s.taskDefinition ?? '',
    desiredCount: s.desiredCount ?? 0,
    runningCount: s.runningCount ?? 0,
    deployments: (s.deployments ?? []).map((d) => ({
      id: d.id ?? '',
      status: d.status ?? '',
      taskDefinition: d.taskDefinition ?? '',
      desiredCount: d.desiredCount ?? 0,
      runningCount: d.runningCount ?? 0,
      pendingCount: d.pendingCount ?? 0,
      failedTasks: d.failedTasks ?? 0,
      rolloutState: d.rolloutState ?? '',
      rolloutStateReason: d.rolloutStateReason ?? '',
    })),
    events: (s.events ?? []).map((e) => ({
      at: e.createdAt?.toISOString() ?? '',
      message: e.message ?? '',
    })),
  };
}

/** EcsContainers: Containers over ECSClient. */
export class EcsContainers implements Containers {
  constructor(private readonly client: ECSClient) {}

  async service(cluster: string, service: string): Promise<ServiceView | undefined> {
    const out = await this.call(`reading ECS service ${service} in cluster ${cluster}`, () =>
      this.client.send(new DescribeServicesCommand({ cluster, services: [service] })),
    );
    const found = out.services?.find((s) => s.status !== 'INACTIVE');
    return found ? serviceOf(cluster, found) : undefined;
  }

  async taskDefinition(ref: string): Promise<TaskDefinitionRevision> {
    const out = await this.call(`reading task definition ${ref}`, () =>
      this.client.send(new DescribeTaskDefinitionCommand({ taskDefinition: ref, include: ['TAGS'] })),
    );
    return revisionOf(out.taskDefinition, out.tags);
  }

  async findTagged(
    family: string,
    key: string,
    value: string,
    includeInactive = false,
  ): Promise<TaskDefinitionRevision | undefined> {
    for (const status of includeInactive ? (['ACTIVE', 'INACTIVE'] as const) : (['ACTIVE'] as const)) {
      const out = await this.call(`listing revisions of task definition family ${family}`, () =>
        this.client.send(
          new ListTaskDefinitionsCommand({
            familyPrefix: family,
            status,
            sort: 'DESC',
            maxResults: TAG_SEARCH_DEPTH,
          }),
        ),
      );
      // The hotfix's revision is among the newest: a family rarely gets many revisions during one hotfix.
      for (const arn of out.taskDefinitionArns ?? []) {
        const revision = await this.taskDefinition(arn);
        if (revision.tags.some((t) => t.key === key && t.value === value)) return revision;
      }
    }
    return undefined;
  }

  async register(definition: Record<string, unknown>, tags: ResourceTag[]): Promise<TaskDefinitionRevision> {
    const input = { ...definition, tags } as unknown as RegisterTaskDefinitionCommandInput;
    const out = await this.call(
      `registering a revision of task definition ${String(definition['family'])}`,
      () => this.client.send(new RegisterTaskDefinitionCommand(input)),
    );
    return revisionOf(out.taskDefinition, out.tags);
  }

  async updateService(
    cluster: string,
    service: string,
    taskDefinition: string,
    force = false,
  ): Promise<void> {
    await this.call(`updating ECS service ${service} to ${taskDefinition}`, () =>
      this.client.send(
        new UpdateServiceCommand({
          cluster,
          service,
          taskDefinition,
          ...(force ? { forceNewDeployment: true } : {}),
        }),
      ),
    );
  }

  async stopWithRollback(cluster: string, service: string): Promise<boolean> {
    const listed = await this.call(`listing deployments of ECS service ${service}`, () =>
      this.client.send(new ListServiceDeploymentsCommand({ cluster, service, status: ['IN_PROGRESS'] })),
    );
    const [deployment] = listed.serviceDeployments ?? [];
    if (!deployment?.serviceDeploymentArn) return false;
    const arn = deployment.serviceDeploymentArn;
    await this.call(`stopping deployment ${arn} of ECS service ${service} with rollback`, () =>
      this.client.send(new StopServiceDeploymentCommand({ serviceDeploymentArn: arn, stopType: 'ROLLBACK' })),
    );
    return true;
  }

  async runningTaskDefinitions(cluster: string, service: string): Promise<string[]> {
    const listed = await this.call(`listing the tasks of ECS service ${service}`, () =>
      this.client.send(new ListTasksCommand({ cluster, serviceName: service, desiredStatus: 'RUNNING' })),
    );
    const arns = listed.taskArns ?? [];
    if (arns.length === 0) return [];
    const described = await this.call(`reading the tasks of ECS service ${service}`, () =>
      this.client.send(new DescribeTasksCommand({ cluster, tasks: arns })),
    );
    return (described.tasks ?? [])
      .filter((t) => t.lastStatus === 'RUNNING')
      .map((t) => t.taskDefinitionArn ?? '');
  }

  /**
   * Deregisters a revision; one already INACTIVE counts as done (two runs of a step can both have seen it ACTIVE, and
   * ECS refuses the second with a ClientException saying so).
   */
  async deregister(taskDefinition: string): Promise<void> {
    await this.call(`deregistering task definition ${taskDefinition}`, async () => {
      try {
        await this.client.send(new DeregisterTaskDefinitionCommand({ taskDefinition }));
      } catch (error) {
        if (alreadyInactive(error)) return;
        throw error;
      }
    });
  }

  private async call<T>(doing: string, send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error) {
      throw asContainersError(error, doing);
    }
  }
}

function alreadyInactive(error: unknown): boolean {
  const { name, message } = (error ?? {}) as { name?: unknown; message?: unknown };
  return name === 'ClientException' && typeof message === 'string' && /already inactive/i.test(message);
}
