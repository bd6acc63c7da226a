import type { Hotfix } from '../domain/hotfix.js';
import { targetCheckStep } from '../domain/hotfix.js';
import type { WorkflowDeps } from './deps.js';
import { afterTransition } from './next-jobs.js';
import { BOT } from './system-actor.js';
import { transact } from './transact.js';

/** How a plan cancelled by this check reads in its cancel reason; the rest of the reason is the refusal. */
const REFUSED = 'refused at plan time: ';
/** The step that records the requester was told. */
const TOLD = 'tell_plan_refusal';

/**
 * The plan-time check of the deploy's outside target (for Jenkins: the job exists and declares every parameter the
 * bot sends). It runs here, in the announce job before anything is posted, and not in the slash-command handler:
 * nothing outside may sit between a Slack request and its ack (DESIGN.md section 1), and Jenkins can be slow or down.
 * So the plan is recorded first; a failed check cancels it before anyone is asked to approve it, and the requester
 * is told why, in the channel they planned in (once the telling is recorded, so a retry after Slack failed tells
 * them then). A revised plan runs it again before its messages are redrawn (refresh-messages.ts). Returns whether the
 * plan may be shown.
 */
export async function checkTarget(deps: WorkflowDeps, hotfix: Hotfix): Promise<boolean> {
  if (refusalUntold(hotfix)) return tellRefusal(deps, hotfix);
  const method = deps.methods[hotfix.method];
  if (!method?.checkTarget || hotfix.steps[targetCheckStep(hotfix)]?.result) return true;
  const problem = await method.checkTarget(hotfix);
  if (problem === undefined) {
    // What the approver should see before approving, recorded with the check so the plan and the notice show it.
    const preview = method.preview ? await method.preview(hotfix) : [];
    const detail = preview.length > 0 ? { detail: preview.join('\n') } : {};
    // Recorded before anything is posted, so a plan already in Slack is never cancelled by a later look.
    await transact(
      deps,
      { ulid: hotfix.ulid },
      { type: 'record_result', step: targetCheckStep(hotfix), ...detail },
      BOT,
    );
    return true;
  }
  return refusePlan(deps, hotfix, problem);
}

/**
 * Cancels a plan a plan-time check refused (`problem` says why, for people) and tells its requester, once; a plan
 * already decided otherwise is left as it is. Returns false: the plan is not shown for approval.
 */
export async function refusePlan(deps: WorkflowDeps, hotfix: Hotfix, problem: string): Promise<false> {
  const outcome = await transact(
    deps,
    { ulid: hotfix.ulid },
    { type: 'cancel', reason: `${REFUSED}${problem}` },
    BOT,
  );
  if (!outcome.ok) return false;
  if (outcome.events.length > 0) {
    deps.log.info({ hotfix: hotfix.id, ulid: hotfix.ulid }, 'plan refused by its target check');
    await afterTransition(deps, outcome.hotfix);
  }
  return refusalUntold(outcome.hotfix) ? tellRefusal(deps, outcome.hotfix) : false;
}

/** A plan this check cancelled whose requester has not been told yet. */
export function refusalUntold(hotfix: Hotfix): boolean {
  return (
    hotfix.state === 'cancelled' &&
    hotfix.decision?.reason.startsWith(REFUSED) === true &&
    !hotfix.steps[TOLD]?.result
  );
}

async function tellRefusal(deps: WorkflowDeps, hotfix: Hotfix): Promise<false> {
  const problem = (hotfix.decision?.reason ?? '').slice(REFUSED.length);
  await deps.chat.tellUser(
    hotfix.incident.channel,
    hotfix.requester,
    hotfix.planVersion > 1
      ? `The revised plan (v${hotfix.planVersion}) of ${hotfix.id} was not put up for approval: ${hotfix.id} is cancelled and nothing will be deployed: ${problem}`
      : `${hotfix.id} was not put up for approval and nothing will be deployed: ${problem}`,
  );
  await transact(deps, { ulid: hotfix.ulid }, { type: 'record_result', step: TOLD }, BOT);
  return false;
}
