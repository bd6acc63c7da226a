/**
 * Slack's per-method rate tiers as token buckets (https://docs.slack.dev/apis/web-api/rate-limits). Slack evaluates
 * per minute and tolerates short bursts; a bucket of `burst` refilled at `perMinute` behaves the same way for the
 * traffic a bot makes, and gives a Retry-After a client can honour.
 */
import type { JsonObject, RateBudget } from './types.js';

const tier = (perMinute: number): RateBudget => ({ perMinute, burst: perMinute });

/**
 * Budgets by method. conversations.history/replies stay at tier 3: the 2025 cut to 1/min applies to commercially
 * distributed non-Marketplace apps, not to an internal app like this one.
 */
export const SLACK_RATE_TIERS: Readonly<Record<string, RateBudget>> = {
  // "1 per second per channel, short bursts allowed"
  'chat.postMessage': { perMinute: 60, burst: 3, perChannel: true },
  'chat.update': tier(50),
  'chat.delete': tier(50),
  'chat.postEphemeral': tier(100),
  'chat.getPermalink': tier(100),
  'conversations.info': tier(50),
  'conversations.history': tier(50),
  'conversations.replies': tier(50),
  'conversations.join': tier(50),
  'users.info': tier(100),
  'users.conversations': tier(50),
  'usergroups.users.list': tier(20),
  'usergroups.list': tier(20),
  'views.open': tier(100),
  'views.push': tier(100),
  'views.update': tier(100),
  'views.publish': tier(100),
  'auth.test': tier(100),
};

interface Bucket {
  tokens: number;
  at: number;
}

/** Token buckets per method (and per channel where Slack counts per channel). */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(private readonly budgets: Readonly<Record<string, RateBudget>>) {}

  /** Takes one call from the budget; returns the Retry-After seconds when over budget. */
  take(method: string, args: JsonObject, now: number): number | undefined {
    const budget = this.budgets[method];
    if (!budget) return undefined;
    const channel = typeof args['channel'] === 'string' ? args['channel'] : '';
    const key = budget.perChannel === true ? `${method} ${channel}` : method;
    const perMs = budget.perMinute / 60_000;
    const bucket = this.buckets.get(key) ?? { tokens: budget.burst, at: now };
    bucket.tokens = Math.min(budget.burst, bucket.tokens + (now - bucket.at) * perMs);
    bucket.at = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return undefined;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / perMs / 1000));
  }

  /** Forgets all spending. */
  reset(): void {
    this.buckets.clear();
  }
}
