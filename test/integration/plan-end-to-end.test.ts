/**
 * `/hotfix plan` to a change-control notice, end to end: the bot started as main.ts starts it (HTTP, real Redis, a
 * real BullMQ worker), Slack as an emulator speaking the Web API, every request signed as Slack signs it.
 */
import type { JsonObject, MessageThread } from '../emulators/slack/index.js';
import { sendMessageShortcut, sendSlashCommand, sendViewSubmission } from '../emulators/slack/index.js';
import type { TestBot } from '../helpers/test-bot.js';
import { SIGNING_SECRET, startTestBot, waitForRecord } from '../helpers/test-bot.js';

const PLAN =
  'plan runbook-drill@24-02-05.619-hotfix.627 acme prod sev=2 incident=INC-4211 reason="orders stuck in decanting"';

let t: TestBot;
beforeAll(async () => {
  t = await startTestBot(11);
});
afterAll(async () => t.stop());

const slash = (text: string, user = 'U0PRIYA', channel = 'C0INC4211', opts = {}) =>
  sendSlashCommand(
    t.eventsUrl,
    SIGNING_SECRET,
    { text, user_id: user, channel_id: channel },
    { emulator: t.slack, ...opts },
  );

const textOf = (body: unknown) => String((body as { text?: unknown }).text ?? '');
const blocksJson = (m: { blocks?: unknown }) => JSON.stringify(m.blocks ?? []);
const metadataOf = (m: MessageThread) => m.metadata as { event_payload?: JsonObject } | undefined;

async function planAndWait(text = PLAN): Promise<{ id: string; notice: MessageThread; plan: MessageThread }> {
  const response = await slash(text);
  expect(response.status).toBe(200);
  const id = /HF-\d+/.exec(textOf(response.body))?.[0];
  if (!id) throw new Error(`no hotfix id in ${JSON.stringify(response.body)}`);
  const notice = await t.slack.waitFor(
    (s) => s.messages('C0CHANGECTL').find((m) => metadataOf(m)?.event_payload?.['id'] === id),
    10_000,
  );
  const plan = t.slack.messages('C0INC4211').find((m) => metadataOf(m)?.event_payload?.['id'] === id);
  if (!plan) throw new Error('plan message missing');
  return { id, notice, plan };
}

describe('/hotfix plan, end to end', () => {
  it('acknowledges at once, posts the plan as a thread root and the notice with Approve and Reject', async () => {
    const { id, notice, plan } = await planAndWait();
    expect(plan.thread_ts ?? plan.ts).toBe(plan.ts);
    expect(plan.text).toContain(id);
    expect(blocksJson(plan)).toContain('runbook-drill');
    expect(blocksJson(plan)).toContain('24-02-05.619-hotfix.627');
    expect(blocksJson(notice)).toContain('"action_id":"hotfix_approve"');
    expect(blocksJson(notice)).toContain('"action_id":"hotfix_reject"');
    expect(blocksJson(notice)).toContain('<!subteam^S0APPROVERS>');
    expect(blocksJson(notice)).toContain(`/archives/C0INC4211/p${plan.ts.replace('.', '')}`);

    const found = await t.bot.deps.store.findById(id);
    const hotfix = await waitForRecord(
      t.bot,
      found!.ulid,
      (h) => h.steps['post_notice']?.result !== undefined,
    );
    expect(hotfix).toMatchObject({
      state: 'planned',
      requester: 'U0PRIYA',
      client: 'acme',
      env: 'prod',
      severity: 2,
    });
    const events = await t.bot.deps.store.events(hotfix.ulid);
    expect(events.map((e) => `${e.type}${'step' in e ? `:${e.step}` : ''}`)).toEqual([
      'planned',
      // Without GitHub the tag and CI are not checked, and the record (and the notice) says so.
      'step_recorded:check_source',
      'step_intended:post_plan',
      'step_recorded:post_plan',
      'step_intended:post_notice',
      'step_recorded:post_notice',
    ]);
    expect(events[0]).toMatchObject({ by: 'U0PRIYA', planVersion: 1 });
    expect(blocksJson(notice)).toContain('Tag and CI not checked: GitHub is not configured');
  });

  it('lists every problem of a wrong plan and records nothing', async () => {
    const before = await t.bot.deps.store.listActive();
    const response = await slash('plan decantng-service@1.2 acme prdo sev=7');
    expect(response.status).toBe(200);
    const text = JSON.stringify(response.body);
    expect(text).toContain('decanting-service');
    expect(text).toContain('prod');
    expect(text).toMatch(/sev=7/);
    expect((response.body as { response_type?: string }).response_type).toBe('ephemeral');
    expect(await t.bot.deps.store.listActive()).toHaveLength(before.length);
  });

  it('tells the person how to invite the bot when it is not in the channel, and records nothing', async () => {
    const outsider = t.slack.addChannel({ name: 'inc-9999-no-bot', is_member: false });
    const before = await t.bot.deps.store.listActive();
    const response = await slash(PLAN, 'U0PRIYA', outsider.id);
    expect(JSON.stringify(response.body)).toContain('/invite @hotfix-bot');
    expect(await t.bot.deps.store.listActive()).toHaveLength(before.length);
  });

  it('opens the plan form prefilled when parts are missing, and returns form errors in the ack', async () => {
    const viewsBefore = t.slack.views.length;
    const response = await slash('plan decanting-service@24-02-05.619-hotfix.627');
    expect(response.status).toBe(200);
    // The form opens just after the ack, so the ack never waits on Slack.
    const opened = await t.slack.waitFor((s) => s.views.length > viewsBefore && s.views.at(-1));
    const view = JSON.stringify(opened);
    expect(view).toContain('hotfix_plan');
    expect(view).toContain('decanting-service@24-02-05.619-hotfix.627');

    const submitted = await sendViewSubmission(
      t.eventsUrl,
      SIGNING_SECRET,
      {
        user: 'U0PRIYA',
        view: {
          id: 'V1',
          callback_id: 'hotfix_plan',
          private_metadata: JSON.stringify({ channel: 'C0INC4211' }),
          state: {
            values: {
              services: { value: { type: 'plain_text_input', value: 'decanting-service@not-a-tag' } },
              client: { value: { type: 'static_select', selected_option: { value: 'acme' } } },
              env: { value: { type: 'static_select', selected_option: { value: 'staging' } } },
              severity: { value: { type: 'static_select', selected_option: { value: '3' } } },
            },
          },
        },
      },
      { emulator: t.slack },
    );
    expect(submitted.status).toBe(200);
    expect(submitted.body).toMatchObject({
      response_action: 'errors',
      errors: { services: expect.stringContaining('24-02-05.619-hotfix.627') },
    });
  });

  it('plans from the "Plan a hotfix here" shortcut into the existing incident thread', async () => {
    const root = t.slack.addMessage({
      channel: 'C0INC4211',
      user: 'U0CAROL',
      text: 'Decanting is down at 3 sites',
    });
    const response = await sendMessageShortcut(
      t.eventsUrl,
      SIGNING_SECRET,
      {
        callback_id: 'plan_hotfix_here',
        user: 'U0PRIYA',
        channel: 'C0INC4211',
        message: { ts: root.ts, text: root.text, user: 'U0CAROL' },
      },
      { emulator: t.slack },
    );
    expect(response.status).toBe(200);
    const view = await t.slack.waitFor((s) => s.views.find((v) => JSON.stringify(v).includes(root.ts)));
    expect(JSON.stringify(view)).toContain('hotfix_plan');

    const submitted = await sendViewSubmission(
      t.eventsUrl,
      SIGNING_SECRET,
      {
        user: 'U0PRIYA',
        view: {
          id: 'V2',
          callback_id: 'hotfix_plan',
          private_metadata: JSON.stringify({ channel: 'C0INC4211', threadTs: root.ts }),
          state: {
            values: {
              services: {
                value: { type: 'plain_text_input', value: 'runbook-drill@24-02-05.619-hotfix.628' },
              },
              client: { value: { type: 'static_select', selected_option: { value: 'acme' } } },
              env: { value: { type: 'static_select', selected_option: { value: 'staging' } } },
              severity: { value: { type: 'static_select', selected_option: { value: '2' } } },
            },
          },
        },
      },
      { emulator: t.slack },
    );
    expect(submitted.status).toBe(200);
    const reply = await t.slack.waitFor(
      (s) =>
        s
          .messages('C0INC4211')
          .find((m) => m.ts === root.ts)
          ?.replies?.find((r) => r.text.includes('24-02-05.619-hotfix.628')),
      10_000,
    );
    expect(reply.thread_ts).toBe(root.ts);
  });

  it('answers status, list and help, and cancels a planned hotfix, taking the buttons off its notice', async () => {
    const { id, notice } = await planAndWait();
    expect(JSON.stringify((await slash(`status ${id}`)).body)).toContain(id);
    expect(JSON.stringify((await slash('list')).body)).toContain(id);
    expect(JSON.stringify((await slash('help')).body)).toContain('/hotfix plan');

    const cancelled = await slash(`cancel ${id} "duplicate plan"`);
    expect(textOf(cancelled.body)).toContain(`${id} is cancelled`);
    const updated = await t.slack.waitFor(
      (s) =>
        s
          .messages('C0CHANGECTL')
          .find((m) => m.ts === notice.ts && !blocksJson(m).includes('hotfix_approve')),
      10_000,
    );
    expect(blocksJson(updated)).toMatch(/[Cc]ancelled/);
    expect((await t.bot.deps.store.findById(id))?.state).toBe('cancelled');
  });

  it('refuses someone else cancelling, saying who can', async () => {
    const { id } = await planAndWait();
    const response = await slash(`cancel ${id} "not mine"`, 'U0DAVE');
    expect(textOf(response.body)).toMatch(/Only .* can cancel/);
    expect((await t.bot.deps.store.findById(id))?.state).toBe('planned');
  });
});

describe('request signatures', () => {
  const cases: [string, object][] = [
    ['a wrong signature', { corruptSignature: true }],
    ['missing signature headers', { omitHeaders: ['x-slack-signature', 'x-slack-request-timestamp'] }],
    ['a timestamp 6 minutes old', { timestamp: Math.floor(Date.now() / 1000) - 360 }],
    ['a timestamp 6 minutes in the future', { timestamp: Math.floor(Date.now() / 1000) + 360 }],
  ];

  it.each(cases)('refuses %s with 401 and changes nothing', async (_label, opts) => {
    const before = (await t.bot.deps.store.listActive()).length;
    // New messages, not edits: earlier hotfixes' messages may still be redrawn in the background.
    const posted = () => t.slack.messages('C0INC4211').length + t.slack.messages('C0CHANGECTL').length;
    const postedBefore = posted();
    const response = await slash(PLAN, 'U0PRIYA', 'C0INC4211', opts);
    expect(response.status).toBe(401);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await t.bot.deps.store.listActive()).length).toBe(before);
    expect(posted()).toBe(postedBefore);
  });
});
