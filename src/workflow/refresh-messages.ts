import type { HotfixEvent, HotfixEventType } from '../domain/events.js';
import type { Hotfix } from '../domain/hotfix.js';
import { holdsEnvironment, isTerminal, threadOf } from '../domain/hotfix.js';
import type { Moment } from '../domain/moments.js';
import { momentsOf } from '../domain/moments.js';
import type { WorkflowDeps } from './deps.js';
import { waitForSlack } from './slack-gate.js';
import { postOnce } from './post-once.js';
import { NEEDS_A_PERSON, drawTracked, drawnAs, drawnKey, settleWait } from './drawn-messages.js';
import { checkTarget, refusalUntold, refusePlan } from './check-target.js';
import { gateSource } from './gate-source.js';
import { supersededByLink } from './patch-forward.js';

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
 * Runs after every state change (and every decision): redraws the plan message and the change-control notice from
 * the record, de-duplicated and paced like the live status (final states at once), then tells the incident thread
 * about each decision it has not been told yet and each moment that needs a person (one reply per event, found
 * again by its key if a run is repeated).
 */
export async function refreshMessages(deps: WorkflowDeps, ulid: string): Promise<void> {
  const hotfix = await deps.store.load(ulid);
  if (!hotfix) return;
  await waitForSlack(deps);
  // A revised plan is checked against its deploy target again before approvers are shown it; one the check cancels
  // is drawn by the refresh its cancel starts.
  const shown = hotfix.refs['planTs'] !== undefined || hotfix.refs['noticeTs'] !== undefined;
  if (shown && (hotfix.state === 'planned' || refusalUntold(hotfix))) {
    if (!(await checkTarget(deps, hotfix, 'refresh_messages')) && hotfix.state === 'planned') return;
  }
  // A revised plan's tags and CI are checked again too (the first version's are, before its notice is posted).
  const current = shown && hotfix.planVersion > 1 ? await gateRevision(deps, hotfix) : hotfix;
  if (!current) return;
  await redrawPaced(deps, current);
  await tellThread(deps, current);
}

/**
 * Skips a redraw that would show nothing new, and draws at most once every `statusEveryMs` (a burst of state changes
 * becomes one delayed redraw, and a state that usually passes at once waits to see whether it does: settleWait); an
 * ended hotfix, and one waiting for a person, is drawn at once.
 */
async function redrawPaced(deps: WorkflowDeps, hotfix: Hotfix): Promise<void> {
  const { planTs, noticeTs } = hotfix.refs;
  if (!planTs && !noticeTs) return; // not announced yet: announce draws the current record
  const fingerprint = deps.chat.messagesFingerprint(hotfix);
  if (await drawnAs(deps, hotfix.ulid, 'messages', fingerprint)) return;
  const last = await deps.pacing.lastRender(drawnKey(hotfix.ulid, 'messages'));
  const now = deps.clock.now().getTime();
  const paced = last ? last.at + deps.timing.statusEveryMs - now : 0;
  const wait = Math.max(paced, settleWait(hotfix, now, deps.timing.statusEveryMs));
  if (wait > 0 && !isTerminal(hotfix.state) && !NEEDS_A_PERSON.has(hotfix.state)) {
    const slot = Math.ceil((now + wait) / Math.max(1, deps.timing.statusEveryMs));
    await deps.jobs.enqueue(
      { ulid: hotfix.ulid, step: 'refresh_messages', attempt: `paced-${slot}` },
      { delayMs: wait },
    );
    return;
  }
  // Tracked: the reconciler brings back a drawing whose job died, and a channel refusing for good is told once.
  await drawTracked(deps, hotfix, 'messages', fingerprint, () => redraw(deps, hotfix));
}

async function redraw(deps: WorkflowDeps, hotfix: Hotfix): Promise<void> {
  const { planTs, planChannel, noticeTs, noticeChannel } = hotfix.refs;
  const plan = planTs && planChannel ? { channel: planChannel, ts: planTs } : undefined;
  const link = await supersededByLink(deps, hotfix);
  const links = link ? { supersededBy: link } : {};
  if (plan) await deps.chat.updatePlan(hotfix, plan, links);
  if (noticeTs && noticeChannel) {
    const planLink = plan ? await deps.chat.permalink(plan) : undefined;
    await deps.chat.updateNotice(hotfix, { channel: noticeChannel, ts: noticeTs }, planLink, links);
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
    // Read after the events, so the record a reply is drawn from is never older than the event it tells (a
    // failure's reply names the failure that the event recorded).
    if (hotfix.seq < events.length) hotfix = (await deps.store.load(first.ulid)) ?? hotfix;
    for (const [index, event] of events.entries()) {
      if (index < seen) continue;
      if (toldOnItsOwn(events, index)) {
        const key = `tell_${index + 1}`;
        hotfix = await tellDecision(deps, hotfix, event, key);
        if (!hotfix.steps[key]?.result) return;
      }
      // Judged on the record as it is now: a question already answered is not asked again.
      for (const moment of momentsOf(hotfix, event)) {
        const key = momentKey(moment, index);
        hotfix = await tellMoment(deps, hotfix, moment, key);
        const reachable = moment.place !== 'change_control' || hotfix.refs['noticeTs'] !== undefined;
        if (reachable && !hotfix.steps[key]?.result) return;
      }
    }
    seen = events.length;
  }
}

/**
 * Whether event `index` gets a reply of its own. The approval that completes a plan is told by the "approved" reply
 * recorded with it, which names the approvers: one reply for one click. A break-glass approval keeps its own reply.
 * An input answered in the CI server itself is told; one answered through the bot is not (the person clicked).
 */
function toldOnItsOwn(events: readonly HotfixEvent[], index: number): boolean {
  const event = events[index];
  if (event?.type === 'input_answered') return event.outside === true;
  if (!event || !TOLD_IN_THREAD.has(event.type)) return false;
  const completes = event.type === 'approval_given' && events[index + 1]?.type === 'approved';
  return !(completes && !event.approval.breakGlass);
}

async function tellDecision(deps: WorkflowDeps, current: Hotfix, event: HotfixEvent, key: string) {
  const threadTs = threadOf(current);
  return postOnce(deps, current, {
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
}

const MOMENT_PREFIX: Readonly<Record<Moment['place'], string>> = {
  thread: 'moment',
  change_control: 'cc_moment',
  prod_support: 'ps_moment',
};

/**
 * The step (and metadata key) of a moment's reply: `moment_<n>` in the thread, `cc_moment_<n>` in change control,
 * `ps_moment_<n>` in the client's prod-support channel.
 */
function momentKey(moment: Moment, eventIndex: number): string {
  return `${MOMENT_PREFIX[moment.place]}_${eventIndex + 1}`;
}

/** Where a moment's reply goes: the channel, and the thread it answers in (none: a message of its own). */
function momentWhere(hotfix: Hotfix, moment: Moment): { channel?: string; threadTs?: string } | undefined {
  switch (moment.place) {
    case 'thread':
      return { channel: hotfix.incident.channel, ...optionalTs(threadOf(hotfix)) };
    case 'change_control':
      // Change control has no notice to reply under until the notice is posted.
      return hotfix.refs['noticeTs']
        ? { ...optionalChannel(hotfix.refs['noticeChannel']), threadTs: hotfix.refs['noticeTs'] }
        : undefined;
    case 'prod_support':
      return { channel: hotfix.snapshot.client.prodSupportChannel.id };
  }
}

function optionalTs(threadTs: string | undefined) {
  return threadTs ? { threadTs } : {};
}

function optionalChannel(channel: string | undefined) {
  return channel ? { channel } : {};
}

/** A moment that needs people: a new reply that mentions them, once however often this step runs. */
async function tellMoment(deps: WorkflowDeps, current: Hotfix, moment: Moment, key: string) {
  const where = momentWhere(current, moment);
  const channel = where?.channel;
  if (!channel || (moment.place !== 'prod_support' && !where.threadTs)) return current;
  return postOnce(deps, current, {
    step: key,
    find: { channel, kind: 'reply', key, ...optionalTs(where.threadTs) },
    whenBusy: 'skip',
    whenUndeliverable: 'record',
    post: () => deps.chat.postMoment(current, moment, key),
  });
}

/**
 * Whether the hotfix still owes a thread reply (a decision or a moment that needs a person) for an event older than
 * `staleMs`, so the reconciler can run this step again when its job was lost to crashes.
 */
export function owesReply(
  hotfix: Hotfix,
  events: readonly HotfixEvent[],
  now: number,
  staleMs: number,
): boolean {
  return events.some((e, i) => {
    if (now - Date.parse(e.at) < staleMs) return false;
    if (toldOnItsOwn(events, i) && !hotfix.steps[`tell_${i + 1}`]?.result) return true;
    return momentsOf(hotfix, e).some((m) => {
      const key = momentKey(m, i);
      const reachable = m.place !== 'change_control' || hotfix.refs['noticeTs'] !== undefined;
      return reachable && !hotfix.steps[key]?.result;
    });
  });
}

/** The other hotfix holding this one's (client, env) lock, if any. */
export async function lockHolderOf(
  deps: Pick<WorkflowDeps, 'store'>,
  hotfix: Hotfix,
): Promise<{ id: string; state: string; since: string } | undefined> {
  const others = await deps.store.listByTarget(hotfix.client, hotfix.env);
  const holder = others.find((h) => h.ulid !== hotfix.ulid && holdsEnvironment(h));
  return holder ? { id: holder.id, state: holder.state, since: holder.stateSince.at } : undefined;
}

/**
 * The source gate of a revised plan still waiting for approval: undefined when it refused the revision (cancelled and
 * told; the cancel's own refresh draws it), else the record to draw. While CI runs the plan shows "waiting for CI"
 * and is looked at again later; an approval meanwhile is held by the check at approval.
 */
async function gateRevision(deps: WorkflowDeps, hotfix: Hotfix): Promise<Hotfix | undefined> {
  if (hotfix.state !== 'planned') return hotfix;
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
      { ulid: hotfix.ulid, step: 'refresh_messages', attempt: `source-v${hotfix.planVersion}-${slot}` },
      { delayMs: gate.delayMs },
    );
  }
  return gate.hotfix;
}
