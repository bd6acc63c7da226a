/**
 * The ecs-image panic rollback (seed 002) and verification by task revision (issue 13) on the started bot, end to
 * end: ECS and Slack emulated at the wire, the real SDK client reaching the AWS emulator through AWS_ENDPOINT_URL.
 * A failed hotfix is rolled back from the Rollback button or `/hotfix rollback HF-n`, behind a confirmation naming
 * the task definition it returns to: one UpdateService back (or ECS's own StopServiceDeployment ROLLBACK while the
 * bad revision still rolls out), followed until every task runs the old revision, then the bad revision deregistered,
 * each step on the live status; the hotfix ends rolled back and frees its environment. While verifying, the running
 * tasks must be on the deployed revision: a service put back on another one fails the hotfix with expected vs seen.
 */
import { ECSClient, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import type { JsonObject } from '../emulators/slack/index.js';
import { clickButton, sendSlashCommand, sendViewSubmission } from '../emulators/slack/index.js';
import { FAULTS, startAwsEmulator, TEST_CREDENTIALS, type AwsEmulator } from '../emulators/aws/index.js';
import type { Hotfix } from '../../src/domain/hotfix.js';
import { lockKey } from '../../src/domain/hotfix.js';
import type { TestBot } from '../helpers/test-bot.js';
import { catalogWith, SIGNING_SECRET, startTestBot, waitForRecord } from '../helpers/test-bot.js';
import type { HealthEmulator } from '../emulators/health/index.js';
import { startHealthEmulator } from '../emulators/health/index.js';
import { seedAgentService } from '../helpers/ecs-world.js';

const TAG = 'v2.14.3-hotfix.1';
const OLD = 'v2.14.2';
const STAGING = { cluster: 'staging-acme', service: 'staging-external-agent-acme' };
const revision = (n: number) => `${STAGING.service}:${n}`;

let aws: AwsEmulator;
let health: HealthEmulator;
let t: TestBot;
const started = Date.now();
/** Added to the bot's clock: a jump past the catalog's rollout timeout. */
let skewMs = 0;
const saved = { id: process.env['AWS_ACCESS_KEY_ID'], secret: process.env['AWS_SECRET_ACCESS_KEY'] };
beforeAll(async () => {
  aws = await startAwsEmulator({ stepMs: 150 });
  health = await startHealthEmulator();
  health.running('/healthz', TAG);
  const catalog = catalogWith((doc) => {
    doc.setIn(['clients', 'acme', 'envs', 'staging', 'healthUrls', 'external-agent'], health.url);
    doc.setIn(['services', 'external-agent', 'soak'], doc.createNode({ seconds: 4, everySeconds: 0.4 }));
  });
  seedAgentService(aws, STAGING);
  // The SDK's default credential chain reads these, as it would in production.
  process.env['AWS_ACCESS_KEY_ID'] = TEST_CREDENTIALS.accessKeyId;
  process.env['AWS_SECRET_ACCESS_KEY'] = TEST_CREDENTIALS.secretAccessKey;
  t = await startTestBot(11, {
    clock: { now: () => new Date(Date.parse('2026-11-17T15:05:00Z') + (Date.now() - started) + skewMs) },
    env: {
      HOTFIX_CATALOG: catalog,
      AWS_REGION: aws.region,
      AWS_ENDPOINT_URL: aws.url,
    },
  });
});
afterAll(async () => {
  await t.stop();
  await aws.close();
  await health.close();
  for (const [name, value] of [
    ['AWS_ACCESS_KEY_ID', saved.id],
    ['AWS_SECRET_ACCESS_KEY', saved.secret],
  ] as const) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

const opts = () => ({ emulator: t.slack });
const slash = (text: string, user = 'U0PRIYA') =>
  sendSlashCommand(t.eventsUrl, SIGNING_SECRET, { text, user_id: user, channel_id: 'C0INC4211' }, opts());
const textOf = (body: unknown) => String((body as { text?: unknown }).text ?? JSON.stringify(body));

async function approvedHotfix(): Promise<Hotfix> {
  const answer = await slash(`plan external-agent@${TAG} acme staging`);
  const id = /HF-\d+/.exec(textOf(answer.body))?.[0];
  if (!id) throw new Error(`not planned: ${textOf(answer.body)}`);
  const hotfix = (await t.bot.deps.store.findById(id))!;
  const withNotice = await waitForRecord(t.bot, hotfix.ulid, (h) => h.refs['noticeTs'] !== undefined);
  await clickButton(
    t.eventsUrl,
    SIGNING_SECRET,
    { user: 'U0BOB', channel: 'C0CHANGECTL', ts: withNotice.refs['noticeTs']!, action_id: 'hotfix_approve' },
    opts(),
  );
  return waitForRecord(t.bot, withNotice.ulid, (h) => h.times.approvedAt !== undefined);
}

const threadOf = (h: Hotfix) =>
  t.slack.messages('C0INC4211').find((m) => m.ts === h.refs['planTs'])?.replies ?? [];
const statusOf = (h: Hotfix) =>
  threadOf(h).find(
    (r) =>
      (r.metadata as { event_payload?: { kind?: unknown } } | undefined)?.event_payload?.kind === 'status',
  );
const statusShows = (h: Hotfix, pattern: RegExp) =>
  t.slack.waitFor(() => {
    const current = statusOf(h);
    return current && pattern.test(JSON.stringify(current.blocks)) ? current : undefined;
  }, 10_000);

/** The rollback confirmations opened for this hotfix, once there are `count` of them. */
const rollbackForms = (h: Hotfix, count: number) =>
  t.slack.waitFor(() => {
    const opened = t.slack.views.filter(
      (v) =>
        v.view['callback_id'] === 'hotfix_rollback_reason' &&
        String(v.view['private_metadata']).includes(h.ulid),
    );
    return opened.length >= count ? opened : undefined;
  });

const confirm = (form: { id: string; view: JsonObject }, user: string, reason: string) =>
  sendViewSubmission(
    t.eventsUrl,
    SIGNING_SECRET,
    {
      user,
      view: {
        id: form.id,
        callback_id: 'hotfix_rollback_reason',
        private_metadata: String(form.view['private_metadata']),
        state: { values: { reason: { value: { type: 'plain_text_input', value: reason } } } },
      },
    },
    opts(),
  );

const updatesTo = (n: number) =>
  aws.callsOf('UpdateService').filter((c) => String(c.body['taskDefinition']).endsWith(revision(n)));

/** Waits for the hotfix to be finalized after its rollback, and returns it. */
const rolledBack = async (h: Hotfix) => {
  const done = await waitForRecord(t.bot, h.ulid, (r) => r.finalizedSeq !== undefined, 20_000);
  expect(done.state).toBe('rolled_back');
  expect(await t.bot.deps.locks.holder(lockKey(h))).toBeUndefined();
  return done;
};

describe('the ecs-image panic rollback from Slack', () => {
  it('a hotfix failing its health check is rolled back from the Rollback button, behind a confirmation naming the revision: one UpdateService back, followed until the tasks run it, the bad revision deregistered', async () => {
    health.answer('/healthz', { status: 503, body: { status: 'unhealthy' } });
    const hotfix = await approvedHotfix();
    const failed = await waitForRecord(t.bot, hotfix.ulid, (h) => h.state === 'failed', 15_000);
    expect(failed.failure?.phase).toBe('verify');
    // The rollback target is structured: the image tag it returns to, and the revision it ran.
    expect(failed.versionsBefore).toEqual({ 'external-agent': OLD });
    expect(failed.refs['ecsRollbackTo:external-agent']).toMatch(
      new RegExp(`task-definition/${revision(1)}$`),
    );
    // The failure reply and the live status offer the rollback instead of sending people to do it by hand.
    const reply = await t.slack.waitFor(() =>
      threadOf(hotfix).find((r) => /FAILED on/.test(JSON.stringify(r.blocks))),
    );
    expect(JSON.stringify(reply.blocks)).toContain('Rollback, Retry, Patch forward or Resolved manually');
    expect(JSON.stringify(reply.blocks)).not.toContain('by hand');
    const status = await statusShows(hotfix, /hotfix_rollback/);
    expect(JSON.stringify(status.blocks)).toContain(`/hotfix rollback ${hotfix.id}`);
    expect(JSON.stringify(status.blocks)).not.toContain('not offered from Slack');

    await clickButton(
      t.eventsUrl,
      SIGNING_SECRET,
      { user: 'U0PRIYA', channel: 'C0INC4211', ts: status.ts, action_id: 'hotfix_rollback' },
      opts(),
    );
    const [form] = await rollbackForms(hotfix, 1);
    const shown = JSON.stringify(form!.view['blocks']);
    expect(shown).toContain(`\`${TAG}\` → \`${OLD}\` (task definition \`${revision(1)}\`)`);
    expect(shown).toContain("deregisters the hotfix's revision");

    // Someone the policy does not allow is refused; the owner's confirmation rolls it back.
    health.running('/healthz', OLD);
    await confirm(form!, 'U0DAVE', 'health reports 503');
    expect((await t.bot.deps.store.load(hotfix.ulid))?.state).toBe('failed');
    expect(updatesTo(1)).toHaveLength(0);
    await confirm(form!, 'U0PRIYA', 'health reports 503 since the deploy');
    await statusShows(hotfix, new RegExp(`external-agent: back to ${revision(1)}`));
    const done = await rolledBack(hotfix);
    expect(updatesTo(1)).toHaveLength(1);
    expect(aws.callsOf('StopServiceDeployment')).toHaveLength(0);
    expect(aws.callsOf('DeregisterTaskDefinition').map((c) => c.body['taskDefinition'])).toEqual([
      expect.stringMatching(new RegExp(`${revision(2)}$`)),
    ]);
    expect(aws.ecs.taskDefinitions.find((td) => td.revision === 2)?.status).toBe('INACTIVE');
    expect(done.stages).toEqual(
      expect.arrayContaining([
        { name: `external-agent: running tasks on ${revision(1)} (2 of 2)`, status: 'succeeded' },
        { name: `external-agent: deregister ${revision(2)}`, status: 'succeeded' },
      ]),
    );
    expect(done.steps['rollback_health']?.result?.detail).toContain('"ok":true');
  });

  it('`/hotfix rollback HF-n` while ECS still rolls the bad revision out (past the catalog timeout) stops it with ROLLBACK instead of updating', async () => {
    health.running('/healthz', OLD);
    aws.ecs.scriptNextRollout(STAGING.cluster, STAGING.service, { outcome: 'stall' });
    const hotfix = await approvedHotfix();
    const rolling = await waitForRecord(t.bot, hotfix.ulid, (h) => h.refs['ecsTaskDefinition'] !== undefined);
    const bad = rolling.refs['ecsTaskDefinition']!;
    skewMs += 31 * 60_000; // past the default 30-minute rollout timeout
    const failed = await waitForRecord(t.bot, hotfix.ulid, (h) => h.state === 'failed', 15_000);
    expect(failed.failure?.message).toContain('did not finish within 30 minutes');

    const typed = await slash(`rollback ${hotfix.id}`);
    expect(textOf(typed.body)).toContain(`Opening the rollback form for ${hotfix.id}`);
    const [form] = await rollbackForms(hotfix, 1);
    expect(JSON.stringify(form!.view['blocks'])).toContain(`(task definition \`${revision(1)}\`)`);
    const updatesBefore = aws.callsOf('UpdateService').length;
    const confirmed = await confirm(form!, 'U0PRIYA', 'the rollout hangs');
    // Typed or clicked, the form's answer is accepted: the form closes without errors.
    expect(JSON.stringify(confirmed.body ?? '')).not.toContain('errors');
    await rolledBack(hotfix);
    expect(aws.callsOf('StopServiceDeployment')).toEqual([
      expect.objectContaining({ body: expect.objectContaining({ stopType: 'ROLLBACK' }) }),
    ]);
    expect(aws.callsOf('UpdateService')).toHaveLength(updatesBefore);
    expect(
      aws.callsOf('DeregisterTaskDefinition').filter((c) => String(c.body['taskDefinition']).endsWith(bad)),
    ).toHaveLength(1);
  });

  it('a hotfix cancelled during its rollout is offered Rollback, which takes the environment again and deregisters the revision the cancel left registered', async () => {
    health.running('/healthz', OLD);
    aws.ecs.scriptNextRollout(STAGING.cluster, STAGING.service, { outcome: 'stall' });
    const hotfix = await approvedHotfix();
    const rolling = await waitForRecord(
      t.bot,
      hotfix.ulid,
      (h) => h.refs['ecsTaskDefinition'] !== undefined,
      15_000,
    );
    const bad = rolling.refs['ecsTaskDefinition']!;
    expect(textOf((await slash(`cancel ${hotfix.id} "wrong image"`)).body)).toMatch(/cancel/i);
    const cancelled = await waitForRecord(
      t.bot,
      hotfix.ulid,
      (h) => h.state === 'cancelled' && h.finalizedSeq !== undefined,
      15_000,
    );
    expect(cancelled.steps[`abort_${cancelled.attempts}`]?.result?.detail).toContain(
      'stays registered until the hotfix is rolled back',
    );
    expect(await t.bot.deps.locks.holder(lockKey(hotfix))).toBeUndefined();
    await statusShows(cancelled, /hotfix_rollback/);

    const typed = await slash(`rollback ${hotfix.id}`);
    expect(textOf(typed.body)).toContain(`Opening the rollback form for ${hotfix.id}`);
    const [form] = await rollbackForms(hotfix, 1);
    expect(JSON.stringify(form!.view['blocks'])).toContain('was cancelled during its deploy');
    await confirm(form!, 'U0PRIYA', 'deregister the image we cancelled');
    // Finalized once more, after its new ending (it was finalized as cancelled before).
    await waitForRecord(
      t.bot,
      hotfix.ulid,
      (r) => r.state === 'rolled_back' && (r.finalizedSeq ?? 0) >= r.stateSince.seq,
      20_000,
    );
    expect(await t.bot.deps.locks.holder(lockKey(hotfix))).toBeUndefined();
    expect(
      aws.callsOf('DeregisterTaskDefinition').filter((c) => String(c.body['taskDefinition']).endsWith(bad)),
    ).toHaveLength(1);
    expect(aws.ecs.services.find((s) => s.name === STAGING.service)?.taskDefinition).toMatch(
      new RegExp(`${revision(1)}$`),
    );
  });

  it('fails a verifying hotfix whose service was put back on another revision during the soak window, with expected vs seen', async () => {
    health.running('/healthz', TAG);
    const hotfix = await approvedHotfix();
    const verifying = await waitForRecord(
      t.bot,
      hotfix.ulid,
      (h) => h.state === 'verifying' && h.steps[`health_${h.attempts}_0`]?.result !== undefined,
      15_000,
    );
    const deployed = verifying.refs['ecsTaskDefinition']!;
    expect(verifying.steps[`health_${verifying.attempts}_0`]?.result?.detail).toContain(
      `"check":"tasks on revision","ok":true`,
    );
    // Someone puts the service back on revision 1 in the console while the hotfix soaks.
    const ecs = new ECSClient({ region: aws.region, endpoint: aws.url, credentials: TEST_CREDENTIALS });
    await ecs.send(
      new UpdateServiceCommand({
        cluster: STAGING.cluster,
        service: STAGING.service,
        taskDefinition: revision(1),
      }),
    );
    ecs.destroy();
    const failed = await waitForRecord(t.bot, hotfix.ulid, (h) => h.state === 'failed', 15_000);
    expect(failed.failure?.phase).toBe('verify');
    expect(failed.failure?.message).toMatch(
      new RegExp(
        `external-agent tasks on revision: expected every running task of ${STAGING.service} on ${deployed}, saw 2 running tasks(: 1 on ${revision(1)}, 1 on ${deployed}| on ${revision(1)})`,
      ),
    );
    await statusShows(hotfix, /tasks on revision: expected every running task/);
    expect(textOf((await slash(`resolve ${hotfix.id} "service put back by hand"`)).body)).toContain(
      'resolved',
    );
    await waitForRecord(t.bot, hotfix.ulid, (h) => h.state === 'resolved');
  });
  it('a rollback ECS refuses (access denied on the UpdateService back) ends rollback failed and keeps the environment locked', async () => {
    health.answer('/healthz', { status: 503, body: { status: 'unhealthy' } });
    const hotfix = await approvedHotfix();
    await waitForRecord(t.bot, hotfix.ulid, (h) => h.state === 'failed', 15_000);
    await slash(`rollback ${hotfix.id}`);
    const [form] = await rollbackForms(hotfix, 1);
    aws.failNext('UpdateService', FAULTS.accessDenied);
    await confirm(form!, 'U0PRIYA', 'health reports 503');
    const failed = await waitForRecord(t.bot, hotfix.ulid, (h) => h.state === 'rollback_failed', 15_000);
    expect(failed.failure?.message).toMatch(
      /the rollback deploy failed: AWS refused the bot's credentials while updating ECS service .*AccessDeniedException/,
    );
    expect(failed.failure?.message).not.toContain(TEST_CREDENTIALS.secretAccessKey);
    expect(await t.bot.deps.locks.holder(lockKey(hotfix))).toMatchObject({ ulid: hotfix.ulid });
    expect(
      aws
        .callsOf('DeregisterTaskDefinition')
        .filter((c) => JSON.stringify(c.body).includes(failed.refs['ecsTaskDefinition']!)),
    ).toHaveLength(0);
    await statusShows(hotfix, /hotfix_resolve/);
    await slash(`resolve ${hotfix.id} "service returned by hand in the console"`);
    await waitForRecord(t.bot, hotfix.ulid, (h) => h.state === 'resolved');
  });
});
