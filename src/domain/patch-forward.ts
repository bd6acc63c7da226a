/**
 * Patch forward (DESIGN.md section 2: `failed --patch forward--> superseded`): a failed hotfix is fixed by a new plan
 * for the same client and env instead of a rollback. The new plan goes through approval as any plan does; when it is
 * approved, the failed hotfix becomes `superseded` and its (client, env) lock passes to the new one in the same
 * atomic write, so nobody waiting can slip in between. Until then the failed hotfix keeps its lock: a rejected or
 * cancelled patch forward changes nothing for it.
 */
import type { DecisionContext } from './commands.js';
import type { Decision } from './decision.js';
import { decide, stateLabel } from './decide.js';
import type { HotfixEvent } from './events.js';
import type { Hotfix } from './hotfix.js';
import { Reason, refuse } from './reasons.js';
import type { Refusal } from './reasons.js';

/**
 * Why `actor` cannot patch `failed` forward with a plan for `target`, or undefined when they can: the hotfix must be
 * failed (the state table's `supersede`), the person one who may retry it, and the plan aimed at the same client and
 * env (the lock that passes is that environment's).
 */
export function patchForwardProblem(
  failed: Hotfix,
  target: { client: string; env: string } | undefined,
  ctx: DecisionContext,
): Refusal | undefined {
  const decision = decide(failed, { type: 'supersede', supersededBy: 'a new plan' }, ctx);
  if (!decision.ok) return decision.refusal;
  if (target && (target.client !== failed.client || target.env !== failed.env)) {
    return refuse(
      Reason.NotPatchable,
      `A patch forward of ${failed.id} deploys to ${failed.client} ${failed.env}, where ${failed.id} holds the lock; this plan is for ${target.client} ${target.env}. Keep the client and env, or plan a separate hotfix with \`/hotfix plan\`.`,
    );
  }
  return undefined;
}

/** What approving a patch-forward plan does to the hotfix it patches. */
export type Handover =
  /** Nothing: not a patch forward, or its hotfix already passed the lock to it (an approval after a revision). */
  | { kind: 'none' }
  /** The approval completes the plan: these events supersede the failed hotfix, written with the approval. */
  | { kind: 'supersede'; events: HotfixEvent[] }
  /** The approval is refused: the hotfix it patches is no longer failed, so the patch no longer applies. */
  | { kind: 'refused'; decision: Extract<Decision, { ok: false }> };

/**
 * Decides what approving `next` (a patch forward of `failed`) does to `failed`, given the events the approval
 * itself decided. `ctx.actor` is who asked for the patch forward (its requester): superseding is theirs, checked
 * again now, as a retry would be.
 */
export function decideHandover(
  next: Hotfix,
  approval: readonly HotfixEvent[],
  failed: Hotfix | undefined,
  ctx: DecisionContext,
): Handover {
  if (!next.supersedes) return { kind: 'none' };
  const patched = next.supersedes.id;
  if (failed?.state === 'superseded' && failed.supersededBy === next.id) return { kind: 'none' };
  if (!failed || failed.state !== 'failed') {
    const now = failed ? `is ${stateLabel(failed.state)}` : 'no longer exists';
    const by = failed?.supersededBy ? ` by ${failed.supersededBy}` : '';
    return {
      kind: 'refused',
      decision: {
        ok: false,
        refusal: refuse(
          Reason.NotPatchable,
          `${next.id} patches forward ${patched}, which ${now}${by}, so this patch forward no longer applies and nothing was approved. Cancel ${next.id}, or plan it again as a hotfix of its own with \`/hotfix plan\`.`,
        ),
      },
    };
  }
  if (!approval.some((e) => e.type === 'approved')) return { kind: 'none' };
  const decision = decide(failed, { type: 'supersede', supersededBy: next.id }, ctx);
  if (!decision.ok) return { kind: 'refused', decision };
  return { kind: 'supersede', events: decision.events };
}
