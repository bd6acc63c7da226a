/**
 * The Slack emulator driven by the real @slack/web-api client and a real Bolt app: what the bot will see from Slack
 * (answers, errors, rate limits, modals, response_urls) and how a test reads the conversation back.
 */
import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { App, LogLevel } from '@slack/bolt';
import { ErrorCode, type WebClientOptions } from '@slack/web-api';

import {
  clickButton,
  emulatorWebClient,
  failureOf,
  renderTranscript,
  sendMessageShortcut,
  sendSlashCommand,
  sendViewSubmission,
  slackErrorOf,
  startSlackEmulator,
  type SlackEmulator,
} from '../emulators/slack/index.js';

const START = Date.parse('2026-11-17T15:05:00Z');
let now = START;
let emulator: SlackEmulator;

const clientFor = (options: WebClientOptions = {}, token?: string) =>
  emulatorWebClient(emulator, options, token);

beforeAll(async () => {
  emulator = await startSlackEmulator({ clock: () => now });
});
afterAll(() => emulator.close());
beforeEach(() => {
  now = START;
  emulator.reset();
});

describe('messages', () => {
  it('posts, threads, updates and reads back with metadata the way Slack returns them', async () => {
    const slack = clientFor();
    const metadata = { event_type: 'hotfix_plan', event_payload: { ulid: '01JD3Q8Z7K', kind: 'plan' } };
    const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: '*HF-1* planned' } }];
    const root = await slack.chat.postMessage({
      channel: 'C0INC4211',
      text: 'HF-1 planned',
      blocks,
      metadata,
    });
    expect(root.ts).toMatch(/^1794927900\.\d{6}$/);
    now += 5_000;
    const reply = await slack.chat.postMessage({
      channel: 'C0INC4211',
      thread_ts: root.ts!,
      text: 'deploying',
    });
    await slack.chat.update({ channel: 'C0INC4211', ts: root.ts!, text: 'HF-1 approved', blocks: [] });

    const plain = await slack.conversations.history({ channel: 'C0INC4211' });
    expect(plain.messages?.map((m) => [m.ts, m.text, m.reply_count, m.metadata])).toEqual([
      [root.ts, 'HF-1 approved', 1, undefined],
    ]);
    const withMetadata = await slack.conversations.history({
      channel: 'C0INC4211',
      include_all_metadata: true,
    });
    expect(withMetadata.messages?.[0]?.metadata).toEqual(metadata);
    const thread = await slack.conversations.replies({ channel: 'C0INC4211', ts: root.ts! });
    expect(thread.messages?.map((m) => m.ts)).toEqual([root.ts, reply.ts]);
    const newer = await slack.conversations.history({ channel: 'C0INC4211', oldest: root.ts!, limit: 10 });
    expect(newer.messages).toEqual([]);

    const [stored] = emulator.messages('#inc-4211-decanting');
    expect(stored?.edits.map((e) => e.text)).toEqual(['HF-1 planned']);
    expect(stored?.replies.map((r) => r.text)).toEqual(['deploying']);
    expect(emulator.callsTo('chat.postMessage')[0]?.args).toMatchObject({ blocks, metadata });
    expect(emulator.writeCount()).toBe(3);
  });

  it('answers channel facts, permalinks and people', async () => {
    const slack = clientFor();
    const info = await slack.conversations.info({ channel: 'C0INC4211' });
    expect(info.channel).toMatchObject({ name: 'inc-4211-decanting', is_member: true, created: 1794925500 });
    const { ts } = await slack.chat.postMessage({ channel: 'C0CHANGECTL', text: 'notice' });
    const link = await slack.chat.getPermalink({ channel: 'C0CHANGECTL', message_ts: ts! });
    expect(link.permalink).toBe(`https://example.slack.com/archives/C0CHANGECTL/p${ts!.replace('.', '')}`);
    expect((await slack.users.info({ user: 'U0BOB' })).user).toMatchObject({
      name: 'bob',
      real_name: 'Bob Okafor',
    });
    expect((await slack.usergroups.users.list({ usergroup: 'S0APPROVERS' })).users).toEqual([
      'U0BOB',
      'U0CAROL',
    ]);
    expect(await slackErrorOf(slack.usergroups.users.list({ usergroup: 'S0NOPE' }))).toBe('no_such_subteam');
  });

  it('refuses what Slack refuses, with the error WebClient reports', async () => {
    const slack = clientFor();
    const unknown = await failureOf(slack.chat.postMessage({ channel: 'C0NOPE', text: 'x' }));
    expect(unknown.code).toBe(ErrorCode.PlatformError);
    expect(unknown['data']).toMatchObject({ ok: false, error: 'channel_not_found' });
    expect(await slackErrorOf(slack.chat.postMessage({ channel: 'C0GENERAL', text: 'x' }))).toBe(
      'not_in_channel',
    );
    expect(await slackErrorOf(slack.chat.postMessage({ channel: 'C0LEADERSHIP', text: 'x' }))).toBe(
      'channel_not_found',
    );
    expect(await slackErrorOf(slack.conversations.join({ channel: 'C0LEADERSHIP' }))).toBe(
      'channel_not_found',
    );
    await slack.conversations.join({ channel: 'C0GENERAL' });
    await expect(slack.chat.postMessage({ channel: 'C0GENERAL', text: 'x' })).resolves.toMatchObject({
      ok: true,
    });
    const thread = slack.chat.postMessage({
      channel: 'C0INC4211',
      thread_ts: '1794927900.000100',
      text: 'x',
    });
    expect(await slackErrorOf(thread)).toBe('thread_not_found');
    const stale = slack.chat.update({ channel: 'C0INC4211', ts: '1794927900.000100', text: 'x' });
    expect(await slackErrorOf(stale)).toBe('message_not_found');
    const tooLong = [
      {
        type: 'actions',
        elements: [{ type: 'button', action_id: 'a', text: { type: 'plain_text', text: 'x'.repeat(76) } }],
      },
    ];
    expect(
      await slackErrorOf(slack.chat.postMessage({ channel: 'C0INC4211', text: 'x', blocks: tooLong })),
    ).toBe('invalid_blocks');
    expect(await slackErrorOf(clientFor({}, 'xoxb-wrong').auth.test())).toBe('invalid_auth');
    expect(await slackErrorOf(slack.apiCall('hotfix.nope'))).toBe('unknown_method');
    expect(emulator.callsTo('hotfix.nope')).toHaveLength(1);
    expect(emulator.writeCount()).toBe(1);
  });
});

describe('faults and rate limits', () => {
  it('injects a 429 that WebClient reports with its Retry-After, then recovers', async () => {
    emulator.failNext('chat.postMessage', { status: 429, retryAfter: 7 });
    const slack = clientFor({ rejectRateLimitedCalls: true });
    const limited = await failureOf(slack.chat.postMessage({ channel: 'C0INC4211', text: 'x' }));
    expect(limited).toMatchObject({ code: ErrorCode.RateLimitedError, retryAfter: 7 });
    await expect(slack.chat.postMessage({ channel: 'C0INC4211', text: 'x' })).resolves.toMatchObject({
      ok: true,
    });
    emulator.failNext('chat.update', { status: 503 });
    const down = await failureOf(slack.chat.update({ channel: 'C0INC4211', ts: '1', text: 'x' }));
    expect(down).toMatchObject({ code: ErrorCode.HTTPError, statusCode: 503 });
    emulator.failNext('conversations.info', 'fatal_error');
    expect(await slackErrorOf(slack.conversations.info({ channel: 'C0INC4211' }))).toBe('fatal_error');
  });

  it("holds chat.postMessage to Slack's 1 per second per channel, with a small burst", async () => {
    const limited = await startSlackEmulator({ rateLimits: true, clock: () => now });
    try {
      const slack = emulatorWebClient(limited, { rejectRateLimitedCalls: true });
      for (let i = 0; i < 3; i += 1)
        await slack.chat.postMessage({ channel: 'C0INC4211', text: `burst ${i}` });
      expect(await failureOf(slack.chat.postMessage({ channel: 'C0INC4211', text: 'over' }))).toMatchObject({
        retryAfter: 1,
      });
      await expect(
        slack.chat.postMessage({ channel: 'C0CHANGECTL', text: 'other channel' }),
      ).resolves.toMatchObject({ ok: true });
      now += 1_000;
      await expect(slack.chat.postMessage({ channel: 'C0INC4211', text: 'later' })).resolves.toMatchObject({
        ok: true,
      });
      expect(limited.writeCount()).toBe(5);
    } finally {
      await limited.close();
    }
  });
});

describe('modals and response_urls', () => {
  const view = {
    type: 'modal' as const,
    title: { type: 'plain_text' as const, text: 'Plan a hotfix' },
    blocks: [],
  };

  it('opens a modal once per trigger id, within 3 seconds', async () => {
    const slack = clientFor();
    const trigger = emulator.issueTriggerId({ user: 'U0PRIYA', channel: 'C0INC4211' });
    const opened = await slack.views.open({ trigger_id: trigger, view });
    expect(opened.view).toMatchObject({
      id: emulator.views[0]?.id,
      title: view.title,
      root_view_id: opened.view?.id,
    });
    expect(emulator.views[0]).toMatchObject({ user: 'U0PRIYA', channel: 'C0INC4211' });
    expect(await slackErrorOf(slack.views.open({ trigger_id: trigger, view }))).toBe('exchanged_trigger_id');
    const late = emulator.issueTriggerId();
    now += 3_000;
    expect(await slackErrorOf(slack.views.open({ trigger_id: late, view }))).toBe('expired_trigger_id');
    expect(await slackErrorOf(slack.views.open({ trigger_id: '1.2.made-up', view }))).toBe(
      'invalid_arguments',
    );
    const updated = await slack.views.update({ view_id: opened.view!.id!, hash: opened.view!.hash!, view });
    expect(
      await slackErrorOf(slack.views.update({ view_id: opened.view!.id!, hash: opened.view!.hash!, view })),
    ).toBe('hash_conflict');
    expect(updated.view?.id).toBe(opened.view?.id);
  });

  it('accepts 5 posts per response_url and applies them where the click happened', async () => {
    const slack = clientFor();
    const { ts } = await slack.chat.postMessage({ channel: 'C0CHANGECTL', text: 'HF-1 waits for approval' });
    const url = emulator.newResponseUrl({ user: 'U0BOB', channel: 'C0CHANGECTL', messageTs: ts! });
    const post = (body: object) =>
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const statuses = [];
    statuses.push((await post({ text: 'Approving...' })).status);
    statuses.push((await post({ text: 'HF-1 approved by <@U0BOB>', replace_original: true })).status);
    statuses.push((await post({ text: 'Thanks', response_type: 'in_channel' })).status);
    for (let i = 0; i < 3; i += 1) statuses.push((await post({ text: `again ${i}` })).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 404]);
    expect(emulator.responses(url).map((r) => r.status)).toEqual(statuses);
    expect(emulator.ephemerals('U0BOB').map((e) => e.text)).toEqual(['Approving...', 'again 0', 'again 1']);
    expect(emulator.messages('C0CHANGECTL').map((m) => [m.text, m.edits.length])).toEqual([
      ['HF-1 approved by <@U0BOB>', 1],
      ['Thanks', 0],
    ]);
    expect(emulator.writeCount()).toBe(1);
  });
});

describe('transcript', () => {
  it('reads like the Slack client: names, threads, blocks, edits, ephemerals and modals', async () => {
    const slack = clientFor();
    const incident = emulator.addMessage({
      channel: 'C0INC4211',
      user: 'U0PRIYA',
      text: 'orders stuck &amp; piling up',
    });
    now += 60_000;
    const plan = await slack.chat.postMessage({
      channel: 'C0INC4211',
      thread_ts: incident.ts,
      text: 'HF-1 waits for approval in <#C0CHANGECTL>',
    });
    await slack.chat.postMessage({
      channel: 'C0CHANGECTL',
      text: 'HF-1 needs approval',
      blocks: NOTICE_BLOCKS,
    });
    now += 90_000;
    await slack.chat.update({ channel: 'C0INC4211', ts: plan.ts!, text: 'HF-1 approved by <@U0BOB>' });
    await slack.chat.postEphemeral({
      channel: 'C0INC4211',
      user: 'U0PRIYA',
      text: 'See <https://ci.example.com/1|build 1>',
    });
    const trigger = emulator.issueTriggerId({ user: 'U0PRIYA', channel: 'C0INC4211' });
    await slack.views.open({
      trigger_id: trigger,
      view: { type: 'modal', title: { type: 'plain_text', text: 'Deploy HF-1' }, blocks: [] },
    });

    expect(renderTranscript(emulator)).toBe(
      [
        '#inc-4211-decanting',
        '15:05:00  priya: orders stuck & piling up',
        '    15:06:00  hotfix-bot: HF-1 approved by @bob (edited 1 time)',
        '15:07:30  (only @priya sees) hotfix-bot: See build 1 (https://ci.example.com/1)',
        '15:07:30  (modal "Deploy HF-1" opened for @priya)',
        '',
        '#announcements-change-control',
        '15:06:00  hotfix-bot: HF-1: decanting-service to acme prod',
        '                      By @priya, for @change-approvers',
        '                      *Client:* acme | *Env:* prod',
        '                      15:06 UTC · INC-4211 (https://jira.example.com/browse/INC-4211)',
        '                      ----------',
        '                      [Approve] [Reject]',
        '',
      ].join('\n'),
    );
  });
});

const NOTICE_BLOCKS = [
  { type: 'header', text: { type: 'plain_text', text: 'HF-1: decanting-service to acme prod' } },
  {
    type: 'section',
    text: { type: 'mrkdwn', text: 'By <@U0PRIYA>, for <!subteam^S0APPROVERS|@change-approvers>' },
  },
  {
    type: 'section',
    fields: [
      { type: 'mrkdwn', text: '*Client:* acme' },
      { type: 'mrkdwn', text: '*Env:* prod' },
    ],
  },
  {
    type: 'context',
    elements: [
      {
        type: 'mrkdwn',
        text: '<!date^1794927960^{time}|15:06 UTC> · <https://jira.example.com/browse/INC-4211|INC-4211>',
      },
    ],
  },
  { type: 'divider' },
  {
    type: 'actions',
    elements: [
      {
        type: 'button',
        action_id: 'approve',
        text: { type: 'plain_text', text: 'Approve' },
        style: 'primary',
        value: 'HF-1',
      },
      { type: 'button', action_id: 'reject', text: { type: 'plain_text', text: 'Reject' }, value: 'HF-1' },
    ],
  },
];

describe('signed requests', () => {
  const SECRET = 'test-signing-secret';

  it('signs like Slack: v0 HMAC-SHA256 of "v0:<ts>:<body>", with the form fields Slack sends', async () => {
    const seen: { headers: Record<string, string | string[] | undefined>; body: string }[] = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      req.on('end', () => {
        seen.push({ headers: req.headers, body });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"response_action":"clear"}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
    const hmac = (ts: number, body: string) =>
      createHmac('sha256', SECRET).update(`v0:${ts}:${body}`).digest('hex');
    try {
      const input = { text: 'status', user_id: 'U0PRIYA', channel_id: 'C0INC4211' };
      const answer = await sendSlashCommand(url, SECRET, input, { emulator, timestamp: 1794927900 });
      expect(answer).toMatchObject({ status: 200, body: { response_action: 'clear' } });
      expect(seen[0]?.headers).toMatchObject({
        'x-slack-signature': `v0=${hmac(1794927900, seen[0]?.body ?? '')}`,
        'x-slack-request-timestamp': '1794927900',
        'content-type': 'application/x-www-form-urlencoded',
      });
      const form = Object.fromEntries(new URLSearchParams(seen[0]?.body));
      expect(form).toMatchObject({
        command: '/hotfix',
        user_name: 'priya',
        channel_name: 'inc-4211-decanting',
      });
      expect(Object.keys(form).sort().join(' ')).toBe(
        'api_app_id channel_id channel_name command is_enterprise_install response_url team_domain team_id text ' +
          'token trigger_id user_id user_name',
      );
      const broken = {
        corruptSignature: true,
        timestamp: 1794927900,
        omitHeaders: ['content-type' as const],
      };
      await sendSlashCommand(url, SECRET, input, broken);
      expect(seen[1]?.headers['x-slack-signature']).toMatch(/^v0=[0-9a-f]{64}$/);
      expect(seen[1]?.headers['x-slack-signature']).not.toBe(`v0=${hmac(1794927900, seen[1]?.body ?? '')}`);
      expect(seen[1]?.headers['content-type']).toBeUndefined();
    } finally {
      server.close();
    }
  });

  describe('to a real Bolt app', () => {
    let app: App;
    let url: string;
    beforeAll(async () => {
      app = new App({
        token: emulator.token,
        signingSecret: SECRET,
        logLevel: LogLevel.ERROR,
        clientOptions: { slackApiUrl: emulator.apiUrl, retryConfig: { retries: 0 } },
      });
      const modal = (title: string) => ({
        type: 'modal' as const,
        callback_id: 'plan',
        title: { type: 'plain_text' as const, text: title },
        submit: { type: 'plain_text' as const, text: 'Plan' },
        blocks: [],
      });
      app.command('/hotfix', async ({ ack, command, client }) => {
        await ack();
        await client.views.open({ trigger_id: command.trigger_id, view: modal('Plan a hotfix') });
      });
      app.shortcut('plan_here', async ({ ack, shortcut, client }) => {
        await ack();
        await client.views.open({ trigger_id: shortcut.trigger_id, view: modal('Plan here') });
      });
      app.view('plan', async ({ ack, view }) => {
        await ack({ response_action: 'errors', errors: { services: `no services in ${view.id}` } });
      });
      app.action('approve', async ({ ack, respond }) => {
        await ack();
        await respond({ replace_original: true, text: 'HF-1 approved by <@U0BOB>' });
      });
      const server = (await app.start({ port: 0, host: '127.0.0.1' })) as Server;
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
    });
    afterAll(() => app.stop());
    // Bolt checks request timestamps against the real clock; triggers age on the emulator's.
    beforeEach(() => (now = Date.now()));

    it('opens the modal a slash command asks for, and refuses stale or forged signatures', async () => {
      const command = { text: 'plan', user_id: 'U0PRIYA', channel_id: 'C0INC4211' };
      expect((await sendSlashCommand(url, SECRET, command, { emulator })).status).toBe(200);
      await emulator.waitFor(() =>
        emulator.views.find((v) => v.user === 'U0PRIYA' && v.channel === 'C0INC4211'),
      );
      const staleAt = Math.floor(Date.now() / 1000) - 600;
      expect((await sendSlashCommand(url, SECRET, command, { emulator, timestamp: staleAt })).status).toBe(
        401,
      );
      expect((await sendSlashCommand(url, SECRET, command, { corruptSignature: true })).status).toBe(401);
      expect(emulator.views).toHaveLength(1);
    });

    it('routes a button click whose respond() replaces the clicked message', async () => {
      const notice = await clientFor().chat.postMessage({
        channel: 'C0CHANGECTL',
        text: 'ok?',
        blocks: NOTICE_BLOCKS,
      });
      const where = { user: 'U0BOB', channel: 'C0CHANGECTL', ts: notice.ts ?? '' };
      expect(() => clickButton(url, SECRET, { ...where, action_id: 'nope' }, { emulator })).toThrow(
        /approve, reject/,
      );
      const click = await clickButton(url, SECRET, { ...where, action_id: 'approve' }, { emulator });
      expect(click.sent).toMatchObject({
        actions: [{ action_id: 'approve', value: 'HF-1' }],
        container: { is_ephemeral: false },
      });
      const edited = await emulator.waitFor(() =>
        emulator.messages('C0CHANGECTL').find((m) => m.edits.length === 1),
      );
      expect(edited.text).toBe('HF-1 approved by <@U0BOB>');
      await expect(emulator.waitFor(() => emulator.callsTo('chat.delete')[0], 50)).rejects.toThrow(
        /chat\.postMessage/,
      );
    });

    it('routes a message shortcut to its modal, and a submission whose errors come back in the ack', async () => {
      const incident = emulator.addMessage({ channel: 'C0INC4211', user: 'U0PRIYA', text: 'orders stuck' });
      const message = { ts: incident.ts, text: incident.text, user: 'U0PRIYA' };
      const shortcut = { callback_id: 'plan_here', user: 'U0PRIYA', channel: 'C0INC4211', message };
      expect((await sendMessageShortcut(url, SECRET, shortcut, { emulator })).status).toBe(200);
      const opened = await emulator.waitFor(() => emulator.views[0]);
      const submission = { id: opened.id, callback_id: 'plan', state: { values: {} } };
      const answer = await sendViewSubmission(
        url,
        SECRET,
        { user: 'U0PRIYA', view: submission },
        { emulator },
      );
      expect(answer.body).toEqual({
        response_action: 'errors',
        errors: { services: `no services in ${opened.id}` },
      });
    });
  });
});
