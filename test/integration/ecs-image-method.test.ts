/**
 * Contract of the ecs-image method: EcsImageMethod over EcsContainers, through the real ECS client, against the AWS
 * emulator. Hotfixes come from real domain decisions (test/unit/domain/builders.ts); the test catalog's acme staging
 * puts external-agent on service staging-acme-external-agent in cluster staging-acme.
 */
import { EcsImageMethod, revisionRef } from '../../src/adapters/aws/ecs-image-method.js';
import { rollbackToRef } from '../../src/adapters/aws/ecs-image-target.js';
import type { Hotfix } from '../../src/domain/hotfix.js';
import { hotfixIn } from '../unit/domain/builders.js';
import { ManualClock } from '../emulators/jenkins/index.js';
import { FAULTS, startAwsEmulator, type AwsEmulator } from '../emulators/aws/index.js';
import { AGENT_REPO, agentDefinition, containersOn, seedAgentService } from '../helpers/ecs-world.js';

const NAMES = { cluster: 'staging-acme', service: 'staging-acme-external-agent' };
const TAG = 'v2.14.3-hotfix.1';

function deploying(): Hotfix {
  return hotfixIn('deploying', {
    method: 'ecs-image',
    services: [{ service: 'external-agent', tag: TAG, method: 'ecs-image' }],
  });
}

describe('EcsImageMethod against the AWS emulator', () => {
  const clock = new ManualClock();
  let emulator: AwsEmulator;
  let method: EcsImageMethod;

  /** Starts the hotfix and returns it with the refs the workflow would record. */
  const started = async (hotfix: Hotfix): Promise<Hotfix> => ({
    ...hotfix,
    refs: { ...hotfix.refs, ...(await method.start(hotfix)) },
  });
  /** Polls with the clock moved on by `ms` first. */
  const pollAfter = (hotfix: Hotfix, ms: number) => {
    clock.advance(ms);
    return method.poll(hotfix);
  };

  beforeEach(async () => {
    emulator = await startAwsEmulator({ clock: clock.now, stepMs: 1000 });
    seedAgentService(emulator, NAMES);
    method = new EcsImageMethod(containersOn(emulator), { now: () => new Date(clock.now()) });
  });
  afterEach(() => emulator.close());

  it('captures the running image and revision as the rollback target, and shows the exact image change', async () => {
    const hotfix = deploying();
    // The version the rollback returns to is the running image's tag, a tag of the service like any other.
    await expect(method.currentVersions(hotfix)).resolves.toEqual({ 'external-agent': 'v2.14.2' });
    const plan = await method.plan(hotfix);
    expect(plan).toEqual([
      `ECS ${NAMES.cluster}/${NAMES.service}: a copy of ${NAMES.service}:1 with container external-agent ${AGENT_REPO}:v2.14.2 → ${AGENT_REPO}:${TAG}; nothing else changes`,
    ]);
    // The revision it returns to is recorded by the start, from the new revision's REPLACES tag, also on a re-run.
    const first = await method.start(hotfix);
    const again = await method.start({ ...hotfix, refs: { ...hotfix.refs, ...first } });
    for (const refs of [first, again])
      expect(refs[rollbackToRef('external-agent')]).toMatch(
        new RegExp(`task-definition/${NAMES.service}:1$`),
      );
  });

  it("flags a family's latest revision that differs from the running one in anything but the image", async () => {
    emulator.ecs.seedTaskDefinition(agentDefinition(NAMES.service, 'v2.15.0', 'debug'));
    const plan = await method.plan(deploying());
    expect(plan[1]).toMatch(
      new RegExp(
        `${NAMES.service}:2, the family's latest revision, differs from the running ${NAMES.service}:1 in container external-agent: environment`,
      ),
    );
    // A newer revision that only changed the image is not flagged.
    emulator.ecs.seedTaskDefinition(agentDefinition(NAMES.service, 'v2.16.0'));
    await expect(method.plan(deploying())).resolves.toHaveLength(1);
  });

  it('registers one revision copied from the running one with only the image changed, tagged with the ULID', async () => {
    const hotfix = await started(deploying());
    const [register] = emulator.callsOf('RegisterTaskDefinition');
    const running = agentDefinition(NAMES.service) as unknown as {
      containerDefinitions: { image: string }[];
    };
    const expected = structuredClone(running);
    expected.containerDefinitions[0]!.image = `${AGENT_REPO}:${TAG}`;
    expect(register?.body).toEqual({
      ...expected,
      tags: [
        { key: 'hotfix-bot:hotfix', value: hotfix.ulid },
        { key: 'hotfix-bot:replaces', value: expect.stringContaining(`${NAMES.service}:1`) },
        { key: 'hotfix-bot:id', value: hotfix.id },
      ],
    });
    expect(emulator.callsOf('UpdateService')[0]?.body).toMatchObject({
      cluster: NAMES.cluster,
      service: NAMES.service,
      taskDefinition: expect.stringContaining(`${NAMES.service}:2`),
    });
    expect(hotfix.refs).toMatchObject({
      ecsService: `${NAMES.cluster}/${NAMES.service}`,
      ecsTaskDefinition: `${NAMES.service}:2`,
    });
  });

  it('a re-run of start after register or after UpdateService reuses the tagged revision and updates once', async () => {
    const hotfix = deploying();
    // A crash right after RegisterTaskDefinition: the next start must find that revision, not register another.
    emulator.failNext('UpdateService', FAULTS.serverError);
    await expect(method.start(hotfix)).rejects.toMatchObject({ code: 'unavailable' });
    await method.start(hotfix);
    // A crash after UpdateService: the service already rolls the revision out.
    await method.start(hotfix);
    expect(emulator.callsOf('RegisterTaskDefinition')).toHaveLength(1);
    expect(emulator.callsOf('UpdateService')).toHaveLength(1);
  });

  it('follows deployments[] until COMPLETED with running == desired, then confirms the tasks run the new revision', async () => {
    const hotfix = await started(deploying());
    const first = await method.poll(hotfix);
    expect(first.status).toBe('running');
    expect(first.stages.map((s) => s.name)).toEqual([
      `external-agent: register ${NAMES.service}:2 (${TAG})`,
      `${NAMES.service}: roll out ${NAMES.service}:2 (desired 2 · running 0 · pending 2)`,
      expect.stringMatching(/latest event: .*has started a deployment/),
      `external-agent: running tasks on ${NAMES.service}:2`,
    ]);
    const half = await pollAfter(hotfix, 1000);
    expect(half.stages[1]?.name).toContain('running 1 · pending 1');
    expect(half.status).toBe('running');
    const done = await pollAfter(hotfix, 2000);
    expect(done.status).toBe('succeeded');
    expect(done.stages.at(-1)).toEqual({
      name: `external-agent: running tasks on ${NAMES.service}:2 (2 of 2)`,
      status: 'succeeded',
    });
    expect(emulator.callsOf('ListTasks').length).toBeGreaterThan(0);
  });

  it('fails with ECS reason when the circuit breaker rolls the service back, though the service is stable again', async () => {
    emulator.ecs.scriptNextRollout(NAMES.cluster, NAMES.service, {
      outcome: 'fail',
      failAfterSteps: 2,
      reason: 'essential container in task exited',
    });
    const hotfix = await started(deploying());
    expect((await pollAfter(hotfix, 1000)).status).toBe('running');
    // Long after: ECS has rolled back and is steady on :1, one deployment, running == desired.
    const after = await pollAfter(hotfix, 60_000);
    const service = await containersOn(emulator).service(NAMES.cluster, NAMES.service);
    expect(service?.deployments).toEqual([
      expect.objectContaining({ rolloutState: 'COMPLETED', runningCount: 2 }),
    ]);
    expect(after).toMatchObject({ status: 'failed' });
    expect(after.status === 'failed' && after.message).toMatch(
      new RegExp(
        `ECS put ${NAMES.service} back on ${NAMES.service}:1 instead of ${NAMES.service}:2: .*essential container in task exited`,
      ),
    );
  });

  it('fails with rolloutStateReason when the rollout FAILED without a rollback', async () => {
    emulator = await restartWith({ rollback: false });
    emulator.ecs.scriptNextRollout(NAMES.cluster, NAMES.service, {
      outcome: 'fail',
      reason: 'image not found',
    });
    const hotfix = await started(deploying());
    const after = await pollAfter(hotfix, 5000);
    expect(after.status === 'failed' && after.message).toBe(
      `The rollout of ${NAMES.service}:2 on ${NAMES.service} failed: ECS deployment circuit breaker: image not found.`,
    );
  });

  it("fails a rollout that does not finish within the catalog's timeout", async () => {
    emulator.ecs.scriptNextRollout(NAMES.cluster, NAMES.service, { outcome: 'stall' });
    const base = deploying();
    const hotfix = await started({
      ...base,
      times: { ...base.times, attemptStartedAt: new Date(clock.now()).toISOString() },
    });
    expect((await pollAfter(hotfix, 29 * 60_000)).status).toBe('running');
    const late = await pollAfter(hotfix, 2 * 60_000);
    expect(late.status === 'failed' && late.message).toMatch(
      /did not finish within 30 minutes .*running 0 · pending 2/,
    );
  });

  it('a start refused for good (access denied) fails the hotfix readably at the next poll, nothing registered', async () => {
    emulator.failNext('RegisterTaskDefinition', FAULTS.accessDenied);
    const hotfix = await started(deploying());
    const progress = await method.poll(hotfix);
    expect(progress.status === 'failed' && progress.message).toMatch(
      /registering a revision .*not authorized/,
    );
    expect(emulator.callsOf('UpdateService')).toHaveLength(0);
  });

  it('throttling while polling throws a retryable error (the step retries as a delayed job)', async () => {
    const hotfix = await started(deploying());
    emulator.failNext('DescribeServices', FAULTS.throttling);
    await expect(method.poll(hotfix)).rejects.toMatchObject({ code: 'throttled', retryable: true });
  });

  it('the plan-time check names a missing service or cluster and passes an existing one', async () => {
    await expect(method.checkTarget(deploying())).resolves.toBeUndefined();
    await emulator.close();
    emulator = await startAwsEmulator({ clock: clock.now });
    emulator.ecs.clusters.add(NAMES.cluster);
    method = new EcsImageMethod(containersOn(emulator), { now: () => new Date(clock.now()) });
    await expect(method.checkTarget(deploying())).resolves.toMatch(
      `ECS cluster ${NAMES.cluster} has no service ${NAMES.service}`,
    );
    emulator.ecs.clusters.clear();
    await expect(method.checkTarget(deploying())).resolves.toMatch(/ClusterNotFoundException/);
  });

  it('abort stops a rollout in progress with ECS rollback', async () => {
    emulator.ecs.scriptNextRollout(NAMES.cluster, NAMES.service, { outcome: 'stall' });
    const hotfix = await started(deploying());
    await expect(method.abort(hotfix)).resolves.toMatch(/stopped the rollout of .*:2; ECS is rolling back/);
    expect(emulator.callsOf('StopServiceDeployment')).toHaveLength(1);
    expect(hotfix.refs[revisionRef('external-agent')]).toContain(':2');
  });

  it('abort after the rollout finished returns the service to the revision it replaced, once however often it runs', async () => {
    const hotfix = await started(deploying());
    clock.advance(10_000);
    const said = await method.abort(hotfix);
    expect(said).toMatch(
      new RegExp(
        `${NAMES.service}:2 had rolled out; returned the service to ${NAMES.service}:1 \\(one UpdateService\\)`,
      ),
    );
    expect(said).toContain(`${NAMES.service}:2 stays registered until the hotfix is rolled back`);
    // A re-run after a crash finds the service on its way back and sends nothing more.
    await expect(method.abort(hotfix)).resolves.toMatch(new RegExp(`on its way back to ${NAMES.service}:1`));
    const back = emulator
      .callsOf('UpdateService')
      .filter((c) => String(c.body['taskDefinition']).endsWith(`${NAMES.service}:1`));
    expect(back).toHaveLength(1);
    expect(emulator.callsOf('StopServiceDeployment')).toHaveLength(0);
  });

  async function restartWith(options: { rollback: boolean }): Promise<AwsEmulator> {
    await emulator.close();
    const next = await startAwsEmulator({ clock: clock.now, stepMs: 1000 });
    seedAgentService(next, NAMES, options);
    method = new EcsImageMethod(containersOn(next), { now: () => new Date(clock.now()) });
    return next;
  }
});
