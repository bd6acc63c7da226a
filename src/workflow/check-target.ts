import type { Hotfix } from '../domain/hotfix.js';
import type { WorkflowDeps } from './deps.js';
import { afterTransition } from './next-jobs.js';
import { BOT } from './system-actor.js';
import { transact } from './transact.js';

/**
 * The plan-time check of the deploy's outside target (for Jenkins: the job exists and declares every parameter the
 * bot sends). It runs here, in the announce job before anything is posted, and not in the slash-command handler:
 * nothing outside may sit between a Slack request and its ack (DESIGN.md section 1), and Jenkins can be slow or down.
 * So the plan is recorded first; a failed check cancels it before anyone is asked to approve it, and the requester
 * is told why, in the channel they planned in. Returns whether the plan may be announced.
 */
export async function checkTarget(deps: WorkflowDeps, hotfix: Hotfix): Promise<boolean> {
  const problem = await deps.methods[hotfix.method]?.checkTarget?.(hotfix);
  if (problem === undefined) return true;
  const outcome = await transact(
    deps,
    { ulid: hotfix.ulid },
    { type: 'cancel', reason: `refused at plan time: ${problem}` },
    BOT,
  );
  // Only the run that cancelled tells the requester, so a repeated job does not tell them twice.
  if (outcome.ok && outcome.events.length > 0) {
    deps.log.info({ hotfix: hotfix.id, ulid: hotfix.ulid }, 'plan refused by its target check');
    await afterTransition(deps, outcome.hotfix);
    await deps.chat.tellUser(
      hotfix.incident.channel,
      hotfix.requester,
      `${hotfix.id} was not put up for approval and nothing will be deployed: ${problem}`,
    );
  }
  return false;
}
