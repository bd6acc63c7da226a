/**
 * The bot over Socket Mode: started as main.ts starts it with SLACK_APP_TOKEN (and no signing secret), it opens a
 * socket to the Slack emulator, answers slash commands and modal submissions in its acks, and still serves /healthz
 * and /readyz on its HTTP port. A bare `ws` client then pins down what the emulator sends over the socket.
 */
import { WebSocket } from 'ws';

import type { JsonObject, MessageThread, SlackEmulator } from '../emulators/slack/index.js';
import { emulatorWebClient, slackErrorOf, startSlackEmulator } from '../emulators/slack/index.js';
import type { TestBot } from '../helpers/test-bot.js';
import { startTestBot } from '../helpers/test-bot.js';

const PLAN = 'plan runbook-drill@24-02-05.619-hotfix.627 acme prod sev=2 reason="socket"';

const textOf = (payload: unknown) => String((payload as { text?: unknown } | undefined)?.text ?? '');
const blocksJson = (m: { blocks?: unknown }) => JSON.stringify(m.blocks ?? []);
const hotfixIdOf = (m: MessageThread) =>
  (m.metadata as { event_payload?: JsonObject } | undefined)?.event_payload?.['id'];

describe('the bot over Socket Mode', () => {
  let emulator: SlackEmulator;
  let t: TestBot | undefined;

  beforeAll(async () => {
    emulator = await startSlackEmulator();
    t = await startTestBot(12, {
      slack: emulator,
      env: { SLACK_APP_TOKEN: emulator.socketMode.appToken, SLACK_SIGNING_SECRET: '' },
    });
    await emulator.socketMode.waitForSocket(10_000);
  });
  afterAll(async () => {
    await t?.stop();
    await emulator?.close();
  });

  const bot = (): TestBot => {
    if (!t) throw new Error('the bot did not start');
    return t;
  };
  const slash = (text: string) =>
    emulator.socketMode.slashCommand({ text, user_id: 'U0PRIYA', channel_id: 'C0INC4211' });

  it('opens the socket with the app token', () => {
    expect(emulator.socketMode.connected()).toBe(true);
    const opens = emulator.callsTo('apps.connections.open');
    expect(opens).toHaveLength(1);
    expect(opens[0]?.result).toMatchObject({
      ok: true,
      url: expect.stringMatching(/^ws:\/\/127\.0\.0\.1:\d+\/link\/\?/),
    });
  });

  it('plans from a slash command envelope, answering in the ack and posting the plan and the notice', async () => {
    const ack = await slash(PLAN);
    expect(ack.sent).toMatchObject({
      command: '/hotfix',
      text: PLAN,
      user_id: 'U0PRIYA',
      channel_id: 'C0INC4211',
    });
    expect(ack.payload).toMatchObject({ response_type: 'ephemeral' });
    const id = /(HF-\d+) is planned/.exec(textOf(ack.payload))?.[1];
    if (!id) throw new Error(`no "HF-... is planned" in the ack: ${JSON.stringify(ack.payload)}`);

    const plan = await emulator.waitFor(
      (s) => s.messages('C0INC4211').find((m) => hotfixIdOf(m) === id),
      10_000,
    );
    expect(plan.text).toContain(id);
    expect(blocksJson(plan)).toContain('24-02-05.619-hotfix.627');
    const notice = await emulator.waitFor(
      (s) => s.messages('C0CHANGECTL').find((m) => hotfixIdOf(m) === id),
      10_000,
    );
    expect(blocksJson(notice)).toContain('"action_id":"hotfix_approve"');
    expect(blocksJson(notice)).toContain('"action_id":"hotfix_reject"');
    expect(await bot().bot.deps.store.findById(id)).toMatchObject({ state: 'planned', requester: 'U0PRIYA' });
  });

  it('answers /hotfix help in the ack', async () => {
    const ack = await slash('help');
    expect(ack.payload).toMatchObject({ response_type: 'ephemeral' });
    expect(JSON.stringify(ack.payload)).toContain('/hotfix plan');
  });

  it("returns a modal submission's form errors in the ack", async () => {
    const ack = await emulator.socketMode.viewSubmission({
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
    });
    expect(ack.payload).toMatchObject({
      response_action: 'errors',
      errors: { services: expect.stringContaining('24-02-05.619-hotfix.627') },
    });
  });

  it('serves /healthz and /readyz on its HTTP port', async () => {
    for (const path of ['/healthz', '/readyz']) {
      const response = await fetch(`${bot().baseUrl}${path}`);
      expect({ path, status: response.status }).toEqual({ path, status: 200 });
    }
  });

  it('refuses apps.connections.open with a bot token or an unknown app token, as Slack does', async () => {
    const open = (token: string) => emulatorWebClient(emulator, {}, token).apps.connections.open();
    expect(await slackErrorOf(open(emulator.token))).toBe('not_allowed_token_type');
    expect(await slackErrorOf(open('xapp-not-this-app'))).toBe('invalid_auth');
  });
});

/** A bare client: the messages it was sent, in order. */
async function connectBare(url: string): Promise<{ socket: WebSocket; next(): Promise<JsonObject> }> {
  const socket = new WebSocket(url);
  const inbox: JsonObject[] = [];
  const waiting: ((message: JsonObject) => void)[] = [];
  socket.on('message', (data) => {
    const message = JSON.parse(String(data)) as JsonObject;
    const reader = waiting.shift();
    if (reader) reader(message);
    else inbox.push(message);
  });
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  return {
    socket,
    next: () => {
      const queued = inbox.shift();
      return queued ? Promise.resolve(queued) : new Promise((resolve) => waiting.push(resolve));
    },
  };
}

describe('Socket Mode envelopes, seen by a bare client', () => {
  let emulator: SlackEmulator;
  let client: Awaited<ReturnType<typeof connectBare>>;
  let url: string;
  let closed = false;

  beforeAll(async () => {
    emulator = await startSlackEmulator();
    const opened = await emulatorWebClient(
      emulator,
      {},
      emulator.socketMode.appToken,
    ).apps.connections.open();
    url = String(opened.url);
    client = await connectBare(url);
  });
  afterAll(async () => {
    client?.socket.terminate();
    if (!closed) await emulator?.close();
  });

  it('says hello with the connection count and the app id', async () => {
    expect(await client.next()).toMatchObject({
      type: 'hello',
      num_connections: 1,
      debug_info: expect.any(Object),
      connection_info: { app_id: emulator.bot.appId },
    });
    await emulator.socketMode.waitForSocket();
  });

  it('takes each URL once', async () => {
    await expect(connectBare(url)).rejects.toThrow(/401/);
  });

  it('sends a slash command as the HTTP form fields and resolves with the ack', async () => {
    const sent = emulator.socketMode.slashCommand({
      text: 'help',
      user_id: 'U0PRIYA',
      channel_id: 'C0INC4211',
    });
    const envelope = await client.next();
    expect(envelope).toMatchObject({
      type: 'slash_commands',
      accepts_response_payload: true,
      retry_attempt: 0,
      retry_reason: '',
      payload: { command: '/hotfix', text: 'help', user_name: 'priya', channel_name: 'inc-4211-decanting' },
    });
    client.socket.send(JSON.stringify({ envelope_id: envelope['envelope_id'], payload: { text: 'hi' } }));
    expect(await sent).toMatchObject({ envelope_id: envelope['envelope_id'], payload: { text: 'hi' } });
  });

  it('clicks a button of a message the emulator holds, as block_actions', async () => {
    const posted = await emulatorWebClient(emulator).chat.postMessage({
      channel: 'C0CHANGECTL',
      text: 'HF-1 needs approval',
      blocks: [
        {
          type: 'actions',
          block_id: 'decide',
          elements: [
            {
              type: 'button',
              action_id: 'hotfix_approve',
              value: 'HF-1',
              text: { type: 'plain_text', text: 'Approve' },
            },
          ],
        },
      ],
    });
    const clicked = emulator.socketMode.clickButton({
      user: 'U0BOB',
      channel: 'C0CHANGECTL',
      ts: String(posted.ts),
      action_id: 'hotfix_approve',
    });
    const envelope = await client.next();
    expect(envelope).toMatchObject({
      type: 'interactive',
      accepts_response_payload: false,
      payload: {
        type: 'block_actions',
        user: { id: 'U0BOB', name: 'bob' },
        container: { message_ts: posted.ts, channel_id: 'C0CHANGECTL' },
        actions: [{ action_id: 'hotfix_approve', block_id: 'decide', value: 'HF-1' }],
      },
    });
    client.socket.send(JSON.stringify({ envelope_id: envelope['envelope_id'], payload: {} }));
    expect((await clicked).payload).toEqual({});
  });

  it('rejects naming the envelope when no ack comes', async () => {
    const unacked = emulator.socketMode.event({ type: 'app_mention', text: 'hi' }, { timeoutMs: 100 });
    const envelope = await client.next();
    expect(envelope).toMatchObject({ type: 'events_api', accepts_response_payload: false });
    await expect(unacked).rejects.toThrow(
      `events_api envelope (app_mention) ${String(envelope['envelope_id'])}`,
    );
  });

  it('drops the socket on close, and then has no one to send to', async () => {
    const socketClosed = new Promise((resolve) => client.socket.once('close', resolve));
    await emulator.close();
    closed = true;
    await socketClosed;
    expect(emulator.socketMode.connected()).toBe(false);
    await expect(emulator.socketMode.sendEnvelope('events_api', {})).rejects.toThrow(/no app is connected/);
  });
});
