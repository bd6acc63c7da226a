/**
 * Wire tests of the AWS emulator's one-shot services and CloudWatch Logs reads, through the real SDK clients: a
 * deployment service scaled to 1 runs one task that logs line by line and scales itself back to 0; a failing one
 * stays at 1 and is started again by ECS; DescribeLogStreams and GetLogEvents read its stream.
 */
import {
  CloudWatchLogsClient,
  DescribeLogStreamsCommand,
  GetLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import {
  DescribeServicesCommand,
  DescribeTasksCommand,
  ECSClient,
  ListTasksCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { ManualClock } from '../emulators/jenkins/index.js';
import { startAwsEmulator, TEST_CREDENTIALS, type AwsEmulator } from '../emulators/aws/index.js';
import { seedDeploymentService, STAGING_DEPLOYMENT } from '../helpers/run-once-world.js';

const { cluster, service, logGroup } = STAGING_DEPLOYMENT;

describe('the AWS emulator: one-shot services and their logs', () => {
  const clock = new ManualClock();
  let emulator: AwsEmulator;
  let ecs: ECSClient;
  let logs: CloudWatchLogsClient;

  beforeEach(async () => {
    emulator = await startAwsEmulator({ clock: clock.now, stepMs: 1000 });
    seedDeploymentService(emulator, '2024.11.3');
    const options = {
      region: emulator.region,
      endpoint: emulator.url,
      credentials: TEST_CREDENTIALS,
      maxAttempts: 1,
    };
    ecs = new ECSClient(options);
    logs = new CloudWatchLogsClient(options);
  });
  afterEach(() => emulator.close());

  const tasks = async (desiredStatus: 'RUNNING' | 'STOPPED') => {
    const listed = await ecs.send(new ListTasksCommand({ cluster, serviceName: service, desiredStatus }));
    if ((listed.taskArns ?? []).length === 0) return [];
    return (await ecs.send(new DescribeTasksCommand({ cluster, tasks: listed.taskArns }))).tasks ?? [];
  };
  const desired = async () =>
    (await ecs.send(new DescribeServicesCommand({ cluster, services: [service] }))).services?.[0]
      ?.desiredCount;

  it('runs one task when scaled to 1, logs each line, stops it with exit code 0 and scales back to 0', async () => {
    emulator.runOnce.scriptNextRun(cluster, service, { lines: ['start', 'migrate', 'done'] });
    await ecs.send(new UpdateServiceCommand({ cluster, service, desiredCount: 1 }));
    clock.advance(1500);
    const [running] = await tasks('RUNNING');
    expect(running?.lastStatus).toBe('RUNNING');
    expect(running?.createdAt?.getTime()).toBe(clock.now() - 1500);
    clock.advance(3000);
    expect(await tasks('RUNNING')).toEqual([]);
    const [stopped] = await tasks('STOPPED');
    expect(stopped?.containers?.[0]).toMatchObject({ name: 'deployment', exitCode: 0 });
    expect(stopped?.stopCode).toBe('EssentialContainerExited');
    expect(await desired()).toBe(0);

    const streams = await logs.send(
      new DescribeLogStreamsCommand({
        logGroupName: logGroup,
        orderBy: 'LastEventTime',
        descending: true,
        limit: 1,
      }),
    );
    const stream = streams.logStreams?.[0]?.logStreamName ?? '';
    expect(stream).toBe(`ecs/deployment/${stopped?.taskArn?.split('/').pop()}`);
    const read = await logs.send(
      new GetLogEventsCommand({ logGroupName: logGroup, logStreamName: stream, startFromHead: true }),
    );
    expect(read.events?.map((e) => e.message)).toEqual(['start', 'migrate', 'done']);
    // At the end, the forward token comes back unchanged and no events.
    const again = await logs.send(
      new GetLogEventsCommand({
        logGroupName: logGroup,
        logStreamName: stream,
        nextToken: read.nextForwardToken,
      }),
    );
    expect(again.events).toEqual([]);
    expect(again.nextForwardToken).toBe(read.nextForwardToken);
  });

  it('keeps a failed run at 1 desired, so ECS starts it again, until the count is set to 0 (the task is stopped)', async () => {
    emulator.runOnce.scriptNextRun(cluster, service, { lines: ['ERROR boom', 'Rolling back'], exitCode: 2 });
    await ecs.send(new UpdateServiceCommand({ cluster, service, desiredCount: 1 }));
    clock.advance(3500);
    expect(await desired()).toBe(1);
    const [failed] = await tasks('STOPPED');
    expect(failed?.containers?.[0]?.exitCode).toBe(2);
    expect(await tasks('RUNNING')).toHaveLength(1);
    await ecs.send(new UpdateServiceCommand({ cluster, service, desiredCount: 0 }));
    expect(await tasks('RUNNING')).toEqual([]);
    const stopped = await tasks('STOPPED');
    expect(stopped).toHaveLength(2);
    expect(stopped.find((t) => t.stopCode === 'ServiceSchedulerInitiated')?.containers?.[0]?.exitCode).toBe(
      143,
    );
  });

  it('refuses DescribeLogStreams ordered by last event time with a name prefix, and an unknown stream', async () => {
    await expect(
      logs.send(
        new DescribeLogStreamsCommand({
          logGroupName: logGroup,
          orderBy: 'LastEventTime',
          logStreamNamePrefix: 'ecs/',
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidParameterException' });
    await expect(
      logs.send(new GetLogEventsCommand({ logGroupName: logGroup, logStreamName: 'ecs/deployment/none' })),
    ).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });
});
