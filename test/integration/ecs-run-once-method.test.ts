/**
 * Contract of the ecs-run-once method: EcsRunOnceMethod through the real ECS and CloudWatch Logs clients against the
 * AWS emulator, with the process guard on the real PostgreSQL (a database of this file's own). Hotfixes come from real
 * domain decisions (test/unit/domain/builders.ts); the test catalog's acme staging names the deployment service
 * staging-acme-deployment in cluster staging-acme and the guard's connection variable PG_ACME_STAGING.
 */
import { createEcsClient, createLogsClient } from '../../src/adapters/aws/aws-clients.js';
import { EcsContainers } from '../../src/adapters/aws/ecs-containers.js';
import { EcsRunOnceAws } from '../../src/adapters/aws/ecs-run-once-aws.js';
import { EcsRunOnceMethod } from '../../src/adapters/aws/ecs-run-once-method.js';
import { PostgresProcessGuard } from '../../src/adapters/postgres/postgres-process-guard.js';
import type { Hotfix } from '../../src/domain/hotfix.js';
import type { DeployProgress } from '../../src/ports/deploy-method.js';
import { createRedactor } from '../../src/redact.js';
import { hotfixIn } from '../unit/domain/builders.js';
import { ManualClock } from '../emulators/jenkins/index.js';
import { FAULTS, startAwsEmulator, TEST_CREDENTIALS, type AwsEmulator } from '../emulators/aws/index.js';
import { processDatabase, seedDeploymentService } from '../helpers/run-once-world.js';

const NAMES = {
  cluster: 'staging-acme',
  service: 'staging-acme-deployment',
  logGroup: '/ecs/staging-deployment-acme',
};
const TAG = '2024.11.3-hotfix.2';
const db = processDatabase('hotfix_runonce_method');

beforeAll(() => db.create());
afterAll(() => db.drop());

describe('EcsRunOnceMethod against the AWS emulator and PostgreSQL', () => {
  const clock = new ManualClock();
  let emulator: AwsEmulator;
  let env: NodeJS.ProcessEnv;
  let method: EcsRunOnceMethod;

  /** The hotfix with its attempt begun and its start's intent recorded now, as the workflow records them. */
  const intended = (
    hotfix: Hotfix = hotfixIn('deploying', {
      method: 'ecs-run-once',
      services: [{ service: 'deployment', tag: TAG, method: 'ecs-run-once' }],
    }),
  ): Hotfix => ({
    ...hotfix,
    times: { ...hotfix.times, attemptStartedAt: new Date(clock.now()).toISOString() },
    steps: {
      ...hotfix.steps,
      [`start_${hotfix.attempts}`]: { intent: { key: 'k', at: new Date(clock.now()).toISOString() } },
    },
  });
  const started = async (hotfix: Hotfix): Promise<Hotfix> => ({
    ...hotfix,
    refs: { ...hotfix.refs, ...(await method.start(hotfix)) },
  });
  /** Polls with the clock moved on by `ms`, and records what the workflow records (the notes). */
  const pollAfter = async (hotfix: Hotfix, ms: number): Promise<[Hotfix, DeployProgress]> => {
    clock.advance(ms);
    const progress = await method.poll(hotfix);
    return [{ ...hotfix, refs: { ...hotfix.refs, ...progress.notes } }, progress];
  };
  const scaledTo = (count: number) =>
    emulator.callsOf('UpdateService').filter((c) => c.body['desiredCount'] === count);

  beforeEach(async () => {
    await db.query('TRUNCATE meta.process');
    emulator = await startAwsEmulator({ clock: clock.now, stepMs: 1000 });
    seedDeploymentService(emulator, TAG, 0, NAMES);
    env = { PG_ACME_STAGING: db.url };
    const options = { region: emulator.region, endpoint: emulator.url, credentials: TEST_CREDENTIALS };
    const ecs = createEcsClient(options);
    const redact = createRedactor([]);
    method = new EcsRunOnceMethod({
      ecs: new EcsContainers(ecs),
      aws: new EcsRunOnceAws(ecs, createLogsClient(options)),
      guard: new PostgresProcessGuard({ env, redact, timeoutMs: 2000 }),
      clock: { now: () => new Date(clock.now()) },
      redact,
      region: emulator.region,
    });
  });
  afterEach(() => emulator.close());

  it('starts one task however often start runs: again at once, and again after the task finished and scaled back', async () => {
    emulator.runOnce.scriptNextRun(NAMES.cluster, NAMES.service, { lines: ['one', 'two'] });
    const hotfix = intended();
    const first = await started(hotfix);
    expect(scaledTo(1)).toHaveLength(1);
    await started(hotfix);
    expect(scaledTo(1)).toHaveLength(1);
    clock.advance(10_000);
    // The run is over and the service back at 0; a re-run of the same attempt finds its task and starts no other.
    await started(hotfix);
    expect(scaledTo(1)).toHaveLength(1);
    expect(emulator.runOnce.tasks).toHaveLength(1);
    const [, progress] = await pollAfter(first, 0);
    expect(progress.status).toBe('succeeded');
  });

  it('counts a task a dead runner started before a newer runner took the start over (a later intent)', async () => {
    emulator.runOnce.scriptNextRun(NAMES.cluster, NAMES.service, { lines: ['one'] });
    const hotfix = intended();
    await started(hotfix);
    clock.advance(10_000);
    // The run is over and back at 0 when the next runner records its own, later intent and calls start again.
    const takenOver = {
      ...hotfix,
      steps: {
        ...hotfix.steps,
        [`start_${hotfix.attempts}`]: { intent: { key: 'k2', at: new Date(clock.now()).toISOString() } },
      },
    };
    await started(takenOver);
    expect(scaledTo(1)).toHaveLength(1);
    expect(emulator.runOnce.tasks).toHaveLength(1);
  });

  it('reads the log from its cursor: each line once, across polls, the latest and the error lines kept', async () => {
    const lines = Array.from({ length: 12 }, (_, i) => (i === 3 ? 'ERROR step 3 retried' : `step ${i}`));
    emulator.runOnce.scriptNextRun(NAMES.cluster, NAMES.service, { lines });
    let hotfix = await started(intended());
    let progress: DeployProgress | undefined;
    for (let i = 0; i < 8 && progress?.status !== 'succeeded'; i += 1) {
      [hotfix, progress] = await pollAfter(hotfix, 2500);
    }
    expect(progress?.status).toBe('succeeded');
    expect(hotfix.refs['ecsLogLatest']?.split('\n')).toEqual(lines.slice(-8));
    expect(hotfix.refs['ecsLogErrors']).toBe('ERROR step 3 retried');
    // Later reads start where the earlier ones stopped.
    const starts = emulator.callsOf('FilterLogEvents').map((c) => Number(c.body['startTime']));
    expect(new Set(starts).size).toBeGreaterThan(2);
  });

  it('passes the plan-time check only with the latest revision and the log group there, saying what is wrong', async () => {
    const hotfix = intended();
    await expect(method.checkTarget(hotfix)).resolves.toBeUndefined();
    emulator.logs.groups.delete(NAMES.logGroup);
    expect(await method.checkTarget(hotfix)).toMatch(
      /^AWS found nothing while reading the log group \/ecs\/staging-deployment-acme \(ResourceNotFoundException.*nothing was planned\.$/,
    );
    emulator.logs.createGroup(NAMES.logGroup);
    emulator.ecs.seedTaskDefinition({
      family: NAMES.service,
      containerDefinitions: [{ name: 'deployment', image: `repo/deployment:2024.12.1`, essential: true }],
    });
    expect(await method.checkTarget(hotfix)).toBe(
      `${NAMES.service} runs ${NAMES.service}:1, but the family's latest revision is ${NAMES.service}:2; a hotfix runs the deployment service as it is (seed 000), so nothing was planned. Point the service at the revision you mean, then plan again.`,
    );
    expect(scaledTo(1)).toHaveLength(0);
  });

  it('fails a run past the timeout and sets the service back to 0', async () => {
    emulator.runOnce.scriptNextRun(NAMES.cluster, NAMES.service, {
      lines: ['migrating', 'still migrating'],
      stepMs: 3_600_000,
    });
    const hotfix = await started(intended());
    const [, progress] = await pollAfter(hotfix, 61 * 60_000);
    expect(progress.status).toBe('failed');
    if (progress.status !== 'failed') return;
    expect(progress.message.split('\n')[0]).toMatch(
      /did not finish within 60 minutes.*it logged no rollback.*the bot set it back to 0 desired/,
    );
    expect(scaledTo(0)).toHaveLength(1);
  });

  it('sets the service back to 0 when AWS refuses a call for good mid-run, and says so', async () => {
    emulator.runOnce.scriptNextRun(NAMES.cluster, NAMES.service, {
      lines: ['migrating', 'still migrating'],
      stepMs: 3_600_000,
    });
    const hotfix = await started(intended());
    const [running, first] = await pollAfter(hotfix, 1000);
    expect(first.status).toBe('running');
    expect(scaledTo(1)).toHaveLength(1);
    emulator.failNext('FilterLogEvents', FAULTS.accessDenied);
    const [, progress] = await pollAfter(running, 1000);
    expect(progress.status).toBe('failed');
    if (progress.status !== 'failed') return;
    expect(progress.message).toMatch(
      /^AWS refused a call while the deployment service staging-acme-deployment ran: .*not authorized.*\. the bot set staging-acme-deployment back to 0 desired, so ECS does not start its task again\. The bot has no rollback for it/,
    );
    expect(scaledTo(0)).toHaveLength(1);
  });

  it('waits while processes run, re-checking each poll, and fails readably past the limit without starting anything', async () => {
    await db.query(`INSERT INTO meta.process (name) VALUES ('nightly-billing')`);
    const hotfix = await started(intended());
    expect(scaledTo(1)).toHaveLength(0);
    const [, waiting] = await pollAfter(hotfix, 60_000);
    expect(waiting.status).toBe('running');
    expect(waiting.stages[0]).toEqual({
      name: 'Process guard: 1 process running; the deploy waits (up to 30 min)',
      status: 'waiting',
    });
    expect(waiting.stages[1]?.name).toMatch(/^running: id=\d+ name=nightly-billing api_token=\[REDACTED\]$/);
    const [, over] = await pollAfter(hotfix, 30 * 60_000);
    expect(over.status).toBe('failed');
    if (over.status !== 'failed') return;
    expect(over.message).toMatch(
      /^1 process was still running after 30 minutes, so the deployment service was not started/,
    );
    expect(scaledTo(1)).toHaveLength(0);
  });

  it('waits as long as the policy says for the env, over the setting in the env itself', async () => {
    await db.query(`INSERT INTO meta.process (name) VALUES ('nightly-billing')`);
    const base = intended();
    const hotfix = await started({
      ...base,
      snapshot: {
        ...base.snapshot,
        env: { ...base.snapshot.env, processGuard: { ...base.snapshot.env.processGuard!, waitMinutes: 45 } },
        policy: { ...base.snapshot.policy, processGuardWaitMinutes: { [base.env]: 5 } },
      },
    });
    expect(method.describe(hotfix).join('\n')).toContain('(up to 5 min)');
    const [, waiting] = await pollAfter(hotfix, 4 * 60_000);
    expect(waiting.status).toBe('running');
    expect(waiting.stages[0]?.name).toBe('Process guard: 1 process running; the deploy waits (up to 5 min)');
    const [, over] = await pollAfter(hotfix, 2 * 60_000);
    expect(over.status).toBe('failed');
    if (over.status === 'failed') expect(over.message).toMatch(/still running after 5 minutes/);
    expect(scaledTo(1)).toHaveLength(0);
  });

  it('fails readably when the database cannot be asked or the table is missing, and starts nothing', async () => {
    env['PG_ACME_STAGING'] = 'postgres://bot:pw-not-shown@127.0.0.1:1/none';
    const unreachable = await started(intended());
    const [, failed] = await pollAfter(unreachable, 1000);
    expect(failed.status).toBe('failed');
    if (failed.status === 'failed') {
      expect(failed.message).toMatch(/^The process guard could not tell whether processes are running/);
      expect(failed.message).not.toContain('pw-not-shown');
    }
    await db.query('ALTER TABLE meta.process RENAME TO process_gone');
    try {
      env['PG_ACME_STAGING'] = db.url;
      const missing = await started(intended());
      const [, refused] = await pollAfter(missing, 1000);
      expect(refused.status).toBe('failed');
      if (refused.status === 'failed') expect(refused.message).toMatch(/meta\.process/);
    } finally {
      await db.query('ALTER TABLE meta.process_gone RENAME TO process');
    }
    expect(scaledTo(1)).toHaveLength(0);
  });
});
