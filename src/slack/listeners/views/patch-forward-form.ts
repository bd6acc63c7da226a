import type { ModalView } from '@slack/types';
import type { Hotfix } from '../../../domain/hotfix.js';
import { threadOf } from '../../../domain/hotfix.js';
import type { Refusal } from '../../../domain/reasons.js';
import { patchable } from '../../../workflow/patch-forward.js';
import type { HotfixRef } from '../../../workflow/transact.js';
import { planModal } from '../../blocks/index.js';
import type { ListenerContext } from '../context.js';
import { modalContext } from './modal-context.js';

/**
 * The plan form of a patch forward, or why `userId` cannot patch the hotfix forward: prefilled from the failed
 * hotfix (its services at the failed tags to change, client, env, severity, incident, reason) and posted in its
 * thread. Reads Redis only, so a button can open it on the click's trigger.
 */
export async function patchForwardForm(
  ctx: ListenerContext,
  userId: string,
  ref: HotfixRef,
): Promise<{ ok: true; view: ModalView; failed: Hotfix } | { ok: false; refusal: Refusal }> {
  const found = await patchable(ctx.deps, userId, ref);
  if (!found.ok) return found;
  const { failed } = found;
  const where = modalContext(ctx.deps.catalog, failed.incident.channel, threadOf(failed));
  const view = planModal(
    {
      services: failed.services.map((s) => `${s.service}@${s.tag}`).join(','),
      client: failed.client,
      env: failed.env,
      severity: failed.severity,
      ...(failed.incident.key !== undefined ? { incident: failed.incident.key } : {}),
      ...(failed.reason !== undefined ? { reason: failed.reason } : {}),
    },
    {
      ...where,
      supersedes: { ulid: failed.ulid, id: failed.id, client: failed.client, env: failed.env },
    },
  );
  return { ok: true, view, failed };
}
