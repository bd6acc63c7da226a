/**
 * Statuspage's v1 REST API through fetch: the OAuth key header, a timeout on every call, and failures turned into
 * RecordSystemError (retryable for 5xx, 429/420 and timeouts). The key never reaches a message.
 */
import { RecordSystemError, isRetryableStatus } from '../../ports/record-errors.js';

/** Where and how to reach Statuspage. */
export interface StatuspageHttpOptions {
  /** `https://api.statuspage.io/v1`, or an emulator's. */
  apiUrl: string;
  apiKey: string;
  /** Milliseconds before a call counts as failed (and retryable). @defaultValue 10000 */
  timeoutMs?: number;
}

function retryAfterOf(response: Response): number | undefined {
  const value = Number.parseInt(response.headers.get('retry-after') ?? '', 10);
  return Number.isFinite(value) ? value : undefined;
}

// Statuspage answers errors as { error: "..." } or { error: ["...", ...] }.
async function reasonOf(response: Response): Promise<string> {
  const text = await response.text().catch(() => '');
  try {
    const body = JSON.parse(text) as { error?: unknown; message?: unknown };
    const error = body.error ?? body.message;
    if (Array.isArray(error)) return error.map(String).join('; ');
    if (typeof error === 'string') return error;
  } catch {
    // not JSON: fall through to the raw text
  }
  return text.slice(0, 200);
}

function explain(status: number, reason: string): string {
  if (status === 401 || status === 403) return 'the API key was not accepted (check STATUSPAGE_API_KEY)';
  if (status === 429 || status === 420) return 'rate limit reached (1 request per second per key)';
  return `HTTP ${status}${reason ? ` ${reason}` : ''}`;
}

/** Sends one JSON request; answers the parsed body or throws a RecordSystemError saying what was being done. */
export async function statuspageCall<T>(
  options: StatuspageHttpOptions,
  what: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  let response: Response;
  try {
    response = await fetch(`${options.apiUrl.replace(/\/+$/, '')}${path}`, {
      method,
      headers: {
        authorization: `OAuth ${options.apiKey}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    // AbortSignal.timeout rejects with a DOMException, which is not an Error in every realm (jest's).
    const timedOut = (error as { name?: unknown } | null)?.name === 'TimeoutError';
    const cause = timedOut ? `no answer within ${timeoutMs} ms` : 'could not connect';
    throw new RecordSystemError('Statuspage', true, `Statuspage could not ${what}: ${cause}`);
  }
  if (!response.ok) {
    const reason = await reasonOf(response);
    throw new RecordSystemError(
      'Statuspage',
      isRetryableStatus(response.status),
      `Statuspage could not ${what}: ${explain(response.status, reason)}`,
      retryAfterOf(response),
      response.status,
    );
  }
  return (await response.json()) as T;
}
