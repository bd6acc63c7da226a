/**
 * A service's health endpoint as a deployed service answers it (seed 004: `GET /v1/health` -> 200
 * `{"status":"healthy","version":"v2.4.0"}`), on 127.0.0.1 port 0. Tests set what each path answers (the version
 * running, an error status, a redirect, a stall) and read the calls it got.
 */
import type { HttpEmulator, HttpFault, RecordedHttpCall, WireResponse } from '../http-kit/server.js';
import { setTimeout as sleep } from 'node:timers/promises';
import { HttpError, startHttpEmulator } from '../http-kit/server.js';

/** What a path answers: a JSON body with a status (after `delayMs`, to stall), or a redirect to `location`. */
export type HealthAnswer =
  { status: number; body: unknown; delayMs?: number } | { redirect: string; status?: 301 | 302 | 307 | 308 };

/** A running health endpoint. */
export interface HealthEmulator {
  readonly url: string;
  readonly calls: readonly RecordedHttpCall[];
  /** What `path` answers from now on. */
  answer(path: string, answer: HealthAnswer): void;
  /** Shorthand: `path` answers 200 `{ status: 'healthy', version }`. */
  running(path: string, version: string): void;
  /** The next `times` calls to `path` fail or stall (see HttpFault). */
  failNext(path: string, fault: HttpFault, times?: number): void;
  close(): Promise<void>;
}

/** Starts a health endpoint; every path answers 404 until told otherwise. */
export async function startHealthEmulator(): Promise<HealthEmulator> {
  const answers = new Map<string, HealthAnswer>();
  const server: HttpEmulator = await startHttpEmulator(async (req): Promise<WireResponse> => {
    if (req.method !== 'GET' && req.method !== 'HEAD')
      throw new HttpError(405, { error: 'method not allowed' });
    const found = answers.get(req.path);
    if (!found) throw new HttpError(404, { error: `no route ${req.path}` });
    if ('redirect' in found) return { status: found.status ?? 302, headers: { location: found.redirect } };
    if (found.delayMs) await sleep(found.delayMs);
    return { status: found.status, body: found.body };
  });
  return {
    url: server.url,
    calls: server.calls,
    answer: (path, answer) => answers.set(path, answer),
    running: (path, version) => answers.set(path, { status: 200, body: { status: 'healthy', version } }),
    failNext: (path, fault, times) => server.failNext(new RegExp(`^${escape(path)}$`), fault, times, 'GET'),
    close: () => server.close(),
  };
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
