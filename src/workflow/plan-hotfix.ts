import type { Actor, PlanCommand } from '../domain/commands.js';
import { decideNew } from '../domain/decide.js';
import type { Hotfix } from '../domain/hotfix.js';
import type { PartialPlan, PlanRequest } from '../domain/plan-grammar.js';
import { parsePlan } from '../domain/plan-grammar.js';
import type { Refusal } from '../domain/reasons.js';
import type { DeployMethod } from '../domain/catalog.js';
import { methodUnavailable as unavailableMethod } from '../domain/capabilities.js';
import { snapshotOf } from '../domain/snapshot.js';
import type { WorkflowDeps } from './deps.js';

/** A plan as it arrives from Slack: the words after `/hotfix plan` (or the modal's fields as the same text). */
export interface PlanInput {
  userId: string;
  /** The incident channel the plan was made in. */
  channel: string;
  /** Set when the plan attaches to an existing thread (the "Plan a hotfix here" shortcut). */
  threadTs?: string;
  text: string;
}

/** What became of a plan. */
export type PlanResult =
  | { kind: 'planned'; hotfix: Hotfix; warnings: string[] }
  /** Parts are missing: open the plan form prefilled with what was understood (and any other problems). */
  | { kind: 'needs_form'; partial: PartialPlan; problems: Refusal[] }
  | { kind: 'refused'; problems: Refusal[] }
  /** The bot cannot post in the channel; nothing was recorded. */
  | { kind: 'not_in_channel'; channel: string };

/**
 * `/hotfix plan`: parse and check the plan against the catalog, make sure the bot can post where it was asked, decide
 * it (policy, freeze windows, staffing), store it, and enqueue the announcement. Nothing is stored unless all of
 * that succeeds, so a refused plan leaves no trace but the message explaining why.
 */
export async function planHotfix(deps: WorkflowDeps, input: PlanInput): Promise<PlanResult> {
  const parsed = parsePlan(input.text, deps.catalog);
  if (!parsed.ok) {
    if (parsed.partial.missing.length > 0)
      return { kind: 'needs_form', partial: parsed.partial, problems: parsed.problems };
    return { kind: 'refused', problems: parsed.problems };
  }
  const unavailable = methodUnavailable(deps, parsed.plan);
  if (unavailable) return { kind: 'refused', problems: [unavailable] };
  if (!(await deps.chat.isMember(input.channel))) return { kind: 'not_in_channel', channel: input.channel };
  const actor = await deps.actors.actor(input.userId, deps.catalog.policy);
  const now = deps.clock.now();
  const incidentStart = (await deps.chat.channelCreatedAt(input.channel)) ?? now;
  const draft = planCommand(deps, parsed.plan, input, { id: 'HF-0', ulid: deps.newUlid(now), incidentStart });
  // Decide before taking an id, so a refused plan does not burn an HF number.
  const trial = decideNew(draft, { now, actor });
  if (!trial.ok) return { kind: 'refused', problems: [trial.refusal] };
  return record(deps, { ...draft, id: await deps.store.nextId() }, actor, now);
}

async function record(
  deps: WorkflowDeps,
  command: PlanCommand,
  actor: Actor,
  now: Date,
): Promise<PlanResult> {
  const decision = decideNew(command, { now, actor });
  if (!decision.ok) return { kind: 'refused', problems: [decision.refusal] };
  const hotfix = await deps.store.create(decision.events);
  await deps.jobs.enqueue({ ulid: hotfix.ulid, step: 'announce', attempt: '1' });
  const untilExpiry = Date.parse(hotfix.expiresAt) - now.getTime();
  await deps.jobs.enqueue(
    { ulid: hotfix.ulid, step: 'expire', attempt: `v1-${hotfix.expiresAt}` },
    { delayMs: untilExpiry },
  );
  const every = hotfix.snapshot.policy.approvalReminderMinutes * 60_000;
  await deps.jobs.enqueue({ ulid: hotfix.ulid, step: 'remind', attempt: 'approval-1' }, { delayMs: every });
  deps.log.info({ hotfix: hotfix.id, ulid: hotfix.ulid, by: actor.userId }, 'hotfix planned');
  return { kind: 'planned', hotfix, warnings: decision.warnings };
}

function planCommand(
  deps: WorkflowDeps,
  plan: PlanRequest,
  input: PlanInput,
  ids: { id: string; ulid: string; incidentStart: Date },
): PlanCommand {
  return {
    type: 'plan',
    id: ids.id,
    ulid: ids.ulid,
    incident: {
      channel: input.channel,
      ...(input.threadTs !== undefined ? { threadTs: input.threadTs } : {}),
      ...(plan.incident !== undefined ? { key: plan.incident } : {}),
      startedAt: ids.incidentStart.toISOString(),
    },
    client: plan.client,
    env: plan.env,
    severity: plan.severity,
    method: plan.method,
    services: plan.services.map((s) => ({ ...s, method: plan.method })),
    ...(plan.reason !== undefined ? { reason: plan.reason } : {}),
    ...(plan.override !== undefined ? { freezeOverrideReason: plan.override } : {}),
    snapshot: snapshotOf(
      deps.catalog,
      plan.client,
      plan.env,
      plan.services.map((s) => s.service),
    ),
    triage: {},
  };
}

/** A plan this installation could approve but never deploy is refused now (see domain/capabilities.ts). */
function methodUnavailable(deps: WorkflowDeps, plan: PlanRequest): Refusal | undefined {
  const runnable = new Set(Object.keys(deps.methods) as DeployMethod[]);
  const catalogServices = Object.values(deps.catalog.services);
  return unavailableMethod({ method: plan.method, services: plan.services, catalogServices }, runnable);
}
