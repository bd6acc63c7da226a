import { isTerminal } from '../domain/hotfix.js';
import type { WorkflowDeps } from './deps.js';
import { waitForSlack } from './slack-gate.js';
import { postOnce } from './post-once.js';
import { drawnKey } from './drawn-messages.js';
import { checkTarget, refusalUntold, refusePlan } from './check-target.js';
import type { Hotfix } from '../domain/hotfix.js';
import { sourceHoldStep, waitingForCi } from '../domain/source-check.js';
import { gateSource, type SourceGateStep } from './gate-source.js';

/**
 * Posts the plan in the incident channel (or the thread it was planned from) and the change-control notice, each
 * exactly once however often this step runs.
 */
export async function announce(deps: WorkflowDeps, ulid: string): Promise<void> {
  const loaded = await deps.store.load(ulid);
  if (!loaded) return;
  const unannounced = !loaded.refs['planTs'];
  // A plan cancelled before its notice was posted (refused before it was shown, or while it waited for CI) needs no
  // announcement, only a refusal its requester was not told yet.
  const held = loaded.steps[sourceHoldStep(loaded)]?.result !== undefined;
  if (isTerminal(loaded.state) && (unannounced || held) && !refusalUntold(loaded)) return;
  await waitForSlack(deps);
  // Before the plan is shown: a plan its deploy target refuses is cancelled, never put up for approval.
  if ((unannounced || refusalUntold(loaded)) && !(await checkTarget(deps, loaded, 'announce'))) return;
  // The check may have recorded what the plan shows (the method's preview): go on from the record as it is now.
  const checked = unannounced ? ((await deps.store.load(ulid)) ?? loaded) : loaded;
  const gate = await gateAtPlan(deps, checked);
  if (!gate) return;
  const first = gate.hotfix;
  // GitHub asked to wait before anything was found: nothing to show yet. Waiting for CI shows the plan.
  if (gate.outcome === 'wait' && !waitingForCi(first)) return;
  const current = first;
  const threadTs = current.incident.threadTs;
  let posted = 0;
  const withPlan = await postOnce(deps, current, {
    step: 'post_plan',
    find: { channel: current.incident.channel, kind: 'plan', ...(threadTs ? { threadTs } : {}) },
    post: () => {
      posted++;
      return deps.chat.postPlan(current);
    },
    refs: (ref) => ({ planChannel: ref.channel, planTs: ref.ts }),
  });
  if (gate.outcome === 'wait') return;
  // A plan shown while it waited for CI is redrawn with what the passed check found.
  if (held && posted === 0)
    await deps.jobs.enqueue({ ulid, step: 'refresh_messages', attempt: `source-v${first.planVersion}` });
  const planTs = withPlan.refs['planTs'];
  const planLink = planTs
    ? await deps.chat.permalink({ channel: withPlan.incident.channel, ts: planTs })
    : undefined;
  await postOnce(deps, withPlan, {
    step: 'post_notice',
    find: { channel: withPlan.snapshot.changeControl.id, kind: 'notice' },
    post: () => {
      posted++;
      return deps.chat.postNotice(withPlan, planLink);
    },
    refs: (ref) => ({ noticeChannel: ref.channel, noticeTs: ref.ts }),
  });
  // The requester was told the plan waits for CI: tell them it no longer does.
  if (held && posted > 0)
    await deps.chat.tellUser(
      first.incident.channel,
      first.requester,
      `CI is green now: ${first.id} went to change control for approval.`,
    );
  // Both drawn now from the same plan: the reconciler need not redraw them. A message an earlier attempt posted may
  // show an older plan, so it is left for the reconciler to bring up to date.
  const fingerprint = deps.chat.messagesFingerprint(current);
  if (posted === 2 && fingerprint === deps.chat.messagesFingerprint(withPlan))
    await deps.pacing.rememberRender(drawnKey(ulid, 'messages'), fingerprint, deps.clock.now().getTime());
}

/**
 * The plan-time source gate (tag and CI, seed 001), before the notice is posted: undefined when the plan was refused
 * (cancelled and its requester told), else go or wait. A wait is looked at again by a delayed announce; the first
 * wait for CI shows the plan with "waiting for CI" and tells the requester.
 */
async function gateAtPlan(
  deps: WorkflowDeps,
  hotfix: Hotfix,
): Promise<Exclude<SourceGateStep, { outcome: 'refused' }> | undefined> {
  if (hotfix.state !== 'planned') return { outcome: 'go', hotfix };
  const gate = await gateSource(deps, hotfix, 'plan');
  if (gate.outcome === 'refused') {
    await refusePlan(deps, gate.hotfix, gate.problem);
    return undefined;
  }
  if (gate.outcome === 'wait') {
    // Named by time slot, as lookAgain names its looks: runs that schedule the same look (a reconciler's run beside
    // the delayed one) merge into one job instead of growing into several chains of looks.
    const slot = Math.ceil((deps.clock.now().getTime() + gate.delayMs) / Math.max(1, gate.delayMs));
    await deps.jobs.enqueue(
      { ulid: hotfix.ulid, step: 'announce', attempt: `source-v${hotfix.planVersion}-${slot}` },
      { delayMs: gate.delayMs },
    );
    if (gate.firstHold)
      await deps.chat.tellUser(
        hotfix.incident.channel,
        hotfix.requester,
        `${hotfix.id} waits for CI before it goes to change control for approval; I look again every little while and tell you here if it is refused.`,
      );
  }
  return gate;
}
