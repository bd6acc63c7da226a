/**
 * Hotfixes on their way through the live status, one step of the workflow every few minutes on the domain test
 * builders (fixed clock), so snapshots show distinct, stable times.
 */
import type { ActionsBlock, Button } from '@slack/types';
import type { Actor, HotfixCommand, PlanCommand } from '../../../../src/domain/commands.js';
import type { Hotfix, Stage } from '../../../../src/domain/hotfix.js';
import type { SlackMessage } from '../../../../src/slack/blocks/block-kit.js';
import { APPROVER_A, BOT, NOW, ONCALL, planned, run } from '../../domain/builders.js';

/** Minutes after the plan. */
export function at(minutes: number): Date {
  return new Date(NOW.getTime() + minutes * 60_000);
}

/** Runs commands in order, each at its minute. */
export function steps(h: Hotfix, ...list: Array<[HotfixCommand, Actor, number]>): Hotfix {
  return list.reduce((acc, [command, actor, minutes]) => run(acc, command, actor, at(minutes)), h);
}

export const STAGES: Stage[] = [
  { name: 'Build', status: 'succeeded' },
  { name: 'Deploy', status: 'running' },
  { name: 'Smoke test', status: 'pending' },
];

/** A dry run of the catalog's drill service (tag pattern `drill-<n>`) on staging. */
export const DRILL: Partial<PlanCommand> = {
  env: 'staging',
  severity: 3,
  method: 'rehearsal',
  services: [{ service: 'drill', tag: 'drill-1', method: 'rehearsal' }],
  reason: 'quarterly hotfix drill',
};

/** Sev 1 on acme prod (one approval), queued six minutes after it was planned. */
export function queued(overrides: Partial<PlanCommand> = {}): Hotfix {
  return steps(
    planned({ env: 'prod', severity: 1, ...overrides }),
    [{ type: 'approve', planVersion: 1 }, APPROVER_A, 5],
    [{ type: 'queue' }, BOT, 6],
  );
}

export function preparing(overrides: Partial<PlanCommand> = {}): Hotfix {
  return steps(queued(overrides), [{ type: 'acquire_lock', lock: { token: 12 } }, BOT, 20]);
}

/** Deploying through Jenkins build 1042, at its Deploy stage. */
export function deploying(overrides: Partial<PlanCommand> = {}): Hotfix {
  const service = overrides.services?.[0]?.service ?? 'decanting-service';
  const deployPlan = [
    `multi_deploy_pipeline with Client=acme Env=production Services=${service}`,
    'HOTFIX_ID=01JD0000000000000000000001',
  ];
  return steps(
    preparing(overrides),
    [{ type: 'prepare', versionsBefore: { [service]: '24-01-20.600' }, deployPlan }, BOT, 21],
    [{ type: 'start_deploy' }, BOT, 22],
    [{ type: 'record_result', step: 'trigger', refs: { jenkinsBuild: '1042', jiraKey: 'CHG-88' } }, BOT, 22],
    [{ type: 'update_stages', stages: STAGES }, BOT, 25],
  );
}

/** Jenkins asks before the second host group. */
export function awaitingInput(): Hotfix {
  const waiting = STAGES.map((s) => (s.name === 'Deploy' ? { ...s, status: 'waiting' as const } : s));
  return steps(
    deploying(),
    [{ type: 'update_stages', stages: waiting }, BOT, 27],
    [{ type: 'request_input', inputId: 'ProceedProd', message: 'Deploy to the second host group?' }, BOT, 27],
  );
}

export function verifying(): Hotfix {
  const done = STAGES.map((s) => ({ ...s, status: 'succeeded' as const }));
  return steps(
    deploying(),
    [{ type: 'update_stages', stages: done }, BOT, 30],
    [{ type: 'deploy_succeeded' }, BOT, 31],
  );
}

const SMOKE_FAILED: HotfixCommand = {
  type: 'deploy_failed',
  message: 'stage Smoke test failed: /v1/health returned 503',
  condition: 'smoke_test_failed',
};

/** The first attempt failed its smoke test; the on-call retried. */
export function retrying(): Hotfix {
  return steps(deploying(), [SMOKE_FAILED, BOT, 33], [{ type: 'retry' }, ONCALL, 35]);
}

/** Failed on its second attempt too. */
export function failed(): Hotfix {
  return steps(retrying(), [SMOKE_FAILED, BOT, 40]);
}

export function rollingBack(): Hotfix {
  return steps(failed(), [{ type: 'rollback', reason: 'health 503' }, ONCALL, 42]);
}

/** Every button of a message, in order. */
export function buttons(message: SlackMessage): Button[] {
  return message.blocks
    .filter((b): b is ActionsBlock => b.type === 'actions')
    .flatMap((b) => b.elements.filter((e): e is Button => e.type === 'button'));
}

/** The action ids of a message's buttons. */
export function actionIds(message: SlackMessage): string[] {
  return buttons(message).map((b) => b.action_id ?? '');
}

/** The button with this action id; throws when there is none. */
export function buttonOf(message: SlackMessage, actionId: string): Button {
  const found = buttons(message).find((b) => b.action_id === actionId);
  if (!found) throw new Error(`no ${actionId} button`);
  return found;
}
