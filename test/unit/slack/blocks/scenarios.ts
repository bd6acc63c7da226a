/**
 * Hotfixes in the situations the messages must handle, reached through real decisions on the domain test builders
 * (fixed clock, so snapshots are stable).
 */
import { apply } from '../../../../src/domain/apply.js';
import type { Catalog } from '../../../../src/domain/catalog.js';
import type { Actor, HotfixCommand, PlanCommand } from '../../../../src/domain/commands.js';
import { decide, decideNew } from '../../../../src/domain/decide.js';
import type { HotfixEvent } from '../../../../src/domain/events.js';
import type { Hotfix } from '../../../../src/domain/hotfix.js';
import { snapshotOf } from '../../../../src/domain/snapshot.js';
import {
  APPROVER_A,
  APPROVER_B,
  BOT,
  NOW,
  ONCALL,
  REQUESTER,
  planCommand,
  planned,
  run,
} from '../../domain/builders.js';
import { testCatalog } from '../../domain/fixtures.js';

/** A catalog with `extra` more Jenkins services beside decanting-service, for multi-service plans. */
export function catalogWithServices(extra: string[]): Catalog {
  const catalog = testCatalog();
  const base = catalog.services['decanting-service'];
  if (!base) throw new Error('test catalog lost decanting-service');
  extra.forEach((name, i) => {
    catalog.services[name] = { ...base, name, repo: `acme-eng/${name}`, owners: [`U0OWNER${i}`] };
  });
  return catalog;
}

/** A plan command against a custom catalog. */
export function planOn(catalog: Catalog, overrides: Partial<PlanCommand>): Partial<PlanCommand> {
  const client = overrides.client ?? 'acme';
  const env = overrides.env ?? 'staging';
  return { ...overrides, snapshot: snapshotOf(catalog, client, env, Object.keys(catalog.services)) };
}

/** Sev 1 on acme prod with the triage answered, the way an urgent, well-prepared hotfix looks. */
export function sev1Prod(): Hotfix {
  return planned({
    env: 'prod',
    severity: 1,
    incident: {
      channel: 'C0INCIDENT',
      threadTs: '1700000000.000100',
      key: 'INC-4211',
      startedAt: NOW.toISOString(),
    },
    triage: {
      real_hotfix: 'orders stuck at 3 sites, no workaround',
      'Tested non-prod': 'yes',
      rollback_plan: 'redeploy 24-01-20.600',
      forward_port: 'no',
      'customer impact': 'orders not decanted at 3 sites',
    },
  });
}

/** Two services, deployed together, on acme prod. */
export function twoServicesProd(): Hotfix {
  const catalog = catalogWithServices(['picking-service']);
  return planned(
    planOn(catalog, {
      env: 'prod',
      services: [
        { service: 'decanting-service', tag: '24-02-05.619-hotfix.627', method: 'jenkins-multi-deploy' },
        { service: 'picking-service', tag: '24-02-05.611-hotfix.3', method: 'jenkins-multi-deploy' },
      ],
    }),
  );
}

/** A dry run of the drill service. */
export function rehearsal(): Hotfix {
  return planned({
    method: 'rehearsal',
    services: [{ service: 'drill', tag: 'drill-1', method: 'rehearsal' }],
    reason: 'quarterly hotfix drill',
  });
}

/** Planned on a Thursday afternoon during an overridable freeze: a staffing warning and a freeze override. */
export function lateWeekInFreeze(): Hotfix {
  const catalog = testCatalog();
  catalog.policy.freezeWindows = [
    { kind: 'dates', name: 'thanksgiving', from: '2026-11-19', to: '2026-11-20', override: 'with-reason' },
  ];
  const thursday = new Date('2026-11-19T20:00:00Z');
  return planned(
    planOn(catalog, { env: 'prod', freezeOverrideReason: 'orders are lost every hour' }),
    thursday,
  );
}

/** Sev 1 on prod approved alone by break-glass, not yet acknowledged. */
export function brokenGlass(): Hotfix {
  return run(
    sev1Prod(),
    { type: 'approve', planVersion: 1, breakGlassReason: 'no approver reachable at 3am' },
    ONCALL,
  );
}

/** A prod Sev 3 with one of its two approvals. */
export function halfApproved(): Hotfix {
  return run(planned({ env: 'prod' }), { type: 'approve', planVersion: 1 }, APPROVER_A);
}

/** A hotfix and every event of its history, minutes apart, so a status shows a readable trail. */
export function withHistory(
  steps: Array<[HotfixCommand, Actor]>,
  overrides: Partial<PlanCommand> = {},
): { hotfix: Hotfix; events: HotfixEvent[] } {
  const created = decideNew(planCommand({ env: 'prod', ...overrides }), { now: NOW, actor: REQUESTER });
  if (!created.ok) throw new Error(created.refusal.message);
  const events: HotfixEvent[] = [...created.events];
  let hotfix = events.reduce<Hotfix | undefined>(apply, undefined);
  steps.forEach(([command, actor], i) => {
    if (!hotfix) throw new Error('no record');
    const now = new Date(NOW.getTime() + (i + 1) * 3 * 60_000);
    const decision = decide(hotfix, command, { now, actor });
    if (!decision.ok) throw new Error(`${command.type}: ${decision.refusal.message}`);
    events.push(...decision.events);
    hotfix = decision.events.reduce(apply, hotfix);
  });
  if (!hotfix) throw new Error('no record');
  return { hotfix, events };
}

/** A prod hotfix that failed verification, with its whole history. */
export function failedInProd(): { hotfix: Hotfix; events: HotfixEvent[] } {
  return withHistory([
    [{ type: 'approve', planVersion: 1 }, APPROVER_A],
    [{ type: 'approve', planVersion: 1 }, APPROVER_B],
    [{ type: 'queue' }, BOT],
    [{ type: 'acquire_lock', lock: { token: 3 } }, BOT],
    [
      { type: 'prepare', versionsBefore: { 'decanting-service': '24-01-20.600' }, deployPlan: ['build'] },
      BOT,
    ],
    [{ type: 'start_deploy' }, BOT],
    [{ type: 'record_result', step: 'trigger', refs: { jenkinsBuild: '1042', jiraKey: 'CHG-88' } }, BOT],
    [
      {
        type: 'update_stages',
        stages: [
          { name: 'Build', status: 'succeeded' },
          { name: 'Deploy', status: 'succeeded' },
        ],
      },
      BOT,
    ],
    [{ type: 'deploy_succeeded' }, BOT],
    [{ type: 'verify_failed', message: '/v1/health returned 503', condition: 'smoke_test_failed' }, BOT],
  ]);
}

/** Decides and applies one command, returning the record and the events it produced (for thread replies). */
export function step(
  hotfix: Hotfix,
  command: HotfixCommand,
  actor: Actor,
  now: Date = NOW,
): { hotfix: Hotfix; events: HotfixEvent[] } {
  const decision = decide(hotfix, command, { now, actor });
  if (!decision.ok) throw new Error(`${command.type}: ${decision.refusal.message}`);
  return { hotfix: decision.events.reduce(apply, hotfix), events: decision.events };
}

/** Thirty minutes after planning, a prod plan approved once is changed to a new tag at Sev 2: plan v2, no approvals. */
export function revisedProd(): Hotfix {
  const later = new Date(NOW.getTime() + 30 * 60_000);
  const services = [
    {
      service: 'decanting-service',
      tag: '24-02-05.619-hotfix.628',
      method: 'jenkins-multi-deploy' as const,
    },
  ];
  return step(
    halfApproved(),
    { type: 'revise', services, severity: 2, reason: 'new build' },
    REQUESTER,
    later,
  ).hotfix;
}
