import type { Redis } from 'ioredis';

/*
 * The two writes of the hotfix store, each one Lua script so the compare-and-set, the audit append, the snapshot and
 * the indexes change together or not at all. Every check runs before the first write: Redis does not roll back the
 * writes a script made before it failed. The scripts are dumb on purpose: TypeScript folds the events and decides
 * which indexes a record belongs in; Lua only compares versions and writes.
 *
 * Lua decodes the snapshots only to read `seq`; it never re-encodes JSON (cjson would turn `[]` into `{}`).
 */

/** Appends the events to the stream, replaces the snapshot and moves the record in or out of the active index. */
const WRITE = `
local function write(record_key, audit_key, active_key, record, ulid, active, score, seq_before, first)
  for i = first, #ARGV do
    redis.call('XADD', audit_key, '*', 'seq', seq_before + i - first + 1, 'event', ARGV[i])
  end
  redis.call('SET', record_key, record)
  if active == '1' then
    redis.call('ZADD', active_key, score, ulid)
  else
    redis.call('ZREM', active_key, ulid)
  end
end
`;

/**
 * KEYS: record, audit, active, id, target. ARGV: record JSON, ulid, id, active flag, planned-at ms, events...
 * Returns {'OK'} or {'DUPLICATE', ref}.
 */
const CREATE = `${WRITE}
local record, ulid, id, active, score = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5]
if redis.call('EXISTS', KEYS[1]) == 1 or redis.call('EXISTS', KEYS[2]) == 1 then return {'DUPLICATE', ulid} end
if redis.call('EXISTS', KEYS[4]) == 1 then return {'DUPLICATE', id} end
local seq = cjson.decode(record)['seq']
if seq ~= #ARGV - 5 then
  return redis.error_reply('HOTFIX_BAD_SEQ new record ' .. ulid .. ' has seq ' .. tostring(seq) .. ' but ' .. (#ARGV - 5) .. ' events')
end
write(KEYS[1], KEYS[2], KEYS[3], record, ulid, active, score, 0, 6)
redis.call('SET', KEYS[4], ulid)
redis.call('ZADD', KEYS[5], score, ulid)
return {'OK'}
`;

/**
 * KEYS: record, audit, active, lock, waiters. ARGV: expected seq, record JSON, ulid, active flag, planned-at ms,
 * release flag, events... Returns {'OK'}, {'MISSING'} or {'CONFLICT', stored seq}. Release flag '2' (the record
 * turned terminal): the (client, env) lock is freed if this hotfix holds it, and it leaves the queue, in the same
 * atomic write as the terminal event, so a lock is never held by a finished hotfix nor freed by a live one. Flag
 * '1' (a state that may not wait, such as a plan revised back to planned): it only leaves the queue.
 */
const APPEND = `${WRITE}
local expected, record, ulid, active, score, release = tonumber(ARGV[1]), ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6]
local count = #ARGV - 6
local current = redis.call('GET', KEYS[1])
if not current then return {'MISSING'} end
local stored = cjson.decode(current)['seq']
if stored ~= expected then return {'CONFLICT', stored} end
local logged = redis.call('XLEN', KEYS[2])
if logged ~= stored then
  return redis.error_reply('HOTFIX_AUDIT_MISMATCH record ' .. ulid .. ' is at seq ' .. tostring(stored) .. ' but its audit stream has ' .. logged .. ' entries')
end
local seq = cjson.decode(record)['seq']
if seq ~= expected + count then
  return redis.error_reply('HOTFIX_BAD_SEQ record ' .. ulid .. ' would go from seq ' .. expected .. ' to ' .. tostring(seq) .. ' with ' .. count .. ' events')
end
write(KEYS[1], KEYS[2], KEYS[3], record, ulid, active, score, expected, 7)
if release == '2' and redis.call('HGET', KEYS[4], 'ulid') == ulid then redis.call('DEL', KEYS[4]) end
if release ~= '0' then redis.call('ZREM', KEYS[5], ulid) end
return {'OK'}
`;

/**
 * A patch forward's approval, one atomic write. KEYS: to record, to audit, active, lock, waiters, fence, from record,
 * from audit. ARGV: to expected seq, to record JSON, to ulid, to active flag, to planned-at ms, count of to events,
 * from expected seq, from record JSON, from ulid, from active flag, from planned-at ms, to events..., from events...
 * Both records are compared first; then both are written, and the lock passes from one to the other with the next
 * fencing token, so no waiter can take it in between. Returns {'OK', token}, {'MISSING'}, {'CONFLICT', seq} or
 * {'LOCK_MOVED', holder}.
 */
const HANDOVER = `
local function check(record_key, audit_key, expected, record, ulid, count)
  local current = redis.call('GET', record_key)
  if not current then return {'MISSING'} end
  local stored = cjson.decode(current)['seq']
  if stored ~= expected then return {'CONFLICT', stored} end
  if redis.call('XLEN', audit_key) ~= stored then
    return redis.error_reply('HOTFIX_AUDIT_MISMATCH record ' .. ulid .. ' is at seq ' .. tostring(stored))
  end
  if cjson.decode(record)['seq'] ~= expected + count then
    return redis.error_reply('HOTFIX_BAD_SEQ record ' .. ulid .. ' would not end at seq ' .. (expected + count))
  end
  return nil
end
local function write(record_key, audit_key, record, ulid, active, score, seq_before, first, last)
  for i = first, last do
    redis.call('XADD', audit_key, '*', 'seq', seq_before + i - first + 1, 'event', ARGV[i])
  end
  redis.call('SET', record_key, record)
  if active == '1' then redis.call('ZADD', KEYS[3], score, ulid) else redis.call('ZREM', KEYS[3], ulid) end
end
local to_seq, to_record, to_ulid, to_active, to_score = tonumber(ARGV[1]), ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local to_count = tonumber(ARGV[6])
local from_seq, from_record, from_ulid, from_active, from_score = tonumber(ARGV[7]), ARGV[8], ARGV[9], ARGV[10], ARGV[11]
local from_count = #ARGV - 11 - to_count
local problem = check(KEYS[1], KEYS[2], to_seq, to_record, to_ulid, to_count)
  or check(KEYS[7], KEYS[8], from_seq, from_record, from_ulid, from_count)
if problem then return problem end
local holder = redis.call('HGET', KEYS[4], 'ulid')
if holder ~= from_ulid then return {'LOCK_MOVED', holder or ''} end
write(KEYS[1], KEYS[2], to_record, to_ulid, to_active, to_score, to_seq, 12, 11 + to_count)
write(KEYS[7], KEYS[8], from_record, from_ulid, from_active, from_score, from_seq, 12 + to_count, #ARGV)
local token = redis.call('INCR', KEYS[6])
redis.call('HSET', KEYS[4], 'ulid', to_ulid, 'token', token)
redis.call('ZREM', KEYS[5], from_ulid)
return {'OK', token}
`;

/** What a script said, once its reply is read. */
export type ScriptOutcome =
  | { kind: 'ok' }
  | { kind: 'missing' }
  | { kind: 'conflict'; storedSeq: number }
  | { kind: 'duplicate'; ref: string }
  /** The handover's new fencing token, or the holder found instead of the hotfix handing over. */
  | { kind: 'handed_over'; token: number }
  | { kind: 'lock_moved'; holder?: string };

/** Keys and arguments of the create script. */
export interface CreateCall {
  keys: { record: string; audit: string; active: string; id: string; target: string };
  record: string;
  ulid: string;
  id: string;
  active: boolean;
  plannedAtMs: number;
  events: readonly string[];
}

/** Keys and arguments of the append script. */
export interface AppendCall {
  keys: { record: string; audit: string; active: string; lock: string; waiters: string };
  /** True when the new record is terminal: free its lock and queue place in the same write. */
  release: boolean;
  /** True when the new record may not wait for the lock: leave the queue in the same write. */
  leaveQueue: boolean;
  expectedSeq: number;
  record: string;
  ulid: string;
  active: boolean;
  plannedAtMs: number;
  events: readonly string[];
}

/** One record's part in a handover: its keys, expected seq, new snapshot and events. */
export interface HandoverPart {
  keys: { record: string; audit: string };
  expectedSeq: number;
  record: string;
  ulid: string;
  active: boolean;
  plannedAtMs: number;
  events: readonly string[];
}

/** Keys and arguments of the handover script: the shared keys, and the two records. */
export interface HandoverCall {
  keys: { active: string; lock: string; waiters: string; fence: string };
  from: HandoverPart;
  to: HandoverPart;
}

type ScriptCommand = (...args: (string | number)[]) => Promise<unknown>;

// Names are specific so another module defining scripts on the same connection cannot clash with ours.
interface StoreCommands {
  hotfixStoreCreate: ScriptCommand;
  hotfixStoreAppend: ScriptCommand;
  hotfixStoreHandover: ScriptCommand;
}

/** The store's scripts, registered on a connection; ioredis sends EVALSHA and falls back to EVAL after a flush. */
export class StoreScripts {
  private readonly commands: StoreCommands;

  constructor(redis: Redis) {
    redis.defineCommand('hotfixStoreCreate', { numberOfKeys: 5, lua: CREATE });
    redis.defineCommand('hotfixStoreAppend', { numberOfKeys: 5, lua: APPEND });
    redis.defineCommand('hotfixStoreHandover', { numberOfKeys: 8, lua: HANDOVER });
    // defineCommand adds methods ioredis cannot type; this is the one place they are named.
    this.commands = redis as unknown as StoreCommands;
  }

  /** Runs the create script. */
  async create(call: CreateCall): Promise<ScriptOutcome> {
    const { record, audit, active, id, target } = call.keys;
    const flag = call.active ? '1' : '0';
    return outcome(
      await this.commands.hotfixStoreCreate(
        ...[record, audit, active, id, target],
        ...[call.record, call.ulid, call.id, flag, call.plannedAtMs],
        ...call.events,
      ),
    );
  }

  /** Runs the append (compare-and-set) script. */
  async append(call: AppendCall): Promise<ScriptOutcome> {
    const { record, audit, active, lock, waiters } = call.keys;
    const flag = call.active ? '1' : '0';
    return outcome(
      await this.commands.hotfixStoreAppend(
        ...[record, audit, active, lock, waiters],
        ...[
          call.expectedSeq,
          call.record,
          call.ulid,
          flag,
          call.plannedAtMs,
          call.release ? '2' : call.leaveQueue ? '1' : '0',
        ],
        ...call.events,
      ),
    );
  }

  /** Runs the handover script (a patch forward's approval). */
  async handover(call: HandoverCall): Promise<ScriptOutcome> {
    const { from, to } = call;
    const reply = await this.commands.hotfixStoreHandover(
      ...[
        to.keys.record,
        to.keys.audit,
        call.keys.active,
        call.keys.lock,
        call.keys.waiters,
        call.keys.fence,
      ],
      ...[from.keys.record, from.keys.audit],
      ...[to.expectedSeq, to.record, to.ulid, to.active ? '1' : '0', to.plannedAtMs, to.events.length],
      ...[from.expectedSeq, from.record, from.ulid, from.active ? '1' : '0', from.plannedAtMs],
      ...to.events,
      ...from.events,
    );
    if (Array.isArray(reply) && reply[0] === 'OK' && typeof reply[1] === 'number')
      return { kind: 'handed_over', token: reply[1] };
    if (Array.isArray(reply) && reply[0] === 'LOCK_MOVED')
      return reply[1] ? { kind: 'lock_moved', holder: String(reply[1]) } : { kind: 'lock_moved' };
    return outcome(reply);
  }
}

function outcome(reply: unknown): ScriptOutcome {
  if (!Array.isArray(reply))
    throw new Error(`hotfix store script returned ${String(reply)}, not a status list`);
  const [status, detail] = reply as unknown[];
  if (status === 'OK') return { kind: 'ok' };
  if (status === 'MISSING') return { kind: 'missing' };
  if (status === 'CONFLICT' && typeof detail === 'number') return { kind: 'conflict', storedSeq: detail };
  if (status === 'DUPLICATE' && typeof detail === 'string') return { kind: 'duplicate', ref: detail };
  throw new Error(`hotfix store script returned an unknown status ${JSON.stringify(reply)}`);
}
