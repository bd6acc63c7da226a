/** The ECS operations the bot calls, each from a parsed JSON body to a JSON answer, over EcsState. */
import type { EcsState } from './ecs-state.js';
import {
  AwsError,
  invalidParameter,
  isObject,
  optionalString,
  requiredString,
  type Json,
  type JsonObject,
} from './wire.js';

type Op = (state: EcsState, body: JsonObject) => JsonObject;

function tagsOf(value: Json | undefined): { key: string; value: string }[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw invalidParameter('tags must be a list');
  return value.map((t) => {
    if (!isObject(t) || typeof t['key'] !== 'string' || t['key'] === '')
      throw invalidParameter('Tag keys must not be empty.');
    return { key: t['key'], value: typeof t['value'] === 'string' ? t['value'] : '' };
  });
}

function stringList(body: JsonObject, name: string): string[] | undefined {
  const value = body[name];
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string'))
    throw invalidParameter(`${name} must be a list of strings`);
  return value as string[];
}

function page<T>(items: T[], body: JsonObject, max: number): { items: T[]; nextToken?: string } {
  const start = Number(optionalString(body, 'nextToken') ?? '0');
  const size = typeof body['maxResults'] === 'number' ? Math.min(body['maxResults'], max) : max;
  const slice = items.slice(start, start + size);
  return start + size < items.length ? { items: slice, nextToken: String(start + size) } : { items: slice };
}

const cluster = (body: JsonObject): string => optionalString(body, 'cluster') ?? 'default';

function serviceOrThrow(state: EcsState, body: JsonObject, member = 'service') {
  const found = state.service(cluster(body), requiredString(body, member));
  if (!found) throw new AwsError(400, 'ServiceNotFoundException', 'Service not found.');
  return found;
}

/** ECS operations by name. */
export const ECS_OPS: Record<string, Op> = {
  RegisterTaskDefinition(state, body) {
    const td = state.register(body, tagsOf(body['tags']));
    return { taskDefinition: state.describeTaskDefinition(td), tags: td.tags };
  },
  DescribeTaskDefinition(state, body) {
    const td = state.taskDefinition(requiredString(body, 'taskDefinition'));
    const withTags = stringList(body, 'include')?.includes('TAGS') ?? false;
    return { taskDefinition: state.describeTaskDefinition(td), ...(withTags ? { tags: td.tags } : {}) };
  },
  ListTaskDefinitions(state, body) {
    const family = optionalString(body, 'familyPrefix');
    const status = optionalString(body, 'status') ?? 'ACTIVE';
    const sort = optionalString(body, 'sort') ?? 'ASC';
    const found = state.taskDefinitions
      .filter((td) => (family === undefined || td.family === family) && td.status === status)
      .map((td) => td.arn);
    if (sort === 'DESC') found.reverse();
    const { items, nextToken } = page(found, body, 100);
    return { taskDefinitionArns: items, ...(nextToken ? { nextToken } : {}) };
  },
  DeregisterTaskDefinition(state, body) {
    const td = state.deregister(requiredString(body, 'taskDefinition'));
    return { taskDefinition: state.describeTaskDefinition(td) };
  },
  ListTagsForResource(state, body) {
    const arn = requiredString(body, 'resourceArn');
    if (!arn.includes(':task-definition/')) throw invalidParameter('Only task-definition ARNs are emulated.');
    return { tags: state.taskDefinition(arn).tags };
  },
  DescribeServices(state, body) {
    const names = stringList(body, 'services') ?? [];
    if (names.length === 0 || names.length > 10)
      throw invalidParameter('services must name 1 to 10 services.');
    state.requireCluster(cluster(body));
    const services: JsonObject[] = [];
    const failures: JsonObject[] = [];
    for (const name of names) {
      const found = state.service(cluster(body), name);
      if (found) services.push(state.describeService(found));
      else failures.push({ arn: name, reason: 'MISSING' });
    }
    return { services, failures };
  },
  UpdateService(state, body) {
    const service = serviceOrThrow(state, body);
    const desired = body['desiredCount'];
    state.updateService(service, {
      ...(typeof body['taskDefinition'] === 'string' ? { taskDefinition: body['taskDefinition'] } : {}),
      ...(typeof desired === 'number' ? { desiredCount: desired } : {}),
      ...(body['forceNewDeployment'] === true ? { forceNewDeployment: true } : {}),
    });
    return { service: state.describeService(service) };
  },
  ListTasks(state, body) {
    const name = optionalString(body, 'serviceName');
    const desiredStatus = optionalString(body, 'desiredStatus') ?? 'RUNNING';
    if (!['RUNNING', 'PENDING', 'STOPPED'].includes(desiredStatus))
      throw invalidParameter('desiredStatus must be RUNNING, PENDING or STOPPED.');
    state.requireCluster(cluster(body));
    const services = state.services.filter(
      (s) => s.cluster === state.clusterName(cluster(body)) && (name === undefined || s.name === name),
    );
    if (name !== undefined && services.length === 0)
      throw new AwsError(400, 'ServiceNotFoundException', 'Service not found.');
    const arns = services.flatMap((s) => {
      state.service(s.cluster, s.name);
      return state.tasks(s, desiredStatus).map((t) => String(t['taskArn']));
    });
    const { items, nextToken } = page(arns, body, 100);
    return { taskArns: items, ...(nextToken ? { nextToken } : {}) };
  },
  DescribeTasks(state, body) {
    const wanted = stringList(body, 'tasks') ?? [];
    if (wanted.length === 0 || wanted.length > 100) throw invalidParameter('tasks must name 1 to 100 tasks.');
    state.requireCluster(cluster(body));
    const all = state.services
      .filter((s) => s.cluster === state.clusterName(cluster(body)))
      .flatMap((s) => [...state.tasks(s), ...state.tasks(s, 'STOPPED')]);
    const tasks = all.filter((t) => wanted.includes(String(t['taskArn'])));
    const failures = wanted
      .filter((arn) => !tasks.some((t) => t['taskArn'] === arn))
      .map((arn) => ({ arn, reason: 'MISSING' }));
    return { tasks, failures };
  },
  ListServiceDeployments(state, body) {
    const service = serviceOrThrow(state, body);
    const { items, nextToken } = page(
      state.serviceDeployments(service, stringList(body, 'status')),
      body,
      20,
    );
    return { serviceDeployments: items, ...(nextToken ? { nextToken } : {}) };
  },
  StopServiceDeployment(state, body) {
    const arn = requiredString(body, 'serviceDeploymentArn');
    const stopType = optionalString(body, 'stopType') ?? 'ROLLBACK';
    if (stopType !== 'ROLLBACK' && stopType !== 'ABORT')
      throw invalidParameter('stopType must be ABORT or ROLLBACK.');
    state.stopDeployment(arn, stopType);
    return { serviceDeploymentArn: arn };
  },
};
