import { findClient, findEnv, unknownClient, unknownEnv } from '../domain/catalog-names.js';
import { holdsLock } from '../domain/hotfix.js';
import { mayAdminister, requireReason } from '../domain/policy.js';
import type { Refusal } from '../domain/reasons.js';
import { Reason, refuse } from '../domain/reasons.js';
import type { WorkflowDeps } from './deps.js';
import { act } from './act.js';

/** What an override did, in a sentence for the person who asked. */
export type OverrideResult = { ok: true; message: string } | { ok: false; refusal: Refusal };

/**
 * `/hotfix unlock <client> <env> "<why>"`: frees an environment a hotfix still holds. The holder is marked resolved
 * with the reason (its lock is freed in that same write); a lock whose holder has no live record is freed directly.
 * Admins only; always on the installation's audit trail.
 */
export async function unlockEnvironment(
  deps: WorkflowDeps,
  input: { userId: string; client: string; env: string; reason: string },
): Promise<OverrideResult> {
  const actor = await deps.actors.actor(input.userId, deps.catalog.policy);
  const denied =
    mayAdminister(deps.catalog.policy, actor, 'unlock an environment') ??
    requireReason(input.reason, 'unlock it');
  if (denied) return { ok: false, refusal: denied };
  const client = findClient(input.client, deps.catalog);
  if (!client) return { ok: false, refusal: unknownClient(input.client, deps.catalog) };
  const env = findEnv(input.env, deps.catalog.clients[client]!);
  if (!env) return { ok: false, refusal: unknownEnv(input.env, client, deps.catalog) };
  const key = `${client}/${env}`;
  const held = await deps.locks.holder(key);
  if (!held)
    return {
      ok: false,
      refusal: refuse(Reason.WrongState, `${client} ${env} is not locked; nothing to unlock.`),
    };
  const at = deps.clock.now().toISOString();
  await deps.controls.audit({ type: 'unlock', by: input.userId, at, reason: input.reason, target: key });
  const holder = await deps.store.load(held.ulid);
  if (holder && holdsLock(holder.state)) {
    const outcome = await act(deps, {
      userId: input.userId,
      ref: { ulid: holder.ulid },
      command: { type: 'unlock', reason: input.reason },
    });
    if (!outcome.ok) return { ok: false, refusal: outcome.refusal };
    return {
      ok: true,
      message: `${client} ${env} is unlocked. ${holder.id} (${holder.state}) was marked resolved: ${input.reason}`,
    };
  }
  await deps.locks.forceRelease(key, held.ulid);
  const next = (await deps.locks.waiting(key))[0];
  if (next) await deps.jobs.enqueue({ ulid: next, step: 'advance', attempt: `unlocked-${at}` });
  return {
    ok: true,
    message: `${client} ${env} is unlocked (its holder ${holder?.id ?? held.ulid} had already finished).`,
  };
}

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
  await deps.controls.audit({ type: 'pause', by: input.userId, at, reason: input.reason });
  await redrawQueued(deps);
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
  await deps.controls.audit({
    type: 'resume',
    by: input.userId,
    at: deps.clock.now().toISOString(),
    reason: `lifts: ${lifted.reason}`,
  });
  const queued = await redrawQueued(deps);
  for (const h of queued)
    await deps.jobs.enqueue({
      ulid: h.ulid,
      step: 'advance',
      attempt: `resumed-${deps.clock.now().getTime()}`,
    });
  return {
    ok: true,
    message: `Deploys resumed (paused by <@${lifted.by}>: ${lifted.reason}). ${queued.length} waiting hotfix(es) may start.`,
  };
}

async function redrawQueued(deps: WorkflowDeps) {
  const queued = (await deps.store.listActive()).filter((h) => h.state === 'queued');
  for (const h of queued)
    await deps.jobs.enqueue({
      ulid: h.ulid,
      step: 'render_status',
      attempt: `pause-${deps.clock.now().getTime()}`,
    });
  return queued;
}
