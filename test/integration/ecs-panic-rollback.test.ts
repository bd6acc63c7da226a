/**
 * The ecs-image panic rollback (seed 002) through the real ECS client against the AWS emulator: back to the captured
 * revision (StopServiceDeployment ROLLBACK while ECS still rolls the bad one out, else one UpdateService), followed
 * until stable, then the bad revision deregistered; repeated calls (a crash at any step) send each effect once.
 */
import { EcsImageMethod } from '../../src/adapters/aws/ecs-image-method.js';
import type { Hotfix } from '../../src/domain/hotfix.js';
import type { MethodRollback } from '../../src/ports/deploy-method.js';
import { hotfixIn } from '../unit/domain/builders.js';
import { ManualClock } from '../emulators/jenkins/index.js';
import { FAULTS, startAwsEmulator, type AwsEmulator } from '../emulators/aws/index.js';
import { containersOn, seedAgentService } from '../helpers/ecs-world.js';

const NAMES = { cluster: 'staging-acme', service: 'staging-acme-external-agent' };
const GOOD = `${NAMES.service}:1`;
const BAD = `${NAMES.service}:2`;

describe('the ecs-image panic rollback against the AWS emulator', () => {
  const clock = new ManualClock();
  let emulator: AwsEmulator;
  let method: EcsImageMethod;
  let rollback: MethodRollback;
  let hotfix: Hotfix;

  const deployed = async (): Promise<Hotfix> => {
    const h = hotfixIn('failed', {
      method: 'ecs-image',
      services: [{ service: 'external-agent', tag: 'v2.14.3-hotfix.1', method: 'ecs-image' }],
    });
    return { ...h, refs: { ...h.refs, ...(await method.start(h)) } };
  };
  const updatesBack = () =>
    emulator.callsOf('UpdateService').filter((c) => String(c.body['taskDefinition']).endsWith(GOOD));
  const serviceNow = () => containersOn(emulator).service(NAMES.cluster, NAMES.service);

  beforeEach(async () => {
    emulator = await startAwsEmulator({ clock: clock.now, stepMs: 1000 });
    seedAgentService(emulator, NAMES);
    method = new EcsImageMethod(containersOn(emulator), { now: () => new Date(clock.now()) });
    if (!method.rollback) throw new Error('ecs-image offers no rollback');
    rollback = method.rollback;
  });
  afterEach(() => emulator.close());

  it('names the revision it returns to, for the confirmation, also when the deploy never recorded its revision', async () => {
    hotfix = await deployed();
    const expected = { 'external-agent': `task definition ${GOOD} (${BAD} deregistered)` };
    await expect(rollback.returnsTo(hotfix)).resolves.toEqual(expected);
    // A crash between RegisterTaskDefinition and recording it: the revision is found by the hotfix's ULID tag.
    await expect(rollback.returnsTo({ ...hotfix, refs: {} })).resolves.toEqual(expected);
  });

  it('after a completed rollout: one UpdateService back, followed until stable, then the bad revision deregistered once', async () => {
    hotfix = await deployed();
    clock.advance(10_000);
    expect((await serviceNow())?.taskDefinition).toContain(BAD);
    await rollback.start(hotfix);
    await rollback.start(hotfix); // a crash after UpdateService: the re-run finds the service on its way back
    expect(updatesBack()).toHaveLength(1);
    const rolling = await rollback.poll(hotfix);
    expect(rolling.status).toBe('running');
    expect(rolling.stages).toEqual([
      { name: `external-agent: back to ${GOOD} (desired 2 · running 0 · pending 2)`, status: 'running' },
      { name: `external-agent: running tasks on ${GOOD}`, status: 'pending' },
      { name: `external-agent: deregister ${BAD}`, status: 'pending' },
    ]);
    expect(emulator.callsOf('DeregisterTaskDefinition')).toHaveLength(0);
    clock.advance(10_000);
    const done = await rollback.poll(hotfix);
    expect(done.status).toBe('succeeded');
    expect(done.stages).toContainEqual({
      name: `external-agent: running tasks on ${GOOD} (2 of 2)`,
      status: 'succeeded',
    });
    expect(done.stages.at(-1)).toEqual({ name: `external-agent: deregister ${BAD}`, status: 'succeeded' });
    // A crash after the deregistration: the re-run sees the revision INACTIVE and sends nothing again.
    await expect(rollback.poll(hotfix)).resolves.toMatchObject({ status: 'succeeded' });
    await rollback.start(hotfix);
    expect(emulator.callsOf('DeregisterTaskDefinition')).toHaveLength(1);
    expect(updatesBack()).toHaveLength(1);
    expect((await serviceNow())?.taskDefinition).toContain(GOOD);
  });

  it('while ECS still rolls the bad revision out, stops that deployment with ROLLBACK instead of updating', async () => {
    emulator.ecs.scriptNextRollout(NAMES.cluster, NAMES.service, { outcome: 'stall' });
    hotfix = await deployed();
    await rollback.start(hotfix);
    await rollback.start(hotfix);
    expect(emulator.callsOf('StopServiceDeployment')).toEqual([
      expect.objectContaining({ body: expect.objectContaining({ stopType: 'ROLLBACK' }) }),
    ]);
    expect(updatesBack()).toHaveLength(0);
    clock.advance(10_000);
    await expect(rollback.poll(hotfix)).resolves.toMatchObject({ status: 'succeeded' });
    expect(emulator.callsOf('DeregisterTaskDefinition')).toHaveLength(1);
  });

  it("after ECS's circuit breaker already rolled back, sends nothing back and only deregisters", async () => {
    emulator.ecs.scriptNextRollout(NAMES.cluster, NAMES.service, { outcome: 'fail' });
    hotfix = await deployed();
    clock.advance(30_000);
    await rollback.start(hotfix);
    expect(updatesBack()).toHaveLength(0);
    expect(emulator.callsOf('StopServiceDeployment')).toHaveLength(0);
    await expect(rollback.poll(hotfix)).resolves.toMatchObject({ status: 'succeeded' });
    expect(emulator.callsOf('DeregisterTaskDefinition')).toHaveLength(1);
  });

  it('a throttled step is retryable and, retried, still updates once', async () => {
    hotfix = await deployed();
    clock.advance(10_000);
    emulator.failNext('UpdateService', FAULTS.throttling);
    await expect(rollback.start(hotfix)).rejects.toMatchObject({ code: 'throttled', retryable: true });
    await rollback.start(hotfix);
    expect(updatesBack()).toHaveLength(1);
  });

  it('access denied on the UpdateService back fails the rollback with what was refused, and sends nothing more', async () => {
    hotfix = await deployed();
    clock.advance(10_000);
    emulator.failNext('UpdateService', FAULTS.accessDenied);
    const refs = await rollback.start(hotfix);
    const progress = await rollback.poll({ ...hotfix, refs: { ...hotfix.refs, ...refs } });
    expect(progress.status).toBe('failed');
    expect(progress.status === 'failed' && progress.message).toMatch(
      /AWS refused the bot's credentials while updating ECS service .*AccessDeniedException/,
    );
    expect(updatesBack()).toHaveLength(0);
    expect(emulator.callsOf('DeregisterTaskDefinition')).toHaveLength(0);
  });

  it('a rollback whose own rollout fails is a failure with the reason', async () => {
    hotfix = await deployed();
    clock.advance(10_000);
    emulator.ecs.scriptNextRollout(NAMES.cluster, NAMES.service, {
      outcome: 'fail',
      reason: 'image pull failed',
    });
    await rollback.start(hotfix);
    clock.advance(10_000);
    const progress = await rollback.poll(hotfix);
    expect(progress.status).toBe('failed');
    expect(progress.status === 'failed' && progress.message).toMatch(
      /not returning to .*:1|rollback of .* failed/,
    );
    expect(emulator.callsOf('DeregisterTaskDefinition')).toHaveLength(0);
  });
});
