/**
 * What the hotfix's life means for its records on the source host: the state its GitHub deployment shows at each
 * hotfix state, and, after completion, the forward-port (seed 003: a hotfix leaves production in a non-standard
 * state until its fix is on the main line): open a pull request, remind its owners until it is merged, or stop when
 * the fix is already there or someone recorded, with a reason, that it is not needed on main.
 */
import type { HotfixState } from './hotfix.js';
import { Reason, refuse, type Refusal } from './reasons.js';

/** The deployment states the bot sets (GitHub's names). */
export type DeploymentMark = 'queued' | 'in_progress' | 'success' | 'failure' | 'error' | 'inactive';

const MARKS: Partial<Record<HotfixState, DeploymentMark>> = {
  preparing: 'queued',
  deploying: 'in_progress',
  awaiting_input: 'in_progress',
  verifying: 'in_progress',
  completed: 'success',
  failed: 'failure',
  rollback_failed: 'error',
  // Whatever ran is no longer this hotfix's version: rolled back, cancelled after it started, or patched forward.
  rolled_back: 'inactive',
  cancelled: 'inactive',
  superseded: 'inactive',
};

/**
 * The deployment state for a hotfix in `state`, or undefined when the record does not change: before the deploy
 * (no deployment is recorded for a plan), while rolling back, and when people resolved it by hand.
 */
export function deploymentMarkFor(
  state: HotfixState,
  deploymentRecorded: boolean,
): DeploymentMark | undefined {
  const mark = MARKS[state];
  // A hotfix cancelled before it deployed never had a deployment to mark.
  if (!deploymentRecorded && (state === 'cancelled' || state === 'superseded')) return undefined;
  return mark;
}

/** A pull request's state as the forward-port needs it. */
export type ForwardPortPr = { number: number; url: string; state: 'open' | 'merged' | 'closed' };

/** The audited decision that the fix is not needed on the main line. */
export interface ForwardPortWaiver {
  by: string;
  reason: string;
  at: Date;
}

/** The next forward-port step after a completed hotfix. */
export type ForwardPortStep =
  | { step: 'done'; why: 'on_default_branch' | 'merged' | 'not_needed' }
  | { step: 'open_pr' }
  | { step: 'remind'; at: Date; pr: ForwardPortPr };

/**
 * Decides the forward-port: done when the tag's commits are on the default branch, the pull request was merged, or a
 * waiver was recorded; otherwise open a pull request (none yet, or the last was closed unmerged), or remind its owners
 * `everyHours` after the last reminder (or after now, for the first).
 */
export function forwardPortStep(input: {
  onDefaultBranch: boolean;
  pr?: ForwardPortPr;
  waiver?: ForwardPortWaiver;
  lastRemindedAt?: Date;
  everyHours: number;
  now: Date;
}): ForwardPortStep {
  if (input.onDefaultBranch) return { step: 'done', why: 'on_default_branch' };
  if (input.waiver) return { step: 'done', why: 'not_needed' };
  if (input.pr?.state === 'merged') return { step: 'done', why: 'merged' };
  if (!input.pr || input.pr.state === 'closed') return { step: 'open_pr' };
  const from = input.lastRemindedAt ?? input.now;
  return { step: 'remind', at: new Date(from.getTime() + input.everyHours * 3_600_000), pr: input.pr };
}

/** A waiver from `by` with `reason`, or a refusal: "not needed on main" always carries why. */
export function waiveForwardPort(
  by: string,
  reason: string,
  at: Date,
): { ok: true; waiver: ForwardPortWaiver } | { ok: false; refusal: Refusal } {
  const why = reason.trim();
  if (why === '') {
    const message =
      'Say why the fix is not needed on main (for example: "main was rewritten in 2.15"); it goes on the audit trail.';
    return { ok: false, refusal: refuse(Reason.ReasonRequired, message) };
  }
  return { ok: true, waiver: { by, reason: why, at } };
}

/** The forward-port pull request's title and body, naming the hotfix, the tag and where it runs. */
export function forwardPortText(input: {
  hotfixId: string;
  service: string;
  tag: string;
  branch: string;
  defaultBranch: string;
  where: string;
}): { title: string; body: string } {
  return {
    title: `Forward-port ${input.hotfixId}: ${input.branch} into ${input.defaultBranch}`,
    body: [
      `${input.hotfixId} deployed ${input.service} ${input.tag} to ${input.where} from ${input.branch}.`,
      `Until this fix is on ${input.defaultBranch}, production runs a version the next release would undo.`,
      `Merge this pull request to bring the fix onto ${input.defaultBranch}.`,
    ].join('\n\n'),
  };
}
