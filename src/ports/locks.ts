/** The answer to asking for a (client, env) lock. */
export type LockAttempt =
  | { granted: true; token: number }
  /** Someone else holds it, or waiters are ahead (first come, first served). */
  | { granted: false; heldBy?: string; ahead: string[] };

/**
 * The (client, env) locks of DESIGN.md section 7. A lock belongs to a hotfix (by ULID), has no short expiry, and is
 * released only together with the hotfix's terminal event (by the store) or by an audited unlock.
 */
export interface Locks {
  /**
   * Joins the queue for `key` (idempotent; keeps the first place) if the hotfix's record, read in the same atomic
   * step, may still wait; returns whether it is in line.
   */
  enqueue(key: string, ulid: string, at: Date): Promise<boolean>;
  /**
   * Takes the lock if it is free and `ulid` is queued and first in line (or already holds it); waiters ahead that can
   * no longer use the lock are dropped on the way.
   */
  tryAcquire(key: string, ulid: string): Promise<LockAttempt>;
  /** The current holder's ULID and fencing token, if held. */
  holder(key: string): Promise<{ ulid: string; token: number } | undefined>;
  /** The ULIDs waiting for `key`, first first. */
  waiting(key: string): Promise<string[]>;
  /** Whether `token` is still the valid fence for `ulid` on `key`: checked before every side effect. */
  isCurrent(key: string, ulid: string, token: number): Promise<boolean>;
  /**
   * Frees `key` if `ulid` holds it and its record can no longer use it (the audited `/hotfix unlock` of a lock whose
   * holder finished); a live holder, or one whose grant is being recorded, is never freed this way.
   */
  forceRelease(key: string, ulid: string): Promise<ForcedRelease>;
  /** Removes every waiter whose record can no longer use the lock (finished, revised); returns their ULIDs. */
  pruneWaiters(key: string): Promise<string[]>;
}

/** What a forced release did: freed it, found another holder (or none), or found a holder that still uses it. */
export type ForcedRelease = 'released' | 'not_held' | 'live';
