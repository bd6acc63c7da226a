/**
 * Thread replies for the decisions people wait for: approvals, the outcome of a plan, a changed plan, a handoff.
 * Each says who did what and what happens next. The record passed in may be newer than the event (replies are
 * posted after the fact), so the wording comes from the event wherever the two could differ.
 */
import type { HotfixEvent } from '../../domain/events.js';
import type { Approval, Hotfix } from '../../domain/hotfix.js';
import { SYSTEM } from '../../domain/hotfix.js';
import { describeAudience } from '../../domain/policy.js';
import { message, section, type SlackMessage } from './block-kit.js';
import { isRehearsal, REASON_MAX, recordNames, replanCommand } from './hotfix-summary.js';
import {
  channelLink,
  duration,
  inlineCode,
  mention,
  mentions,
  plural,
  slackDate,
  truncate,
  typed,
  utcTime,
} from './mrkdwn.js';

/** Another hotfix holding the (client, env) lock, as the caller found it. */
export interface LockHolder {
  id: string;
  /** Its state, e.g. `deploying`. */
  state: string;
  /** ISO time it entered that state. */
  since: string;
}

/** Options of decisionReply. */
export interface DecisionReplyOptions {
  /** Whoever holds the environment when the plan is approved, if anyone. */
  lockHolder?: LockHolder;
}

// A reply names the first few services; the plan message lists them all.
const SERVICES_SHOWN = 5;

type EventOf<T extends HotfixEvent['type']> = Extract<HotfixEvent, { type: T }>;
/** A reply written once per time format: Slack dates in blocks, plain UTC in the notification text. */
type Wording = (when: (iso: string) => string) => string;

function reply(wording: Wording): SlackMessage {
  return message(wording(utcTime), [section(wording(slackDate))]);
}

/** The thread reply for a decision event; undefined for events the thread need not hear about. */
export function decisionReply(
  hotfix: Hotfix,
  event: HotfixEvent,
  options: DecisionReplyOptions = {},
): SlackMessage | undefined {
  switch (event.type) {
    case 'approval_given':
      return reply(approvalGiven(hotfix, event));
    case 'approved':
      return reply(approved(hotfix, event, options.lockHolder));
    case 'rejected':
      return reply(() => {
        const why = typed(truncate(event.reason, REASON_MAX));
        return `:no_entry: *${hotfix.id} was rejected* by ${mention(event.by)}: ${why}\nIf the fix is still needed, ${mention(hotfix.requester)} can re-plan with ${replan(hotfix)} once this is addressed.`;
      });
    case 'expired': {
      const lifetime = duration(hotfix.snapshot.policy.planExpiryMinutes * 60_000);
      return reply(
        (when) =>
          `:hourglass: *${hotfix.id} expired* ${when(event.at)}, after ${lifetime} with no decision. If it is still needed, plan it again: ${replan(hotfix)}.`,
      );
    }
    case 'cancelled':
      return reply(() => {
        const undone = event.undone ? ` (${typed(truncate(event.undone, REASON_MAX))})` : '';
        // A deploy is cancelled by the bot once aborted; whoever asked for the cancel is who cancelled it.
        const by = event.by === SYSTEM && hotfix.cancelRequest ? hotfix.cancelRequest.by : event.by;
        return `:no_entry_sign: *${hotfix.id} was cancelled* by ${mention(by)}: ${typed(truncate(event.reason, REASON_MAX))}${undone}.\nIf the fix is still needed, plan it again: ${replan(hotfix)}.`;
      });
    case 'plan_revised':
      return reply(planRevised(hotfix, event));
    case 'break_glass_acknowledged': {
      const glass = hotfix.breakGlass ? ` by ${mention(hotfix.breakGlass.by)}` : '';
      return reply(
        () =>
          `:white_check_mark: ${mention(event.by)} acknowledged the break-glass approval of ${hotfix.id}${glass}; both are on the record.`,
      );
    }
    case 'handed_off':
      return reply(
        () =>
          `:handshake: ${mention(event.from)} handed ${hotfix.id} over to ${mention(event.to)}, who now owns it.`,
      );
    case 'input_answered':
      // An answer given through the bot needs no reply (the person clicked); one given in Jenkins itself does.
      if (!event.outside) return undefined;
      return reply(() => {
        const answer = event.proceed ? 'Proceed' : 'Abort';
        const by = event.answeredBy
          ? ` by ${typed(truncate(event.answeredBy, 80))} (as Jenkins names them)`
          : '';
        const next = event.proceed
          ? 'the deploy goes on'
          : `the deploy ended there and ${hotfix.id} is cancelled; the next reply says what was and was not undone`;
        const who = event.answeredBy
          ? "An answer in Jenkins skips the bot's check of who may answer."
          : "An answer in Jenkins skips the bot's check of who may answer; the build's console says who gave it.";
        return `:information_source: ${mention(hotfix.owner)} the input step ${typed(event.inputId)} of ${hotfix.id} was answered in Jenkins itself with *${answer}*${by}, not through the bot, so its buttons here are gone and ${next}. ${who}`;
      });
    default:
      return undefined;
  }
}

/** "HF-2 holds acme prod (deploying since 10:42); HF-7 will queue behind it." Undefined when nothing else holds it. */
export function approvalContextLine(
  hotfix: Hotfix,
  holder?: LockHolder,
  when: (iso: string) => string = slackDate,
): string | undefined {
  if (!holder || holder.id === hotfix.id) return undefined;
  const state = typed(holder.state.replace(/_/g, ' '));
  return `:lock: ${typed(holder.id)} holds ${hotfix.client} ${hotfix.env} (${state} since ${when(holder.since)}); ${hotfix.id} will queue behind it.`;
}

function approvalGiven(hotfix: Hotfix, event: EventOf<'approval_given'>): Wording {
  const { approval } = event;
  if (approval.breakGlass) {
    const why = typed(truncate(approval.breakGlass.reason, REASON_MAX));
    const approvers = describeAudience(hotfix.snapshot.policy.approvers);
    const where = channelLink(hotfix.snapshot.changeControl.id);
    return (when) =>
      `:rotating_light: *BREAK-GLASS*: ${mention(event.by)} approved ${hotfix.id} (Sev ${hotfix.severity}) *alone* at ${when(event.at)}: ${why}\nIt is audited and announced in ${where}; ${approvers} must acknowledge it afterwards (button on the notice).`;
  }
  return () =>
    `:white_check_mark: ${mention(event.by)} approved plan v${approval.planVersion} of ${hotfix.id}${countAt(hotfix, approval)}.`;
}

/** " (1 of 2; 1 more approval needed)" as it stood right after this approval; '' once the plan has changed since. */
function countAt(hotfix: Hotfix, approval: Approval): string {
  if (approval.planVersion !== hotfix.planVersion) return '';
  const same = hotfix.approvals.filter((a) => a.planVersion === approval.planVersion);
  const index = same.findIndex((a) => a.by === approval.by && a.at === approval.at);
  if (index < 0) return '';
  const counted = new Set(same.slice(0, index + 1).map((a) => a.by)).size;
  const still = hotfix.approvalsRequired - counted;
  const more = still > 0 ? `; ${plural(still, 'more approval')} needed` : '';
  return ` (${counted} of ${hotfix.approvalsRequired}${more})`;
}

function approved(hotfix: Hotfix, event: EventOf<'approved'>, holder: LockHolder | undefined): Wording {
  const given = hotfix.approvals.filter((a) => a.planVersion === event.planVersion);
  const glass = given.find((a) => a.breakGlass);
  const by = glass
    ? `by :rotating_light: break-glass (${mention(glass.by)})`
    : `by ${mentions([...new Set(given.map((a) => a.by))])}`;
  const target = `${hotfix.client} ${hotfix.env}`;
  const records = recordNames(hotfix);
  // Sev 1 records go alongside the deploy (seed 001); the others come first and may hold the hotfix.
  const first =
    records.length === 0
      ? ''
      : hotfix.severity === 1
        ? `the bot creates the ${listed(records)} alongside the deploy (this thread says when each exists); `
        : `the bot creates the ${listed(records)} first; `;
  const dry = isRehearsal(hotfix) ? ' (a rehearsal: nothing is deployed)' : '';
  const patched = hotfix.supersedes?.id;
  return (when) => {
    const lock = patched
      ? `:fast_forward: ${typed(patched)} is superseded: ${hotfix.id} patches it forward and took over its lock on ${target}, so nothing else deploys in between.`
      : approvalContextLine(hotfix, holder, when);
    const turn = patched
      ? 'it deploys to ' + target + ' with the lock it took over'
      : hotfix.deployAt && Date.parse(hotfix.deployAt) > Date.parse(event.at)
        ? `it waits for its deploy window, which opens ${when(hotfix.deployAt)}, then queues for ${target} and deploys when the environment is free`
        : `it queues for ${target} and deploys when the environment is free`;
    const next = `Next: ${first}${turn}${dry}; progress follows in this thread.`;
    return `:white_check_mark: *${hotfix.id} is approved* ${by}.\n${next}${lock ? `\n${lock}` : ''}`;
  };
}

function planRevised(hotfix: Hotfix, event: EventOf<'plan_revised'>): Wording {
  // The envelope carries the version the change was made from; the revision is the next one.
  const version = event.planVersion + 1;
  const shown = event.services
    .slice(0, SERVICES_SHOWN)
    .map((s) => `${typed(s.service)} ${inlineCode(s.tag)}`);
  const more = event.services.length - shown.length;
  const services = `${shown.join(', ')}${more > 0 ? ` and ${more} more` : ''}`;
  const approvers = describeAudience(hotfix.snapshot.policy.approvers);
  const needed = plural(event.approvalsRequired, 'approval');
  return () =>
    `:pencil2: ${mention(event.by)} changed ${hotfix.id} to *plan v${version}*: ${services}, Sev ${event.severity}.\nApprovals given for earlier versions no longer count (${needed} needed); ${approvers} please review it again on the change-control notice.`;
}

/** "a, b and c" */
function listed(items: readonly string[]): string {
  return items.length > 1 ? `${items.slice(0, -1).join(', ')} and ${items.at(-1) ?? ''}` : (items[0] ?? '');
}

function replan(hotfix: Hotfix): string {
  return inlineCode(typed(replanCommand(hotfix)));
}
