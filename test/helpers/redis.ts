/**
 * Test helper: connections to the real Redis of the integration tests (REDIS_URL, default 127.0.0.1:6379), a key
 * prefix no other test run uses, and the cleanup that deletes that prefix's keys.
 */
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';

import type { RedisRole } from '../../src/adapters/redis/connection.js';
import { createRedis } from '../../src/adapters/redis/connection.js';

/** The Redis the integration tests use. */
export const TEST_REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A connection built by the real createRedis, resolved once it is ready (the web role sends nothing before). */
export async function connectTestRedis(role: RedisRole = 'web'): Promise<Redis> {
  const redis = createRedis(TEST_REDIS_URL, role);
  if (redis.status !== 'ready') {
    await new Promise<void>((resolve, reject) => {
      redis.once('ready', resolve);
      redis.once('error', reject);
    });
  }
  return redis;
}

/** A key prefix unique to this run and label, so parallel runs and test files never see each other's keys. */
export function uniquePrefix(label: string): string {
  return `test:${label}:${process.pid}:${randomBytes(4).toString('hex')}`;
}

/** Deletes every key under `prefix:` with SCAN (tests only: production paths never scan). Returns the count. */
export async function deleteKeysWithPrefix(redis: Redis, prefix: string): Promise<number> {
  const pattern = `${prefix.replace(/[*?[\]\\]/g, '\\$&')}:*`;
  let cursor = '0';
  let deleted = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
    cursor = next;
    if (keys.length > 0) deleted += await redis.del(...keys);
  } while (cursor !== '0');
  return deleted;
}
