/**
 * The demo's Redis: the one at REDIS_URL (default 127.0.0.1:6379) using database 15, emptied first, or, when none
 * answers, a private `redis-server` on a free port that is stopped afterwards.
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';

/** A Redis the demo may use, and how to let it go. */
export interface DemoRedis {
  url: string;
  describe: string;
  stop(): Promise<void>;
}

async function answers(url: string): Promise<boolean> {
  const redis = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: 1000,
  });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    await redis.ping();
    return true;
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/** Finds or starts a Redis for the demo; database 15 is emptied so earlier demo runs leave no trace. */
export async function demoRedis(): Promise<DemoRedis> {
  const base = (process.env.REDIS_URL ?? 'redis://127.0.0.1:6379').replace(/\/\d*$/, '');
  if (await answers(base)) {
    const url = `${base}/15`;
    const redis = new Redis(url);
    await redis.flushdb();
    redis.disconnect();
    return {
      url,
      describe: `${base.replace(/\/\/[^@]*@/, '//')} database 15 (emptied for the demo)`,
      stop: async () => undefined,
    };
  }
  const port = await freePort();
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
  const url = `redis://127.0.0.1:${port}`;
  for (let i = 0; i < 50 && !(await answers(url)); i++) await new Promise((r) => setTimeout(r, 100));
  if (!(await answers(url)))
    throw new Error(
      'No Redis answers and a private redis-server could not be started; install redis-server.',
    );
  return {
    url,
    describe: `a private redis-server on port ${port}`,
    stop: async () => {
      child.kill();
    },
  };
}
