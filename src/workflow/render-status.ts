import type { Hotfix } from '../domain/hotfix.js';
import { isTerminal, lockKey } from '../domain/hotfix.js';
import { ChatError } from '../ports/chat.js';
import type { StatusContext } from '../ports/chat.js';
import type { WorkflowDeps } from './deps.js';
import { NEEDS_A_PERSON, drawTracked, settleWait } from './drawn-messages.js';
import { postOnce } from './post-once.js';
import { supersededByLink } from './patch-forward.js';

/**
 * Draws the one live status message of a hotfix from its record (DESIGN.md section 7): skipped when nothing visible
 * changed, at most one update every `statusEveryMs` (the final one, and one that needs a person, at once; a state that
 * usually passes at once only once it has lasted that long), and never while Slack has asked every
 * writer to wait. Waiting is a delayed job, never a sleep. The message is created once, even across crashes.
 */
export async function renderStatus(deps: WorkflowDeps, ulid: string): Promise<void> {
  const hotfix = await deps.store.load(ulid);
  // The status message starts when the hotfix queues for its environment; a plan decided before that has none.
  if (!hotfix || !hotfix.times.queuedAt) return;
  const pausedFor = await deps.pacing.slackPausedFor();
  if (pausedFor > 0) return later(deps, hotfix, pausedFor);
  const context = await contextOf(deps, hotfix);
  const fingerprint = deps.chat.statusFingerprint(hotfix, context);
  const last = await deps.pacing.lastRender(ulid);
  if (last?.fingerprint === fingerprint && hotfix.refs['statusTs']) return;
  const now = deps.clock.now().getTime();
  const paced = last ? last.at + deps.timing.statusEveryMs - now : 0;
  const wait = Math.max(paced, settleWait(hotfix, now, deps.timing.statusEveryMs));
  if (wait > 0 && !isTerminal(hotfix.state) && !NEEDS_A_PERSON.has(hotfix.state))
    return later(deps, hotfix, wait);
  try {
    await drawTracked(deps, hotfix, 'status', fingerprint, () => draw(deps, hotfix, context));
  } catch (error) {
    if (!(error instanceof ChatError) || error.failure !== 'rate_limited') throw error;
    const ms = (error.retryAfterSeconds ?? 1) * 1000;
    await deps.pacing.pauseSlack(ms);
    await later(deps, hotfix, ms);
  }
}

async function draw(deps: WorkflowDeps, hotfix: Hotfix, shown: StatusContext): Promise<void> {
  // The link is drawn, not fingerprinted: it never changes once the hotfix is superseded.
  const link = await supersededByLink(deps, hotfix);
  const context = link ? { ...shown, supersededByLink: link } : shown;
  const ts = hotfix.refs['statusTs'];
  const channel = hotfix.refs['statusChannel'];
  if (ts && channel) return deps.chat.updateStatus(hotfix, { channel, ts }, context);
  const threadTs = hotfix.incident.threadTs ?? hotfix.refs['planTs'];
  let postedNow = false;
  const saved = await postOnce(deps, hotfix, {
    step: 'post_status',
    find: { channel: hotfix.incident.channel, kind: 'status', ...(threadTs ? { threadTs } : {}) },
    post: async () => {
      postedNow = true;
      return deps.chat.postStatus(hotfix, context);
    },
    refs: (ref) => ({ statusChannel: ref.channel, statusTs: ref.ts }),
  });
  // A message an earlier (crashed) attempt posted shows what was true then: bring it up to date.
  const found = saved.refs['statusTs'];
  if (!postedNow && found)
    await deps.chat.updateStatus(
      hotfix,
      { channel: saved.refs['statusChannel'] ?? hotfix.incident.channel, ts: found },
      context,
    );
}

/** One delayed render per time slot: a burst of changes becomes one update. */
async function later(deps: WorkflowDeps, hotfix: Hotfix, delayMs: number): Promise<void> {
  const slot = Math.ceil((deps.clock.now().getTime() + delayMs) / Math.max(1, deps.timing.statusEveryMs));
  await deps.jobs.enqueue({ ulid: hotfix.ulid, step: 'render_status', attempt: `slot-${slot}` }, { delayMs });
}

async function contextOf(deps: WorkflowDeps, hotfix: Hotfix): Promise<StatusContext> {
  const paused = await deps.controls.paused();
  const context: StatusContext = paused ? { paused } : {};
  if (hotfix.state !== 'queued' && hotfix.state !== 'rollback_queued') return context;
  const key = lockKey(hotfix);
  const [holder, waiting] = await Promise.all([deps.locks.holder(key), deps.locks.waiting(key)]);
  const position = waiting.indexOf(hotfix.ulid);
  if (position >= 0) context.position = position + 1;
  // A patch forward queues holding the lock it took over: it waits behind nobody.
  const ahead = holder && holder.ulid !== hotfix.ulid ? await deps.store.load(holder.ulid) : undefined;
  if (ahead) context.queuedBehind = { id: ahead.id, state: ahead.state, since: ahead.stateSince.at };
  return context;
}

/** What the status message of `hotfix` would show now, as a fingerprint (the reconciler compares it to the drawn one). */
export async function statusFingerprint(deps: WorkflowDeps, hotfix: Hotfix): Promise<string> {
  return deps.chat.statusFingerprint(hotfix, await contextOf(deps, hotfix));
}
