import type { Hotfix } from '../domain/hotfix.js';
import { threadOf } from '../domain/hotfix.js';
import { sourceCheckStep, sourceHoldStep } from '../domain/source-check.js';
import { postOnce } from './post-once.js';
import type { WorkflowDeps } from './deps.js';
import { gateSource } from './gate-source.js';
import { afterTransition, lookAgain } from './next-jobs.js';
import { BOT } from './system-actor.js';
import { transact } from './transact.js';

/** How a hotfix cancelled by the check at approval reads in its cancel reason; the rest is the check's sentence. */
export const REFUSED_AT_APPROVAL =
  'not deployed: the tag and CI check when the approval completed refused it: ';

/**
 * The source gate again when the approval completes, before any change record, lock or deploy (CI may have turned
 * red, or a tag moved, since the plan was checked): returns the record to go on with, or undefined when the hotfix
 * waits (CI still running, per the service's policy; GitHub asked to wait) or was cancelled. A cancel is told in the
 * incident thread and drawn on the plan and the notice, like every cancel.
 */
export async function recheckSource(deps: WorkflowDeps, hotfix: Hotfix): Promise<Hotfix | undefined> {
  if (hotfix.steps[sourceCheckStep(hotfix, 'approval')]?.result) return hotfix;
  const gate = await gateSource(deps, hotfix, 'approval');
  if (gate.outcome === 'go') return gate.hotfix;
  if (gate.outcome === 'wait') {
    await lookAgain(deps, gate.hotfix, gate.delayMs);
    // Every wait, not only the first: a note held back by Slack's pacing goes out on a later look (posted once).
    await tellHeld(deps, gate.hotfix);
    return undefined;
  }
  const outcome = await transact(
    deps,
    { ulid: hotfix.ulid },
    { type: 'cancel', reason: `${REFUSED_AT_APPROVAL}${gate.problem}` },
    BOT,
  );
  if (!outcome.ok) throw new Error(outcome.refusal.message);
  if (outcome.events.length > 0) {
    deps.log.info({ hotfix: hotfix.id, ulid: hotfix.ulid }, 'approved hotfix refused by its source check');
    await afterTransition(deps, outcome.hotfix);
  }
  return undefined;
}

/** Tells the incident thread, once, that the approved hotfix waits for CI before anything else happens. */
async function tellHeld(deps: WorkflowDeps, hotfix: Hotfix): Promise<void> {
  const step = `note_${sourceHoldStep(hotfix, 'approval')}`;
  const why = hotfix.steps[sourceHoldStep(hotfix, 'approval')]?.result?.detail ?? '';
  const text =
    `:hourglass_flowing_sand: <@${hotfix.owner}> ${hotfix.id} is approved, but CI is running again on its tag, so ` +
    `nothing is deployed until it is green; it is cancelled if CI fails or does not finish in time.\n${why}`;
  const threadTs = threadOf(hotfix);
  await postOnce(deps, hotfix, {
    step,
    find: { channel: hotfix.incident.channel, kind: 'reply', key: step, ...(threadTs ? { threadTs } : {}) },
    post: () => deps.chat.replyInThread(hotfix, text, step),
    whenBusy: 'skip',
    whenUndeliverable: 'record',
  });
}
