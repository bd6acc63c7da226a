/**
 * Test helper: the Redis of the integration tests and the connections to it. By default that is the private
 * redis-server test/setup/global-setup.ts started for this jest worker; `HOTFIX_TEST_REDIS_URL` names a shared one
 * instead, whose databases are emptied only when they hold nothing or only what the suite wrote.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';

import { claimSharedDatabase } from '../../dev/private-redis.js';
import type { RedisRole } from '../../src/adapters/redis/connection.js';
import { createRedis } from '../../src/adapters/redis/connection.js';

/** The base URL (no database) of this jest worker's Redis. */
export function testRedisBase(): string {
  const shared = process.env.HOTFIX_TEST_REDIS_URL;
  if (shared) return shared.replace(/\/\d*$/, '');
  const urls = (process.env.HOTFIX_PRIVATE_REDIS_URLS ?? '').split(',').filter(Boolean);
  if (urls.length === 0)
    throw new Error(
      'No test Redis: run the tests through jest (its global setup starts a private redis-server), or set HOTFIX_TEST_REDIS_URL.',
    );
  const worker = Number(process.env.JEST_WORKER_ID ?? '1');
  return urls[(worker - 1) % urls.length] as string;
}

/** The URL of database `db` (0-15) of this worker's test Redis. */
export function testRedisUrl(db = 0): string {
  // Redis has databases 0-15 by default; a larger number would silently fall back to database 0.
  if (!Number.isInteger(db) || db < 0 || db > 15) throw new Error(`test Redis database ${db} is not in 0-15`);
  return `${testRedisBase()}/${db}`;
}

/**
 * Empties database `db` for a test: always on the private server; on a shared Redis only when the database is empty
 * or holds what the suite wrote before (it refuses otherwise, naming the database).
 */
export async function freshDatabase(db: number): Promise<string> {
  const url = testRedisUrl(db);
  if (process.env.HOTFIX_TEST_REDIS_URL) await claimSharedDatabase(url);
  else await flushPrivate(url);
  return url;
}

/** Empties a database of this worker's private server: the whole server is the suite's own. */
async function flushPrivate(url: string): Promise<void> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  try {
    await redis.flushdb();
  } finally {
    redis.disconnect();
  }
}

/** A connection built by the real createRedis, resolved once it is ready (the web role sends nothing before). */
export async function connectTestRedis(role: RedisRole = 'web'): Promise<Redis> {
  const redis = createRedis(testRedisUrl(0), role);
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
