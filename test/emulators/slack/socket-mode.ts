/**
 * Socket Mode: `apps.connections.open` (app-level token only) hands out a one-use `ws://` URL; the WebSocket server
 * behind it says hello, carries envelopes to the app and returns the app's acks to the test. Payloads are built by
 * the same functions as the signed HTTP requests, so both transports send the same fields.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

import { WebSocket, WebSocketServer, type RawData } from 'ws';

import {
  clickButton,
  sendBlockAction,
  sendEvent,
  sendSlashCommand,
  sendViewSubmission,
  type BlockActionInput,
  type SlashCommandInput,
  type ViewSubmissionInput,
} from './signed-requests.js';
import type { SlackEmulator } from './slack-emulator.js';
import type { SlackState } from './state.js';
import type { Fault, JsonObject } from './types.js';
import { isJsonObject, parseArgs, readBody, sendJson, tokenOf } from './wire.js';

/** The app-level token the emulator accepts unless told otherwise. */
export const DEFAULT_APP_TOKEN = 'xapp-test-token';
/** Slack's window for acknowledging an envelope. */
export const SOCKET_ACK_TIMEOUT_MS = 3000;

const METHOD = 'apps.connections.open';
const SINK_PATH = '/payload-sink';

/** What Slack sends over the socket. */
export type EnvelopeType = 'slash_commands' | 'interactive' | 'events_api';

/** How to send one envelope. */
export interface EnvelopeOptions {
  /** @defaultValue true for slash commands, view submissions and suggestions (Slack's choice), else false */
  acceptsResponsePayload?: boolean;
  /** @defaultValue SOCKET_ACK_TIMEOUT_MS */
  timeoutMs?: number;
}

/** The app's ack (`{ envelope_id, payload }`: the payload is what Bolt's `ack(...)` was given). */
export interface SocketAck {
  envelope_id: string;
  payload?: unknown;
}

/** An ack together with the payload that was sent, for assertions. */
export type SentEnvelope = SocketAck & { sent: JsonObject };

/** Socket Mode as a test sees it. */
export interface SocketModeEmulator {
  /** The app-level token `apps.connections.open` accepts. */
  readonly appToken: string;
  /** Whether an app holds an open socket (it has been sent hello). */
  connected(): boolean;
  /** Resolves once an app is connected; rejects after `timeoutMs`. */
  waitForSocket(timeoutMs?: number): Promise<void>;
  /** Sends an envelope to the newest connection; resolves with its ack, rejects naming the envelope on timeout. */
  sendEnvelope(type: EnvelopeType, payload: JsonObject, options?: EnvelopeOptions): Promise<SocketAck>;
  /** `/hotfix <text>`: the same fields as the HTTP form, as a JSON object. */
  slashCommand(input: SlashCommandInput, options?: EnvelopeOptions): Promise<SentEnvelope>;
  /** A `block_actions` interaction. */
  blockAction(input: BlockActionInput, options?: EnvelopeOptions): Promise<SentEnvelope>;
  /** A click on button `action_id` of a message the emulator holds. */
  clickButton(input: Parameters<typeof clickButton>[2], options?: EnvelopeOptions): Promise<SentEnvelope>;
  /** A `view_submission` interaction. */
  viewSubmission(input: ViewSubmissionInput, options?: EnvelopeOptions): Promise<SentEnvelope>;
  /** An Events API callback carrying `event`. */
  event(event: JsonObject, options?: EnvelopeOptions): Promise<SentEnvelope>;
}

/** What the emulator itself needs beyond the test's view. */
export interface SocketModeServer extends SocketModeEmulator {
  /** Whether `req` is an `apps.connections.open` call (which takes the app token, not the bot token). */
  handles(req: IncomingMessage): boolean;
  /** Answers `apps.connections.open` and records the call. */
  connectionsOpen(req: IncomingMessage, res: ServerResponse): Promise<void>;
  /** Drops every socket and stops the server. */
  close(): Promise<void>;
}

/** How to start Socket Mode. */
export interface SocketModeConfig {
  state: SlackState;
  appToken: string;
  appId: string;
  latencyMs: number;
  /** The emulator, for names, live trigger ids and response_urls in payloads. */
  emulator: () => SlackEmulator;
}

interface Pending {
  socket: WebSocket;
  resolve: (ack: SocketAck) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

/** Slack answers this method with the token checked by kind: a bot token is valid but of the wrong type. */
function openAnswer(config: SocketModeConfig, token: string | undefined, url: () => string): JsonObject {
  if (token === undefined) return { ok: false, error: 'not_authed' };
  if (token === config.state.config.token) return { ok: false, error: 'not_allowed_token_type' };
  if (token !== config.appToken) return { ok: false, error: 'invalid_auth' };
  return { ok: true, url: url() };
}

/** An injected fault's answer, as dispatch.ts gives it for the bot-token methods; a delay lets the call proceed. */
function faultAnswer(
  fault: Fault | undefined,
): { status: number; body: JsonObject; headers?: Record<string, string> } | undefined {
  if (fault === undefined || (typeof fault === 'object' && 'delayMs' in fault)) return undefined;
  if (typeof fault === 'string') return { status: 200, body: { ok: false, error: fault } };
  if (fault.status === 429)
    return {
      status: 429,
      body: { ok: false, error: 'ratelimited' },
      headers: { 'retry-after': String(fault.retryAfter) },
    };
  return { status: fault.status, body: { ok: false, error: `http_${fault.status}` } };
}

function describePayload(type: EnvelopeType, payload: JsonObject): string {
  if (type === 'slash_commands') return `${String(payload['command'])} ${String(payload['text'])}`;
  const event = payload['event'];
  return String((isJsonObject(event) ? event['type'] : payload['type']) ?? '?');
}

/** Starts the WebSocket server on 127.0.0.1 and an ephemeral port of its own, as Slack's is a host of its own. */
export async function startSocketMode(config: SocketModeConfig): Promise<SocketModeServer> {
  const tickets = new Set<string>();
  const sockets: WebSocket[] = [];
  const pending = new Map<string, Pending>();
  const wss = new WebSocketServer({ noServer: true });
  // The sink lets the signed-request builders make Socket Mode payloads: it takes their POST and says nothing.
  const http = createServer((req, res) => {
    req.resume();
    res.writeHead(req.url === SINK_PATH ? 200 : 404).end();
  });

  const onMessage = (data: RawData): void => {
    let message: unknown;
    try {
      message = JSON.parse(data.toString());
    } catch {
      return;
    }
    if (!isJsonObject(message) || typeof message['envelope_id'] !== 'string') return;
    const waiting = pending.get(message['envelope_id']);
    if (!waiting) return;
    pending.delete(message['envelope_id']);
    clearTimeout(waiting.timer);
    const ack: SocketAck = { envelope_id: message['envelope_id'] };
    if ('payload' in message) ack.payload = message['payload'];
    waiting.resolve(ack);
  };

  const onConnection = (socket: WebSocket): void => {
    sockets.push(socket);
    socket.on('message', onMessage);
    socket.on('error', () => socket.terminate());
    socket.on('close', () => {
      const index = sockets.indexOf(socket);
      if (index >= 0) sockets.splice(index, 1);
      for (const [id, waiting] of pending) {
        if (waiting.socket !== socket) continue;
        pending.delete(id);
        clearTimeout(waiting.timer);
        waiting.reject(new Error(`Socket Mode: the connection closed before envelope ${id} was acked`));
      }
    });
    socket.send(
      JSON.stringify({
        type: 'hello',
        num_connections: sockets.length,
        debug_info: { host: 'applink-emulator', build_number: 1, approximate_connection_time: 18060 },
        connection_info: { app_id: config.appId },
      }),
    );
  };

  http.on('upgrade', (req: IncomingMessage, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const ticket = url.searchParams.get('ticket') ?? '';
    // Tickets are single-use, like Slack's: a client must call apps.connections.open again to reconnect.
    if (url.pathname !== '/link/' || !tickets.delete(ticket)) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, onConnection);
  });
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(0, '127.0.0.1', () => resolve());
  });
  const base = `127.0.0.1:${(http.address() as AddressInfo).port}`;
  const issueUrl = (): string => {
    const ticket = randomBytes(12).toString('hex');
    tickets.add(ticket);
    return `ws://${base}/link/?ticket=${ticket}&app_id=${config.appId}`;
  };
  const open = (): WebSocket[] => sockets.filter((s) => s.readyState === WebSocket.OPEN);

  const sendEnvelope: SocketModeEmulator['sendEnvelope'] = (type, payload, options = {}) => {
    const socket = open().at(-1);
    const what = `${type} envelope (${describePayload(type, payload)})`;
    if (!socket) return Promise.reject(new Error(`Socket Mode: no app is connected to receive the ${what}`));
    const envelopeId = randomUUID();
    const accepts =
      options.acceptsResponsePayload ??
      (type === 'slash_commands' ||
        ['view_submission', 'block_suggestion'].includes(String(payload['type'])));
    const timeoutMs = options.timeoutMs ?? SOCKET_ACK_TIMEOUT_MS;
    return new Promise<SocketAck>((resolve, reject) => {
      const timer = setTimeout(() => {
        pending.delete(envelopeId);
        reject(new Error(`Socket Mode: no ack within ${timeoutMs} ms for ${what} ${envelopeId}`));
      }, timeoutMs);
      pending.set(envelopeId, { socket, resolve, reject, timer });
      socket.send(
        JSON.stringify({
          envelope_id: envelopeId,
          type,
          payload,
          accepts_response_payload: accepts,
          retry_attempt: 0,
          retry_reason: '',
        }),
      );
    });
  };

  const sink = `http://${base}${SINK_PATH}`;
  const context = () => ({ emulator: config.emulator() });
  const deliver = async (
    type: EnvelopeType,
    built: Promise<{ sent: JsonObject }>,
    options: EnvelopeOptions | undefined,
  ): Promise<SentEnvelope> => {
    const { sent } = await built;
    return { ...(await sendEnvelope(type, sent, options)), sent };
  };

  return {
    appToken: config.appToken,
    connected: () => open().length > 0,
    async waitForSocket(timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      while (open().length === 0) {
        if (Date.now() >= deadline) {
          const opens = config.state.calls.filter((c) => c.method === METHOD);
          const answers = opens.map((c) => String(c.result['ok'] === true ? 'ok' : c.result['error']));
          throw new Error(
            `Socket Mode: no app connected within ${timeoutMs} ms (apps.connections.open answers: ${answers.join(', ') || 'none'})`,
          );
        }
        await sleep(10);
      }
    },
    sendEnvelope,
    // The secret signs a request to the sink only; Socket Mode itself is not signed.
    slashCommand: (input, options) =>
      deliver('slash_commands', sendSlashCommand(sink, 'unused', input, context()), options),
    blockAction: (input, options) =>
      deliver('interactive', sendBlockAction(sink, 'unused', input, context()), options),
    clickButton: (input, options) =>
      deliver('interactive', clickButton(sink, 'unused', input, context()), options),
    viewSubmission: (input, options) =>
      deliver('interactive', sendViewSubmission(sink, 'unused', input, context()), options),
    event: (event, options) => deliver('events_api', sendEvent(sink, 'unused', event, context()), options),
    handles: (req) => new URL(req.url ?? '/', 'http://127.0.0.1').pathname === `/api/${METHOD}`,
    async connectionsOpen(req, res) {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const args = parseArgs(await readBody(req), req.headers['content-type'], url.searchParams);
      const token = tokenOf(req, args);
      delete args['token'];
      if (config.latencyMs > 0) await sleep(config.latencyMs);
      const fault = config.state.faults.get(METHOD)?.shift();
      if (fault !== undefined && typeof fault === 'object' && 'delayMs' in fault) await sleep(fault.delayMs);
      const answer = faultAnswer(fault) ?? { status: 200, body: openAnswer(config, token, issueUrl) };
      const { status, body: result } = answer;
      config.state.calls.push({ method: METHOD, args, time: config.state.now(), status, result });
      if (answer.status >= 500)
        res.writeHead(answer.status, { 'content-type': 'text/plain' }).end('upstream error');
      else sendJson(res, answer.status, answer.body, answer.headers);
    },
    async close() {
      for (const waiting of pending.values()) {
        clearTimeout(waiting.timer);
        waiting.reject(new Error('Socket Mode: the emulator closed before the ack'));
      }
      pending.clear();
      for (const socket of [...sockets]) socket.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      http.closeAllConnections();
      await new Promise<void>((resolve, reject) =>
        http.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
}
