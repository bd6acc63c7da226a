import type { Redis } from 'ioredis';
import type { LockAttempt, Locks } from '../../ports/locks.js';

/*
 * Keys, under the same prefix as the hotfix store (which frees a lock in the same script as the terminal event):
 *   <p>:lock:<client>/<env>     hash { ulid, token }: the holder and its fencing token
 *   <p>:fence:<client>/<env>    counter behind the fencing tokens; never reset, so an old token can never match again
 *   <p>:waiters:<client>/<env>  sorted set of ULIDs by the time they queued: first come, first served
 */

/** Takes the lock for ARGV[1] if free and it is first in line (or returns its token if it already holds it). */
const ACQUIRE = `
local holder = redis.call('HGET', KEYS[1], 'ulid')
if holder == ARGV[1] then return {'HELD', tonumber(redis.call('HGET', KEYS[1], 'token'))} end
local first = redis.call('ZRANGE', KEYS[3], 0, 0)[1]
if holder or first ~= ARGV[1] then
  local ahead = redis.call('ZRANGE', KEYS[3], 0, -1)
  return {'WAIT', holder or '', unpack(ahead)}
end
local token = redis.call('INCR', KEYS[2])
redis.call('HSET', KEYS[1], 'ulid', ARGV[1], 'token', token)
redis.call('ZREM', KEYS[3], ARGV[1])
return {'GRANTED', token}
`;

/** Frees the lock only if ARGV[1] holds it. */
const RELEASE = `
if redis.call('HGET', KEYS[1], 'ulid') == ARGV[1] then redis.call('DEL', KEYS[1]) return 1 end
return 0
`;

type Command = (...args: (string | number)[]) => Promise<unknown>;

/** `Locks` on Redis, sharing the hotfix store's key prefix. */
export class RedisLocks implements Locks {
  private readonly commands: { hotfixLockAcquire: Command; hotfixLockRelease: Command };

  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'hotfix',
  ) {
    redis.defineCommand('hotfixLockAcquire', { numberOfKeys: 3, lua: ACQUIRE });
    redis.defineCommand('hotfixLockRelease', { numberOfKeys: 1, lua: RELEASE });
    this.commands = redis as unknown as { hotfixLockAcquire: Command; hotfixLockRelease: Command };
  }

  /** Joins the queue; NX keeps the first place of a hotfix that asks twice. */
  async enqueue(key: string, ulid: string, at: Date): Promise<void> {
    await this.redis.zadd(this.k('waiters', key), 'NX', at.getTime(), ulid);
  }

  /** Takes the lock if free and `ulid` is first in line. */
  async tryAcquire(key: string, ulid: string): Promise<LockAttempt> {
    const reply = (await this.commands.hotfixLockAcquire(
      this.k('lock', key),
      this.k('fence', key),
      this.k('waiters', key),
      ulid,
    )) as [string, ...(string | number)[]];
    const [status, ...rest] = reply;
    if (status === 'GRANTED' || status === 'HELD') return { granted: true, token: Number(rest[0]) };
    const [holder, ...ahead] = rest.map(String);
    return { granted: false, ...(holder ? { heldBy: holder } : {}), ahead: ahead.filter((u) => u !== ulid) };
  }

  /** The holder and its token. */
  async holder(key: string): Promise<{ ulid: string; token: number } | undefined> {
    const held = await this.redis.hgetall(this.k('lock', key));
    return held['ulid'] ? { ulid: held['ulid'], token: Number(held['token']) } : undefined;
  }

  /** The queue, first first. */
  async waiting(key: string): Promise<string[]> {
    return this.redis.zrange(this.k('waiters', key), 0, -1);
  }

  /** Whether the token is the live fence of `ulid`'s lock. */
  async isCurrent(key: string, ulid: string, token: number): Promise<boolean> {
    const held = await this.holder(key);
    return held?.ulid === ulid && held.token === token;
  }

  /** Frees the lock if `ulid` holds it. */
  async forceRelease(key: string, ulid: string): Promise<boolean> {
    return (await this.commands.hotfixLockRelease(this.k('lock', key), ulid)) === 1;
  }

  private k(kind: string, key: string): string {
    return `${this.prefix}:${kind}:${key}`;
  }
}
