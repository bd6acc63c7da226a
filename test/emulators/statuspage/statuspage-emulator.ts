/**
 * A local Statuspage v1 API (https://api.statuspage.io/v1) on 127.0.0.1: `Authorization: OAuth <key>` or 401;
 * pages, components and incidents (maintenances), started and completed by themselves on the `now` clock when
 * asked to; 1 request per second per key over a rolling minute, beyond which it answers 429 (or 420, as Statuspage
 * sometimes does); faults on demand; every call recorded.
 */
import {
  HttpError,
  isObject,
  startHttpEmulator,
  type HttpEmulator,
  type JsonObject,
  type WireRequest,
  type WireResponse,
} from '../http-kit/server.js';
import { StatuspageState, type PageSeed, type SpComponent, type SpIncident } from './state.js';

/** How to start the emulator. */
export interface StatuspageEmulatorOptions {
  /** The only API key accepted. @defaultValue 'sp-test-key' */
  apiKey?: string;
  pages?: PageSeed[];
  /** Requests per key per rolling minute; Statuspage allows 60. @defaultValue 60 */
  perMinute?: number;
  /** What a request over the limit gets. @defaultValue 429 */
  limitStatus?: 429 | 420;
  /** The clock for timestamps, the rate limit and automatic starts and completions. @defaultValue the real clock */
  now?: () => Date;
}

/** A running Statuspage emulator. */
export interface StatuspageEmulator extends HttpEmulator {
  /** Base URL to give the adapter, ending in `/v1`. */
  readonly apiUrl: string;
  readonly apiKey: string;
  readonly state: StatuspageState;
  component(id: string): SpComponent | undefined;
  incidents(pageId: string): SpIncident[];
}

function authorised(req: WireRequest, key: string): boolean {
  const header = req.headers.authorization;
  return (
    typeof header === 'string' && /^OAuth\s+/i.test(header) && header.replace(/^OAuth\s+/i, '').trim() === key
  );
}

/** The `{ incident: {...} }` or `{ component: {...} }` wrapper every write carries; 400 without it. */
function bodyOf(req: WireRequest, wrapper: 'incident' | 'component'): JsonObject {
  const inner = isObject(req.body) ? req.body[wrapper] : undefined;
  if (!isObject(inner)) throw new HttpError(400, { error: `Missing ${wrapper} parameter` });
  return inner;
}

function route(state: StatuspageState, req: WireRequest): WireResponse {
  const parts = req.path
    .replace(/^\/v1\//, '')
    .split('/')
    .filter(Boolean);
  const [pages, pageId, kind, id] = parts;
  if (pages !== 'pages' || !pageId) throw new HttpError(404, { error: 'Not found' });
  const m = req.method;
  if (kind === undefined && m === 'GET') return { status: 200, body: state.page(pageId) };
  if (kind === 'components') {
    if (!id && m === 'GET') return { status: 200, body: state.componentsOf(pageId) };
    if (id && m === 'GET') return { status: 200, body: state.component(pageId, id) };
    if (id && (m === 'PATCH' || m === 'PUT'))
      return { status: 200, body: state.setComponentStatus(pageId, id, bodyOf(req, 'component')['status']) };
  }
  if (kind === 'incidents') {
    if (!id && m === 'GET')
      return { status: 200, body: state.list(pageId, req.query.get('q')).map((i) => state.view(i)) };
    if (!id && m === 'POST')
      return { status: 201, body: state.view(state.create(pageId, bodyOf(req, 'incident'))) };
    if (id && m === 'GET') return { status: 200, body: state.view(state.incident(pageId, id)) };
    if (id && (m === 'PATCH' || m === 'PUT'))
      return { status: 200, body: state.view(state.update(pageId, id, bodyOf(req, 'incident'))) };
  }
  throw new HttpError(404, { error: 'Not found' });
}

/** Starts a Statuspage emulator. */
export async function startStatuspageEmulator(
  options: StatuspageEmulatorOptions = {},
): Promise<StatuspageEmulator> {
  const apiKey = options.apiKey ?? 'sp-test-key';
  const now = options.now ?? (() => new Date());
  const perMinute = options.perMinute ?? 60;
  const state = new StatuspageState(options.pages ?? [], now);
  const accepted = new Map<string, number[]>();
  const server = await startHttpEmulator((req) => {
    if (!authorised(req, apiKey)) throw new HttpError(401, { error: 'Could not authenticate' });
    const t = now().getTime();
    const recent = (accepted.get(apiKey) ?? []).filter((at) => t - at < 60_000);
    if (recent.length >= perMinute) {
      const waitS = Math.max(1, Math.ceil((60_000 - (t - (recent[0] ?? t))) / 1000));
      throw new HttpError(
        options.limitStatus ?? 429,
        { error: 'Rate limit exceeded' },
        { 'retry-after': String(waitS) },
      );
    }
    accepted.set(apiKey, [...recent, t]);
    state.tick();
    return route(state, req);
  });
  return {
    ...server,
    get calls() {
      return server.calls;
    },
    apiUrl: `${server.url}/v1`,
    apiKey,
    state,
    component: (id) => {
      state.tick();
      return state.components.get(id);
    },
    incidents: (pageId) => {
      state.tick();
      return state.list(pageId, null);
    },
  };
}
