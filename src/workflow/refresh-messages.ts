import type { HotfixEventType } from '../domain/events.js';
import type { Hotfix } from '../domain/hotfix.js';
import type { WorkflowDeps } from './deps.js';
import { postOnce } from './post-once.js';

/** Events the incident thread is told about, each in one reply: decisions people wait for. */
export const TOLD_IN_THREAD: ReadonlySet<HotfixEventType> = new Set<HotfixEventType>([
  'approval_given',
  'approved',
  'rejected',
  'expired',
  'cancelled',
  'plan_revised',
  'break_glass_acknowledged',
  'handed_off',
]);

/**
 * Redraws the plan message and the change-control notice from the record, then tells the incident thread about
 * each decision it has not been told yet (one reply per event, found again by its key if a run is repeated).
 */
export async function refreshMessages(deps: WorkflowDeps, ulid: string): Promise<void> {
  const hotfix = await deps.store.load(ulid);
  if (!hotfix) return;
  await redraw(deps, hotfix);
  await tellThread(deps, hotfix);
}

async function redraw(deps: WorkflowDeps, hotfix: Hotfix): Promise<void> {
  const { planTs, planChannel, noticeTs, noticeChannel } = hotfix.refs;
  const plan = planTs && planChannel ? { channel: planChannel, ts: planTs } : undefined;
  if (plan) await deps.chat.updatePlan(hotfix, plan);
  if (noticeTs && noticeChannel) {
    const planLink = plan ? await deps.chat.permalink(plan) : undefined;
    await deps.chat.updateNotice(hotfix, { channel: noticeChannel, ts: noticeTs }, planLink);
  }
}

async function tellThread(deps: WorkflowDeps, first: Hotfix): Promise<void> {
  if (!first.refs['planTs']) return; // nothing to reply to until the plan is posted
  const events = await deps.store.events(first.ulid);
  let hotfix = first;
  for (const [index, event] of events.entries()) {
    if (!TOLD_IN_THREAD.has(event.type)) continue;
    const key = `tell_${index + 1}`;
    const threadTs = hotfix.incident.threadTs ?? hotfix.refs['planTs'];
    const current = hotfix;
    hotfix = await postOnce(deps, current, {
      step: key,
      find: { channel: current.incident.channel, kind: 'reply', key, ...(threadTs ? { threadTs } : {}) },
      post: () => deps.chat.postEventReply(current, event, key),
    });
  }
}
