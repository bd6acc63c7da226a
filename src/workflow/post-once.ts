import type { Hotfix } from '../domain/hotfix.js';
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

/**
 * Posts once however often it runs (DESIGN.md section 7): the record says whether the post happened; the intent
 * is written before posting; a runner that finds an earlier runner's intent without a result looks in Slack (by the
 * metadata every post carries) before posting again.
 */
export async function postOnce(deps: WorkflowDeps, hotfix: Hotfix, once: OncePost): Promise<Hotfix> {
  if (hotfix.steps[once.step]?.result) return hotfix;
  const intent = { type: 'record_intent' as const, step: once.step, key: `${hotfix.ulid}.${once.step}` };
  const claim = await transact(deps, { ulid: hotfix.ulid }, intent, BOT);
  if (!claim.ok) throw new Error(claim.refusal.message);
  const current = claim.hotfix;
  if (current.steps[once.step]?.result) return current;
  // No new event: an earlier attempt wrote the intent and may have posted before it died, so look first.
  const earlierAttempt = claim.events.length === 0;
  const since = new Date(Date.parse(current.times.plannedAt) - 60_000);
  const found = earlierAttempt
    ? await deps.chat.findPosted({ ...once.find, ulid: current.ulid, since })
    : undefined;
  if (earlierAttempt && !found) {
    // Not posted yet, or being posted right now by a runner that is still alive: only once that runner would have
    // been declared dead (its claim is older than a job lock) is it safe to post here.
    const claimedFor = deps.clock.now().getTime() - Date.parse(current.steps[once.step]?.intent?.at ?? '');
    if (claimedFor < deps.timing.claimMs) {
      throw new Error(
        `${current.id}: ${once.step} was claimed ${claimedFor} ms ago by another attempt; looking again later`,
      );
    }
  }
  const ref = found ?? (await once.post());
  const result = {
    type: 'record_result' as const,
    step: once.step,
    detail: `${ref.channel}/${ref.ts}`,
    ...(once.refs ? { refs: once.refs(ref) } : {}),
  };
  const saved = await transact(deps, { ulid: current.ulid }, result, BOT);
  if (!saved.ok) throw new Error(saved.refusal.message);
  return saved.hotfix;
}
