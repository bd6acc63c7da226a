/**
 * How a change-control system says no. The workflow needs two things from a failure: may it be retried (5xx, 429,
 * timeouts) and a sentence a person can act on, naming the system. Secrets never reach the message.
 */

/** The change-control systems of policy.records, as people call them in messages. */
export type RecordSystem = 'Jira' | 'Google Calendar' | 'Statuspage';

/**
 * Why a call failed, for choosing what to tell people and which buttons to offer: fix the credentials, fix the
 * catalog or the record (not found, refused), or wait (rate limited, unavailable).
 */
export type RecordFailure = 'credentials' | 'not_found' | 'refused' | 'rate_limited' | 'unavailable';

/** The failure a status (or no answer at all) stands for. */
export function failureOf(status: number | undefined): RecordFailure {
  if (status === 401 || status === 403) return 'credentials';
  if (status === 404) return 'not_found';
  if (status === 429 || status === 420) return 'rate_limited';
  return isRetryableStatus(status) ? 'unavailable' : 'refused';
}

/** A failed call to a change-control system. */
export class RecordSystemError extends Error {
  /** The reason code; a refusal the adapter decided itself (no status) is `refused` when not retryable. */
  readonly failure: RecordFailure;

  constructor(
    readonly system: RecordSystem,
    /** True for 5xx, 429/420 and timeouts: the same call may succeed later. */
    readonly retryable: boolean,
    message: string,
    /** Seconds the system asked us to wait (Retry-After), when it said. */
    readonly retryAfterSeconds?: number,
    /** HTTP status, when there was an answer. */
    readonly status?: number,
  ) {
    super(message);
    this.name = 'RecordSystemError';
    this.failure = status === undefined && !retryable ? 'refused' : failureOf(status);
  }
}

/** True for the statuses after which the same call may succeed later. */
export function isRetryableStatus(status: number | undefined): boolean {
  return status === undefined || status >= 500 || status === 429 || status === 420 || status === 408;
}
