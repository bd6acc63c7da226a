/**
 * Reminders in the change-control notice's thread, addressed to the approvers by mention: a plan still waiting for
 * approval, or a break-glass approval still waiting to be acknowledged (seed 001).
 */
import type { Hotfix } from '../../domain/hotfix.js';
import { countedApprovals, describeAudience } from '../../domain/policy.js';
import { context, message, section, type SlackMessage } from './block-kit.js';
import { isRehearsal, planVersionSince, REASON_MAX, servicesAndTags } from './hotfix-summary.js';
import { duration, mention, slackDate, truncate, typed, utcTime } from './mrkdwn.js';

/** What a reminder is about. */
export type ReminderKind = 'approval' | 'break_glass_ack';

/**
 * The reminder of `kind` at `now`. Whether one is due is the caller's call; if nothing waits any more, the message
 * says so plainly instead of asking for a decision that has been made.
 */
export function reminderMessage(hotfix: Hotfix, kind: ReminderKind, now: Date): SlackMessage {
  const wording = kind === 'approval' ? approvalReminder(hotfix, now) : breakGlassReminder(hotfix, now);
  const every = duration(hotfix.snapshot.policy.approvalReminderMinutes * 60_000);
  const dry = isRehearsal(hotfix) ? 'REHEARSAL · ' : '';
  return message(wording(utcTime), [
    section(wording(slackDate)),
    context(`${dry}${hotfix.id} · plan v${hotfix.planVersion} · reminded every ${every} while it waits`),
  ]);
}

type Wording = (when: (iso: string) => string) => string;

function approvalReminder(hotfix: Hotfix, now: Date): Wording {
  if (hotfix.state !== 'planned') return () => `${hotfix.id} no longer waits for approval.`;
  const approvers = describeAudience(hotfix.snapshot.policy.approvers);
  // Waiting is counted from the current plan version: approvals of earlier versions were reset with it.
  const waited = duration(now.getTime() - Date.parse(planVersionSince(hotfix)));
  const left = Date.parse(hotfix.expiresAt) - now.getTime();
  const count = `${countedApprovals(hotfix).length} of ${hotfix.approvalsRequired}`;
  const what = `${typed(servicesAndTags(hotfix))} → ${hotfix.snapshot.client.displayName} ${hotfix.env}, Sev ${hotfix.severity}`;
  return (when) => {
    const expiry =
      left > 0
        ? `it expires ${when(hotfix.expiresAt)} (in ${duration(left)})`
        : `its time ran out ${when(hotfix.expiresAt)} and it is about to expire`;
    return `:alarm_clock: ${approvers}: *${hotfix.id}* has waited ${waited} for approval (${count}); ${expiry}.\n${what}. Approve or reject it on the notice above.`;
  };
}

function breakGlassReminder(hotfix: Hotfix, now: Date): Wording {
  const glass = hotfix.breakGlass;
  if (!glass) return () => `${hotfix.id} was not approved by break-glass; nothing to acknowledge.`;
  const acknowledgedBy = glass.acknowledgedBy;
  if (acknowledgedBy) {
    return () =>
      `The break-glass approval of ${hotfix.id} was acknowledged by ${mention(acknowledgedBy)}; nothing more is owed.`;
  }
  const approvers = describeAudience(hotfix.snapshot.policy.approvers);
  const ago = duration(now.getTime() - Date.parse(glass.at));
  const why = typed(truncate(glass.reason, REASON_MAX));
  return (when) =>
    `:rotating_light: ${approvers}: *${hotfix.id}* was approved by break-glass by ${mention(glass.by)} ${when(glass.at)} (${ago} ago): an approver other than them must acknowledge it (button on the notice).\nTheir reason: ${why}`;
}
