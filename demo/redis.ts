/**
 * The demo's Redis: a private `redis-server` on a free port, stopped afterwards, so the demo never touches data it
 * did not write. `HOTFIX_DEMO_REDIS_URL` names a shared Redis database to use instead (for a machine without
 * redis-server); it is emptied only when it holds nothing or what an earlier demo wrote.
 */
import { claimSharedDatabase, redisAnswers, startPrivateRedis } from '../dev/private-redis.js';

/** A Redis the demo may use, and how to let it go. */
export interface DemoRedis {
  url: string;
  describe: string;
  stop(): Promise<void>;
}

/** Starts a private Redis for the demo, or claims the shared database `HOTFIX_DEMO_REDIS_URL` names. */
export async function demoRedis(): Promise<DemoRedis> {
  const shared = process.env.HOTFIX_DEMO_REDIS_URL;
  if (shared) {
    if (!(await redisAnswers(shared))) throw new Error(`HOTFIX_DEMO_REDIS_URL: no Redis answers there.`);
    await claimSharedDatabase(shared);
    return { url: shared, describe: shared.replace(/\/\/[^@]*@/, '//'), stop: async () => undefined };
  }
  try {
    const redis = await startPrivateRedis();
    return { url: redis.url, describe: `a private redis-server on port ${redis.port}`, stop: redis.stop };
  } catch (error) {
    throw new Error(
      `${(error as Error).message} Or set HOTFIX_DEMO_REDIS_URL to an empty Redis database (e.g. redis://127.0.0.1:6379/15).`,
      { cause: error },
    );
  }
}
