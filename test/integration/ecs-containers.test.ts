/** Contract of the Containers port on ECS: EcsContainers through the real SDK client against the AWS emulator. */
import { DescribeServicesCommand, ECSClient } from '@aws-sdk/client-ecs';
import { ContainersError } from '../../src/ports/containers.js';
import { ManualClock } from '../emulators/jenkins/index.js';
import { FAULTS, startAwsEmulator, TEST_CREDENTIALS, type AwsEmulator } from '../emulators/aws/index.js';
import { AGENT_REPO, containersOn, seedAgentService } from '../helpers/ecs-world.js';
import type { EcsContainers } from '../../src/adapters/aws/ecs-containers.js';

const NAMES = { cluster: 'prod-acme', service: 'prod-external-agent-acme' };

describe('EcsContainers against the AWS emulator', () => {
  const clock = new ManualClock();
  let emulator: AwsEmulator;
  let ecs: EcsContainers;

  beforeEach(async () => {
    emulator = await startAwsEmulator({ clock: clock.now, stepMs: 1000 });
    seedAgentService(emulator, NAMES);
    ecs = containersOn(emulator);
  });
  afterEach(() => emulator.close());

  it('reads a service with its deployment and the running revision with its images', async () => {
    const service = await ecs.service(NAMES.cluster, NAMES.service);
    expect(service).toMatchObject({
      name: NAMES.service,
      desiredCount: 2,
      runningCount: 2,
      deployments: [{ status: 'PRIMARY', rolloutState: 'COMPLETED', runningCount: 2 }],
    });
    const revision = await ecs.taskDefinition(service?.taskDefinition ?? '');
    expect(revision).toMatchObject({ family: NAMES.service, revision: 1, status: 'ACTIVE' });
    expect(revision.images['external-agent']).toBe(`${AGENT_REPO}:v2.14.2`);
    expect(revision.definition).not.toHaveProperty('taskDefinitionArn');
    expect(revision.definition).not.toHaveProperty('registeredAt');
  });

  it('signs every call with SigV4 for the region and service, as the JSON 1.1 protocol wants', async () => {
    await ecs.service(NAMES.cluster, NAMES.service);
    // A client with a key the emulator does not know is refused the way AWS refuses it, and mapped to denied.
    const stranger = new ECSClient({
      region: emulator.region,
      endpoint: emulator.url,
      maxAttempts: 1,
      credentials: { accessKeyId: 'AKIAUNKNOWN000000000', secretAccessKey: 'x' },
    });
    const error = await stranger
      .send(new DescribeServicesCommand({ cluster: NAMES.cluster, services: [NAMES.service] }))
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'UnrecognizedClientException', $metadata: { httpStatusCode: 403 } });
  });

  it('reads a missing service as undefined and a missing cluster as not_found, naming it', async () => {
    await expect(ecs.service(NAMES.cluster, 'no-such-service')).resolves.toBeUndefined();
    const error = await ecs.service('no-such-cluster', NAMES.service).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ContainersError);
    expect(error).toMatchObject({ code: 'not_found', retryable: false });
    expect((error as Error).message).toMatch(/no-such-cluster.*ClusterNotFoundException/);
  });

  it('registers a tagged revision and finds it again by the tag', async () => {
    const running = await ecs.taskDefinition(`${NAMES.service}:1`);
    const registered = await ecs.register(running.definition, [
      { key: 'hotfix-bot:hotfix', value: '01ULID' },
    ]);
    expect(registered.revision).toBe(2);
    await ecs.register(running.definition, []);
    const found = await ecs.findTagged(NAMES.service, 'hotfix-bot:hotfix', '01ULID');
    expect(found?.arn).toBe(registered.arn);
    await expect(ecs.findTagged(NAMES.service, 'hotfix-bot:hotfix', 'other')).resolves.toBeUndefined();
  });

  it('follows a rollout: deployments[] progress until COMPLETED, then tasks run the new revision', async () => {
    const running = await ecs.taskDefinition(`${NAMES.service}:1`);
    const next = await ecs.register(running.definition, []);
    await ecs.updateService(NAMES.cluster, NAMES.service, next.arn);
    let service = await ecs.service(NAMES.cluster, NAMES.service);
    expect(service?.deployments.map((d) => [d.status, d.rolloutState])).toEqual([
      ['PRIMARY', 'IN_PROGRESS'],
      ['ACTIVE', 'COMPLETED'],
    ]);
    clock.advance(1000);
    service = await ecs.service(NAMES.cluster, NAMES.service);
    expect(service?.deployments[0]).toMatchObject({ runningCount: 1, pendingCount: 1 });
    clock.advance(2000);
    service = await ecs.service(NAMES.cluster, NAMES.service);
    expect(service?.deployments).toEqual([
      expect.objectContaining({ rolloutState: 'COMPLETED', runningCount: 2 }),
    ]);
    expect(service?.events[0]?.message).toMatch(/steady state/);
    await expect(ecs.runningTaskDefinitions(NAMES.cluster, NAMES.service)).resolves.toEqual([
      next.arn,
      next.arn,
    ]);
  });

  it('stops an in-progress deployment with ROLLBACK, and says so when nothing is in progress', async () => {
    await expect(ecs.stopWithRollback(NAMES.cluster, NAMES.service)).resolves.toBe(false);
    const running = await ecs.taskDefinition(`${NAMES.service}:1`);
    const next = await ecs.register(running.definition, []);
    emulator.ecs.scriptNextRollout(NAMES.cluster, NAMES.service, { outcome: 'stall' });
    await ecs.updateService(NAMES.cluster, NAMES.service, next.arn);
    await expect(ecs.stopWithRollback(NAMES.cluster, NAMES.service)).resolves.toBe(true);
    expect(emulator.callsOf('StopServiceDeployment')[0]?.body).toMatchObject({ stopType: 'ROLLBACK' });
    const service = await ecs.service(NAMES.cluster, NAMES.service);
    expect(service?.taskDefinition).toBe(running.arn);
    expect(service?.deployments[0]).toMatchObject({ status: 'PRIMARY', taskDefinition: running.arn });
  });

  it('deregisters a revision; ECS refusing a second time as already inactive counts as done', async () => {
    const running = await ecs.taskDefinition(`${NAMES.service}:1`);
    const next = await ecs.register(running.definition, []);
    await ecs.deregister(next.arn);
    await expect(ecs.taskDefinition(next.arn)).resolves.toMatchObject({ status: 'INACTIVE' });
    await expect(ecs.deregister(next.arn)).resolves.toBeUndefined();
    // ECS did refuse the second: the adapter read that refusal as the revision being gone already.
    expect(
      emulator.calls.filter(
        (c) => c.operation === 'DeregisterTaskDefinition' && c.errorType === 'ClientException',
      ),
    ).toHaveLength(1);
  });

  it('maps throttling and 5xx to retryable errors and access denied to a readable, final one', async () => {
    emulator.failNext('DescribeServices', FAULTS.throttling);
    await expect(ecs.service(NAMES.cluster, NAMES.service)).rejects.toMatchObject({
      code: 'throttled',
      retryable: true,
    });
    emulator.failNext('DescribeServices', FAULTS.serverError);
    await expect(ecs.service(NAMES.cluster, NAMES.service)).rejects.toMatchObject({
      code: 'unavailable',
      retryable: true,
    });
    emulator.failNext('UpdateService', FAULTS.accessDenied);
    const error = await ecs.updateService(NAMES.cluster, NAMES.service, 'x:1').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'denied', retryable: false });
    expect((error as Error).message).toMatch(/updating ECS service prod-external-agent-acme.*not authorized/);
    // One call each: the client does not retry inside a call (retries are delayed jobs).
    expect(emulator.calls.filter((c) => c.operation === 'DescribeServices')).toHaveLength(2);
    expect(JSON.stringify(emulator.calls)).not.toContain(TEST_CREDENTIALS.secretAccessKey);
  });
});
