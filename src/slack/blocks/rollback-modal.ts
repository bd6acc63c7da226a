/** The confirmation behind Rollback and `/hotfix rollback`: what the rollback returns to, and why it is asked for. */
import type { KnownBlock, ModalView } from '@slack/types';
import { stateLabel } from '../../domain/decide.js';
import type { Hotfix } from '../../domain/hotfix.js';
import { rollbackTarget, runningNow } from '../../domain/rollback.js';
import { section, SLACK_LIMITS } from './block-kit.js';
import { targetName } from './hotfix-summary.js';
import { decisionMetadata, REASON_BLOCK_ID, type NoticeRef } from './interaction-ids.js';
import { modal, textInput } from './modal-kit.js';
import { revisionOf } from './notice-lines.js';
import { fitLines, inlineCode, typed } from './mrkdwn.js';

/** callback_id of the rollback form. */
export const ROLLBACK_CALLBACK_ID = 'hotfix_rollback_reason';

const BODY_MAX = SLACK_LIMITS.sectionText - 200;

/**
 * The rollback form: each service from the version it runs now back to the one this hotfix replaced, what happens
 * first (a completed hotfix takes the environment again), every later hotfix the rollback would undo, and a
 * required reason. `later`: hotfixes that deployed to the same client and env since, newest first.
 */
export function rollbackModal(
  hotfix: Hotfix,
  from: NoticeRef | undefined,
  later: readonly Hotfix[] = [],
): ModalView {
  const target = rollbackTarget(hotfix) ?? [];
  const lines = target.map(({ service, tag }) => {
    const now = runningNow(hotfix, later, service);
    const by = now.by === hotfix.id ? '' : ` (${typed(now.by)})`;
    return `• ${typed(service)} ${inlineCode(now.tag)}${by} → ${inlineCode(tag)}${revisionOf(hotfix, service)}`;
  });
  const together = target.length > 1 ? ' All services go back together, never some of them.' : '';
  const blocks: KnownBlock[] = [
    section(
      fitLines(
        [
          `You are rolling *${hotfix.id}* back on ${typed(targetName(hotfix))}, to the versions that ran before it:`,
          ...lines,
          `${howItGoesBack(hotfix)}${together}${firstly(hotfix)}`,
        ],
        BODY_MAX,
      ),
    ),
    ...(later.length > 0 ? [section(undone(hotfix, later))] : []),
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

/** What happens before the rollback deploys, by where the hotfix is now. */
function firstly(hotfix: Hotfix): string {
  const env = `${hotfix.client} ${hotfix.env}`;
  if (hotfix.state === 'completed')
    return ` ${hotfix.id} completed and released ${env}, so the rollback first takes it again, waiting its turn if another hotfix holds it.`;
  if (hotfix.state === 'cancelled')
    return ` ${hotfix.id} was cancelled during its deploy and released ${env}, so the rollback first takes it again, waiting its turn if another hotfix holds it.`;
  if (hotfix.state === 'verifying') return ` Verification stops; ${hotfix.id} keeps ${env} throughout.`;
  return '';
}

/** The later hotfixes the rollback undoes, and what of theirs it changes or leaves. */
function undone(hotfix: Hotfix, later: readonly Hotfix[]): string {
  const names = later.map((h) => `*${typed(h.id)}* (${stateLabel(h.state)})`).join(', ');
  const mine = new Set(hotfix.services.map((s) => s.service));
  const perHotfix = later.map((other) => {
    const changed = other.services.filter((s) => mine.has(s.service));
    const kept = other.services.filter((s) => !mine.has(s.service));
    const undo =
      changed.length > 0
        ? `undoes ${changed.map((s) => `${typed(s.service)} ${inlineCode(s.tag)}`).join(', ')}`
        : 'changes none of its services';
    const keep =
      kept.length > 0
        ? `; leaves ${kept.map((s) => `${typed(s.service)} ${inlineCode(s.tag)}`).join(', ')} as deployed`
        : '';
    return `• ${typed(other.id)}: ${undo}${keep}`;
  });
  return fitLines(
    [
      `:warning: *Deployed to ${typed(targetName(hotfix))} since ${hotfix.id}:* ${names}. Rolling ${hotfix.id} back undoes them where they changed the same services:`,
      ...perHotfix,
    ],
    BODY_MAX,
  );
}
