import type { Hotfix } from '../domain/hotfix.js';
import { ChatError } from '../ports/chat.js';
import type { MessageRef, PostedQuery } from '../ports/chat.js';
import type { WorkflowDeps } from './deps.js';
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
}

/** A claim whose post Slack refused: nothing was posted, so the next runner may take over at once. */
const RELEASED = 'released:';

/**
 * Posts once however often it runs (DESIGN.md section 7). The record says whether the post happened; a claim (the
 * intent) is written before posting. A runner that finds someone else's claim without a result looks in Slack (by
 * the metadata every post carries); if the post is not there it waits until the claim is stale (older than a job
 * lock, so its runner is dead) or released, then takes the claim over by compare-and-set, so one runner posts.
 */
export async function postOnce(deps: WorkflowDeps, hotfix: Hotfix, once: OncePost): Promise<Hotfix> {
  if (hotfix.steps[once.step]?.result) return hotfix;
  const mine = `${hotfix.ulid}.${once.step}.${deps.clock.now().getTime()}`;
  const claim = await transact(
    deps,
    { ulid: hotfix.ulid },
    { type: 'record_intent', step: once.step, key: mine },
    BOT,
  );
  if (!claim.ok) throw new Error(claim.refusal.message);
  let current = claim.hotfix;
  if (current.steps[once.step]?.result) return current;
  if (claim.events.length === 0) {
    const since = new Date(Date.parse(current.times.plannedAt) - 60_000);
    const found = await deps.chat.findPosted({ ...once.find, ulid: current.ulid, since });
    if (found) return record(deps, current, once, found);
    current = await takeOver(deps, current, once.step, mine);
  }
  let ref: MessageRef;
  try {
    ref = await once.post();
  } catch (error) {
    // Slack answered with a refusal, so nothing was posted: release the claim for the next runner.
    if (error instanceof ChatError) await release(deps, current, once.step, mine);
    throw error;
  }
  return record(deps, current, once, ref);
}

async function takeOver(deps: WorkflowDeps, hotfix: Hotfix, step: string, mine: string): Promise<Hotfix> {
  const intent = hotfix.steps[step]?.intent;
  const age = deps.clock.now().getTime() - Date.parse(intent?.at ?? '');
  if (intent && !intent.key.startsWith(RELEASED) && age < deps.timing.claimMs) {
    // Not posted yet, or being posted right now by a runner that is alive: look again later.
    throw new Error(
      `${hotfix.id}: ${step} was claimed ${age} ms ago by another attempt; looking again later`,
    );
  }
  const command = {
    type: 'record_intent' as const,
    step,
    key: mine,
    ...(intent ? { replaces: intent.key } : {}),
  };
  const taken = await transact(deps, { ulid: hotfix.ulid }, command, BOT);
  if (!taken.ok || taken.events.length === 0)
    throw new Error(`${hotfix.id}: another attempt took over ${step} first`);
  return taken.hotfix;
}

async function release(deps: WorkflowDeps, hotfix: Hotfix, step: string, mine: string): Promise<void> {
  const command = { type: 'record_intent' as const, step, key: `${RELEASED}${mine}`, replaces: mine };
  await transact(deps, { ulid: hotfix.ulid }, command, BOT).catch(() => undefined);
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
