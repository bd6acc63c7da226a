import { findClient, findEnv, unknownClient, unknownEnv } from '../domain/catalog-names.js';
import type { Hotfix } from '../domain/hotfix.js';
import { WAITING_STATES, holdsLock } from '../domain/hotfix.js';
import { mayAdminister, requireReason } from '../domain/policy.js';
import { Reason, refuse } from '../domain/reasons.js';
import type { Refusal } from '../domain/reasons.js';
import type { WorkflowDeps } from './deps.js';
import { act } from './act.js';
import { afterCommit } from './recorded.js';

/** What an override did, in a sentence for the person who asked. */
export type OverrideResult = { ok: true; message: string } | { ok: false; refusal: Refusal };

/**
 * `/hotfix unlock <client> <env> "<why>"`: clears a blocked environment. Waiters that can no longer use the lock
 * (finished, revised) leave the queue; a live holder is marked resolved with the reason (its lock is freed in that
 * same write); a lock whose holder finished is freed. Nothing is freed that the holder would still use (a grant
 * being recorded), so nothing has to be undone. Admins only; the audit entry is written once something was done.
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
  const dropped = await describeAll(deps, await deps.locks.pruneWaiters(key));
  const freed = await freeHolder(deps, key, input);
  if (!freed.ok && dropped.length === 0) return freed;
  const done = [
    ...(freed.ok ? [freed.message] : []),
    ...(dropped.length > 0
      ? [`Removed from the queue (they can no longer deploy): ${dropped.join(', ')}.`]
      : []),
  ];
  const at = deps.clock.now().toISOString();
  await afterCommit(`${client} ${env}: ${done.join(' ')}`, async () => {
    await deps.controls.audit({
      type: 'unlock',
      by: input.userId,
      at,
      reason: input.reason,
      target: key,
      detail: done.join(' '),
    });
    const next = (await deps.locks.waiting(key))[0];
    if (next) await deps.jobs.enqueue({ ulid: next, step: 'advance', attempt: `unlocked-${at}` });
  });
  const still = freed.ok ? '' : ` ${freed.refusal.message}`;
  return { ok: true, message: `${client} ${env}: ${done.join(' ')}${still}` };
}

async function freeHolder(
  deps: WorkflowDeps,
  key: string,
  input: { userId: string; reason: string },
): Promise<OverrideResult> {
  const [client, env] = key.split('/');
  const held = await deps.locks.holder(key);
  if (!held)
    return {
      ok: false,
      refusal: refuse(Reason.WrongState, `${client} ${env} is not locked; nothing to unlock.`),
    };
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
  if (holder?.supersedes && WAITING_STATES.has(holder.state))
    return {
      ok: false,
      refusal: refuse(
        Reason.WrongState,
        `${holder.id} holds ${client} ${env}: it took the lock over from ${holder.supersedes.id} when its patch forward was approved, and has not started deploying yet. Nothing was unlocked; to free ${client} ${env}, cancel it with \`/hotfix cancel ${holder.id} "<why>"\`.`,
      ),
    };
  const released = await deps.locks.forceRelease(key, held.ulid);
  if (released === 'live') {
    // Granted a moment ago and not yet recorded: freeing it now would leave that hotfix deploying without a lock.
    await deps.jobs.enqueue({
      ulid: held.ulid,
      step: 'advance',
      attempt: `unlock-${deps.clock.now().getTime()}`,
    });
    return {
      ok: false,
      refusal: refuse(
        Reason.WrongState,
        `${holder?.id ?? held.ulid} is taking ${client} ${env} right now; nothing was unlocked. Look again in a few seconds.`,
      ),
    };
  }
  if (released === 'not_held')
    return {
      ok: false,
      refusal: refuse(Reason.WrongState, `${client} ${env} changed hands meanwhile; nothing was unlocked.`),
    };
  return {
    ok: true,
    message: `${client} ${env} is unlocked (its holder ${holder?.id ?? held.ulid} had already finished).`,
  };
}

async function describeAll(deps: WorkflowDeps, ulids: string[]): Promise<string[]> {
  const records = await Promise.all(ulids.map((u) => deps.store.load(u)));
  return ulids.map((u, i) => describe(records[i], u));
}

function describe(hotfix: Hotfix | undefined, ulid: string): string {
  return hotfix ? `${hotfix.id} (${hotfix.state.replace(/_/g, ' ')})` : `${ulid} (no record)`;
}
