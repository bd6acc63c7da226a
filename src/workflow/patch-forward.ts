import type { Actor, PersonCommand } from '../domain/commands.js';
import { decide } from '../domain/decide.js';
import type { Hotfix } from '../domain/hotfix.js';
import { decideHandover, patchForwardProblem } from '../domain/patch-forward.js';
import type { Refusal } from '../domain/reasons.js';
import { Reason, refuse } from '../domain/reasons.js';
import { ConcurrentUpdateError } from '../ports/hotfix-store.js';
import { explainRefusal } from './actors.js';
import type { WorkflowDeps } from './deps.js';
import type { HotfixRef, Outcome } from './transact.js';
import { loadRef } from './transact.js';

const MAX_ATTEMPTS = 8;

/** An approval's outcome, and the hotfix it superseded when it completed a patch forward. */
export interface ApprovalOutcome {
  outcome: Outcome;
  superseded?: Hotfix;
}

/**
 * Approves a patch-forward plan. The approval that completes it supersedes the failed hotfix and takes over its lock
 * in one atomic write (HotfixStore.handOver), so nobody waiting for the environment can slip in between; the failed
 * hotfix is superseded in the name of whoever asked for the patch forward, who must still be allowed to. Compare-and-
 * set on both records: when either changed meanwhile (a Retry of the failed hotfix, a second approver), both are
 * read and decided again.
 */
export async function approvePatchForward(
  deps: Pick<WorkflowDeps, 'store' | 'clock' | 'actors'>,
  ref: HotfixRef,
  command: Extract<PersonCommand, { type: 'approve' }>,
  actor: Actor,
): Promise<ApprovalOutcome> {
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const next = await loadRef(deps, ref);
    if (!next)
      return { outcome: { ok: false, refusal: refuse(Reason.NotFound, 'That hotfix no longer exists.') } };
    const now = deps.clock.now();
    const decision = decide(next, command, { now, actor });
    if (!decision.ok) return { outcome: { ok: false, refusal: decision.refusal, hotfix: next } };
    const failed = next.supersedes ? await deps.store.load(next.supersedes.ulid) : undefined;
    const requester = await deps.actors.resolve(next.requester, (failed ?? next).snapshot.policy);
    const handover = decideHandover(next, decision.events, failed, { now, actor: requester.actor });
    if (handover.kind === 'refused') {
      const refusal = explainRefusal(handover.decision.refusal, requester.gaps, next.snapshot.policy);
      return { outcome: { ok: false, refusal, hotfix: next } };
    }
    try {
      if (handover.kind === 'none' || !failed) {
        const saved = await deps.store.append(next, decision.events);
        return { outcome: { ok: true, hotfix: saved, events: decision.events, warnings: decision.warnings } };
      }
      const written = await deps.store.handOver(
        { hotfix: failed, events: handover.events },
        { hotfix: next, events: decision.events },
      );
      if (written.kind === 'lock_moved')
        return { outcome: { ok: false, refusal: lockMoved(next, failed), hotfix: next } };
      const outcome = {
        ok: true as const,
        hotfix: written.to,
        events: decision.events,
        warnings: decision.warnings,
      };
      return { outcome, superseded: written.from };
    } catch (error) {
      if (!(error instanceof ConcurrentUpdateError)) throw error;
    }
  }
  throw new Error(`patch forward ${JSON.stringify(ref)}: gave up after ${MAX_ATTEMPTS} concurrent updates`);
}

/**
 * Whether `userId` may patch `ref` forward now (it is failed, and they may retry it): the failed hotfix when so,
 * else the refusal to show. Checked before the plan form opens and again when the plan is submitted.
 */
export async function patchable(
  deps: Pick<WorkflowDeps, 'store' | 'clock' | 'actors'>,
  userId: string,
  ref: HotfixRef,
  target?: { client: string; env: string },
): Promise<{ ok: true; failed: Hotfix } | { ok: false; refusal: Refusal }> {
  const failed = await loadRef(deps, ref);
  if (!failed)
    return {
      ok: false,
      refusal: refuse(Reason.NotFound, 'That hotfix no longer exists. `/hotfix list` shows the active ones.'),
    };
  const { actor, gaps } = await deps.actors.resolve(userId, failed.snapshot.policy);
  const problem = patchForwardProblem(failed, target, { now: deps.clock.now(), actor });
  if (problem) return { ok: false, refusal: explainRefusal(problem, gaps, failed.snapshot.policy) };
  return { ok: true, failed };
}

/**
 * The permalink of the plan of the hotfix that superseded `hotfix`, for its redrawn messages ("superseded by HF-9"
 * links there); undefined for any other hotfix, or when Slack cannot give one. Called from jobs only.
 */
export async function supersededByLink(
  deps: Pick<WorkflowDeps, 'store' | 'chat'>,
  hotfix: Hotfix,
): Promise<string | undefined> {
  if (hotfix.state !== 'superseded' || !hotfix.supersededBy) return undefined;
  const next = await deps.store.findById(hotfix.supersededBy);
  const channel = next?.refs['planChannel'];
  const ts = next?.refs['planTs'];
  return channel && ts ? deps.chat.permalink({ channel, ts }) : undefined;
}

function lockMoved(next: Hotfix, failed: Hotfix): Refusal {
  return refuse(
    Reason.NotPatchable,
    `${failed.id} no longer holds ${failed.client} ${failed.env}, so there is no lock to pass to ${next.id} and nothing was approved. \`/hotfix list\` shows who holds it; cancel ${next.id}, or plan it again as a hotfix of its own.`,
  );
}
