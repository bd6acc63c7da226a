/**
 * googleapis (gaxios) failures as RecordSystemError: an answered request carries `response.status`, headers and
 * Google's `{ error: { message } }`; a timeout or refused connection has no response. Request headers (the bearer
 * token) are never read.
 */
import { RecordSystemError, isRetryableStatus } from '../../ports/record-errors.js';

// The trust boundary: what gaxios throws is untyped.
interface GaxiosFailure {
  code?: unknown;
  response?: {
    status?: number;
    headers?: unknown;
    data?: { error?: { message?: unknown } | string };
  };
}

function header(headers: unknown, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  if (typeof headers === 'object' && headers !== null) {
    const value = (headers as Record<string, unknown>)[name];
    return value === undefined ? undefined : String(value);
  }
  return undefined;
}

function explain(status: number, message: string): string {
  if (status === 401) return 'the service account was not accepted (check GOOGLE_APPLICATION_CREDENTIALS)';
  if (status === 429) return 'rate limit reached';
  return `HTTP ${status}${message ? ` ${message}` : ''}`;
}

/** Maps whatever the Calendar client threw while doing `what` to a RecordSystemError. */
export function asGoogleError(error: unknown, what: string): RecordSystemError {
  if (error instanceof RecordSystemError) return error;
  const e = (typeof error === 'object' && error !== null ? error : {}) as GaxiosFailure;
  const status = e.response?.status;
  if (typeof status !== 'number') {
    const timedOut =
      e.code === 'ETIMEDOUT' ||
      e.code === 'ECONNABORTED' ||
      (error as { name?: unknown }).name === 'AbortError';
    return new RecordSystemError(
      'Google Calendar',
      true,
      `Google Calendar could not ${what}: ${timedOut ? 'no answer in time' : 'could not connect'}`,
    );
  }
  const data = e.response?.data?.error;
  const message = typeof data === 'string' ? data : typeof data?.message === 'string' ? data.message : '';
  const retryAfter = Number.parseInt(header(e.response?.headers, 'retry-after') ?? '', 10);
  return new RecordSystemError(
    'Google Calendar',
    // Google answers 403 rateLimitExceeded for quota, which is retryable; any other 403 is not.
    isRetryableStatus(status) || (status === 403 && /rate limit/i.test(message)),
    `Google Calendar could not ${what}: ${explain(status, message)}`,
    Number.isFinite(retryAfter) ? retryAfter : undefined,
    status,
  );
}
