/**
 * The forms behind the notice's buttons: confirm an approval, break glass, reject with a reason. Each restates what
 * is decided and carries the hotfix, the plan version shown and the notice back in `private_metadata`.
 */
import type { KnownBlock, ModalView } from '@slack/types';
import type { Hotfix } from '../../domain/hotfix.js';
import { describeAudience } from '../../domain/policy.js';
import { section } from './block-kit.js';
import { approvalEffect, approvalRestatement, versionNote } from './approval-summary.js';
import { servicesAndTags } from './hotfix-summary.js';
import { CALLBACK_IDS, decisionMetadata, REASON_BLOCK_ID, type NoticeRef } from './interaction-ids.js';
import { modal, submittedText, textInput, type SubmittedValues } from './modal-kit.js';
import { channelLink, mention, typed } from './mrkdwn.js';

/** The notice a decision form was opened from; `approver` is who opened it, when the caller knows. */
export interface DecisionModalContext extends NoticeRef {
  approver?: string;
}

/** Shortest break-glass reason the form accepts: "no one" is not a reason anyone can audit. */
export const BREAK_GLASS_REASON_MIN = 10;

/** The approval form (callback_id `hotfix_approve_confirm`): exactly what is approved, then Approve / Cancel. */
export function approveConfirmModal(hotfix: Hotfix, context: DecisionModalContext): ModalView {
  const blocks: KnownBlock[] = [
    ...approvalRestatement(hotfix),
    section(approvalEffect(hotfix)),
    versionNote(hotfix),
  ];
  return modal({
    callbackId: CALLBACK_IDS.approveConfirm,
    title: `Approve ${hotfix.id}`,
    submit: 'Approve',
    metadata: decisionMetadata(hotfix, context),
    blocks,
  });
}

/**
 * The break-glass form (callback_id `hotfix_break_glass`): approving a Sev 1 alone, loudly, with a required reason
 * (block `reason`). Seed 001: Sev 1 changes are still notified in #announcements-change-control within 24 hours.
 */
export function breakGlassModal(hotfix: Hotfix, context: DecisionModalContext): ModalView {
  const question = `Break glass and approve ${hotfix.id} alone?`;
  const blocks: KnownBlock[] = [
    section(breakGlassWarning(hotfix, context.approver)),
    ...approvalRestatement(hotfix, question),
    textInput(REASON_BLOCK_ID, 'Why break glass?', {
      placeholder: 'Which approvers you tried to reach, and why this cannot wait',
      multiline: true,
      minLength: BREAK_GLASS_REASON_MIN,
      hint: `At least ${BREAK_GLASS_REASON_MIN} characters. It goes on the record of ${hotfix.id} and on the change-control notice.`,
    }),
    versionNote(hotfix),
  ];
  return modal({
    callbackId: CALLBACK_IDS.breakGlass,
    title: 'Break glass',
    submit: 'Break glass and approve',
    metadata: decisionMetadata(hotfix, context),
    blocks,
  });
}

function breakGlassWarning(hotfix: Hotfix, approver: string | undefined): string {
  const own = approver === undefined || approver === hotfix.requester ? 'your own ' : '';
  const approvers = describeAudience(hotfix.snapshot.policy.approvers);
  const where = channelLink(hotfix.snapshot.changeControl.id);
  return [
    `:rotating_light: *BREAK-GLASS* :rotating_light:`,
    `You are approving ${own}*Sev ${hotfix.severity}* hotfix *${hotfix.id}* *alone*: nobody else checks it before it deploys.`,
    `• It is *audited*: your name and the reason below stay on the record of ${hotfix.id}.`,
    `• It is *announced* in ${where}: Sev 1 changes must be notified in change control within 24 hours.`,
    `• An approver (${approvers}) must *acknowledge* it afterwards: the notice keeps an Acknowledge button, and reminders go out until one does.`,
    'Use it only when no approver can be reached in time.',
  ].join('\n');
}

/** The reject form (callback_id `hotfix_reject_reason`): a required reason (block `reason`), then Reject / Cancel. */
export function rejectModal(hotfix: Hotfix, context: DecisionModalContext): ModalView {
  const what = `${typed(servicesAndTags(hotfix))} → ${hotfix.snapshot.client.displayName} ${hotfix.env}`;
  const blocks: KnownBlock[] = [
    section(
      `You are rejecting *${hotfix.id}*: ${what} (Sev ${hotfix.severity}, plan v${hotfix.planVersion}), requested by ${mention(hotfix.requester)}.`,
    ),
    textInput(REASON_BLOCK_ID, 'Why reject it?', {
      placeholder: 'What is wrong with the plan, and what would make it approvable',
      multiline: true,
      hint: 'The requester reads this in the incident thread, and it goes on the change-control notice.',
    }),
    versionNote(hotfix),
  ];
  return modal({
    callbackId: CALLBACK_IDS.rejectReason,
    title: `Reject ${hotfix.id}`,
    submit: 'Reject',
    metadata: decisionMetadata(hotfix, context),
    blocks,
  });
}

/** The reason typed in a decision form (block `reason`), trimmed; '' when absent. */
export function readReason(values: SubmittedValues): string {
  return submittedText(values, REASON_BLOCK_ID);
}
