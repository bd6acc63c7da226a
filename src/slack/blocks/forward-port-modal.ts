/** The form behind "Not needed on main": why a completed hotfix's fix need not come back to the default branch. */
import type { KnownBlock, ModalView } from '@slack/types';
import type { Hotfix } from '../../domain/hotfix.js';
import { section } from './block-kit.js';
import { servicesAndTags } from './hotfix-summary.js';
import { decisionMetadata, REASON_BLOCK_ID, type NoticeRef } from './interaction-ids.js';
import { modal, textInput } from './modal-kit.js';
import { typed } from './mrkdwn.js';

/** callback_id of the form. */
export const FORWARD_PORT_WAIVER_CALLBACK_ID = 'hotfix_forward_port_waiver';

/** The form: what marking the fix not needed on main does, and a required reason that goes on the record. */
export function forwardPortWaiverModal(hotfix: Hotfix, from: NoticeRef): ModalView {
  const blocks: KnownBlock[] = [
    section(
      `You are recording that the fix of *${hotfix.id}* (${typed(servicesAndTags(hotfix))}) does not need to come back ` +
        'to the default branch. The bot stops reminding its owner; an open forward-port pull request is left as it is.',
    ),
    textInput(REASON_BLOCK_ID, 'Why is it not needed on main?', {
      placeholder: 'e.g. main was rewritten in 2.15 and no longer has the bug',
      multiline: true,
      hint: 'This goes on the audit trail and in the thread.',
    }),
  ];
  return modal({
    callbackId: FORWARD_PORT_WAIVER_CALLBACK_ID,
    title: `Not needed: ${hotfix.id}`,
    submit: 'Record',
    metadata: decisionMetadata(hotfix, from),
    blocks,
  });
}
