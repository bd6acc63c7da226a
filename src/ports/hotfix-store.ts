import type { HotfixEvent } from '../domain/events.js';
import type { Hotfix } from '../domain/hotfix.js';

/** Thrown by `append` when the record changed since it was loaded: reload, decide again, retry. */
export class ConcurrentUpdateError extends Error {
  constructor(
    readonly ulid: string,
    readonly expectedSeq: number,
  ) {
    super(`hotfix ${ulid} changed after it was read (expected version ${expectedSeq})`);
    this.name = 'ConcurrentUpdateError';
  }
}

/** Thrown by `create` when a record with the same ULID or HF id exists. */
export class DuplicateHotfixError extends Error {
  constructor(readonly ref: string) {
    super(`hotfix ${ref} already exists`);
    this.name = 'DuplicateHotfixError';
  }
}

/** What a lock handover wrote: both records and the new holder's fencing token, or nothing (see `handOver`). */
export type HandoverResult =
  { kind: 'handed_over'; from: Hotfix; to: Hotfix; token: number } | { kind: 'lock_moved'; holder?: string };

/**
 * Hotfix records, stored as their events. Every write is compare-and-set on `seq`, so two writers never both win;
 * the audit trail is append-only.
 */
export interface HotfixStore {
  /** The next `HF-<n>`; numbers are never reused. */
  nextId(): Promise<string>;
  /** Stores a new record from its first events (the first is `planned`); fails if the ULID or id exists. */
  create(events: readonly HotfixEvent[]): Promise<Hotfix>;
  /** The record by ULID, or undefined. */
  load(ulid: string): Promise<Hotfix | undefined>;
  /** The record by `HF-<n>`, or undefined. */
  findById(id: string): Promise<Hotfix | undefined>;
  /** Appends events if the stored record is still at `hotfix.seq`; returns the new record. */
  append(hotfix: Hotfix, events: readonly HotfixEvent[]): Promise<Hotfix>;
  /**
   * A patch forward's approval: appends `toEvents` to `to` and `fromEvents` (its terminal `superseded`) to `from`, and
   * passes `from`'s (client, env) lock to `to` with a new fencing token, all in one atomic write. Both records must
   * still be at their `seq` (else ConcurrentUpdateError: reload, decide again). `lock_moved` when `from` no longer
   * holds the lock, and nothing was written.
   */
  handOver(
    from: { hotfix: Hotfix; events: readonly HotfixEvent[] },
    to: { hotfix: Hotfix; events: readonly HotfixEvent[] },
  ): Promise<HandoverResult>;
  /** The audit trail, oldest first. */
  events(ulid: string): Promise<HotfixEvent[]>;
  /** Records not in a terminal state, oldest first (the reconciler's and `/hotfix list`'s view). */
  listActive(): Promise<Hotfix[]>;
  /** Records that ended (terminal) but whose finalize step has not run: the reconciler finishes them. */
  listUnfinalized(): Promise<Hotfix[]>;
  /** Every record for a client and env, newest first, at most `limit`. */
  listByTarget(client: string, env: string, limit?: number): Promise<Hotfix[]>;
}
