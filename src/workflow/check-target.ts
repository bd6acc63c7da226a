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

/** How many times trouble a retry may fix (Jenkins answering 503, a reset) is looked at again before refusing. */
export const TARGET_TROUBLE_RETRIES = 3;
/** The first wait before looking again, when the timing names none; each later wait doubles it. */
export const DEFAULT_TARGET_RECHECK_MS = 5000;

/** The step that runs the check again: the announce of a new plan, or the refresh that shows a revised one. */
export type TargetCheckRerun = 'announce' | 'refresh_messages';

/**
 * The plan-time check of the deploy's outside target (for Jenkins: the job exists and declares every parameter the
 * bot sends). It runs here, in the announce job before anything is posted, and not in the slash-command handler:
 * nothing outside may sit between a Slack request and its ack (DESIGN.md section 1), and Jenkins can be slow or down.
 * So the plan is recorded first; a failed check cancels it before anyone is asked to approve it, and the requester
 * is told why, in the channel they planned in (once the telling is recorded, so a retry after Slack failed tells
 * them then). A revised plan runs it again before its messages are redrawn (refresh-messages.ts). Trouble a retry may
 * fix is looked at again by a delayed `rerun` a few times before the plan is refused. Returns whether the plan may be
 * shown now.
 */
export async function checkTarget(
  deps: WorkflowDeps,
  hotfix: Hotfix,
  rerun: TargetCheckRerun,
): Promise<boolean> {
  if (refusalUntold(hotfix)) return tellRefusal(deps, hotfix);
  const method = deps.methods[hotfix.method];
  if (!method?.checkTarget || hotfix.steps[targetCheckStep(hotfix)]?.result) return true;
  let problem: string | undefined;
  try {
    problem = await method.checkTarget(hotfix);
  } catch (error) {
    if (!retryable(error)) throw error;
    return troubled(deps, hotfix, rerun, error.message);
  }
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

/** Whether a check's error says a later look may pass (the method's port contract): its message is the refusal. */
function retryable(error: unknown): error is Error {
  return error instanceof Error && (error as { retryable?: unknown }).retryable === true;
}

/**
 * One look at the target failed in a way a retry may fix (DESIGN.md section 7): looked at again by a delayed run of
 * `rerun` (nothing sleeps), waiting twice as long each time, TARGET_TROUBLE_RETRIES times; then the plan is refused
 * with the method's sentence. Each failed look is a step on the record, per plan version, so the count survives
 * restarts and two runs at once count one look. Returns false: the plan is not shown (yet).
 */
async function troubled(
  deps: WorkflowDeps,
  hotfix: Hotfix,
  rerun: TargetCheckRerun,
  problem: string,
): Promise<false> {
  const prefix = `${targetCheckStep(hotfix)}_trouble_`;
  const tries = Object.keys(hotfix.steps).filter(
    (s) => s.startsWith(prefix) && hotfix.steps[s]?.result,
  ).length;
  if (tries >= TARGET_TROUBLE_RETRIES) return refusePlan(deps, hotfix, problem);
  deps.log.warn(
    { hotfix: hotfix.id, tries: tries + 1, problem },
    'the deploy target could not be checked; checking again later',
  );
  await transact(
    deps,
    { ulid: hotfix.ulid },
    { type: 'record_result', step: `${prefix}${tries + 1}`, detail: problem },
    BOT,
  );
  const delayMs = (deps.timing.targetRecheckMs ?? DEFAULT_TARGET_RECHECK_MS) * 2 ** tries;
  await deps.jobs.enqueue(
    { ulid: hotfix.ulid, step: rerun, attempt: `target-v${hotfix.planVersion}-trouble-${tries + 1}` },
    { delayMs },
  );
  return false;
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
