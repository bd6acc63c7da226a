/**
 * jira.js failures as RecordSystemError. jira.js wraps axios: an answered request becomes an HttpException with the
 * status and Jira's `{ errorMessages, errors }` body, a timeout or refused connection stays an axios error without a
 * response. The request (and its Authorization header) is never read, so no secret reaches the message.
 */
import { RecordSystemError, isRetryableStatus } from '../../ports/record-errors.js';

// Jira's error body: general messages and messages by field.
interface JiraErrorBody {
  errorMessages?: unknown;
  errors?: unknown;
}

// The trust boundary: what jira.js throws is untyped.
interface JiraFailure {
  status?: number;
  code?: string;
  message?: string;
  response?: { data?: JiraErrorBody };
  cause?: { response?: { headers?: Record<string, unknown> } };
}

function reasonOf(data: JiraErrorBody | undefined): string {
  const messages = Array.isArray(data?.errorMessages) ? data.errorMessages.map(String) : [];
  const fields =
    typeof data?.errors === 'object' && data.errors !== null
      ? Object.entries(data.errors as Record<string, unknown>).map(
          ([field, text]) => `${field}: ${String(text)}`,
        )
      : [];
  return [...messages, ...fields].join('; ');
}

function explain(status: number, reason: string): string {
  if (status === 401 || status === 403)
    return 'the email and API token were not accepted (check JIRA_EMAIL and JIRA_API_TOKEN)';
  if (status === 429) return 'rate limit reached';
  return `HTTP ${status}${reason ? ` ${reason}` : ''}`;
}

/** Maps whatever jira.js threw while doing `what` to a RecordSystemError. */
export function asJiraError(error: unknown, what: string): RecordSystemError {
  if (error instanceof RecordSystemError) return error;
  const e = (typeof error === 'object' && error !== null ? error : {}) as JiraFailure;
  const status = typeof e.status === 'number' && e.response?.data !== undefined ? e.status : undefined;
  if (status === undefined) {
    const timedOut = e.code === 'ECONNABORTED' || e.code === 'ETIMEDOUT';
    return new RecordSystemError(
      'Jira',
      true,
      `Jira could not ${what}: ${timedOut ? 'no answer in time' : 'could not connect'}`,
    );
  }
  const retryAfter = Number.parseInt(String(e.cause?.response?.headers?.['retry-after'] ?? ''), 10);
  return new RecordSystemError(
    'Jira',
    isRetryableStatus(status),
    `Jira could not ${what}: ${explain(status, reasonOf(e.response?.data))}`,
    Number.isFinite(retryAfter) ? retryAfter : undefined,
    status,
  );
}
