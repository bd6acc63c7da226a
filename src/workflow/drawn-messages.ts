import { randomUUID } from 'node:crypto';
import type { Hotfix, HotfixState } from '../domain/hotfix.js';
import { isTerminal } from '../domain/hotfix.js';
import type { ChatError } from '../ports/chat.js';
import { RetryLater } from '../ports/jobs.js';
import type { WorkflowDeps } from './deps.js';
import { isUndeliverable, postOnce } from './post-once.js';

/** The messages the record is drawn into: the live status message, and the plan message with the notice. */
export type DrawnMessage = 'status' | 'messages';

/** Marks a drawing Slack refused for good: the reconciler leaves it until the record changes again. */
const UNDELIVERABLE = 'undeliverable:';

/** Where what was last drawn is remembered (the status key is the hotfix's own, shared with render pacing). */
export function drawnKey(ulid: string, message: DrawnMessage): string {
  return message === 'status' ? ulid : `${ulid}.messages`;
}

/**
 * States a hotfix usually passes through within moments, when nothing blocks it. Their drawing waits until they have
 * lasted one pacing interval, so the burst after an approval (approved, queued, preparing, deploying) is one update
 * showing where the hotfix got to; a state that lasts (queued behind another hotfix) is still drawn.
 */
const PASSING: ReadonlySet<HotfixState> = new Set<HotfixState>(['approved', 'queued', 'preparing']);

/** States whose moment reply pings people now: the messages they open must already say so, so no pacing delay. */
export const NEEDS_A_PERSON: ReadonlySet<HotfixState> = new Set<HotfixState>([
  'awaiting_input',
  'failed',
  'rollback_failed',
]);

/** How long a drawing of the hotfix's current state should wait for it to pass or settle; 0 to draw now. */
export function settleWait(hotfix: Hotfix, now: number, paceMs: number): number {
  if (!PASSING.has(hotfix.state)) return 0;
  return Math.max(0, Date.parse(hotfix.stateSince.at) + paceMs - now);
}

/** Whether the message last drawn (or found undeliverable) shows `fingerprint`. */
export async function drawnAs(
  deps: Pick<WorkflowDeps, 'pacing'>,
  ulid: string,
  message: DrawnMessage,
  fingerprint: string,
): Promise<boolean> {
  const last = (await deps.pacing.lastRender(drawnKey(ulid, message)))?.fingerprint;
  return last === fingerprint || last === `${UNDELIVERABLE}${fingerprint}`;
}

/**
 * Draws a message and remembers what it shows, so the reconciler can bring back a message whose drawing job died.
 * A refusal that retrying cannot fix (the bot was removed from the channel, the channel was archived) becomes one
 * message in the thread for the owner and the admins instead of an endless retry. Once a finished hotfix's
 * message is drawn, its finalize step is asked to look again (it waits for its final messages).
 */
export async function drawTracked(
  deps: WorkflowDeps,
  hotfix: Hotfix,
  message: DrawnMessage,
  fingerprint: string,
  draw: () => Promise<void>,
): Promise<void> {
  const now = deps.clock.now().getTime();
  // One drawer at a time per message: two jobs of one burst (a final state and its finalize) would otherwise both
  // see the old drawing and make the same update twice.
  const lease = `${hotfix.ulid}.draw.${message}`;
  const holder = randomUUID();
  if (!(await deps.leases.take(lease, holder, deps.timing.claimMs))) {
    // This job runs again once the other drawer is through (it may be drawing an older record), and only then goes
    // on: a reply that pings people never comes before the message they will open.
    const delayMs = Math.max(50, Math.min(1000, deps.timing.statusEveryMs));
    throw new RetryLater(delayMs, `another runner is drawing the ${message} of ${hotfix.id}`);
  }
  try {
    if (await drawnAs(deps, hotfix.ulid, message, fingerprint)) return;
    await draw();
    await deps.pacing.rememberRender(drawnKey(hotfix.ulid, message), fingerprint, now);
  } catch (error) {
    if (!isUndeliverable(error)) throw error;
    deps.log.error({ hotfix: hotfix.id, message, err: error }, 'Slack refuses this message for good');
    await tellUndeliverable(deps, hotfix, message, error);
    await deps.pacing.rememberRender(drawnKey(hotfix.ulid, message), `${UNDELIVERABLE}${fingerprint}`, now);
  } finally {
    await deps.leases.release(lease, holder);
  }
  if (isTerminal(hotfix.state) && (hotfix.finalizedSeq ?? 0) < hotfix.stateSince.seq) {
    const attempt = `drawn-${message}-${hotfix.stateSince.seq}`;
    await deps.jobs.enqueue({ ulid: hotfix.ulid, step: 'advance', attempt });
  }
}

async function tellUndeliverable(
  deps: WorkflowDeps,
  hotfix: Hotfix,
  message: DrawnMessage,
  error: ChatError,
): Promise<void> {
  const { admins } = hotfix.snapshot.policy;
  const who = [
    `<@${hotfix.owner}>`,
    ...admins.users.map((u) => `<@${u}>`),
    ...admins.groups.map((g) => `<!subteam^${g}>`),
  ];
  const what = message === 'status' ? 'live status message' : 'plan message and change-control notice';
  const text =
    `:warning: ${who.join(' ')}: I can no longer update the ${what} of ${hotfix.id} (${error.message}), so ` +
    `they may show an old state; it is now ${hotfix.state.replace(/_/g, ' ')}. Invite me back to the channel ` +
    '(`/invite @hotfix-bot`) or unarchive it, and I will bring them up to date at the next change.';
  const step = `undeliverable_${message}`;
  const threadTs = hotfix.incident.threadTs ?? hotfix.refs['planTs'];
  try {
    await postOnce(deps, hotfix, {
      step,
      find: { channel: hotfix.incident.channel, kind: 'reply', key: step, ...(threadTs ? { threadTs } : {}) },
      post: () => deps.chat.replyInThread(hotfix, text, step),
      whenUndeliverable: 'record',
    });
  } catch (failure) {
    // The incident channel refuses too: there is nowhere left to say it in Slack; the logs have it.
    if (!isUndeliverable(failure)) throw failure;
    deps.log.error(
      { hotfix: hotfix.id, err: failure },
      'cannot tell anyone in Slack that messages are stale',
    );
  }
}
