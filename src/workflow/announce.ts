import { isTerminal } from '../domain/hotfix.js';
import type { WorkflowDeps } from './deps.js';
import { waitForSlack } from './slack-gate.js';
import { postOnce } from './post-once.js';
import { drawnKey } from './drawn-messages.js';
import { checkTarget, refusalUntold } from './check-target.js';

/**
 * Posts the plan in the incident channel (or the thread it was planned from) and the change-control notice, each
 * exactly once however often this step runs.
 */
export async function announce(deps: WorkflowDeps, ulid: string): Promise<void> {
  const first = await deps.store.load(ulid);
  if (!first) return;
  const unannounced = !first.refs['planTs'];
  // A plan cancelled before it was ever shown needs no announcement, only a refusal its requester was not told yet.
  if (isTerminal(first.state) && unannounced && !refusalUntold(first)) return;
  await waitForSlack(deps);
  // Before the plan is shown: a plan its deploy target refuses is cancelled, never put up for approval.
  if (unannounced && !(await checkTarget(deps, first))) return;
  // The check may have recorded what the plan shows (the method's preview): draw from the record as it is now.
  const current = unannounced ? ((await deps.store.load(ulid)) ?? first) : first;
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
  // Both drawn now from the same plan: the reconciler need not redraw them. A message an earlier attempt posted may
  // show an older plan, so it is left for the reconciler to bring up to date.
  const fingerprint = deps.chat.messagesFingerprint(current);
  if (posted === 2 && fingerprint === deps.chat.messagesFingerprint(withPlan))
    await deps.pacing.rememberRender(drawnKey(ulid, 'messages'), fingerprint, deps.clock.now().getTime());
}
