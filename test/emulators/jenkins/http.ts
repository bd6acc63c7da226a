/**
 * The wire side of the Jenkins emulator: Basic authentication with API tokens, CSRF crumbs, faults and the call log.
 * Routes live in routes.ts; this file decides who is calling and whether the call gets that far.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

import type { Fault, JenkinsUser, RecordedCall } from './types.js';

/** The header Jenkins' DefaultCrumbIssuer names. */
export const CRUMB_FIELD = 'Jenkins-Crumb';

/** A request as the routes see it. */
export interface Request {
  method: string;
  path: string;
  query: Record<string, string>;
  form: Record<string, string>;
  user: string | undefined;
  /** True when the caller authenticated with a password rather than an API token. */
  byPassword: boolean;
  crumb: string | undefined;
}

/** A route's answer. */
export interface Reply {
  status: number;
  json?: unknown;
  text?: string;
  headers?: Record<string, string>;
}

/** The crumb Jenkins would issue to this user (stable per user and emulator). */
export function crumbFor(user: string, salt: string): string {
  return createHash('sha256').update(`${salt}:${user}`).digest('hex');
}

/** Who the Basic header names, and how they proved it; undefined user when absent, 'bad' when refused. */
export function authenticate(
  header: string | undefined,
  users: readonly JenkinsUser[],
): { user?: string; byPassword: boolean; bad: boolean } {
  if (!header?.startsWith('Basic ')) return { byPassword: false, bad: false };
  const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const name = decoded.slice(0, colon);
  const secret = decoded.slice(colon + 1);
  const user = users.find((u) => u.name === name);
  if (user?.apiTokens.includes(secret)) return { user: name, byPassword: false, bad: false };
  if (user?.password !== undefined && user.password === secret)
    return { user: name, byPassword: true, bad: false };
  return { byPassword: false, bad: true };
}

/** Reads the body and parses it as a form (Jenkins' build and log endpoints take forms). */
export async function readForm(req: IncomingMessage): Promise<Record<string, string>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks).toString('utf8');
  const type = req.headers['content-type'] ?? '';
  if (!body || !type.startsWith('application/x-www-form-urlencoded')) return {};
  return Object.fromEntries(new URLSearchParams(body));
}

/** Faults waiting for matching paths. */
export class Faults {
  private readonly pending: { path: string | RegExp; fault: Fault; times: number }[] = [];

  /** Makes the next `times` requests whose path matches fail with `fault`. */
  add(path: string | RegExp, fault: Fault, times: number): void {
    this.pending.push({ path, fault, times });
  }

  /** The fault for this path, used up once, if any. */
  take(path: string): Fault | undefined {
    const found = this.pending.find((f) =>
      typeof f.path === 'string' ? path.includes(f.path) : f.path.test(path),
    );
    if (!found) return undefined;
    found.times -= 1;
    if (found.times <= 0) this.pending.splice(this.pending.indexOf(found), 1);
    return found.fault;
  }

  /** Forgets every pending fault. */
  clear(): void {
    this.pending.length = 0;
  }
}

/** Writes a reply the way Jenkins does: JSON with its content type, text as text/plain with UTF-8. */
export function send(res: ServerResponse, reply: Reply): void {
  const headers: Record<string, string> = { 'X-Jenkins': '2.479.1', ...reply.headers };
  if (reply.json !== undefined) {
    res.writeHead(reply.status, { ...headers, 'Content-Type': 'application/json;charset=utf-8' });
    res.end(JSON.stringify(reply.json));
    return;
  }
  res.writeHead(reply.status, { ...headers, 'Content-Type': 'text/plain;charset=utf-8' });
  res.end(reply.text ?? '');
}

/** A recorded call from the request and its status. */
export function recordOf(request: Request, status: number, time: number): RecordedCall {
  return {
    time,
    method: request.method,
    path: request.path,
    query: request.query,
    form: request.form,
    user: request.user,
    crumb: request.crumb !== undefined,
    status,
  };
}
