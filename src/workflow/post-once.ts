import type { Hotfix } from '../domain/hotfix.js';
import { ChatError } from '../ports/chat.js';
import type { MessageRef, PostedQuery } from '../ports/chat.js';
import { RetryLater } from '../ports/jobs.js';
import type { WorkflowDeps } from './deps.js';
import { claimStep } from './claim-step.js';
import { BOT } from './system-actor.js';
import { transact } from './transact.js';

/** One Slack post that must happen exactly once for a hotfix. */
export interface OncePost {
  /** The step name in the record (`post_plan`, `tell_12`, `remind_3`). */
  step: string;
  /** How to find the message if an earlier attempt posted it (its metadata names the hotfix, kind and key). */
  find: Omit<PostedQuery, 'ulid' | 'since'>;
  post: () => Promise<MessageRef>;
  /** References to keep on the record once posted. */
  refs?: (ref: MessageRef) => Record<string, string>;
  /**
   * What to do when another live runner is posting it: look again later as a job ('retry'), or go on without it
   * ('skip'), for a post nothing else in the step waits for, since that runner records it (and if it dies, the
   * reconciler enqueues the step again). @defaultValue 'retry'
   */
  whenBusy?: 'retry' | 'skip';
  /**
   * What to do when Slack refuses the post for good (see isUndeliverable): fail the step ('throw'), or record the
   * post as given up ('record') so no runner retries it forever. @defaultValue 'throw'
   */
  whenUndeliverable?: 'throw' | 'record';
}

/** A Slack refusal no retry can fix (the bot left the channel, it was archived, the message was deleted). */
export function isUndeliverable(error: unknown): error is ChatError {
  return (
    error instanceof ChatError &&
    (error.failure === 'not_in_channel' ||
      error.failure === 'channel_not_found' ||
      error.failure === 'message_not_found')
  );
}

/**
 * Posts once however often and however concurrently it runs (DESIGN.md section 7). The record says whether the post
 * happened; a claim (the intent, plus a lease this runner renews while it posts) is taken before posting. A runner
 * that finds a live claim backs off and looks again later, however slow the post is; one that takes over a dead
 * runner's claim first looks in Slack (by the metadata every post carries) for the message that runner may have
 * posted.
 */
export async function postOnce(deps: WorkflowDeps, hotfix: Hotfix, once: OncePost): Promise<Hotfix> {
  if (hotfix.steps[once.step]?.result) return hotfix;
  // Within Slack's allowance for the channel, so a burst of posts is spread out rather than refused with a 429.
  const wait = await deps.pacing.takePost(
    once.find.channel,
    deps.timing.postEveryMs,
    `${hotfix.ulid}:${once.step}`,
  );
  if (wait > 0)
    throw new RetryLater(
      wait,
      `${hotfix.id}: ${once.step} waits ${wait} ms for the channel's posting allowance`,
    );
  const claim = await claimStep(deps, hotfix, once.step);
  if (claim.kind === 'done') return claim.hotfix;
  if (claim.kind === 'busy') {
    if (once.whenBusy === 'skip') return claim.hotfix;
    throw new RetryLater(
      Math.max(100, Math.floor(deps.timing.claimMs / 3)),
      `${hotfix.id}: ${once.step} is being posted by a runner that is still at it; looking again later`,
    );
  }
  let ref: MessageRef;
  try {
    const since = new Date(Date.parse(claim.hotfix.times.plannedAt) - 60_000);
    const found = claim.orphaned
      ? await deps.chat.findPosted({ ...once.find, ulid: claim.hotfix.ulid, since })
      : undefined;
    ref = found ?? (await once.post());
  } catch (error) {
    const refused = error instanceof ChatError && error.failure !== 'unknown_outcome';
    // Slack answered with a refusal: this runner posted nothing, so the next may post at once, unless a dead runner
    // before it may have posted (then the next runner must still look). Otherwise (a timeout) this post may have
    // landed: the lease runs out and the next runner looks for it first.
    if (once.whenUndeliverable === 'record' && isUndeliverable(error)) {
      deps.log.error({ hotfix: hotfix.id, step: once.step, err: error }, 'Slack refuses this post for good');
      try {
        return await giveUp(deps, claim.hotfix, once.step, error);
      } finally {
        await claim.done();
      }
    }
    if (refused && !claim.orphaned) await claim.releaseUnused();
    else if (refused) await claim.done();
    else claim.abandon();
    throw error;
  }
  try {
    return await record(deps, claim.hotfix, once, ref);
  } finally {
    await claim.done();
  }
}

async function record(deps: WorkflowDeps, hotfix: Hotfix, once: OncePost, ref: MessageRef): Promise<Hotfix> {
  const result = {
    type: 'record_result' as const,
    step: once.step,
    detail: `${ref.channel}/${ref.ts}`,
    ...(once.refs ? { refs: once.refs(ref) } : {}),
  };
  const saved = await transact(deps, { ulid: hotfix.ulid }, result, BOT);
  if (!saved.ok) throw new Error(saved.refusal.message);
  return saved.hotfix;
}

async function giveUp(deps: WorkflowDeps, hotfix: Hotfix, step: string, error: ChatError): Promise<Hotfix> {
  const result = { type: 'record_result' as const, step, detail: `undeliverable: ${error.failure}` };
  const saved = await transact(deps, { ulid: hotfix.ulid }, result, BOT);
  if (!saved.ok) throw new Error(saved.refusal.message);
  return saved.hotfix;
}
