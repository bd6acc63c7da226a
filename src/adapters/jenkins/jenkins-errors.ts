/**
 * Maps whatever the `jenkins` client (papi underneath) throws to a CiServerError. The original error is dropped on
 * purpose: papi attaches the response, and through it the request headers, Authorization included, which a logger
 * serialising the cause would print.
 */
import { CiServerError } from '../../ports/ci-server.js';

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * papi wraps an error that is not `instanceof Error` in its own realm (Node's errors under a test VM) into a new
 * Error whose message is the only trace of the code, so the message is read as well.
 */
function networkCodeInMessage(error: unknown): string | undefined {
  const message = error instanceof Error ? error.message : String(error);
  if (/socket hang up/i.test(message)) return 'ECONNRESET';
  return [...NETWORK_CODES].find((code) => message.includes(code));
}

/** The HTTP status of a client error, if it came with a response. */
export function statusOf(error: unknown): number | undefined {
  const e = error as {
    statusCode?: unknown;
    res?: { statusCode?: unknown };
    response?: { statusCode?: unknown };
  };
  const status = e?.statusCode ?? e?.res?.statusCode ?? e?.response?.statusCode;
  return typeof status === 'number' ? status : undefined;
}

/** The body of an error answer, as text (Jenkins explains a missing crumb there). */
function bodyOf(error: unknown): string {
  const body = (error as { res?: { body?: unknown } })?.res?.body;
  if (typeof body === 'string') return body;
  return Buffer.isBuffer(body) ? body.toString('utf8') : '';
}

/** A CiServerError saying what `doing` was and why it failed, retryable or not. */
export function asCiError(error: unknown, doing: string): CiServerError {
  if (error instanceof CiServerError) return error;
  const e = error as { code?: unknown; isTimeout?: unknown; notFound?: unknown; cause?: { code?: unknown } };
  const code =
    typeof e?.code === 'string'
      ? e.code
      : typeof e?.cause?.code === 'string'
        ? e.cause.code
        : networkCodeInMessage(error);
  if (e?.isTimeout === true)
    return new CiServerError('unreachable', `Jenkins did not answer in time while ${doing}`);
  if (code && NETWORK_CODES.has(code)) {
    return new CiServerError('unreachable', `Jenkins could not be reached while ${doing} (${code})`);
  }
  const status = statusOf(error);
  if (status === 404 || e?.notFound === true)
    return new CiServerError('not_found', `Jenkins found nothing while ${doing} (404)`);
  if (status === 403 && /No valid crumb/i.test(bodyOf(error))) {
    return new CiServerError(
      'unauthorized',
      `Jenkins refused a request for want of a valid crumb (CSRF protection) while ${doing} (403): the bot fetches one before every POST, so check that JENKINS_USER may read the crumb issuer and that nothing between the bot and Jenkins drops its session cookie`,
    );
  }
  if (status === 401 || status === 403) {
    return new CiServerError(
      'unauthorized',
      `Jenkins refused the bot's credentials while ${doing} (${status}): check JENKINS_USER and JENKINS_API_TOKEN`,
    );
  }
  if (status === 429 || (status !== undefined && status >= 500)) {
    return new CiServerError(
      'unavailable',
      `Jenkins is unavailable (${status}) while ${doing}; try again shortly`,
    );
  }
  const what = status === undefined ? 'an unexpected error' : `an unexpected answer (${status})`;
  return new CiServerError('unexpected', `Jenkins gave ${what} while ${doing}`);
}
