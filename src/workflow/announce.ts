import type { Hotfix } from '../domain/hotfix.js';
import { SYSTEM, isTerminal } from '../domain/hotfix.js';
import type { MessageRef, PostedKind } from '../ports/chat.js';
import type { WorkflowDeps } from './deps.js';
import { transact } from './transact.js';

const BOT = { userId: SYSTEM, groups: [] };

/**
 * Posts the plan in the incident thread and the change-control notice, each exactly once however often this step
 * runs: the record says what was posted; an intent without a result means an earlier attempt may have posted, so
 * Slack is searched (by the ULID in the message metadata) before posting again.
 */
export async function announce(deps: WorkflowDeps, ulid: string): Promise<void> {
  let hotfix = await deps.store.load(ulid);
  // A plan cancelled before it was ever shown needs no announcement.
  if (!hotfix || (isTerminal(hotfix.state) && !hotfix.refs['planTs'])) return;
  const planned = hotfix;
  const where = {
    channel: planned.incident.channel,
    ...(planned.incident.threadTs ? { threadTs: planned.incident.threadTs } : {}),
  };
  hotfix = await once(deps, planned, 'post_plan', 'plan', where, () => deps.chat.postPlan(planned));
  const planLink = await deps.chat.permalink({
    channel: hotfix.incident.channel,
    ts: hotfix.refs['planTs'] ?? '',
  });
  const noticeChannel = hotfix.snapshot.changeControl.id;
  const current = hotfix;
  await once(deps, current, 'post_notice', 'notice', { channel: noticeChannel }, () =>
    deps.chat.postNotice(current, planLink),
  );
}

async function once(
  deps: WorkflowDeps,
  hotfix: Hotfix,
  step: string,
  kind: Extract<PostedKind, 'plan' | 'notice'>,
  where: { channel: string; threadTs?: string },
  post: () => Promise<MessageRef>,
): Promise<Hotfix> {
  if (hotfix.steps[step]?.result) return hotfix;
  const intent = { type: 'record_intent' as const, step, key: `${hotfix.ulid}.${step}` };
  const claim = await transact(deps, { ulid: hotfix.ulid }, intent, BOT);
  if (!claim.ok) throw new Error(claim.refusal.message);
  const current = claim.hotfix;
  if (current.steps[step]?.result) return current;
  // No new event means an earlier attempt wrote the intent; it may have posted before it died, so look first.
  const earlierAttempt = claim.events.length === 0;
  const since = new Date(Date.parse(current.times.plannedAt) - 60_000);
  const found = earlierAttempt
    ? await deps.chat.findPosted({ ...where, ulid: current.ulid, kind, since })
    : undefined;
  const ref = found ?? (await post());
  const refs = { [`${kind}Channel`]: ref.channel, [`${kind}Ts`]: ref.ts };
  return must(
    transact(
      deps,
      { ulid: current.ulid },
      { type: 'record_result', step, detail: `${ref.channel}/${ref.ts}`, refs },
      BOT,
    ),
  );
}

async function must(outcome: ReturnType<typeof transact>): Promise<Hotfix> {
  const result = await outcome;
  if (!result.ok) throw new Error(result.refusal.message);
  return result.hotfix;
}
