/**
 * SignedHttpReceiver behind a real Bolt App, driven by real signed HTTP requests: what is dispatched, what is
 * refused (stale and future timestamps included), and the health, readiness and metrics routes.
 */
import { createHmac } from 'node:crypto';

import { App, type Logger as BoltLogger, LogLevel } from '@slack/bolt';
import { Counter, Registry } from 'prom-client';

import { SignedHttpReceiver } from '../../src/slack/receiver.js';
import { createCapturedLogger } from '../helpers/secret-guard.js';

const SIGNING_SECRET = 'test-signing-secret-8f2a1c9e4b7d';
const NOW_MS = 1_760_000_000_000;
const NOW_SEC = NOW_MS / 1000;

/** Slack's signing scheme, written out independently of the code under test. */
function sign(timestamp: number, body: string, secret = SIGNING_SECRET): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

/** A slash command body encoded the way Slack sends it. */
function slashCommandBody(text: string): string {
  return new URLSearchParams({
    token: 'legacy-verification-token',
    team_id: 'T1',
    team_domain: 'acme',
    channel_id: 'C1',
    channel_name: 'prod-support',
    user_id: 'U2',
    user_name: 'ana',
    command: '/hotfix',
    text,
    api_app_id: 'A1',
    is_enterprise_install: 'false',
    response_url: 'https://hooks.slack.com/commands/T1/1/abc',
    trigger_id: '1.2.3',
  }).toString();
}

/** A block_actions interaction, sent by Slack as a `payload=` form field. */
function blockActionBody(actionId: string): string {
  const payload = {
    type: 'block_actions',
    api_app_id: 'A1',
    token: 'legacy-verification-token',
    team: { id: 'T1', domain: 'acme' },
    user: { id: 'U2', username: 'ana', team_id: 'T1' },
    channel: { id: 'C1', name: 'prod-support' },
    container: { type: 'message', message_ts: '1.000100', channel_id: 'C1' },
    trigger_id: '1.2.3',
    response_url: 'https://hooks.slack.com/actions/T1/1/abc',
    actions: [{ type: 'button', action_id: actionId, block_id: 'b1', value: 'HF-1', action_ts: '1.000200' }],
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

const FORM = 'application/x-www-form-urlencoded';

interface SendOptions {
  readonly timestamp?: number;
  readonly contentType?: string;
  readonly signature?: string | null;
  readonly headers?: Record<string, string>;
}

const quietBoltLogger: BoltLogger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  setLevel: () => undefined,
  getLevel: () => LogLevel.ERROR,
  setName: () => undefined,
};

describe('SignedHttpReceiver', () => {
  const captured = createCapturedLogger({ 'signing secret': SIGNING_SECRET }, 'debug');
  let ready = true;
  let receiver: SignedHttpReceiver;
  let baseUrl: string;
  const commandsSeen: { text: string; retryNum: number | undefined; retryReason: string | undefined }[] = [];
  let actionsSeen = 0;

  beforeAll(async () => {
    const registry = new Registry();
    new Counter({ name: 'hotfix_test_total', help: 'A counter for the test', registers: [registry] }).inc(3);
    receiver = new SignedHttpReceiver({
      signingSecret: SIGNING_SECRET,
      logger: captured.logger,
      readiness: () => ready,
      metrics: async () => ({ contentType: registry.contentType, body: await registry.metrics() }),
      now: () => NOW_MS,
      unhandledRequestTimeoutMillis: 1000,
    });
    const app = new App({
      receiver,
      token: 'xoxb-test',
      botId: 'B1',
      botUserId: 'U1',
      logger: quietBoltLogger,
    });
    app.command('/hotfix', async ({ command, context, ack }) => {
      commandsSeen.push({ text: command.text, retryNum: context.retryNum, retryReason: context.retryReason });
      if (command.text === 'boom') throw new Error('listener failed before ack');
      if (command.text === 'silent') return;
      await ack({ response_type: 'ephemeral', text: `got ${command.text}` });
    });
    app.action('approve', async ({ ack }) => {
      actionsSeen += 1;
      await ack();
    });
    const server = await receiver.start(0, '127.0.0.1');
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('expected a TCP address');
    expect(receiver.address()?.port).toBe(address.port);
    baseUrl = `http://127.0.0.1:${address.port}`;
  });

  afterAll(async () => {
    await receiver.stop();
  });

  beforeEach(() => {
    commandsSeen.length = 0;
    actionsSeen = 0;
  });

  afterEach(() => {
    captured.assertNoSecrets();
  });

  async function send(body: string, options: SendOptions = {}): Promise<Response> {
    const timestamp = options.timestamp ?? NOW_SEC;
    const headers: Record<string, string> = {
      'content-type': options.contentType ?? FORM,
      'x-slack-request-timestamp': String(timestamp),
      ...options.headers,
    };
    const signature = options.signature === undefined ? sign(timestamp, body) : options.signature;
    if (signature !== null) headers['x-slack-signature'] = signature;
    return fetch(`${baseUrl}/slack/events`, { method: 'POST', headers, body });
  }

  it('dispatches a signed slash command once and returns the ack body as JSON', async () => {
    const response = await send(slashCommandBody('plan api@v1.2.3 acme prod'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.json()).toEqual({
      response_type: 'ephemeral',
      text: 'got plan api@v1.2.3 acme prod',
    });
    expect(commandsSeen).toHaveLength(1);
  });

  it('dispatches a signed block action once and answers an empty 200', async () => {
    const response = await send(blockActionBody('approve'));
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('');
    expect(actionsSeen).toBe(1);
  });

  it('passes Slack retry headers through to the listener context', async () => {
    const response = await send(slashCommandBody('status'), {
      headers: { 'x-slack-retry-num': '2', 'x-slack-retry-reason': 'http_timeout' },
    });
    expect(response.status).toBe(200);
    expect(commandsSeen).toEqual([{ text: 'status', retryNum: 2, retryReason: 'http_timeout' }]);
  });

  it.each([
    ['4 minutes old', NOW_SEC - 240],
    ['4 minutes in the future', NOW_SEC + 240],
  ])('accepts a timestamp %s', async (_label, timestamp) => {
    const response = await send(slashCommandBody('list'), { timestamp });
    expect(response.status).toBe(200);
    expect(commandsSeen).toHaveLength(1);
  });

  describe('refuses with 401 and dispatches nothing', () => {
    const body = slashCommandBody('cancel HF-7');
    const cases: [string, SendOptions][] = [
      ['a wrong signature', { signature: sign(NOW_SEC, body, 'some-other-secret') }],
      ['a signature over a different body', { signature: sign(NOW_SEC, slashCommandBody('list')) }],
      ['a malformed signature', { signature: 'v0=not-hex' }],
      ['an unknown signature version', { signature: sign(NOW_SEC, body).replace('v0=', 'v1=') }],
      ['a missing signature header', { signature: null }],
      ['a malformed timestamp', { headers: { 'x-slack-request-timestamp': `${NOW_SEC}.5` } }],
      ['a timestamp 6 minutes old', { timestamp: NOW_SEC - 360 }],
      ['a timestamp 6 minutes in the future', { timestamp: NOW_SEC + 360 }],
    ];

    it.each(cases)('%s', async (_label, options) => {
      const before = captured.output().length;
      const response = await send(body, options);
      expect(response.status).toBe(401);
      expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
      expect(await response.text()).toBe('invalid or expired request signature');
      expect(commandsSeen).toHaveLength(0);

      const logged = captured.output().slice(before);
      expect(logged).toContain('refused a Slack request');
      expect(
        captured
          .lines()
          .filter((line) => line['msg'] === 'refused a Slack request')
          .at(-1)?.['level'],
      ).toBe(40);
      expect(logged).not.toContain('cancel');
      expect(logged).not.toContain(sign(NOW_SEC, body).slice(3));
      if (options.signature !== undefined && options.signature !== null) {
        expect(logged).not.toContain(options.signature);
      }
    });

    it('missing both signature headers', async () => {
      const response = await fetch(`${baseUrl}/slack/events`, {
        method: 'POST',
        headers: { 'content-type': FORM },
        body,
      });
      expect(response.status).toBe(401);
      expect(commandsSeen).toHaveLength(0);
    });
  });

  it('echoes a signed url_verification challenge without dispatching', async () => {
    const body = JSON.stringify({ token: 't', challenge: 'c-123', type: 'url_verification' });
    const response = await send(body, { contentType: 'application/json' });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ challenge: 'c-123' });
    expect(commandsSeen).toHaveLength(0);
  });

  it("answers Slack's unsigned ssl_check without dispatching anything smuggled with it", async () => {
    const response = await fetch(`${baseUrl}/slack/events`, {
      method: 'POST',
      headers: { 'content-type': FORM },
      body: `ssl_check=1&token=t&${slashCommandBody('plan api@v1 acme prod')}`,
    });
    expect(response.status).toBe(200);
    expect(commandsSeen).toHaveLength(0);
  });

  it('answers 400 to a signed but malformed body', async () => {
    const response = await send('{not json', { contentType: 'application/json' });
    expect(response.status).toBe(400);
    expect(commandsSeen).toHaveLength(0);
  });

  it("follows Bolt's error handling: 500 when the listener throws before ack", async () => {
    const response = await send(slashCommandBody('boom'));
    expect(response.status).toBe(500);
    expect(commandsSeen).toHaveLength(1);
  });

  it("follows Bolt's error handling: 404 when the listener never acks", async () => {
    const response = await send(slashCommandBody('silent'));
    expect(response.status).toBe(404);
    expect(commandsSeen).toHaveLength(1);
  });

  it('serves /healthz', async () => {
    const response = await fetch(`${baseUrl}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('ok');
  });

  it('serves /readyz from the readiness function', async () => {
    const first = await fetch(`${baseUrl}/readyz`);
    expect(first.status).toBe(200);
    expect(await first.text()).toBe('ready');
    ready = false;
    try {
      const second = await fetch(`${baseUrl}/readyz`);
      expect(second.status).toBe(503);
      expect(await second.text()).toBe('not ready');
    } finally {
      ready = true;
    }
  });

  it('serves /metrics in the exposition format', async () => {
    const response = await fetch(`${baseUrl}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(await response.text()).toContain('hotfix_test_total 3');
  });

  it.each([
    ['GET', '/nope'],
    ['GET', '/slack/events'],
    ['POST', '/healthz'],
  ])('answers 404 to %s %s', async (method, path) => {
    const response = await fetch(`${baseUrl}${path}`, { method });
    expect(response.status).toBe(404);
    expect(commandsSeen).toHaveLength(0);
  });

  it('answers 404 on /metrics and 200 on /readyz when neither function is given', async () => {
    const bare = new SignedHttpReceiver({ signingSecret: SIGNING_SECRET, logger: captured.logger });
    const server = await bare.start(0, '127.0.0.1');
    try {
      const address = server.address();
      if (address === null || typeof address === 'string') throw new Error('expected a TCP address');
      expect((await fetch(`http://127.0.0.1:${address.port}/metrics`)).status).toBe(404);
      expect((await fetch(`http://127.0.0.1:${address.port}/readyz`)).status).toBe(200);
    } finally {
      await bare.stop();
    }
    expect(bare.address()).toBeUndefined();
  });

  it('refuses an empty signing secret', () => {
    expect(() => new SignedHttpReceiver({ signingSecret: '' })).toThrow(/signing secret/);
  });
});
