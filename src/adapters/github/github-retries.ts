/**
 * Runs one source-host operation again after a retryable failure, but only when the wait is short: the caller is a
 * job, and a job never sleeps long. A longer wait (a rate limit's reset, a long Retry-After) comes back as the
 * SourceHostError with `retryAfterMs`, for the job to delay itself. Operations retried here look for their effect
 * before causing it, so running one twice does nothing twice.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { SourceHostError } from '../../ports/source-host.js';

/** How hard to retry. */
export interface RetryPolicy {
  /** Further attempts after the first. @defaultValue 2 */
  retries?: number;
  /** The longest wait spent in-process before giving the wait back to the caller. @defaultValue 1000 */
  maxInlineWaitMs?: number;
  /** Wait before the first retry of a 5xx or unreachable host; doubles each time. @defaultValue 200 */
  backoffMs?: number;
}

/** Runs `operation`, retrying retryable failures whose wait fits the policy. */
export async function withRetries<T>(policy: RetryPolicy, operation: () => Promise<T>): Promise<T> {
  const retries = policy.retries ?? 2;
  const maxWait = policy.maxInlineWaitMs ?? 1000;
  const backoff = policy.backoffMs ?? 200;
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await operation();
    } catch (error) {
      if (!(error instanceof SourceHostError) || !error.retryable || attempt >= retries) throw error;
      const wait = error.retryAfterMs ?? backoff * 2 ** attempt;
      if (wait > maxWait) throw error;
      await sleep(wait);
    }
  }
}
