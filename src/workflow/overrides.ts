import { GRANTABLE_STATES } from '../domain/hotfix.js';
import { mayAdminister, requireReason } from '../domain/policy.js';
import { Reason, refuse } from '../domain/reasons.js';
import type { WorkflowDeps } from './deps.js';
import { afterCommit } from './recorded.js';
import type { OverrideResult } from './unlock-environment.js';

export type { OverrideResult } from './unlock-environment.js';
export { unlockEnvironment } from './unlock-environment.js';

/** `/hotfix pause "<why>"`: no new deploy starts until `/hotfix resume`; running ones finish. Admins only. */
export async function pauseDeploys(
  deps: WorkflowDeps,
  input: { userId: string; reason: string },
): Promise<OverrideResult> {
  const actor = await deps.actors.actor(input.userId, deps.catalog.policy);
  const denied =
    mayAdminister(deps.catalog.policy, actor, 'pause deploys') ??
    requireReason(input.reason, 'pause deploys');
  if (denied) return { ok: false, refusal: denied };
  const at = deps.clock.now().toISOString();
  await deps.controls.pause({ by: input.userId, reason: input.reason, at });
  await afterCommit('Deploys are paused', async () => {
    await deps.controls.audit({ type: 'pause', by: input.userId, at, reason: input.reason });
    await redrawQueued(deps);
  });
  deps.log.info({ by: input.userId }, 'deploys paused');
  return {
    ok: true,
    message: `Deploys are paused: no new deploy starts until \`/hotfix resume\`. Running deploys finish.`,
  };
}

/** `/hotfix resume`: lifts the pause and lets waiting hotfixes take their environments. Admins only. */
export async function resumeDeploys(deps: WorkflowDeps, input: { userId: string }): Promise<OverrideResult> {
  const actor = await deps.actors.actor(input.userId, deps.catalog.policy);
  const denied = mayAdminister(deps.catalog.policy, actor, 'resume deploys');
  if (denied) return { ok: false, refusal: denied };
  const lifted = await deps.controls.resume();
  if (!lifted) return { ok: false, refusal: refuse(Reason.WrongState, 'Deploys are not paused.') };
  let queued: Awaited<ReturnType<typeof redrawQueued>> = [];
  // Resumed from here on: a failure after this point must not say nothing was done (the reconciler wakes waiters).
  await afterCommit('Deploys are resumed', async () => {
    await deps.controls.audit({
      type: 'resume',
      by: input.userId,
      at: deps.clock.now().toISOString(),
      reason: `lifts: ${lifted.reason}`,
    });
    queued = await redrawQueued(deps);
    for (const h of queued)
      await deps.jobs.enqueue({
        ulid: h.ulid,
        step: 'advance',
        attempt: `resumed-${deps.clock.now().getTime()}`,
      });
  });
  return {
    ok: true,
    message: `Deploys resumed (paused by <@${lifted.by}>: ${lifted.reason}). ${queued.length} waiting hotfix(es) may start.`,
  };
}

async function redrawQueued(deps: WorkflowDeps) {
  const queued = (await deps.store.listActive()).filter((h) => GRANTABLE_STATES.has(h.state));
  for (const h of queued)
    await deps.jobs.enqueue({
      ulid: h.ulid,
      step: 'render_status',
      attempt: `pause-${deps.clock.now().getTime()}`,
    });
  return queued;
}
