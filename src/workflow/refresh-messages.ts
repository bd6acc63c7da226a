import type { HotfixEventType } from '../domain/events.js';
import type { Hotfix } from '../domain/hotfix.js';
import { holdsLock } from '../domain/hotfix.js';
import type { WorkflowDeps } from './deps.js';
import { waitForSlack } from './slack-gate.js';
import { postOnce } from './post-once.js';
import { drawTracked, messagesFingerprint } from './drawn-messages.js';

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
  await waitForSlack(deps);
  await drawTracked(deps, hotfix, 'messages', messagesFingerprint(hotfix), () => redraw(deps, hotfix));
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
  let hotfix = first;
  // Replies go out in event order: a reply another live runner is posting is left to it, with the ones after it.
  // That runner reads the events again once it is through, so an event added meanwhile is still told.
  for (let seen = 0; ;) {
    const events = await deps.store.events(first.ulid);
    if (events.length === seen) return;
    for (const [index, event] of events.entries()) {
      if (index < seen || !TOLD_IN_THREAD.has(event.type)) continue;
      const key = `tell_${index + 1}`;
      const threadTs = hotfix.incident.threadTs ?? hotfix.refs['planTs'];
      const current = hotfix;
      hotfix = await postOnce(deps, current, {
        step: key,
        find: { channel: current.incident.channel, kind: 'reply', key, ...(threadTs ? { threadTs } : {}) },
        whenBusy: 'skip',
        whenUndeliverable: 'record',
        post: async () => {
          // At approval the environment's holder is re-checked and shown: the hotfix will queue behind it.
          const lockHolder = event.type === 'approved' ? await lockHolderOf(deps, current) : undefined;
          return deps.chat.postEventReply(current, event, key, lockHolder ? { lockHolder } : {});
        },
      });
      if (!hotfix.steps[key]?.result) return;
    }
    seen = events.length;
  }
}

/** The other hotfix holding this one's (client, env) lock, if any. */
export async function lockHolderOf(
  deps: Pick<WorkflowDeps, 'store'>,
  hotfix: Hotfix,
): Promise<{ id: string; state: string; since: string } | undefined> {
  const others = await deps.store.listByTarget(hotfix.client, hotfix.env);
  const holder = others.find((h) => h.ulid !== hotfix.ulid && holdsLock(h.state));
  return holder ? { id: holder.id, state: holder.state, since: holder.stateSince.at } : undefined;
}
