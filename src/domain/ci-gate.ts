/**
 * The plan-time CI gate: what a CI verdict means for a plan under the service's CI policy. Red and "no checks" refuse;
 * pending refuses or holds the plan ("waiting for CI") per policy until the wait runs out. Time comes in as arguments.
 */
import { describeCiVerdict, type CiVerdict } from './ci-verdict.js';
import { Reason, refuse, type Refusal } from './reasons.js';

/** What a service's plans do while CI is still running on the target tag. */
export const CI_PENDING_ACTIONS = ['hold', 'refuse'] as const;
export type CiPendingAction = (typeof CI_PENDING_ACTIONS)[number];

/** A service's CI policy (catalog `services.<name>.ci`). */
export interface CiPolicy {
  /** Hold the plan and check again, or refuse it at once. */
  whenPending: CiPendingAction;
  /** How long a held plan waits for CI before it is refused. */
  waitMinutes: number;
}

/** The policy when a service names none: hold for an hour. */
export const DEFAULT_CI_POLICY: CiPolicy = { whenPending: 'hold', waitMinutes: 60 };

/** Go; hold (re-checking) until `until` at the latest; or refuse with the reason. */
export type CiGate =
  | { go: true }
  | { go: false; hold: true; message: string; until: Date }
  | { go: false; hold: false; refusal: Refusal };

/**
 * The gate for `verdict` on `commit`: `heldSince` is when the plan first waited for CI (undefined on the first check).
 */
export function ciGate(
  verdict: CiVerdict,
  commit: string,
  policy: CiPolicy,
  now: Date,
  heldSince?: Date,
): CiGate {
  const sentence = describeCiVerdict(verdict, commit);
  if (verdict.kind === 'green') return { go: true };
  if (verdict.kind === 'red') return { go: false, hold: false, refusal: refuse(Reason.CiRed, sentence) };
  if (verdict.kind === 'none') return { go: false, hold: false, refusal: refuse(Reason.CiNone, sentence) };
  if (policy.whenPending === 'refuse') {
    return {
      go: false,
      hold: false,
      refusal: refuse(Reason.CiPending, `${sentence} Plan again when it has finished.`),
    };
  }
  const until = new Date((heldSince ?? now).getTime() + policy.waitMinutes * 60_000);
  if (now.getTime() >= until.getTime()) {
    const message = `${sentence} The plan waited ${policy.waitMinutes} minutes for CI and is refused; plan again when CI has finished.`;
    return { go: false, hold: false, refusal: refuse(Reason.CiTimedOut, message) };
  }
  return { go: false, hold: true, message: `Waiting for CI. ${sentence}`, until };
}
