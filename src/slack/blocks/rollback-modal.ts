/** The confirmation behind Rollback and `/hotfix rollback`: what the rollback returns to, and why it is asked for. */
import type { KnownBlock, ModalView } from '@slack/types';
import type { Hotfix } from '../../domain/hotfix.js';
import { rollbackTarget } from '../../domain/rollback.js';
import { section } from './block-kit.js';
import { targetName } from './hotfix-summary.js';
import { decisionMetadata, REASON_BLOCK_ID, type NoticeRef } from './interaction-ids.js';
import { modal, textInput } from './modal-kit.js';
import { revisionOf } from './notice-lines.js';
import { inlineCode, typed } from './mrkdwn.js';

/** callback_id of the rollback form. */
export const ROLLBACK_CALLBACK_ID = 'hotfix_rollback_reason';

/** The rollback form: each service from its hotfix version back to the one it replaced, and a required reason. */
export function rollbackModal(hotfix: Hotfix, from: NoticeRef): ModalView {
  const target = rollbackTarget(hotfix) ?? [];
  const lines = target.map(({ service, tag }) => {
    const now = hotfix.services.find((s) => s.service === service)?.tag ?? '?';
    return `• ${typed(service)} ${inlineCode(now)} → ${inlineCode(tag)}${revisionOf(hotfix, service)}`;
  });
  const together = target.length > 1 ? ' All services go back together, never some of them.' : '';
  const blocks: KnownBlock[] = [
    section(
      `You are rolling *${hotfix.id}* back on ${typed(targetName(hotfix))}, to the versions that ran before it:\n${lines.join('\n')}\n` +
        `${howItGoesBack(hotfix)}${together}`,
    ),
    textInput(REASON_BLOCK_ID, 'Why roll back?', {
      placeholder: 'e.g. health reports 503 since the deploy',
      multiline: true,
      hint: 'This goes on the audit trail and in the thread.',
    }),
  ];
  return modal({
    callbackId: ROLLBACK_CALLBACK_ID,
    title: `Roll back ${hotfix.id}`,
    submit: 'Roll back',
    metadata: decisionMetadata(hotfix, from),
    blocks,
  });
}

/** How this hotfix's method returns the services, in a sentence for the person confirming. */
function howItGoesBack(hotfix: Hotfix): string {
  if (hotfix.method === 'ecs-image')
    return (
      'ECS puts each service back on the task definition it ran before (stopping the rollout if it is still under way), ' +
      "the bot follows it until stable with every task on it, deregisters the hotfix's revision, then the same health " +
      'checks check it.'
    );
  return 'The same deploy method deploys them again, then the same health checks check them.';
}
