/**
 * One scripted hotfix played through the hotfix core, from plan to completion, printed as the audit timeline. Every
 * decision is the real `decide`; every record change the real `apply`. `npm run demo` prints it after the Slack part.
 */
import { join } from 'node:path';
import { ulid } from 'ulid';
import { loadCatalog } from '../src/catalog/index.js';
import { apply } from '../src/domain/apply.js';
import type { Actor, HotfixCommand, PlanCommand } from '../src/domain/commands.js';
import { parseHotfixCommand } from '../src/domain/command-grammar.js';
import { decide, decideNew } from '../src/domain/decide.js';
import { describeEvent } from '../src/domain/describe-event.js';
import type { HotfixEvent } from '../src/domain/events.js';
import type { Hotfix } from '../src/domain/hotfix.js';
import { SYSTEM } from '../src/domain/hotfix.js';
import { parsePlan } from '../src/domain/plan-grammar.js';
import { snapshotOf } from '../src/domain/snapshot.js';

const people: Record<string, { name: string; groups: string[] }> = {
  U0PRIYA: { name: 'priya (on-call)', groups: ['S0ONCALL'] },
  U0CTOALICE: { name: 'alice (approver)', groups: [] },
  U0BOB: { name: 'bob (approver)', groups: ['S0APPROVERS'] },
  [SYSTEM]: { name: 'hotfix-bot', groups: [] },
};
const actor = (userId: string): Actor => ({ userId, groups: people[userId]?.groups ?? [] });
const nameOf = (userId: string) => people[userId]?.name ?? userId;

// Tuesday 17 November 2026, 10:05 in New York: a working morning, no freeze.
let clock = Date.parse('2026-11-17T15:05:00Z');
const tick = (seconds: number) => new Date((clock += seconds * 1000));

const timeline: HotfixEvent[] = [];
function print(line: string): void {
  process.stdout.write(`${line}\n`);
}
function record(hotfix: Hotfix | undefined, events: HotfixEvent[]): Hotfix {
  let next = hotfix;
  for (const event of events) {
    next = apply(next, event);
    timeline.push(event);
    const at = event.at.slice(11, 19);
    print(
      `  ${at}  ${next.id.padEnd(5)} ${next.state.padEnd(15)} ${nameOf(event.by).padEnd(18)} ${describeEvent(event)}`,
    );
  }
  if (!next) throw new Error('no record');
  return next;
}
function step(hotfix: Hotfix, command: HotfixCommand, userId = SYSTEM, seconds = 5): Hotfix {
  const decision = decide(hotfix, command, { now: tick(seconds), actor: actor(userId) });
  if (!decision.ok) {
    print(
      `  ${new Date(clock).toISOString().slice(11, 19)}  ${hotfix.id.padEnd(5)} ${'(refused)'.padEnd(15)} ${nameOf(userId).padEnd(18)} ${decision.refusal.code}: ${decision.refusal.message}`,
    );
    return hotfix;
  }
  for (const warning of decision.warnings) print(`  ⚠ ${warning}`);
  return record(hotfix, decision.events);
}

/** Plays the scripted hotfix and prints its timeline. */
export function playCoreTimeline(): void {
  const catalog = loadCatalog(join(__dirname, '..', 'manifests', 'catalog.yml'));
  const typed =
    'plan decanting-service@24-02-05.619-hotfix.627 acme prod sev=2 incident=INC-4211 reason="orders stuck in decanting since the 24-02-05 release"';
  print(`priya types in #inc-4211-decanting:  /hotfix ${typed}\n`);

  const command = parseHotfixCommand(typed);
  if (command.kind !== 'plan') throw new Error(`demo command did not parse: ${JSON.stringify(command)}`);
  const parsed = parsePlan(command.args, catalog);
  if (!parsed.ok) throw new Error(parsed.problems.map((p) => p.message).join('\n'));
  const { plan } = parsed;

  const planCommand: PlanCommand = {
    type: 'plan',
    id: 'HF-1',
    ulid: ulid(clock),
    incident: {
      channel: 'C0INC4211',
      threadTs: '1763391900.000100',
      key: plan.incident ?? 'INC-4211',
      startedAt: new Date(clock - 40 * 60_000).toISOString(),
    },
    client: plan.client,
    env: plan.env,
    severity: plan.severity,
    method: plan.method,
    services: plan.services.map((s) => ({ ...s, method: plan.method })),
    ...(plan.reason !== undefined ? { reason: plan.reason } : {}),
    snapshot: snapshotOf(
      catalog,
      plan.client,
      plan.env,
      plan.services.map((s) => s.service),
    ),
    triage: {
      'customer impact': 'orders not decanted at 3 sites',
      'tested in staging': 'yes, HF verified on acme staging',
    },
  };
  print('  time      id    state           who                what');
  const created = decideNew(planCommand, { now: tick(0), actor: actor('U0PRIYA') });
  if (!created.ok) throw new Error(created.refusal.message);
  let h = record(undefined, created.events);

  h = step(h, { type: 'approve', planVersion: 1 }, 'U0PRIYA', 30); // four eyes: refused
  h = step(h, { type: 'approve', planVersion: 1 }, 'U0CTOALICE', 120);
  h = step(h, { type: 'approve', planVersion: 1 }, 'U0BOB', 60);
  h = step(h, { type: 'queue' }, SYSTEM, 1);
  h = step(h, { type: 'acquire_lock', lock: { token: 1 } }, SYSTEM, 1);
  h = step(
    h,
    {
      type: 'prepare',
      versionsBefore: { 'decanting-service': '24-01-20.600' },
      deployPlan: [
        'Jenkins multi_deploy_pipeline: CLIENT=acme ENV=prod SERVICES="decanting-service 24-02-05.619-hotfix.627"',
      ],
    },
    SYSTEM,
    2,
  );
  h = step(h, { type: 'start_deploy' }, SYSTEM, 1);
  h = step(
    h,
    {
      type: 'update_stages',
      stages: [
        { name: 'Checkout', status: 'succeeded' },
        { name: 'Build', status: 'succeeded' },
        { name: 'Deploy', status: 'waiting' },
      ],
    },
    SYSTEM,
    95,
  );
  h = step(
    h,
    {
      type: 'request_input',
      inputId: 'Proceed',
      message: 'Deploy decanting-service 24-02-05.619-hotfix.627 to acme prod?',
    },
    SYSTEM,
    1,
  );
  h = step(h, { type: 'answer_input', inputId: 'Proceed', proceed: true }, 'U0PRIYA', 40);
  h = step(h, { type: 'deploy_succeeded' }, SYSTEM, 180);
  h = step(h, { type: 'verify_succeeded' }, SYSTEM, 120);
  h = step(h, { type: 'finalize' }, SYSTEM, 1);

  const minutes = (from: string, to?: string) =>
    to ? Math.round((Date.parse(to) - Date.parse(from)) / 60_000) : 0;
  print(`\n${h.id} ${h.state}: ${timeline.length} events on the audit trail.`);
  print(
    `  approval took ${minutes(h.times.plannedAt, h.times.approvedAt)} min, deploy ${minutes(h.times.deployStartedAt ?? '', h.times.deployedAt)} min, incident to fix ${minutes(h.incident.startedAt, h.times.completedAt)} min.`,
  );
  print(
    `  rollback source kept: ${Object.entries(h.versionsBefore ?? {})
      .map(([s, v]) => `${s} ${v}`)
      .join(', ')}`,
  );
}
