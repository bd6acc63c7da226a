/**
 * Test helper: hotfix records brought to a state through the real workflow (decide, compare-and-set, the real lock
 * steps), without a worker, so a test can run the steps itself and interleave two runs at a chosen point.
 */
import { decideNew } from '../../src/domain/decide.js';
import type { CatalogSnapshot, Hotfix } from '../../src/domain/hotfix.js';
import { snapshotOf } from '../../src/domain/snapshot.js';
import { act } from '../../src/workflow/act.js';
import type { WorkflowDeps } from '../../src/workflow/deps.js';
import { acquireLock, queueForLock } from '../../src/workflow/lock-queue.js';

/** The requester of every plan here, an approver of acme staging and an admin, as the example catalog has them. */
export const REQUESTER = 'U0PRIYA';
export const APPROVER = 'U0BOB';
export const ADMIN = 'U0RELMGR1';

/**
 * A planned rehearsal of `runbook-drill` on acme staging (tag suffix `n` keeps plans apart); `snapshot` replaces the
 * catalog snapshot the plan would take (a hotfix planned under an older catalog).
 */
export async function plannedDrill(
  deps: WorkflowDeps,
  n: number,
  service = 'runbook-drill',
  snapshot: CatalogSnapshot = snapshotOf(deps.catalog, 'acme', 'staging', [service]),
): Promise<Hotfix> {
  const now = deps.clock.now();
  const decision = decideNew(
    {
      type: 'plan',
      id: await deps.store.nextId(),
      ulid: deps.newUlid(now),
      incident: { channel: 'C0INC4211', startedAt: now.toISOString() },
      client: 'acme',
      env: 'staging',
      severity: 3,
      method: 'rehearsal',
      services: [{ service, tag: `24-02-05.619-hotfix.${n}`, method: 'rehearsal' }],
      snapshot,
      triage: {},
    },
    { now, actor: { userId: REQUESTER, groups: [] } },
  );
  if (!decision.ok) throw new Error(decision.refusal.message);
  return deps.store.create(decision.events);
}

/** Reloads a record that must exist. */
export async function reload(deps: WorkflowDeps, hotfix: Hotfix): Promise<Hotfix> {
  const current = await deps.store.load(hotfix.ulid);
  if (!current) throw new Error(`${hotfix.id} vanished`);
  return current;
}

/** A planned drill approved by an approver. */
export async function approvedDrill(deps: WorkflowDeps, n: number, service?: string): Promise<Hotfix> {
  const planned = await plannedDrill(deps, n, service);
  const outcome = await act(deps, {
    userId: APPROVER,
    ref: { ulid: planned.ulid },
    command: { type: 'approve', planVersion: 1 },
  });
  if (!outcome.ok || outcome.hotfix.state !== 'approved')
    throw new Error(`not approved: ${JSON.stringify(outcome)}`);
  return outcome.hotfix;
}

/** An approved drill queued for acme staging by the real queueing step. */
export async function queuedDrill(deps: WorkflowDeps, n: number, service?: string): Promise<Hotfix> {
  const approved = await approvedDrill(deps, n, service);
  await queueForLock(deps, approved);
  const queued = await reload(deps, approved);
  if (queued.state !== 'queued') throw new Error(`${queued.id} is ${queued.state}, not queued`);
  return queued;
}

/** A queued drill given the lock by the real lock-taking step (the environment must be free). */
export async function holdingDrill(deps: WorkflowDeps, n: number, service?: string): Promise<Hotfix> {
  const queued = await queuedDrill(deps, n, service);
  await acquireLock(deps, queued);
  const holding = await reload(deps, queued);
  if (holding.state !== 'preparing') throw new Error(`${holding.id} is ${holding.state}, not preparing`);
  return holding;
}
