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
  /** Joins the queue for `key` (idempotent; keeps the first place). */
  enqueue(key: string, ulid: string, at: Date): Promise<void>;
  /** Takes the lock if it is free and `ulid` is first in line (or already holds it). */
  tryAcquire(key: string, ulid: string): Promise<LockAttempt>;
  /** The current holder's ULID and fencing token, if held. */
  holder(key: string): Promise<{ ulid: string; token: number } | undefined>;
  /** The ULIDs waiting for `key`, first first. */
  waiting(key: string): Promise<string[]>;
  /** Whether `token` is still the valid fence for `ulid` on `key`: checked before every side effect. */
  isCurrent(key: string, ulid: string, token: number): Promise<boolean>;
  /** Frees `key` if `ulid` holds it (the audited `/hotfix unlock` of a lock with no live holder record). */
  forceRelease(key: string, ulid: string): Promise<boolean>;
}
