/**
 * Slack request signing (v0): `v0=` + hex HMAC-SHA256 of `v0:<timestamp>:<raw body>`. Unlike Bolt's own check this
 * refuses timestamps too far in the future as well as too far in the past, so a captured request cannot be
 * replayed and a request minted with a future timestamp cannot outlive the replay window.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** Why a request was refused: logged for operators, never sent back to the caller. */
export type SignatureRefusal =
  | 'missing signature headers'
  | 'malformed signature'
  | 'malformed timestamp'
  | 'timestamp out of range'
  | 'signature mismatch';

/** The outcome of checking one request's signature. */
export type SignatureCheck =
  | { readonly ok: true }
  | { readonly ok: false; readonly reason: SignatureRefusal; readonly skewSeconds?: number };

/** What checkSlackSignature needs; header values are passed as Node gives them. */
export interface SignatureInput {
  readonly signingSecret: string;
  readonly signature: string | string[] | undefined;
  readonly timestamp: string | string[] | undefined;
  readonly rawBody: Buffer;
  readonly nowMs: number;
  readonly maxSkewSeconds: number;
}

// Exact shapes only: anything else (repeated headers joined by Node, signs, decimals, other versions) is malformed.
const SIGNATURE_SHAPE = /^v0=([0-9a-fA-F]{64})$/;
const TIMESTAMP_SHAPE = /^[0-9]{1,12}$/;

function hmac(signingSecret: string, timestamp: string, rawBody: Buffer): Buffer {
  // Slack signs the bytes it sent, so hash the raw buffer rather than a decoded string.
  return createHmac('sha256', signingSecret).update(`v0:${timestamp}:`).update(rawBody).digest();
}

/** Checks a request's signature headers against its raw body and the clock, in both time directions. */
export function checkSlackSignature(input: SignatureInput): SignatureCheck {
  const { signature, timestamp } = input;
  if (typeof signature !== 'string' || typeof timestamp !== 'string') {
    return { ok: false, reason: 'missing signature headers' };
  }
  const hex = SIGNATURE_SHAPE.exec(signature)?.[1];
  if (hex === undefined) return { ok: false, reason: 'malformed signature' };
  if (!TIMESTAMP_SHAPE.test(timestamp)) return { ok: false, reason: 'malformed timestamp' };

  // Positive skew: the request claims to be older than now; negative: it claims to come from the future.
  const skew = input.nowMs / 1000 - Number(timestamp);
  if (Math.abs(skew) > input.maxSkewSeconds) {
    return { ok: false, reason: 'timestamp out of range', skewSeconds: Math.round(skew) };
  }

  // Both sides are exactly 32 bytes here (the shape check guarantees 64 hex digits), as timingSafeEqual requires.
  const expected = hmac(input.signingSecret, timestamp, input.rawBody);
  const given = Buffer.from(hex, 'hex');
  return timingSafeEqual(expected, given) ? { ok: true } : { ok: false, reason: 'signature mismatch' };
}
