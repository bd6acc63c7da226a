import type { Catalog } from '../../../src/domain/catalog.js';
import type { Actor, HotfixCommand, PlanCommand } from '../../../src/domain/commands.js';
import { apply } from '../../../src/domain/apply.js';
import { decide, decideNew } from '../../../src/domain/decide.js';
import type { Hotfix, HotfixState } from '../../../src/domain/hotfix.js';
import { snapshotOf } from '../../../src/domain/snapshot.js';
import { SYSTEM } from '../../../src/domain/hotfix.js';
import { testCatalog } from './fixtures.js';

/** People of the test catalog's policy. */
export const REQUESTER: Actor = { userId: 'U0REQUESTER', groups: [] };
export const APPROVER_A: Actor = { userId: 'U0APPROVER1', groups: ['S0APPROVERS'] };
export const APPROVER_B: Actor = { userId: 'U0APPROVER2', groups: ['S0APPROVERS'] };
export const ONCALL: Actor = { userId: 'U0ONCALL', groups: ['S0ONCALL'] };
export const ADMIN: Actor = { userId: 'U0ADMIN', groups: [] };
export const STRANGER: Actor = { userId: 'U0STRANGER', groups: [] };
export const BOT: Actor = { userId: SYSTEM, groups: [] };

/** Tuesday 17 November 2026, 10:00 in New York: no freeze, no staffing warning. */
export const NOW = new Date('2026-11-17T15:00:00Z');

/** A valid plan for decanting-service on acme staging (one approval needed), with overrides. */
export function planCommand(
  overrides: Partial<PlanCommand> = {},
  catalog: Catalog = testCatalog(),
): PlanCommand {
  const client = overrides.client ?? 'acme';
  const env = overrides.env ?? 'staging';
  return {
    type: 'plan',
    id: 'HF-1',
    ulid: '01JD0000000000000000000001',
    incident: { channel: 'C0INCIDENT', threadTs: '1700000000.000100', startedAt: '2026-11-17T14:00:00.000Z' },
    client,
    env,
    severity: 3,
    method: 'jenkins-multi-deploy',
    services: [
      { service: 'decanting-service', tag: '24-02-05.619-hotfix.627', method: 'jenkins-multi-deploy' },
    ],
    reason: 'orders stuck in decanting',
    snapshot: snapshotOf(catalog, client, env, Object.keys(catalog.services)),
    triage: {},
    ...overrides,
  };
}

/** Decides and applies, failing loudly when the command is refused (a broken fixture path, not a test outcome). */
export function run(h: Hotfix, command: HotfixCommand, actor: Actor = BOT, now: Date = NOW): Hotfix {
  const decision = decide(h, command, { now, actor });
  if (!decision.ok) throw new Error(`${command.type} refused in ${h.state}: ${decision.refusal.message}`);
  return decision.events.reduce(apply, h);
}

/** A fresh planned hotfix. */
export function planned(
  overrides: Partial<PlanCommand> = {},
  now: Date = NOW,
  actor: Actor = REQUESTER,
): Hotfix {
  const decision = decideNew(planCommand(overrides), { now, actor });
  if (!decision.ok) throw new Error(`plan refused: ${decision.refusal.message}`);
  const first = decision.events.reduce<Hotfix | undefined>(apply, undefined);
  if (!first) throw new Error('plan produced no record');
  return first;
}

const deploying = (h: Hotfix): Hotfix =>
  run(
    run(
      run(run(run(h, { type: 'approve', planVersion: 1 }, APPROVER_A), { type: 'queue' }), {
        type: 'acquire_lock',
        lock: { token: 7 },
      }),
      { type: 'prepare', versionsBefore: { 'decanting-service': '24-01-20.600' }, deployPlan: ['build'] },
    ),
    { type: 'start_deploy' },
  );

/** How each state is reached from a fresh plan, following DESIGN.md section 2. */
const PATHS: Record<HotfixState, (h: Hotfix) => Hotfix> = {
  planned: (h) => h,
  approved: (h) => run(h, { type: 'approve', planVersion: 1 }, APPROVER_A),
  queued: (h) => run(PATHS.approved(h), { type: 'queue' }),
  preparing: (h) => run(PATHS.queued(h), { type: 'acquire_lock', lock: { token: 7 } }),
  deploying,
  awaiting_input: (h) =>
    run(deploying(h), { type: 'request_input', inputId: 'Proceed', message: 'Proceed to prod?' }),
  verifying: (h) => run(deploying(h), { type: 'deploy_succeeded' }),
  completed: (h) => run(PATHS.verifying(h), { type: 'verify_succeeded' }),
  failed: (h) => run(deploying(h), { type: 'deploy_failed', message: 'stage Deploy failed' }),
  rollback_queued: (h) => run(PATHS.completed(h), { type: 'rollback', reason: 'late errors' }, ONCALL),
  rolling_back: (h) => run(PATHS.failed(h), { type: 'rollback', reason: 'errors' }, ONCALL),
  rolled_back: (h) => run(PATHS.rolling_back(h), { type: 'rollback_succeeded' }),
  rollback_failed: (h) => run(PATHS.rolling_back(h), { type: 'rollback_failed', message: 'old image gone' }),
  cancelled: (h) => run(h, { type: 'cancel', reason: 'not needed' }, REQUESTER),
  rejected: (h) => run(h, { type: 'reject', reason: 'wrong tag' }, APPROVER_A),
  expired: (h) => run(h, { type: 'expire' }, BOT, new Date(NOW.getTime() + 5 * 3600_000)),
  superseded: (h) => run(PATHS.failed(h), { type: 'supersede', supersededBy: 'HF-2' }, ONCALL),
  resolved: (h) => run(PATHS.failed(h), { type: 'resolve', reason: 'fixed by hand' }, ONCALL),
};

/** A hotfix in the given state, reached through real decisions. */
export function hotfixIn(state: HotfixState, overrides: Partial<PlanCommand> = {}): Hotfix {
  return PATHS[state](planned(overrides));
}
