import { randomUUID } from 'node:crypto';
import type { Hotfix } from '../domain/hotfix.js';
import type { WorkflowDeps } from './deps.js';
import { BOT } from './system-actor.js';
import { transact } from './transact.js';

/** An intent whose runner was refused before causing anything: the next runner need not look for an effect. */
const RELEASED = 'released:';

/** This runner's claim on a step, held (and renewed) while it causes the step's one outside effect. */
export interface HeldClaim {
  kind: 'mine';
  /** The record with this runner's intent on it. */
  hotfix: Hotfix;
  /** An earlier runner claimed the step and stopped without a result: its effect may exist, so look for it first. */
  orphaned: boolean;
  /** Stop renewing and free the lease: the result is recorded, or nothing new can have happened since the intent. */
  done(): Promise<void>;
  /** The outcome is unknown (a timeout, a lost connection): stop renewing and let the lease run out. */
  abandon(): void;
  /** The outside system refused, so nothing happened: free the claim for the next runner at once. */
  releaseUnused(): Promise<void>;
}

/** What claiming a step found: already done, being done by a live runner, or now this runner's. */
export type Claim = { kind: 'done'; hotfix: Hotfix } | { kind: 'busy'; hotfix: Hotfix } | HeldClaim;

/**
 * Claims a step with an outside effect so that concurrent runs cause it at most once (DESIGN.md section 7): a lease
 * in the store, renewed by this runner while it works, says a runner is alive; the intent on the record says a
 * runner started. A second runner finds the lease and backs off; once a dead runner's lease has run out, the next
 * one takes the step over by compare-and-set and is told to look for the dead runner's effect before causing it.
 */
export async function claimStep(deps: WorkflowDeps, hotfix: Hotfix, step: string): Promise<Claim> {
  if (hotfix.steps[step]?.result) return { kind: 'done', hotfix };
  const name = `${hotfix.ulid}.${step}`;
  const mine = `${name}.${randomUUID()}`;
  const ms = deps.timing.claimMs;
  if (!(await deps.leases.take(name, mine, ms))) return { kind: 'busy', hotfix };
  // Renewed at a third of its length, so two missed renewals still leave it alive; unref'd, so it never keeps a
  // stopping process up.
  const timer = setInterval(
    () => {
      deps.leases.renew(name, mine, ms).catch(() => undefined);
    },
    Math.max(20, Math.floor(ms / 3)),
  );
  timer.unref();
  const free = async () => {
    clearInterval(timer);
    await deps.leases.release(name, mine);
  };
  try {
    const current = (await deps.store.load(hotfix.ulid)) ?? hotfix;
    if (current.steps[step]?.result) {
      await free();
      return { kind: 'done', hotfix: current };
    }
    const prior = current.steps[step]?.intent;
    const command = {
      type: 'record_intent' as const,
      step,
      key: mine,
      ...(prior ? { replaces: prior.key } : {}),
    };
    const taken = await transact(deps, { ulid: hotfix.ulid }, command, BOT);
    if (!taken.ok) throw new Error(taken.refusal.message);
    const now = taken.hotfix.steps[step];
    if (now?.result || now?.intent?.key !== mine) {
      await free();
      return now?.result ? { kind: 'done', hotfix: taken.hotfix } : { kind: 'busy', hotfix: taken.hotfix };
    }
    return {
      kind: 'mine',
      hotfix: taken.hotfix,
      orphaned: prior !== undefined && !prior.key.startsWith(RELEASED),
      done: free,
      abandon: () => clearInterval(timer),
      async releaseUnused() {
        const release = { type: 'record_intent' as const, step, key: `${RELEASED}${mine}`, replaces: mine };
        await transact(deps, { ulid: hotfix.ulid }, release, BOT).catch(() => undefined);
        await free();
      },
    };
  } catch (error) {
    await free();
    throw error;
  }
}
