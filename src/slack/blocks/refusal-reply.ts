/**
 * What the person whose click was refused sees (ephemeral): the domain's sentence and, where the sentence alone
 * leaves them stuck, the next step. The notification text carries all of it, for callers that post text only.
 */
import type { Hotfix } from '../../domain/hotfix.js';
import { Reason, type ReasonCode, type Refusal } from '../../domain/reasons.js';
import { message, section, type SlackMessage } from './block-kit.js';
import { approvalsSummary, replanCommand, stateBadge } from './hotfix-summary.js';
import { inlineCode, mention, ours, typed } from './mrkdwn.js';

type NextStep = (hotfix: Hotfix | undefined) => string | undefined;

// Only where the refusal's own sentence does not already say what to do.
const NEXT_STEP: Partial<Record<ReasonCode, NextStep>> = {
  [Reason.PlanExpired]: (h) =>
    h
      ? `To plan it again (by ${mention(h.requester)} or anyone who may plan): ${inlineCode(typed(replanCommand(h)))}`
      : undefined,
  [Reason.WrongState]: (h) =>
    h
      ? `${h.id} is ${stateBadge(h.state)} now; ${inlineCode(`/hotfix status ${h.id}`)} shows where it stands.`
      : undefined,
  [Reason.AlreadyApproved]: (h) =>
    h ? `Nothing more to do: approvals stand at ${approvalsSummary(h)}.` : undefined,
  [Reason.NotFound]: () => `${inlineCode('/hotfix list')} shows the active hotfixes.`,
  [Reason.StaleFence]: (h) =>
    h
      ? `Someone acted on ${h.id} at the same time; ${inlineCode(`/hotfix status ${h.id}`)} shows where it stands.`
      : undefined,
};

/** An ephemeral reply to a refused click: the sentence, then the next step when it helps. */
export function refusalReply(refusal: Refusal, hotfix?: Hotfix): SlackMessage {
  const sentence = ours(refusal.message.trim() || 'That was not done.');
  const next = NEXT_STEP[refusal.code]?.(hotfix);
  const text = next ? `${sentence}\n${next}` : sentence;
  return message(`Not done: ${text}`, [section(`:warning: ${text}`)]);
}
