/**
 * An ecs-run-once hotfix on the started bot, end to end: ECS, CloudWatch Logs and Slack emulated at the wire (the
 * real SDK clients reach the AWS emulator through AWS_ENDPOINT_URL) and the process guard on the real PostgreSQL.
 * The plan is checked against the deployment service and the guard, approved, and deployed by setting the service
 * 0 -> 1 once; its log reaches the live status redacted; a non-zero exit fails it with the service's own rollback
 * lines and the count back at 0; running processes hold the deploy until they are gone.
 */
import { clickButton, sendSlashCommand } from '../emulators/slack/index.js';
import { startAwsEmulator, TEST_CREDENTIALS, type AwsEmulator } from '../emulators/aws/index.js';
import type { Hotfix } from '../../src/domain/hotfix.js';
import type { TestBot } from '../helpers/test-bot.js';
import { SIGNING_SECRET, startTestBot, waitForRecord } from '../helpers/test-bot.js';
import { processDatabase, seedDeploymentService, STAGING_DEPLOYMENT } from '../helpers/run-once-world.js';

const TAG = '2024.11.3-hotfix.2';
const db = processDatabase('hotfix_runonce');

let aws: AwsEmulator;
let t: TestBot;
const started = Date.now();
// The bot and AWS share one clock, as NTP-synced hosts do: a task's createdAt is compared with the start's intent.
const now = () => Date.parse('2026-11-17T15:05:00Z') + (Date.now() - started);
const saved = { id: process.env['AWS_ACCESS_KEY_ID'], secret: process.env['AWS_SECRET_ACCESS_KEY'] };
beforeAll(async () => {
  await db.create();
  aws = await startAwsEmulator({ stepMs: 150, clock: now });
  seedDeploymentService(aws, TAG);
  process.env['AWS_ACCESS_KEY_ID'] = TEST_CREDENTIALS.accessKeyId;
  process.env['AWS_SECRET_ACCESS_KEY'] = TEST_CREDENTIALS.secretAccessKey;
  t = await startTestBot(7, {
    clock: { now: () => new Date(now()) },
    env: { AWS_REGION: aws.region, AWS_ENDPOINT_URL: aws.url, PROCESS_GUARD_URL_ACME_STAGING: db.url },
  });
});
afterAll(async () => {
  await t.stop();
  await aws.close();
  await db.drop();
  for (const [name, value] of [
    ['AWS_ACCESS_KEY_ID', saved.id],
    ['AWS_SECRET_ACCESS_KEY', saved.secret],
  ] as const) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});
beforeEach(() => db.query('TRUNCATE meta.process'));

const opts = () => ({ emulator: t.slack });
const slash = (text: string, user = 'U0PRIYA') =>
  sendSlashCommand(t.eventsUrl, SIGNING_SECRET, { text, user_id: user, channel_id: 'C0INC4211' }, opts());
const textOf = (body: unknown) => String((body as { text?: unknown }).text ?? JSON.stringify(body));

async function planned(tag = TAG): Promise<Hotfix> {
  const answer = await slash(`plan deployment@${tag} acme staging`);
  const id = /HF-\d+/.exec(textOf(answer.body))?.[0];
  if (!id) throw new Error(`not planned: ${textOf(answer.body)}`);
  return (await t.bot.deps.store.findById(id))!;
}

async function approve(hotfix: Hotfix): Promise<Hotfix> {
  const withNotice = await waitForRecord(t.bot, hotfix.ulid, (h) => h.refs['noticeTs'] !== undefined);
  await clickButton(
    t.eventsUrl,
    SIGNING_SECRET,
    { user: 'U0BOB', channel: 'C0CHANGECTL', ts: withNotice.refs['noticeTs']!, action_id: 'hotfix_approve' },
    opts(),
  );
  return waitForRecord(t.bot, hotfix.ulid, (h) => h.times.approvedAt !== undefined);
}

const threadOf = (h: Hotfix) =>
  t.slack.messages('C0INC4211').find((m) => m.ts === h.refs['planTs'])?.replies ?? [];
const statusShows = (h: Hotfix, pattern: RegExp) =>
  t.slack.waitFor(() => {
    const status = threadOf(h).find(
      (r) =>
        (r.metadata as { event_payload?: { kind?: unknown } } | undefined)?.event_payload?.kind === 'status',
    );
    return status && pattern.test(JSON.stringify(status.blocks)) ? status : undefined;
  }, 8000);
const scaledTo = (count: number) =>
  aws.callsOf('UpdateService').filter((c) => c.body['desiredCount'] === count);
const service = () => aws.ecs.services.find((s) => s.name === STAGING_DEPLOYMENT.service)!;
const told = (hotfix: Hotfix) =>
  t.slack.waitFor(() =>
    t.slack.ephemerals('U0PRIYA').find((e) => e.text.startsWith(`${hotfix.id} was not put up for approval`)),
  );
/** Where a run-once hotfix stops by itself: completed, or failed awaiting a person. */
const SETTLED = new Set(['completed', 'failed']);
async function resolve(hotfix: Hotfix, why: string) {
  // A deployment service without health checks is verified by its run's success: nothing is left to resolve then.
  const settled = await waitForRecord(t.bot, hotfix.ulid, (h) => SETTLED.has(h.state), 15_000);
  if (settled.state === 'completed') return;
  await slash(`resolve ${hotfix.id} "${why}"`);
  if ((await t.bot.deps.store.load(hotfix.ulid))?.state !== 'resolved')
    await slash('unlock acme staging "verified by hand"', 'U0RELMGR1');
  await waitForRecord(t.bot, hotfix.ulid, (h) => h.state === 'resolved');
}

describe('an ecs-run-once hotfix through the bot', () => {
  it('sets the deployment service 0 -> 1 once, shows its log redacted with a console link, and succeeds when it exits 0 back at 0', async () => {
    aws.runOnce.scriptNextRun(STAGING_DEPLOYMENT.cluster, STAGING_DEPLOYMENT.service, {
      lines: [
        'Deployment 2024.11.3-hotfix.2 starting',
        'Connecting to postgres://deployer:hunter2-very-secret@db.internal/acme',
        'Applying migration 0042',
        'Deployment finished',
      ],
    });
    const hotfix = await approve(await planned());
    const deployed = await waitForRecord(
      t.bot,
      hotfix.ulid,
      (h) => h.state === 'verifying' || h.state === 'completed',
      20_000,
    );
    expect(scaledTo(1)).toHaveLength(1);
    expect(scaledTo(0)).toHaveLength(0);
    expect(service().desiredCount).toBe(0);
    expect(deployed.versionsBefore).toEqual({
      deployment: `${TAG} (task definition ${STAGING_DEPLOYMENT.service}:1)`,
    });
    const latest = deployed.refs['ecsLogLatest']?.split('\n') ?? [];
    expect(latest).toEqual([
      'Deployment 2024.11.3-hotfix.2 starting',
      'Connecting to postgres://deployer:[REDACTED]@db.internal/acme',
      'Applying migration 0042',
      'Deployment finished',
    ]);
    expect(deployed.stages.map((s) => s.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);
    expect(deployed.refs['ecsLogUrl']).toContain('log-group/$252Fecs$252Fstaging-deployment-acme');
    // The log was read from a cursor: every read after the first starts at or after the last line seen.
    const starts = aws.callsOf('FilterLogEvents').map((c) => Number(c.body['startTime']));
    expect(starts.length).toBeGreaterThan(1);
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
    expect(starts.at(-1)).toBeGreaterThan(starts[0]!);
    await statusShows(hotfix, /Applying migration 0042/);
    await statusShows(hotfix, /full log in CloudWatch/);
    expect(JSON.stringify(t.slack.messages('C0INC4211'))).not.toContain('hunter2-very-secret');
    await resolve(hotfix, 'deployment verified');
  });

  it('fails on a non-zero exit with the rollback it logged, sets the service back to 0 and offers no bot rollback', async () => {
    aws.runOnce.scriptNextRun(STAGING_DEPLOYMENT.cluster, STAGING_DEPLOYMENT.service, {
      lines: [
        'Applying migration 0043',
        'ERROR migration 0043 failed: duplicate column',
        'Rolling back to 2024.11.2',
      ],
      exitCode: 1,
      stepMs: 300,
    });
    const zeroBefore = scaledTo(0).length;
    const hotfix = await approve(await planned());
    const failed = await waitForRecord(t.bot, hotfix.ulid, (h) => h.state === 'failed', 20_000);
    const [sentence, ...log] = failed.failure?.message.split('\n') ?? [];
    expect(sentence).toMatch(
      /deployment service staging-deployment-acme failed: (task \S+ exited with code 1|it logged that it rolled back)/,
    );
    expect(sentence).toContain('it rolled back by itself');
    expect(sentence).toContain('The bot has no rollback for it');
    expect(log).toEqual(
      expect.arrayContaining(['-- rolled back by the deployment service --', 'Rolling back to 2024.11.2']),
    );
    expect(log).toContain('ERROR migration 0043 failed: duplicate column');
    expect(scaledTo(0).length).toBe(zeroBefore + 1);
    expect(service().desiredCount).toBe(0);
    const reply = await t.slack.waitFor(
      () => threadOf(hotfix).find((r) => JSON.stringify(r.blocks).includes('FAILED')),
      8000,
    );
    expect(JSON.stringify(reply.blocks)).not.toMatch(/Roll back/);
    await resolve(hotfix, 'migration fixed by hand');
  });

  it('plans while processes run, showing them redacted, holds the deploy, and starts it once they are gone', async () => {
    await db.query(`INSERT INTO meta.process (name, api_token) VALUES ('nightly-billing', 'tok-abc123')`);
    const plan = await planned();
    // Not refused: the plan and the notice show what runs, and the plan is put up for approval.
    const announced = await waitForRecord(t.bot, plan.ulid, (h) => h.refs['noticeTs'] !== undefined);
    expect(announced.state).toBe('planned');
    for (const [channel, ts] of [
      ['C0INC4211', announced.refs['planTs']],
      ['C0CHANGECTL', announced.refs['noticeTs']],
    ] as const) {
      const shown = JSON.stringify(t.slack.messages(channel).find((m) => m.ts === ts)?.blocks ?? []);
      expect(shown).toMatch(
        /1 process is running in the client's database now; .*the deploy will wait for them/,
      );
      expect(shown).toMatch(/running: id=\d+ name=nightly-billing api_token=\[REDACTED\]/);
      expect(shown).not.toContain('tok-abc123');
    }
    const onesBefore = scaledTo(1).length;
    const hotfix = await approve(plan);
    await statusShows(hotfix, /1 process running; the deploy waits/);
    await statusShows(hotfix, /name=nightly-billing/);
    const waiting = await waitForRecord(t.bot, hotfix.ulid, (h) => h.stages[0]?.status === 'waiting');
    expect(waiting.state).toBe('deploying');
    expect(scaledTo(1).length).toBe(onesBefore);
    expect(JSON.stringify(waiting.stages)).not.toContain('tok-abc123');
    await db.query('TRUNCATE meta.process');
    await waitForRecord(
      t.bot,
      hotfix.ulid,
      (h) => h.state === 'verifying' || h.state === 'completed',
      20_000,
    );
    expect(scaledTo(1).length).toBe(onesBefore + 1);
    await resolve(hotfix, 'deployment verified');
  });

  it('refuses a plan while another deployment runs or the image differs, saying what is running', async () => {
    const ones = scaledTo(1).length;
    service().desiredCount = 1;
    try {
      const busy = await planned();
      await waitForRecord(t.bot, busy.ulid, (h) => h.state === 'cancelled');
      expect((await told(busy)).text).toContain(
        'Another deployment is running: staging-deployment-acme is at 1 desired',
      );
    } finally {
      service().desiredCount = 0;
    }

    const wrongTag = await planned('2024.11.4');
    await waitForRecord(t.bot, wrongTag.ulid, (h) => h.state === 'cancelled');
    expect((await told(wrongTag)).text).toContain(
      `:${TAG} (task definition staging-deployment-acme:1), not deployment@2024.11.4`,
    );
    expect(scaledTo(1).length).toBe(ones);
  });
});
