/*
 * Hotfix records in Redis. Keys, all under `<prefix>:` (default `hotfix`):
 *
 *   seq                     INCR counter behind `HF-<n>`; never decremented, so numbers are never reused
 *   record:<ulid>           JSON snapshot of the folded record (it carries `seq`): `load` is one GET
 *   audit:<ulid>            Stream, one entry per event (fields `seq`, `event` = JSON), append-only: the audit trail
 *   id:<HF-n>               ulid of the record with that id
 *   active                  sorted set of ulids not in a terminal state, score = planned-at ms
 *   target:<client>/<env>   sorted set of every ulid for that client and env, score = planned-at ms
 *
 * Every write is one Lua script (scripts.ts): compare `seq`, append to the stream, replace the snapshot, move the
 * indexes. The snapshot is the fold of the stream, so the stream alone could rebuild it.
 *
 * Redis must run with AOF (appendonly yes) and `maxmemory-policy noeviction`: this is the only copy of a hotfix,
 * and an evicted or unsynced key is a lost hotfix. On Redis Cluster, use a hash-tagged prefix such as `{hotfix}`:
 * the scripts and MGET touch several keys, which must share a slot.
 */
import type { Redis } from 'ioredis';

import { apply, replay } from '../../domain/apply.js';
import type { HotfixEvent } from '../../domain/events.js';
import type { Hotfix } from '../../domain/hotfix.js';
import { WAITING_STATES, isTerminal, lockKey } from '../../domain/hotfix.js';
import { ConcurrentUpdateError, DuplicateHotfixError } from '../../ports/hotfix-store.js';
import type { HandoverResult, HotfixStore } from '../../ports/hotfix-store.js';
import { parseEvent, parseRecord } from './serialization.js';
import { StoreScripts } from './scripts.js';

/** Options of the Redis hotfix store. */
export interface RedisHotfixStoreOptions {
  /**
   * Prefix of every key, so tests and installations sharing a Redis stay apart.
   * @defaultValue 'hotfix'
   */
  prefix?: string;
}

/** How many records `listByTarget` returns when no limit is given. */
export const DEFAULT_TARGET_LIMIT = 20;

/** The hotfix store on Redis: a snapshot per record for reads, a stream per record for the audit trail. */
export class RedisHotfixStore implements HotfixStore {
  private readonly prefix: string;
  private readonly scripts: StoreScripts;

  constructor(
    private readonly redis: Redis,
    options: RedisHotfixStoreOptions = {},
  ) {
    this.prefix = options.prefix ?? 'hotfix';
    this.scripts = new StoreScripts(redis);
  }

  /** The next `HF-<n>`, from an INCR that is never rolled back. */
  async nextId(): Promise<string> {
    return `HF-${await this.redis.incr(this.key('seq'))}`;
  }

  /** Stores a new record from its first events; throws DuplicateHotfixError if its ULID or id is taken. */
  async create(events: readonly HotfixEvent[]): Promise<Hotfix> {
    const hotfix = replay(events);
    if (!hotfix) throw new Error('a hotfix record needs at least one event (the first is "planned")');
    const outcome = await this.scripts.create({
      keys: {
        ...this.recordKeys(hotfix.ulid),
        id: this.key(`id:${hotfix.id}`),
        target: this.targetKey(hotfix.client, hotfix.env),
      },
      id: hotfix.id,
      ...this.writeArgs(hotfix, events),
    });
    if (outcome.kind === 'duplicate') throw new DuplicateHotfixError(outcome.ref);
    if (outcome.kind !== 'ok') throw new Error(`creating hotfix ${hotfix.id} failed: ${outcome.kind}`);
    return hotfix;
  }

  /** The record by ULID, or undefined. */
  async load(ulid: string): Promise<Hotfix | undefined> {
    const key = this.recordKey(ulid);
    const json = await this.redis.get(key);
    return json === null ? undefined : parseRecord(json, key);
  }

  /** The record by `HF-<n>`, or undefined. */
  async findById(id: string): Promise<Hotfix | undefined> {
    const ulid = await this.redis.get(this.key(`id:${id}`));
    return ulid === null ? undefined : this.load(ulid);
  }

  /**
   * Appends events if the stored record is still at `hotfix.seq` and returns the new record; throws
   * ConcurrentUpdateError otherwise. No events: returns `hotfix` without a round trip.
   */
  async append(hotfix: Hotfix, events: readonly HotfixEvent[]): Promise<Hotfix> {
    if (events.length === 0) return hotfix;
    const next = events.reduce(apply, hotfix);
    const target = lockKey(hotfix);
    const outcome = await this.scripts.append({
      keys: {
        ...this.recordKeys(hotfix.ulid),
        lock: this.key(`lock:${target}`),
        waiters: this.key(`waiters:${target}`),
      },
      release: isTerminal(next.state),
      leaveQueue: !WAITING_STATES.has(next.state),
      expectedSeq: hotfix.seq,
      ...this.writeArgs(next, events),
    });
    if (outcome.kind === 'conflict') throw new ConcurrentUpdateError(hotfix.ulid, hotfix.seq);
    if (outcome.kind === 'missing')
      throw new Error(`hotfix ${hotfix.id} (${hotfix.ulid}) is not in the store`);
    if (outcome.kind !== 'ok') throw new Error(`appending to hotfix ${hotfix.id} failed: ${outcome.kind}`);
    return next;
  }

  /**
   * A patch forward's approval in one script: both records compared and written, and the lock passed from `from` to
   * `to` under the next fencing token (the locks' own counter, so a token is never reused).
   */
  async handOver(
    from: { hotfix: Hotfix; events: readonly HotfixEvent[] },
    to: { hotfix: Hotfix; events: readonly HotfixEvent[] },
  ): Promise<HandoverResult> {
    const target = lockKey(from.hotfix);
    if (lockKey(to.hotfix) !== target)
      throw new Error(`${from.hotfix.id} and ${to.hotfix.id} are for different environments`);
    const part = ({ hotfix, events }: typeof from) => {
      const { active: _active, ...keys } = this.recordKeys(hotfix.ulid);
      return { keys, expectedSeq: hotfix.seq, ...this.writeArgs(events.reduce(apply, hotfix), events) };
    };
    const outcome = await this.scripts.handover({
      keys: {
        active: this.key('active'),
        lock: this.key(`lock:${target}`),
        waiters: this.key(`waiters:${target}`),
        fence: this.key(`fence:${target}`),
      },
      from: part(from),
      to: part(to),
    });
    if (outcome.kind === 'conflict') {
      const stale = outcome.storedSeq === from.hotfix.seq ? to.hotfix : from.hotfix;
      throw new ConcurrentUpdateError(stale.ulid, stale.seq);
    }
    if (outcome.kind === 'lock_moved') return outcome;
    if (outcome.kind !== 'handed_over')
      throw new Error(`handing ${target} from ${from.hotfix.id} to ${to.hotfix.id} failed: ${outcome.kind}`);
    return {
      kind: 'handed_over',
      from: from.events.reduce(apply, from.hotfix),
      to: to.events.reduce(apply, to.hotfix),
      token: outcome.token,
    };
  }

  /** The audit trail, oldest first; empty for an unknown ULID. */
  async events(ulid: string): Promise<HotfixEvent[]> {
    const key = this.key(`audit:${ulid}`);
    const entries = await this.redis.xrange(key, '-', '+');
    return entries.map(([entryId, fields]) => parseEvent(fields, `${key} ${entryId}`));
  }

  /** Records not in a terminal state, oldest planned first. */
  async listActive(): Promise<Hotfix[]> {
    const ulids = await this.redis.zrange(this.key('active'), 0, -1);
    // A record can turn terminal between the two reads; the caller asked for active ones.
    return (await this.loadMany(ulids)).filter((h) => !isTerminal(h.state));
  }

  /** Records in a terminal state whose finalize step has not run yet. */
  async listUnfinalized(): Promise<Hotfix[]> {
    const ulids = await this.redis.zrange(this.key('active'), 0, -1);
    return (await this.loadMany(ulids)).filter(
      (h) => isTerminal(h.state) && (h.finalizedSeq ?? 0) < h.stateSince.seq,
    );
  }

  /** Every record for a client and env, newest planned first, at most `limit`. */
  async listByTarget(client: string, env: string, limit = DEFAULT_TARGET_LIMIT): Promise<Hotfix[]> {
    if (limit <= 0) return [];
    const ulids = await this.redis.zrange(this.targetKey(client, env), 0, limit - 1, 'REV');
    return this.loadMany(ulids);
  }

  private async loadMany(ulids: readonly string[]): Promise<Hotfix[]> {
    if (ulids.length === 0) return [];
    const keys = ulids.map((ulid) => this.recordKey(ulid));
    const values = await this.redis.mget(...keys);
    // An index entry without its record cannot happen with one script per write; skip rather than fail a listing.
    return values.flatMap((json, i) => (json === null ? [] : [parseRecord(json, keys[i] ?? '')]));
  }

  private writeArgs(hotfix: Hotfix, events: readonly HotfixEvent[]) {
    return {
      record: JSON.stringify(hotfix),
      ulid: hotfix.ulid,
      // A record stays in the active index until its terminal state has been finalized, so a finalize lost to a
      // crash is found again by the reconciler (listUnfinalized).
      active: !isTerminal(hotfix.state) || (hotfix.finalizedSeq ?? 0) < hotfix.stateSince.seq,
      plannedAtMs: plannedAtMs(hotfix),
      events: events.map((event) => JSON.stringify(event)),
    };
  }

  private recordKeys(ulid: string): { record: string; audit: string; active: string } {
    return { record: this.recordKey(ulid), audit: this.key(`audit:${ulid}`), active: this.key('active') };
  }

  private recordKey(ulid: string): string {
    return this.key(`record:${ulid}`);
  }

  private targetKey(client: string, env: string): string {
    return this.key(`target:${client}/${env}`);
  }

  private key(suffix: string): string {
    return `${this.prefix}:${suffix}`;
  }
}

function plannedAtMs(hotfix: Hotfix): number {
  const ms = Date.parse(hotfix.times.plannedAt);
  if (Number.isNaN(ms))
    throw new Error(`hotfix ${hotfix.id} has an unreadable planned time "${hotfix.times.plannedAt}"`);
  return ms;
}
