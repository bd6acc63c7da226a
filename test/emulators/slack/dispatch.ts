/**
 * The emulator's HTTP front: routes `POST /api/<method>` and `POST /response/<id>`, applies injected faults, the
 * token check and rate limits in the order Slack does, and records every call.
 */
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

import {
  CallHooks as GenericCallHooks,
  HANG_UP_GRACE_MS,
  watchHangUp,
  type HookOptions,
} from '../http-kit/hooks.js';

import { chatMethods, type MethodHandler } from './methods-chat.js';
import { readMethods } from './methods-read.js';
import { viewMethods } from './methods-views.js';
import type { RateLimiter } from './rate-limits.js';
import { postToResponseUrl } from './response-urls.js';
import type { SlackState } from './state.js';
import type { Fault, JsonObject } from './types.js';
import { SlackFailure, parseArgs, readBody, sendJson, tokenOf } from './wire.js';

const METHODS: Record<string, MethodHandler> = { ...chatMethods, ...readMethods, ...viewMethods };

/** Settings the dispatcher needs beyond the state. */
export interface DispatchConfig {
  limiter: RateLimiter | undefined;
  latencyMs: number;
  hooks: CallHooks;
}

/** A Web API call as an `onCall` predicate sees it (the user-agent header tells which process called). */
export interface ObservedCall {
  method: string;
  /** Arguments with the token removed. */
  args: JsonObject;
  headers: IncomingHttpHeaders;
}

/** When and how often an `onCall` action runs. */
export type OnCallOptions = HookOptions;

/** The hooks `emulator.onCall` registers, run in registration order. */
export class CallHooks extends GenericCallHooks<ObservedCall> {
  constructor() {
    super('Slack emulator');
  }
}

interface Answer {
  status: number;
  body: JsonObject;
  headers?: Record<string, string>;
}

/** Takes the next injected fault for `key`, sleeping through a delay fault (which then lets the call proceed). */
async function nextFault(
  state: SlackState,
  key: string,
): Promise<Exclude<Fault, { delayMs: number }> | undefined> {
  const fault = state.faults.get(key)?.shift();
  if (fault === undefined) return undefined;
  if (typeof fault === 'object' && 'delayMs' in fault) {
    await sleep(fault.delayMs);
    return undefined;
  }
  return fault;
}

function faultAnswer(fault: Exclude<Fault, { delayMs: number }>): Answer {
  if (typeof fault === 'string') return { status: 200, body: { ok: false, error: fault } };
  if (fault.status === 429) {
    return {
      status: 429,
      body: { ok: false, error: 'ratelimited' },
      headers: { 'retry-after': String(fault.retryAfter) },
    };
  }
  return { status: fault.status, body: { ok: false, error: `http_${fault.status}` } };
}

function send(res: ServerResponse, answer: Answer): void {
  if (answer.status >= 500) {
    // Slack's 5xx pages are not JSON; the client must cope with that.
    res.writeHead(answer.status, { 'content-type': 'text/plain' });
    res.end('upstream error');
    return;
  }
  sendJson(res, answer.status, answer.body, answer.headers);
}

function runMethod(
  state: SlackState,
  config: DispatchConfig,
  method: string,
  args: JsonObject,
  token: string | undefined,
): Answer {
  const handler = METHODS[method];
  if (!handler) return { status: 200, body: { ok: false, error: 'unknown_method' } };
  if (token === undefined) return { status: 200, body: { ok: false, error: 'not_authed' } };
  if (token !== state.config.token) return { status: 200, body: { ok: false, error: 'invalid_auth' } };
  const retryAfter = config.limiter?.take(method, args, state.now());
  if (retryAfter !== undefined) {
    return {
      status: 429,
      body: { ok: false, error: 'ratelimited' },
      headers: { 'retry-after': String(retryAfter) },
    };
  }
  try {
    return { status: 200, body: { ok: true, ...handler(state, args) } };
  } catch (error) {
    if (error instanceof SlackFailure)
      return { status: 200, body: { ok: false, error: error.error, ...error.details } };
    // A bug in the emulator must not look like a Slack answer the bot could handle.
    const message = error instanceof Error ? error.message : String(error);
    return { status: 500, body: { ok: false, error: `emulator_error: ${message}` } };
  }
}

async function handleApi(
  state: SlackState,
  config: DispatchConfig,
  req: IncomingMessage,
  res: ServerResponse,
  method: string,
  query: URLSearchParams,
): Promise<void> {
  const raw = await readBody(req);
  let args: JsonObject = {};
  let answer: Answer | undefined;
  try {
    args = parseArgs(raw, req.headers['content-type'], query);
  } catch (error) {
    if (!(error instanceof SlackFailure)) throw error;
    answer = { status: 200, body: { ok: false, error: error.error } };
  }
  const token = tokenOf(req, args);
  delete args['token'];
  const call: ObservedCall = { method, args, headers: req.headers };
  const hungUp = watchHangUp(res);
  if ((await config.hooks.run(call, 'before')) > 0) {
    // A caller killed while Slack held its call: the call is dropped, as if it never reached Slack (status 499).
    if (await hungUp(HANG_UP_GRACE_MS)) {
      const result = { ok: false, error: 'client_closed_request' };
      state.calls.push({ method, args, time: state.now(), status: 499, result });
      return;
    }
  }
  if (config.latencyMs > 0) await sleep(config.latencyMs);
  const fault = await nextFault(state, method);
  answer ??= fault !== undefined ? faultAnswer(fault) : runMethod(state, config, method, args, token);
  state.calls.push({ method, args, time: state.now(), status: answer.status, result: answer.body });
  // Run before answering: a caller killed just after sending the answer could still act on it on a busy machine.
  await config.hooks.run(call, 'after');
  if (!res.destroyed) send(res, answer);
}

async function handleResponseUrl(
  state: SlackState,
  req: IncomingMessage,
  res: ServerResponse,
  id: string,
): Promise<void> {
  const raw = await readBody(req);
  const fault = await nextFault(state, 'response_url');
  if (fault !== undefined) {
    const answer = faultAnswer(fault);
    send(res, typeof fault === 'string' ? { ...answer, status: 404 } : answer);
    return;
  }
  const answer = postToResponseUrl(state, id, raw);
  sendJson(res, answer.status, answer.body);
}

/** The node:http request listener of the emulator. */
export function createRequestListener(state: SlackState, config: DispatchConfig) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const api = /^\/api\/([A-Za-z0-9_.]+)$/.exec(url.pathname);
    const response = /^\/response\/([A-Za-z0-9_-]+)$/.exec(url.pathname);
    const work =
      api?.[1] !== undefined && (req.method === 'POST' || req.method === 'GET')
        ? handleApi(state, config, req, res, api[1], url.searchParams)
        : response?.[1] !== undefined && req.method === 'POST'
          ? handleResponseUrl(state, req, res, response[1])
          : Promise.resolve(sendJson(res, 404, { ok: false, error: 'not_found' }));
    work.catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { ok: false, error: String(error) });
      else res.destroy();
    });
  };
}
