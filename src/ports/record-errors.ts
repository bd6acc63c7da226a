/**
 * How a change-control system says no. The workflow needs two things from a failure: may it be retried (5xx, 429,
 * timeouts) and a sentence a person can act on, naming the system. Secrets never reach the message.
 */

/** The change-control systems of policy.records, as people call them in messages. */
export type RecordSystem = 'Jira' | 'Google Calendar' | 'Statuspage';

/** A failed call to a change-control system. */
export class RecordSystemError extends Error {
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
  }
}

/** True for the statuses after which the same call may succeed later. */
export function isRetryableStatus(status: number | undefined): boolean {
  return status === undefined || status >= 500 || status === 429 || status === 420 || status === 408;
}
