import type { ModalView } from '@slack/types';
import type { Hotfix } from '../../domain/hotfix.js';
import { deployedSince } from '../../domain/rollback.js';
import { check } from '../../workflow/act.js';
import { refusalReply } from '../blocks/index.js';
import type { NoticeRef } from '../blocks/interaction-ids.js';
import { rollbackModal } from '../blocks/rollback-modal.js';
import type { ListenerContext } from './context.js';

/**
 * The rollback confirmation for this person, or why they cannot roll back (not allowed, not deployed, nothing to
 * return to): asked before the form opens, so nobody fills in a form that would be refused. Reads Redis only; the
 * form names every hotfix deployed to the same client and env since, which the rollback would undo.
 */
export async function rollbackFormFor(
  ctx: ListenerContext,
  hotfix: Hotfix,
  userId: string,
  from: NoticeRef | undefined,
): Promise<ModalView | string> {
  const command = { type: 'rollback' as const, reason: 'asked for in the form' };
  const refusal = await check(ctx.deps, { userId, ref: { ulid: hotfix.ulid }, command, loaded: hotfix });
  if (refusal) return refusalReply(refusal, hotfix).text;
  const others = await ctx.deps.store.listByTarget(hotfix.client, hotfix.env);
  return rollbackModal(hotfix, from, deployedSince(hotfix, others));
}
