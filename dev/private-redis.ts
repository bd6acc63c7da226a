/**
 * A private `redis-server` on a free loopback port, started for the demo or a test run and stopped afterwards, so
 * neither ever touches a Redis that holds someone else's data.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';

/** A running private Redis. */
export interface PrivateRedis {
  url: string;
  port: number;
  pid: number | undefined;
  stop(): Promise<void>;
}

/** How to get `redis-server`, for the message when it is missing. */
export const REDIS_INSTALL_HINT =
  'install redis-server (Debian/Ubuntu: `sudo apt-get install -y redis-server`; macOS: `brew install redis`)';

/** Whether a Redis answers PING at `url` within a second. */
export async function redisAnswers(url: string): Promise<boolean> {
  const redis = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: 1000,
  });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    return (await redis.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}

/** A loopback port nobody listens on right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no free port')),
      );
    });
  });
}

/**
 * Starts `redis-server` on a free port with nothing kept on disk, and resolves once it answers. Throws with the
 * install hint when the binary is missing.
 */
export async function startPrivateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'hotfix-redis-'));
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
    { stdio: 'ignore' },
  );
  const spawnError = new Promise<Error>((resolve) => child.once('error', resolve));
  // A parent that exits without stopping it (a failed test run, an interrupted demo) takes its Redis along.
  const orphanGuard = () => child.kill('SIGKILL');
  process.once('exit', orphanGuard);
  const url = `redis://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    const failed = await Promise.race([
      spawnError,
      new Promise<undefined>((r) => setTimeout(() => r(undefined), 50)),
    ]);
    if (failed) throw new Error(`Could not start redis-server (${failed.message}): ${REDIS_INSTALL_HINT}.`);
    if (await redisAnswers(url)) break;
  }
  if (!(await redisAnswers(url))) {
    child.kill('SIGKILL');
    throw new Error(`redis-server did not answer on port ${port}: ${REDIS_INSTALL_HINT}.`);
  }
  return {
    url,
    port,
    pid: child.pid,
    stop: async () => {
      process.off('exit', orphanGuard);
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 2000).unref())]);
      if (child.exitCode === null) child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The key that marks a shared Redis database as holding only what this project's tests or demo wrote. */
export const OWNER_KEY = 'hotfix-bot:owned-by-tests-and-demo';

/**
 * Empties database `url` of a shared Redis only if it holds nothing or only what this project wrote (it carries the
 * owner mark); otherwise refuses, naming the database, so nobody's data is deleted. Marks it afterwards.
 */
export async function claimSharedDatabase(url: string): Promise<void> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  try {
    const size = await redis.dbsize();
    if (size > 0 && (await redis.exists(OWNER_KEY)) === 0) {
      throw new Error(
        `Redis ${url.replace(/\/\/[^@]*@/, '//')} holds ${size} keys this project did not write; refusing to empty it. ` +
          'Point the variable at an empty database, or unset it to use a private redis-server.',
      );
    }
    await redis.flushdb();
    await redis.set(OWNER_KEY, new Date().toISOString());
  } finally {
    redis.disconnect();
  }
}
