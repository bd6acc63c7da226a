/**
 * An ecs-image hotfix on the started bot, end to end, with ECS and Slack emulated at the wire and the real SDK client
 * reaching the AWS emulator through AWS_ENDPOINT_URL: the plan is checked against the service, approved, prepared
 * with the exact image change, deployed as one tagged revision and one UpdateService, followed through
 * deployments[] into the live status until verifying; a circuit-breaker rollback fails the hotfix with ECS's reason.
 */
import { clickButton, sendSlashCommand } from '../emulators/slack/index.js';
import { FAULTS, startAwsEmulator, TEST_CREDENTIALS, type AwsEmulator } from '../emulators/aws/index.js';
import type { Hotfix } from '../../src/domain/hotfix.js';
import { lockKey } from '../../src/domain/hotfix.js';
import type { TestBot } from '../helpers/test-bot.js';
import { catalogWith, SIGNING_SECRET, startTestBot, waitForRecord } from '../helpers/test-bot.js';
import type { HealthEmulator } from '../emulators/health/index.js';
import { startHealthEmulator } from '../emulators/health/index.js';
import { AGENT_REPO, agentDefinition, seedAgentService } from '../helpers/ecs-world.js';

const TAG = 'v2.14.3-hotfix.1';
const STAGING = { cluster: 'staging-acme', service: 'staging-external-agent-acme' };
const PROD = { cluster: 'prod-acme', service: 'prod-external-agent-acme' };

let aws: AwsEmulator;
let health: HealthEmulator;
let t: TestBot;
const started = Date.now();
const saved = { id: process.env['AWS_ACCESS_KEY_ID'], secret: process.env['AWS_SECRET_ACCESS_KEY'] };
beforeAll(async () => {
  aws = await startAwsEmulator({ stepMs: 150 });
  // The agent answers its health check at the target version, so a deployed hotfix stays verifying (its soak is
  // 15 minutes) until a test ends it.
  health = await startHealthEmulator();
  health.running('/healthz', TAG);
  const catalog = catalogWith((doc) =>
    doc.setIn(['clients', 'acme', 'envs', 'staging', 'healthUrls', 'external-agent'], health.url),
  );
  seedAgentService(aws, STAGING);
  seedAgentService(aws, PROD);
  // The SDK's default credential chain reads these, as it would in production.
  process.env['AWS_ACCESS_KEY_ID'] = TEST_CREDENTIALS.accessKeyId;
  process.env['AWS_SECRET_ACCESS_KEY'] = TEST_CREDENTIALS.secretAccessKey;
  t = await startTestBot(7, {
    clock: { now: () => new Date(Date.parse('2026-11-17T15:05:00Z') + (Date.now() - started)) },
    env: { HOTFIX_CATALOG: catalog, AWS_REGION: aws.region, AWS_ENDPOINT_URL: aws.url },
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

async function planned(target: string): Promise<Hotfix> {
  const answer = await slash(`plan external-agent@${TAG} ${target}`);
  const id = /HF-\d+/.exec(textOf(answer.body))?.[0];
  if (!id) throw new Error(`not planned: ${textOf(answer.body)}`);
  return (await t.bot.deps.store.findById(id))!;
}

async function approvedHotfix(target: string, approvers = ['U0BOB']): Promise<Hotfix> {
  const hotfix = await planned(target);
  const withNotice = await waitForRecord(t.bot, hotfix.ulid, (h) => h.refs['noticeTs'] !== undefined);
  for (const user of approvers) {
    await clickButton(
      t.eventsUrl,
      SIGNING_SECRET,
      { user, channel: 'C0CHANGECTL', ts: withNotice.refs['noticeTs']!, action_id: 'hotfix_approve' },
      opts(),
    );
  }
  return waitForRecord(t.bot, withNotice.ulid, (h) => h.times.approvedAt !== undefined);
}

const statusOf = (h: Hotfix) =>
  (t.slack.messages('C0INC4211').find((m) => m.ts === h.refs['planTs'])?.replies ?? []).find(
    (r) =>
      (r.metadata as { event_payload?: { kind?: unknown } } | undefined)?.event_payload?.kind === 'status',
  );
const statusShows = (h: Hotfix, pattern: RegExp) =>
  t.slack.waitFor(() => {
    const current = statusOf(h);
    return current && pattern.test(JSON.stringify(current.blocks)) ? current : undefined;
  }, 8000);

describe('an ecs-image hotfix through the bot', () => {
  it('registers one tagged revision, updates the service once, follows the rollout and reaches verifying', async () => {
    const hotfix = await approvedHotfix('acme staging');
    const deployed = await waitForRecord(t.bot, hotfix.ulid, (h) => h.state === 'verifying', 15_000);
    expect(deployed.steps['check_target']?.result).toBeDefined();
    expect(deployed.versionsBefore).toEqual({ 'external-agent': 'v2.14.2' });
    expect(deployed.refs['ecsRollbackTo:external-agent']).toMatch(
      /task-definition\/staging-external-agent-acme:1$/,
    );
    expect(deployed.deployPlan?.[0]).toContain(`${AGENT_REPO}:v2.14.2 → ${AGENT_REPO}:${TAG}`);
    expect(deployed.refs).toMatchObject({
      ecsService: `${STAGING.cluster}/${STAGING.service}`,
      ecsTaskDefinition: `${STAGING.service}:2`,
    });
    const registers = aws.callsOf('RegisterTaskDefinition');
    expect(registers).toHaveLength(1);
    expect(registers[0]?.body['tags']).toContainEqual({ key: 'hotfix-bot:hotfix', value: hotfix.ulid });
    expect(aws.callsOf('UpdateService')).toHaveLength(1);
    expect(deployed.stages.at(-1)).toEqual({
      name: `external-agent: running tasks on ${STAGING.service}:2 (2 of 2)`,
      status: 'succeeded',
    });
    await statusShows(hotfix, new RegExp(`ECS task definition.*${STAGING.service}:2`));
    await statusShows(hotfix, /roll out .*desired 2 · running 2 · pending 0/);

    expect(textOf((await slash('unlock acme staging "verified by hand"', 'U0RELMGR1')).body)).toContain(
      'unlocked',
    );
    await waitForRecord(t.bot, hotfix.ulid, (h) => h.state === 'resolved');
  });

  it("fails the hotfix with ECS's reason when the circuit breaker rolls the service back, keeping the lock", async () => {
    aws.ecs.scriptNextRollout(STAGING.cluster, STAGING.service, {
      outcome: 'fail',
      failAfterSteps: 2,
      reason: 'essential container in task exited',
    });
    const hotfix = await approvedHotfix('acme staging');
    const failed = await waitForRecord(t.bot, hotfix.ulid, (h) => h.state === 'failed', 15_000);
    expect(failed.failure?.phase).toBe('deploy');
    expect(failed.failure?.message).toMatch(
      new RegExp(`ECS put ${STAGING.service} back on ${STAGING.service}:2 instead of ${STAGING.service}:3`),
    );
    expect(failed.failure?.message).toContain('essential container in task exited');
    expect(await t.bot.deps.locks.holder(lockKey(hotfix))).toMatchObject({ ulid: hotfix.ulid });
    await t.slack.waitFor(
      () =>
        (t.slack.messages('C0INC4211').find((m) => m.ts === hotfix.refs['planTs'])?.replies ?? []).find((r) =>
          JSON.stringify(r.blocks).includes('essential container in task exited'),
        ),
      8000,
    );
    expect(textOf((await slash(`resolve ${hotfix.id} "rolled back by ECS"`)).body)).toContain('resolved');
    await waitForRecord(t.bot, hotfix.ulid, (h) => h.state === 'resolved');
  });

  it('retries a throttled UpdateService as a delayed job and still updates once; access denied fails readably', async () => {
    const before = aws.callsOf('UpdateService').length;
    aws.failNext('UpdateService', FAULTS.throttling, 2);
    const throttled = await approvedHotfix('acme staging');
    const deployed = await waitForRecord(t.bot, throttled.ulid, (h) => h.state === 'verifying', 20_000);
    expect(
      aws.calls.filter((c) => c.operation === 'UpdateService' && c.errorType === 'ThrottlingException'),
    ).toHaveLength(2);
    expect(aws.callsOf('UpdateService')).toHaveLength(before + 1);
    expect(
      aws.callsOf('RegisterTaskDefinition').filter((c) => JSON.stringify(c.body).includes(throttled.ulid)),
    ).toHaveLength(1);
    expect(deployed.refs['ecsTaskDefinition']).toBe(`${STAGING.service}:4`);
    await slash('unlock acme staging "verified by hand"', 'U0RELMGR1');
    await waitForRecord(t.bot, throttled.ulid, (h) => h.state === 'resolved');

    aws.failNext('UpdateService', FAULTS.accessDenied);
    const denied = await approvedHotfix('acme staging');
    const failed = await waitForRecord(t.bot, denied.ulid, (h) => h.state === 'failed', 15_000);
    expect(failed.failure?.message).toMatch(
      /AWS refused the bot's credentials while updating ECS service staging-external-agent-acme .*AccessDeniedException.*check the IAM policy/,
    );
    expect(failed.failure?.message).not.toContain(TEST_CREDENTIALS.secretAccessKey);
    await slash(`resolve ${denied.id} "IAM policy fixed by hand"`);
    await waitForRecord(t.bot, denied.ulid, (h) => h.state === 'resolved');
  });

  it('a cancel during the rollout stops it with ECS rollback once and says so in the record', async () => {
    aws.ecs.scriptNextRollout(STAGING.cluster, STAGING.service, { outcome: 'stall' });
    const hotfix = await approvedHotfix('acme staging');
    await waitForRecord(t.bot, hotfix.ulid, (h) => h.refs['ecsTaskDefinition'] !== undefined, 15_000);
    expect(textOf((await slash(`cancel ${hotfix.id} "wrong image"`)).body)).toMatch(/cancel/i);
    const cancelled = await waitForRecord(t.bot, hotfix.ulid, (h) => h.state === 'cancelled', 15_000);
    const undone = cancelled.steps[`abort_${cancelled.attempts}`]?.result?.detail;
    expect(undone).toMatch(/stopped the rollout of staging-external-agent-acme:\d+; ECS is rolling back/);
    expect(aws.callsOf('StopServiceDeployment')).toHaveLength(1);
    expect(await t.bot.deps.locks.holder(lockKey(hotfix))).toBeUndefined();
  });

  it('shows the approver the exact image change and flags a latest revision with other settings, before approval', async () => {
    aws.ecs.seedTaskDefinition(agentDefinition(PROD.service, 'v2.15.0', 'debug'));
    const hotfix = await planned('acme prod');
    const announced = await waitForRecord(t.bot, hotfix.ulid, (h) => h.refs['noticeTs'] !== undefined);
    const notice = t.slack.messages('C0CHANGECTL').find((m) => m.ts === announced.refs['noticeTs']);
    const shown = JSON.stringify(notice?.blocks);
    expect(shown).toContain(`${AGENT_REPO}:v2.14.2 → ${AGENT_REPO}:${TAG}`);
    expect(shown).toContain(
      `${PROD.service}:2, the family's latest revision, differs from the running ${PROD.service}:1 in container external-agent: environment`,
    );
    expect(
      aws.callsOf('RegisterTaskDefinition').filter((c) => c.body['family'] === PROD.service),
    ).toHaveLength(0);
    expect(textOf((await slash(`cancel ${hotfix.id} "settings drift to review first"`)).body)).toMatch(
      /cancel/i,
    );
    await waitForRecord(t.bot, hotfix.ulid, (h) => h.state === 'cancelled');
  });

  it('refuses a plan whose ECS service does not exist, before anyone is asked to approve it', async () => {
    const hotfix = await planned('globex staging');
    const cancelled = await waitForRecord(t.bot, hotfix.ulid, (h) => h.state === 'cancelled');
    const told = await t.slack.waitFor(() =>
      t.slack
        .ephemerals('U0PRIYA')
        .find((e) => e.text.startsWith(`${hotfix.id} was not put up for approval`)),
    );
    expect(told.text).toMatch(/ClusterNotFoundException|has no service/);
    expect(cancelled.refs['noticeTs']).toBeUndefined();
  });
});
