import type { ProbeAnswer } from '../../domain/health.js';
import type { HealthProbe } from '../../ports/health-probe.js';

/** The most of a health answer read: a health body is small, and a huge one must not fill the worker's memory. */
const BODY_MAX = 64 * 1024;

/** Redirects followed within the same host before the check gives up. */
const REDIRECTS_MAX = 5;

/**
 * The bot's own HTTP client for health URLs (Node's fetch). It follows a redirect only to the same host and port
 * it was sent to: a health URL that points somewhere else is a failed check, never a request to an unknown host.
 */
export class FetchHealthProbe implements HealthProbe {
  /** GETs `url` within `timeoutMs`, following same-host redirects. */
  async get(url: string, timeoutMs: number): Promise<ProbeAnswer> {
    const signal = AbortSignal.timeout(timeoutMs);
    let current: URL;
    try {
      current = new URL(url);
    } catch {
      return { kind: 'error', message: `not a URL: ${url}` };
    }
    try {
      for (let hop = 0; hop <= REDIRECTS_MAX; hop++) {
        const response = await fetch(current, {
          redirect: 'manual',
          signal,
          headers: { accept: 'application/json' },
        });
        const location = response.headers.get('location');
        if (response.status >= 300 && response.status < 400 && location) {
          await response.body?.cancel();
          const next = new URL(location, current);
          if (next.host !== current.host || next.protocol !== current.protocol) {
            return {
              kind: 'error',
              message: `HTTP ${response.status} redirect to another host (${next.protocol}//${next.host}), not followed`,
            };
          }
          current = next;
          continue;
        }
        return { kind: 'answer', status: response.status, body: await readCapped(response) };
      }
      return { kind: 'error', message: `more than ${REDIRECTS_MAX} redirects` };
    } catch (error) {
      if (signal.aborted) return { kind: 'error', message: `no answer within ${timeoutMs / 1000} s` };
      return { kind: 'error', message: `no answer: ${causeOf(error)}` };
    }
  }
}

async function readCapped(response: Response): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
    if (size >= BODY_MAX) {
      await reader.cancel();
      break;
    }
  }
  return Buffer.concat(chunks).subarray(0, BODY_MAX).toString('utf8');
}

/** fetch wraps the reason (ECONNREFUSED, ENOTFOUND) in `cause`; the code is what a person can act on. */
function causeOf(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
  if (cause && typeof cause.code === 'string') return cause.code;
  if (cause && typeof cause.message === 'string') return cause.message;
  return error instanceof Error ? error.message : String(error);
}
