/**
 * Nothing outside sits between a Slack request and its ack (DESIGN.md section 1): with Slack's Web API answering
 * every method after 2.5 s, or with the directory lookups answering 429 Retry-After 30, every slash command, button
 * and form submission is answered within Slack's 3 s, the person still learns the outcome, and nothing is recorded
 * that the person was told was not done.
 */
import type { JsonObject, SlackEmulator } from '../emulators/slack/index.js';
import {
  clickButton,
  sendSlashCommand,
  sendViewSubmission,
  startSlackEmulator,
} from '../emulators/slack/index.js';
import type { Hotfix } from '../../src/domain/hotfix.js';
import type { TestBot } from '../helpers/test-bot.js';
import { SIGNING_SECRET, startTestBot, waitForRecord } from '../helpers/test-bot.js';

const SLACK_LIMIT_MS = 3000;
const TAG = '24-02-05.619-hotfix.627';

/** Sends a request and measures how long the bot took to answer it (its ack). */
async function timed<T>(send: () => Promise<T>): Promise<{ response: T; ms: number }> {
  const started = performance.now();
  const response = await send();
  return { response, ms: performance.now() - started };
}

const textOf = (body: unknown) => String((body as { text?: unknown }).text ?? '');

function harness(t: () => TestBot) {
  const opts = () => ({ emulator: t().slack });
  const slash = (text: string, user = 'U0PRIYA', channel = 'C0INC4211') =>
    timed(() =>
      sendSlashCommand(t().eventsUrl, SIGNING_SECRET, { text, user_id: user, channel_id: channel }, opts()),
    );
  const click = (user: string, channel: string, ts: string, action_id: string) =>
    timed(() => clickButton(t().eventsUrl, SIGNING_SECRET, { user, channel, ts, action_id }, opts()));
  const opened = (user: string, callbackId: string, timeoutMs = 20_000) =>
    t().slack.waitFor(
      (s) => [...s.views].reverse().find((v) => v.user === user && v.view['callback_id'] === callbackId),
      timeoutMs,
    );
  const submit = async (user: string, callbackId: string, values: JsonObject) => {
    const view = await opened(user, callbackId);
    return timed(() =>
      sendViewSubmission(
        t().eventsUrl,
        SIGNING_SECRET,
        {
          user,
          view: {
            id: view.id,
            callback_id: callbackId,
            private_metadata: String(view.view['private_metadata']),
            state: { values },
          },
        },
        opts(),
      ),
    );
  };
  const planned = async (body: unknown): Promise<Hotfix> => {
    const id = /HF-\d+/.exec(textOf(body))?.[0];
    if (!id) throw new Error(`not planned: ${JSON.stringify(body)}`);
    const found = await t().bot.deps.store.findById(id);
    if (!found) throw new Error(`${id} was announced as planned but is not recorded`);
    return found;
  };
  return { slash, click, submit, opened, planned };
}

const reason = (text: string): JsonObject => ({
  reason: { value: { type: 'plain_text_input', value: text } },
});

describe('with every Slack Web API method answering after 2.5 s', () => {
  let slack: SlackEmulator;
  let t: TestBot;
  beforeAll(async () => {
    slack = await startSlackEmulator({ latencyMs: 2500 });
    t = await startTestBot(3, { slack });
  }, 60_000);
  afterAll(async () => {
    await t.stop();
    await slack.close();
  });
  const h = harness(() => t);

  it('answers a complete /hotfix plan within 3 s, and the plan is recorded and announced', async () => {
    const { response, ms } = await h.slash(`plan runbook-drill@${TAG} acme staging reason="slow slack"`);
    expect(ms).toBeLessThan(SLACK_LIMIT_MS);
    expect(textOf(response.body)).toMatch(/HF-\d+ is planned/);
    const hotfix = await h.planned(response.body);
    const announced = await waitForRecord(
      t.bot,
      hotfix.ulid,
      (x) => x.refs['noticeTs'] !== undefined,
      40_000,
    );
    expect(announced.state).toBe('planned');
  }, 60_000);

  it('answers a plan with parts missing within 3 s, then opens the form, and the form submission within 3 s', async () => {
    const { response, ms } = await h.slash(`plan runbook-drill@${TAG}`, 'U0DAVE');
    expect(ms).toBeLessThan(SLACK_LIMIT_MS);
    expect(textOf(response.body)).toContain('Opening the plan form');
    const submitted = await h.submit('U0DAVE', 'hotfix_plan', {
      services: { value: { value: `runbook-drill@${TAG}` } },
      client: { value: { selected_option: { value: 'globex' } } },
      env: { value: { selected_option: { value: 'staging' } } },
    });
    expect(submitted.ms).toBeLessThan(SLACK_LIMIT_MS);
    expect(submitted.response.status).toBe(200);
    const told = await t.slack.waitFor(
      (s) => s.ephemerals('U0DAVE').find((e) => /HF-\d+ is planned/.test(e.text)),
      20_000,
    );
    expect((await h.planned(told)).client).toBe('globex');
  }, 60_000);

  it('answers Approve, the production confirmation, Reject and its form within 3 s each', async () => {
    const prod = await h.slash(`plan runbook-drill@${TAG} acme prod sev=2 reason="confirm path"`);
    expect(prod.ms).toBeLessThan(SLACK_LIMIT_MS);
    const hotfix = await waitForRecord(
      t.bot,
      (await h.planned(prod.response.body)).ulid,
      (x) => x.refs['noticeTs'] !== undefined,
      40_000,
    );
    const noticeTs = hotfix.refs['noticeTs']!;
    const approve = await h.click('U0BOB', 'C0CHANGECTL', noticeTs, 'hotfix_approve');
    expect(approve.ms).toBeLessThan(SLACK_LIMIT_MS);
    const confirmed = await h.submit('U0BOB', 'hotfix_approve_confirm', {});
    expect(confirmed.ms).toBeLessThan(SLACK_LIMIT_MS);
    const once = await waitForRecord(t.bot, hotfix.ulid, (x) => x.approvals.length === 1, 20_000);
    expect(once.approvals[0]?.by).toBe('U0BOB');

    const reject = await h.click('U0CAROL', 'C0CHANGECTL', noticeTs, 'hotfix_reject');
    expect(reject.ms).toBeLessThan(SLACK_LIMIT_MS);
    const rejected = await h.submit('U0CAROL', 'hotfix_reject_reason', reason('the tag is not built yet'));
    expect(rejected.ms).toBeLessThan(SLACK_LIMIT_MS);
    expect((await waitForRecord(t.bot, hotfix.ulid, (x) => x.state === 'rejected', 20_000)).state).toBe(
      'rejected',
    );
  }, 90_000);

  it('answers every subcommand that changes something within 3 s, with what became of it', async () => {
    const { response } = await h.slash(`plan runbook-drill@${TAG} globex staging reason="subcommands"`);
    const hotfix = await h.planned(response.body);
    const handoff = await h.slash(`handoff ${hotfix.id} <@U0DAVE|dave>`);
    expect(handoff.ms).toBeLessThan(SLACK_LIMIT_MS);
    expect(textOf(handoff.response.body)).toContain(`${hotfix.id} now belongs to <@U0DAVE>`);
    expect((await t.bot.deps.store.load(hotfix.ulid))?.owner).toBe('U0DAVE');

    const pause = await h.slash('pause "maintenance drill"', 'U0RELMGR1');
    expect(pause.ms).toBeLessThan(SLACK_LIMIT_MS);
    expect(textOf(pause.response.body)).toContain('Deploys are paused');
    const resume = await h.slash('resume', 'U0RELMGR1');
    expect(resume.ms).toBeLessThan(SLACK_LIMIT_MS);
    expect(textOf(resume.response.body)).toContain(':white_check_mark:');

    const unlock = await h.slash('unlock globex staging "nothing holds it"', 'U0RELMGR1');
    expect(unlock.ms).toBeLessThan(SLACK_LIMIT_MS);
    expect(textOf(unlock.response.body)).toContain('not locked');

    for (const command of [`retry ${hotfix.id}`, `resolve ${hotfix.id} "nothing to resolve"`]) {
      const answered = await h.slash(command, 'U0DAVE');
      expect(answered.ms).toBeLessThan(SLACK_LIMIT_MS);
      expect(textOf(answered.response.body)).toContain(':no_entry:');
    }
    const cancel = await h.slash(`cancel ${hotfix.id} "the fix is wrong"`, 'U0DAVE');
    expect(cancel.ms).toBeLessThan(SLACK_LIMIT_MS);
    expect(textOf(cancel.response.body)).toContain(`${hotfix.id} is cancelled`);
    expect((await t.bot.deps.store.load(hotfix.ulid))?.state).toBe('cancelled');

    for (const command of ['status', `status ${hotfix.id}`, 'list', 'help']) {
      const answered = await h.slash(command);
      expect(answered.ms).toBeLessThan(SLACK_LIMIT_MS);
      expect(answered.response.status).toBe(200);
    }
  }, 90_000);
});

describe('with user-group and channel lookups answering 429 Retry-After 30', () => {
  let t: TestBot;
  beforeAll(async () => {
    t = await startTestBot(4);
  }, 60_000);
  afterAll(async () => t.stop());
  const h = harness(() => t);
  const rateLimitDirectoryLookups = () => {
    for (const method of ['usergroups.users.list', 'conversations.info', 'users.conversations'])
      t.slack.failNext(method, { status: 429, retryAfter: 30 }, 1000);
  };
  const lookups = () =>
    t.slack.calls.filter((c) =>
      ['usergroups.users.list', 'conversations.info', 'users.conversations'].includes(c.method),
    ).length;

  it('plans, approves and hands off within 3 s, calling none of the rate-limited methods on the way', async () => {
    rateLimitDirectoryLookups();
    const before = lookups();
    const planned = await h.slash(`plan runbook-drill@${TAG} acme staging reason="rate limited"`);
    expect(planned.ms).toBeLessThan(SLACK_LIMIT_MS);
    const hotfix = await waitForRecord(
      t.bot,
      (await h.planned(planned.response.body)).ulid,
      (x) => x.refs['noticeTs'] !== undefined,
    );
    const approve = await h.click('U0BOB', 'C0CHANGECTL', hotfix.refs['noticeTs']!, 'hotfix_approve');
    expect(approve.ms).toBeLessThan(SLACK_LIMIT_MS);
    expect((await waitForRecord(t.bot, hotfix.ulid, (x) => x.approvals.length === 1)).approvals[0]?.by).toBe(
      'U0BOB',
    );
    const handoff = await h.slash(`handoff ${hotfix.id} <@U0DAVE|dave>`);
    expect(handoff.ms).toBeLessThan(SLACK_LIMIT_MS);
    expect(lookups()).toBe(before);
  });

  it('tells a person refused by a group it has not been able to read why, and records nothing', async () => {
    await t.bot.deps.directory.putGroup({ id: 'S0APPROVERS', state: 'unknown', members: [] });
    rateLimitDirectoryLookups();
    const planned = await h.slash(`plan runbook-drill@${TAG} globex staging reason="unknown group"`);
    const hotfix = await waitForRecord(
      t.bot,
      (await h.planned(planned.response.body)).ulid,
      (x) => x.refs['noticeTs'] !== undefined,
    );
    const approve = await h.click('U0BOB', 'C0CHANGECTL', hotfix.refs['noticeTs']!, 'hotfix_approve');
    expect(approve.ms).toBeLessThan(SLACK_LIMIT_MS);
    const told = await t.slack.waitFor((s) => s.ephemerals('U0BOB').at(-1)?.text);
    expect(told).toContain('Slack has not yet told me who is in <!subteam^S0APPROVERS>');
    expect(told).toContain('policy.approvers');
    expect((await t.bot.deps.store.load(hotfix.ulid))?.approvals).toEqual([]);
  });
});
