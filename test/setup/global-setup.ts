/**
 * Starts one private redis-server per jest worker, so the suite never reads or deletes data in a Redis it did not
 * start. `HOTFIX_TEST_REDIS_URL` makes it use that (shared) Redis instead; even then only databases that are empty or
 * hold what the suite wrote are ever emptied (test/helpers/redis.ts).
 */
// Jest loads global setup without moduleNameMapper, so this import names the module without its `.js` suffix.
import { startPrivateRedis } from '../../dev/private-redis';
import type { PrivateRedis } from '../../dev/private-redis';

declare global {
  var __hotfixPrivateRedis: PrivateRedis[] | undefined;
}

export default async function globalSetup(config: { maxWorkers: number }): Promise<void> {
  if (process.env.HOTFIX_TEST_REDIS_URL) return;
  const count = Math.max(1, config.maxWorkers);
  const servers = await Promise.all(Array.from({ length: count }, () => startPrivateRedis()));
  globalThis.__hotfixPrivateRedis = servers;
  process.env.HOTFIX_PRIVATE_REDIS_URLS = servers.map((s) => s.url).join(',');
}
