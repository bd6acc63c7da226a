/** An ECS world for the ecs-image tests: the catalog's external-agent service on a revision, in the AWS emulator. */
import { createEcsClient } from '../../src/adapters/aws/aws-clients.js';
import { EcsContainers } from '../../src/adapters/aws/ecs-containers.js';
import type { AwsEmulator } from '../emulators/aws/index.js';
import { TEST_CREDENTIALS } from '../emulators/aws/index.js';

/** The image repository the running revision uses. */
export const AGENT_REPO = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/external-agent';

/** The task definition of external-agent as a family's first revision: an agent and a log-router sidecar. */
export function agentDefinition(
  family: string,
  tag = 'v2.14.2',
  environment = 'info',
): Record<string, never> {
  return {
    family,
    cpu: '512',
    memory: '1024',
    networkMode: 'awsvpc',
    requiresCompatibilities: ['FARGATE'],
    executionRoleArn: 'arn:aws:iam::123456789012:role/ecsTaskExecutionRole',
    containerDefinitions: [
      {
        name: 'external-agent',
        image: `${AGENT_REPO}:${tag}`,
        essential: true,
        environment: [{ name: 'LOG_LEVEL', value: environment }],
        secrets: [{ name: 'DB_URL', valueFrom: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:db' }],
      },
      {
        name: 'log-router',
        image: 'public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.0',
        essential: false,
      },
    ],
  } as unknown as Record<string, never>;
}

/** Seeds `cluster/service` on revision 1 of `service`'s family with the image `tag`; returns that revision. */
export function seedAgentService(
  emulator: AwsEmulator,
  names: { cluster: string; service: string },
  options: { tag?: string; desiredCount?: number; rollback?: boolean } = {},
): string {
  const revision = emulator.ecs.seedTaskDefinition(agentDefinition(names.service, options.tag));
  emulator.ecs.seedService({
    cluster: names.cluster,
    name: names.service,
    taskDefinition: revision,
    desiredCount: options.desiredCount ?? 2,
    circuitBreaker: { enable: true, rollback: options.rollback ?? true },
  });
  return revision;
}

/** EcsContainers through the real SDK client pointed at the emulator. */
export function containersOn(emulator: AwsEmulator): EcsContainers {
  return new EcsContainers(
    createEcsClient({ region: emulator.region, endpoint: emulator.url, credentials: TEST_CREDENTIALS }),
  );
}
