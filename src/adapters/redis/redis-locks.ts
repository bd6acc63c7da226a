import type { Redis } from 'ioredis';
import { GRANTABLE_STATES, LOCK_STATES, WAITING_STATES } from '../../domain/hotfix.js';
import type { ForcedRelease, LockAttempt, Locks } from '../../ports/locks.js';

/*
 * Keys, under the same prefix as the hotfix store (which frees a lock in the same script as the terminal event):
 *   <p>:lock:<client>/<env>     hash { ulid, token }: the holder and its fencing token
 *   <p>:fence:<client>/<env>    counter behind the fencing tokens; never reset, so an old token can never match again
 *   <p>:waiters:<client>/<env>  sorted set of ULIDs by the time they queued: first come, first served
 *   <p>:record:<ulid>           the hotfix record (the store's): every script here reads its `state`
 *
 * Every queue change reads the record's state in the same script, because the record and the queue are written by
 * different runners: a join computed from a record read earlier (a GC pause, ioredis replaying its offline queue)
 * must not land after the write that ended the hotfix. On Redis Cluster the prefix must be hash-tagged (`{hotfix}`):
 * the scripts read the records of other waiters by key name.
 */

const STATE = `
local function state_of(key)
  local record = redis.call('GET', key)
  if not record then return nil end
  return cjson.decode(record)['state']
end
local function one_of(state, csv)
  return state ~= nil and string.find(csv, ',' .. state .. ',', 1, true) ~= nil
end
`;

/** KEYS: waiters, record. ARGV: ulid, score, waiting states. Joins only while the record may wait; 1 if it is in line. */
const ENQUEUE = `${STATE}
if not one_of(state_of(KEYS[2]), ARGV[3]) then
  redis.call('ZREM', KEYS[1], ARGV[1])
  return 0
end
redis.call('ZADD', KEYS[1], 'NX', ARGV[2], ARGV[1])
return 1
`;

/**
 * KEYS: lock, fence, waiters, record of ARGV[1]. ARGV: ulid, waiting states, record key prefix, grantable states.
 * Grants the lock only to a queued record (or a queued rollback) first in line; waiters ahead that can no longer use
 * the lock are dropped first.
 */
const ACQUIRE = `${STATE}
local holder = redis.call('HGET', KEYS[1], 'ulid')
if holder == ARGV[1] then return {'HELD', tonumber(redis.call('HGET', KEYS[1], 'token'))} end
while true do
  local first = redis.call('ZRANGE', KEYS[3], 0, 0)[1]
  if not first or first == ARGV[1] or one_of(state_of(ARGV[3] .. first), ARGV[2]) then break end
  redis.call('ZREM', KEYS[3], first)
end
local mine = state_of(KEYS[4])
if not one_of(mine, ARGV[4]) then
  if not one_of(mine, ARGV[2]) then redis.call('ZREM', KEYS[3], ARGV[1]) end
  return {'UNUSABLE'}
end
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

/**
 * KEYS: lock, record of ARGV[1]. ARGV: ulid, live states. Frees the lock if ARGV[1] holds it and its record can no
 * longer use it; a live holder (or one being granted: queued) is left alone, since freeing it would have to be undone.
 */
const RELEASE = `${STATE}
if redis.call('HGET', KEYS[1], 'ulid') ~= ARGV[1] then return 'NOT_HELD' end
if one_of(state_of(KEYS[2]), ARGV[2]) then return 'LIVE' end
redis.call('DEL', KEYS[1])
return 'RELEASED'
`;

/** KEYS: waiters. ARGV: record key prefix, waiting states. Drops every waiter that can no longer use the lock. */
const PRUNE = `${STATE}
local dropped = {}
for _, ulid in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  if not one_of(state_of(ARGV[1] .. ulid), ARGV[2]) then
    redis.call('ZREM', KEYS[1], ulid)
    table.insert(dropped, ulid)
  end
end
return dropped
`;

type Command = (...args: (string | number)[]) => Promise<unknown>;

interface LockCommands {
  hotfixLockEnqueue: Command;
  hotfixLockAcquire: Command;
  hotfixLockRelease: Command;
  hotfixLockPrune: Command;
}

const csv = (states: ReadonlySet<string>) => `,${[...states].join(',')},`;
const WAITING = csv(WAITING_STATES);
const GRANTABLE = csv(GRANTABLE_STATES);
const LIVE = csv(new Set([...WAITING_STATES, ...LOCK_STATES]));

/** `Locks` on Redis, sharing the hotfix store's key prefix. */
export class RedisLocks implements Locks {
  private readonly commands: LockCommands;

  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'hotfix',
  ) {
    redis.defineCommand('hotfixLockEnqueue', { numberOfKeys: 2, lua: ENQUEUE });
    redis.defineCommand('hotfixLockAcquire', { numberOfKeys: 4, lua: ACQUIRE });
    redis.defineCommand('hotfixLockRelease', { numberOfKeys: 2, lua: RELEASE });
    redis.defineCommand('hotfixLockPrune', { numberOfKeys: 1, lua: PRUNE });
    this.commands = redis as unknown as LockCommands;
  }

  /** Joins the queue while the record may wait; NX keeps the first place of a hotfix that asks twice. */
  async enqueue(key: string, ulid: string, at: Date): Promise<boolean> {
    const joined = await this.commands.hotfixLockEnqueue(
      this.k('waiters', key),
      this.recordKey(ulid),
      ulid,
      at.getTime(),
      WAITING,
    );
    return joined === 1;
  }

  /** Takes the lock if free, `ulid` is queued and first in line. */
  async tryAcquire(key: string, ulid: string): Promise<LockAttempt> {
    const reply = (await this.commands.hotfixLockAcquire(
      this.k('lock', key),
      this.k('fence', key),
      this.k('waiters', key),
      this.recordKey(ulid),
      ulid,
      WAITING,
      this.recordKey(''),
      GRANTABLE,
    )) as [string, ...(string | number)[]];
    const [status, ...rest] = reply;
    if (status === 'GRANTED' || status === 'HELD') return { granted: true, token: Number(rest[0]) };
    if (status === 'UNUSABLE') return { granted: false, ahead: [] };
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

  /** Frees the lock if `ulid` holds it and its record can no longer use it. */
  async forceRelease(key: string, ulid: string): Promise<ForcedRelease> {
    const reply = await this.commands.hotfixLockRelease(
      this.k('lock', key),
      this.recordKey(ulid),
      ulid,
      LIVE,
    );
    if (reply === 'RELEASED') return 'released';
    return reply === 'LIVE' ? 'live' : 'not_held';
  }

  /** Drops every waiter that can no longer use the lock; returns their ULIDs. */
  async pruneWaiters(key: string): Promise<string[]> {
    const dropped = await this.commands.hotfixLockPrune(this.k('waiters', key), this.recordKey(''), WAITING);
    return (dropped as string[]).map(String);
  }

  private recordKey(ulid: string): string {
    return `${this.prefix}:record:${ulid}`;
  }

  private k(kind: string, key: string): string {
    return `${this.prefix}:${kind}:${key}`;
  }
}
