/**
 * The plumbing the REST emulators (Jira, Google Calendar, Statuspage) share: a node:http server on 127.0.0.1 port 0,
 * JSON in and out, every call recorded, and faults injected before a handler runs so a test can make the vendor
 * fail, throttle or stall exactly where it wants.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** A JSON value as it arrives on the wire. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** A request as a handler sees it. */
export interface WireRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  /** Parsed JSON body, or undefined when there was none. */
  body: Json | undefined;
}

/** What a handler answers. */
export interface WireResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** One call as the emulator saw it. */
export interface RecordedHttpCall {
  time: number;
  method: string;
  path: string;
  query: string;
  body: Json | undefined;
  status: number;
}

/** A fault for the next matching calls: an error status (with Retry-After for 429/420), or a stall before answering. */
export interface HttpFault {
  status?: number;
  retryAfterSeconds?: number;
  delayMs?: number;
  body?: unknown;
}

/** Thrown by handlers to answer with an error status. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(`HTTP ${status}`);
  }
}

interface PendingFault {
  method: string | undefined;
  pathPattern: RegExp;
  fault: HttpFault;
  remaining: number;
}

/** A running emulator: its URL, its calls and its fault switch. */
export interface HttpEmulator {
  readonly url: string;
  readonly calls: readonly RecordedHttpCall[];
  /** Makes the next `times` calls matching `method` and `pathPattern` fail or stall. */
  failNext(pathPattern: RegExp, fault: HttpFault, times?: number, method?: string): void;
  close(): Promise<void>;
}

async function readJson(req: IncomingMessage): Promise<Json | undefined> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  const raw = Buffer.concat(chunks).toString('utf8');
  if (raw.trim() === '') return undefined;
  try {
    return JSON.parse(raw) as Json;
  } catch {
    throw new HttpError(400, { error: 'body is not valid JSON' });
  }
}

function send(res: ServerResponse, answer: WireResponse): void {
  const text = answer.body === undefined ? '' : JSON.stringify(answer.body);
  res.writeHead(answer.status, {
    ...(text ? { 'content-type': 'application/json; charset=utf-8' } : {}),
    'content-length': Buffer.byteLength(text),
    ...answer.headers,
  });
  res.end(text);
}

/** Starts a server whose requests go to `handle`, after faults and recording. */
export async function startHttpEmulator(
  handle: (req: WireRequest) => WireResponse | Promise<WireResponse>,
): Promise<HttpEmulator> {
  const calls: RecordedHttpCall[] = [];
  const faults: PendingFault[] = [];
  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const method = req.method ?? 'GET';
      let body: Json | undefined;
      let answer: WireResponse;
      try {
        body = await readJson(req);
        const fault = faults.find((f) => (f.method ?? method) === method && f.pathPattern.test(url.pathname));
        if (fault) {
          fault.remaining -= 1;
          if (fault.remaining <= 0) faults.splice(faults.indexOf(fault), 1);
          if (fault.fault.delayMs) await sleep(fault.fault.delayMs);
        }
        if (fault?.fault.status) {
          const retry = fault.fault.retryAfterSeconds;
          answer = {
            status: fault.fault.status,
            body: fault.fault.body ?? { error: `injected ${fault.fault.status}` },
            headers: retry === undefined ? {} : { 'retry-after': String(retry) },
          };
        } else {
          answer = await handle({
            method,
            path: url.pathname,
            query: url.searchParams,
            headers: req.headers,
            body,
          });
        }
      } catch (error) {
        answer =
          error instanceof HttpError
            ? { status: error.status, body: error.body, headers: error.headers }
            : { status: 500, body: { error: String(error) } };
      }
      calls.push({
        time: Date.now(),
        method,
        path: url.pathname,
        query: url.search,
        body,
        status: answer.status,
      });
      if (!res.destroyed) send(res, answer);
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    failNext(pathPattern, fault, times = 1, method) {
      faults.push({ method, pathPattern, fault, remaining: times });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Narrows a JSON value to an object. */
export function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** One line per call, for failure messages. */
export function describeHttpCalls(calls: readonly RecordedHttpCall[]): string {
  if (calls.length === 0) return '  (no calls)';
  return calls.map((c) => `  ${c.method} ${c.path}${c.query} -> ${c.status}`).join('\n');
}
