import { Redis } from 'ioredis';
import type { RedisOptions } from 'ioredis';

/** Which process the connection serves: the web role answers people, workers run BullMQ jobs. */
export type RedisRole = 'web' | 'worker';

/** How long the web role waits for a connection before failing, in ms. */
export const WEB_CONNECT_TIMEOUT_MS = 2_000;

/** Options per role; later keys win, so `overrides` can change any of them. */
function roleOptions(role: RedisRole): RedisOptions {
  if (role === 'web') {
    // DESIGN.md section 7: when Redis is down, the person gets "try again" now, not an action run minutes later.
    return { enableOfflineQueue: false, connectTimeout: WEB_CONNECT_TIMEOUT_MS, maxRetriesPerRequest: 1 };
  }
  // BullMQ workers block on Redis and refuse connections that give up on a command after N retries.
  return { maxRetriesPerRequest: null };
}

/**
 * An ioredis connection configured for the role. The web role has no offline queue: commands sent before the
 * connection is ready fail at once, so wait for `ready` (or check isRedisReady) before serving.
 */
export function createRedis(url: string, role: RedisRole, overrides: RedisOptions = {}): Redis {
  return new Redis(url, { connectionName: `hotfix-bot-${role}`, ...roleOptions(role), ...overrides });
}

/** True when the connection can take commands now (what `/readyz` reports). */
export function isRedisReady(redis: Redis): boolean {
  return redis.status === 'ready';
}
