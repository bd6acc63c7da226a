/** The form behind "Resolved manually": the reason a person closes a failed or stuck hotfix by hand. */
import type { KnownBlock, ModalView } from '@slack/types';
import type { Hotfix } from '../../domain/hotfix.js';
import { section } from './block-kit.js';
import { servicesAndTags } from './hotfix-summary.js';
import { decisionMetadata, REASON_BLOCK_ID, type NoticeRef } from './interaction-ids.js';
import { modal, textInput } from './modal-kit.js';
import { typed } from './mrkdwn.js';

/** callback_id of the resolve form. */
export const RESOLVE_CALLBACK_ID = 'hotfix_resolve_reason';

/** The resolve form: what resolving does, and a required reason that goes on the record. */
export function resolveModal(hotfix: Hotfix, from: NoticeRef): ModalView {
  const blocks: KnownBlock[] = [
    section(
      `You are marking *${hotfix.id}* (${typed(servicesAndTags(hotfix))} → ${hotfix.client} ${hotfix.env}) resolved by hand. ` +
        `The bot stops working on it, frees ${hotfix.client} ${hotfix.env} for the next hotfix and closes its records.`,
    ),
    textInput(REASON_BLOCK_ID, 'What was done, and is the environment in a known good state?', {
      placeholder: 'e.g. rolled back by hand in the Jenkins UI; health checks green since 02:40',
      multiline: true,
      hint: 'This goes on the audit trail and in the thread.',
    }),
  ];
  return modal({
    callbackId: RESOLVE_CALLBACK_ID,
    title: `Resolve ${hotfix.id}`,
    submit: 'Resolved',
    metadata: decisionMetadata(hotfix, from),
    blocks,
  });
}
