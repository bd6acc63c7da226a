/**
 * The Web API wire format: how arguments arrive (form or JSON, nested values JSON-encoded as strings in forms) and
 * how answers leave (HTTP 200 with `ok`, 429 with Retry-After).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

import type { JsonObject } from './types.js';

/** A Web API error answer (`{ ok: false, error }`); handlers throw it and the dispatcher sends it. */
export class SlackFailure extends Error {
  constructor(
    readonly error: string,
    readonly details: JsonObject = {},
  ) {
    super(error);
    this.name = 'SlackFailure';
  }
}

/** Narrows an unknown value to a plain JSON object. */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads a request body completely. */
export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks).toString('utf8');
}

// Free text is never decoded: a message reading "[1, 2]" must stay a string.
const FREE_TEXT = new Set(['text', 'markdown_text', 'alt_text', 'private_metadata', 'title']);

function decodeFormValue(key: string, value: string): unknown {
  if (FREE_TEXT.has(key) || !/^\s*[[{]/.test(value)) return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}

/** Parses Web API arguments from the query string and a form or JSON body, as Slack accepts them. */
export function parseArgs(raw: string, contentType: string | undefined, query: URLSearchParams): JsonObject {
  const args: JsonObject = {};
  for (const [key, value] of query) args[key] = decodeFormValue(key, value);
  if (raw.trim() === '') return args;
  if ((contentType ?? '').includes('application/json')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      throw new SlackFailure('invalid_json');
    }
    if (!isJsonObject(parsed)) throw new SlackFailure('json_not_object');
    return { ...args, ...parsed };
  }
  if ((contentType ?? '').includes('multipart/form-data')) throw new SlackFailure('invalid_form_data');
  for (const [key, value] of new URLSearchParams(raw)) args[key] = decodeFormValue(key, value);
  return args;
}

/** The token of a call: the Authorization header, or (older clients) a `token` argument. */
export function tokenOf(req: IncomingMessage, args: JsonObject): string | undefined {
  const header = req.headers.authorization;
  if (header !== undefined) return /^Bearer\s+(.+)$/i.exec(header)?.[1]?.trim();
  return typeof args['token'] === 'string' ? args['token'] : undefined;
}

/** Writes a JSON answer. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/** A string argument, or undefined when absent or empty. */
export function optionalString(args: JsonObject, key: string): string | undefined {
  const value = args[key];
  if (typeof value === 'number') return String(value);
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** A string argument Slack requires; absent -> `invalid_arguments`, as Slack answers. */
export function requiredString(args: JsonObject, key: string, error = 'invalid_arguments'): string {
  const value = optionalString(args, key);
  if (value === undefined)
    throw new SlackFailure(error, {
      response_metadata: { messages: [`[ERROR] missing required field: ${key}`] },
    });
  return value;
}

/** A boolean argument; forms carry `true`/`1`, JSON carries booleans. */
export function flag(args: JsonObject, key: string): boolean {
  const value = args[key];
  return value === true || value === 'true' || value === '1' || value === 1;
}

/** A whole-number argument, or `fallback`. */
export function integer(args: JsonObject, key: string, fallback: number): number {
  const value = args[key];
  const parsed =
    typeof value === 'number' ? value : typeof value === 'string' ? Number.parseInt(value, 10) : NaN;
  return Number.isFinite(parsed) ? parsed : fallback;
}
