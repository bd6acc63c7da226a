/**
 * Slack's request signing (`v0=` HMAC-SHA256 of `v0:<ts>:<body>` with the signing secret) and the POST that carries
 * a signed body to a Bolt app, with ways to break it on purpose.
 */
import { createHmac } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

import type { PayloadContext } from './interaction-payloads.js';
import type { JsonObject } from './types.js';

/** The content type of slash commands and interactions. */
export const FORM = 'application/x-www-form-urlencoded';

/** Headers a signed request can leave out, to test the app's refusal. */
export type SignedHeader = 'x-slack-signature' | 'x-slack-request-timestamp' | 'content-type';

/** How to send: which emulator to borrow ids from, and how to break the request on purpose. */
export interface SignedRequestOptions extends PayloadContext {
  /** Unix seconds to sign with (stale or future to test the app's check). @defaultValue now */
  timestamp?: number;
  /** Sends a signature that does not match the body. */
  corruptSignature?: boolean;
  /** Headers to leave out. */
  omitHeaders?: SignedHeader[];
  /** Marks the request as Slack's retry (`x-slack-retry-num`, `x-slack-retry-reason`). */
  retry?: { num: number; reason: string };
}

/** The app's answer, and the payload that was sent. */
export interface SignedResponse {
  status: number;
  /** Parsed JSON when the answer is JSON, else the text ('' for Bolt's empty ack). */
  body: unknown;
  headers: Record<string, string>;
  /** What was sent (the form fields, or the interaction payload), for assertions. */
  sent: JsonObject;
}

/** Slack's signature headers for `rawBody`. */
export function signHeaders(
  secret: string,
  rawBody: string,
  timestampSeconds: number = Math.floor(Date.now() / 1000),
  contentType: string = FORM,
): Record<string, string> {
  const digest = createHmac('sha256', secret).update(`v0:${timestampSeconds}:${rawBody}`).digest('hex');
  return {
    'x-slack-signature': `v0=${digest}`,
    'x-slack-request-timestamp': String(timestampSeconds),
    'content-type': contentType,
  };
}

/** POSTs a raw body signed as Slack would, and reads the answer. */
export async function sendSigned(
  url: string,
  secret: string,
  rawBody: string,
  contentType: string,
  sent: JsonObject,
  opts: SignedRequestOptions = {},
): Promise<SignedResponse> {
  const headers = signHeaders(secret, rawBody, opts.timestamp, contentType);
  if (opts.corruptSignature === true) {
    const signature = headers['x-slack-signature'] ?? '';
    headers['x-slack-signature'] = `${signature.slice(0, -1)}${signature.endsWith('0') ? '1' : '0'}`;
  }
  for (const name of opts.omitHeaders ?? []) delete headers[name];
  if (opts.retry) {
    headers['x-slack-retry-num'] = String(opts.retry.num);
    headers['x-slack-retry-reason'] = opts.retry.reason;
  }
  const { status, headers: answerHeaders, text } = await post(url, headers, rawBody);
  const isJson = (answerHeaders['content-type'] ?? '').includes('application/json');
  let body: unknown = text;
  if (isJson && text !== '') {
    try {
      body = JSON.parse(text) as unknown;
    } catch {
      body = text;
    }
  }
  return { status, body, headers: answerHeaders, sent };
}

// node:http rather than fetch: fetch adds a content type of its own, and a test must be able to send none.
function post(url: string, headers: Record<string, string>, body: string) {
  return new Promise<{ status: number; headers: Record<string, string>; text: string }>((resolve, reject) => {
    const send = url.startsWith('https:') ? httpsRequest : httpRequest;
    const req = send(
      url,
      { method: 'POST', headers: { ...headers, 'content-length': Buffer.byteLength(body) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const flat = Object.entries(res.headers).map(([k, v]) => [
            k,
            Array.isArray(v) ? v.join(', ') : String(v),
          ]);
          resolve({
            status: res.statusCode ?? 0,
            headers: Object.fromEntries(flat),
            text: Buffer.concat(chunks).toString('utf8'),
          });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** Sends an interaction payload as Slack does: form field `payload=<json>`. */
export function sendPayload(
  url: string,
  secret: string,
  payload: JsonObject,
  opts: SignedRequestOptions = {},
) {
  return sendSigned(
    url,
    secret,
    new URLSearchParams({ payload: JSON.stringify(payload) }).toString(),
    FORM,
    payload,
    opts,
  );
}
