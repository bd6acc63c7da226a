import type { Actor, PlanCommand } from '../domain/commands.js';
import { decideNew, numbered } from '../domain/decide.js';
import type { Decision } from '../domain/decision.js';
import type { Hotfix } from '../domain/hotfix.js';
import type { PartialPlan, PlanRequest } from '../domain/plan-grammar.js';
import { parsePlan } from '../domain/plan-grammar.js';
import type { Refusal } from '../domain/reasons.js';
import { Reason, refuse } from '../domain/reasons.js';
import type { DeployMethod } from '../domain/catalog.js';
import { methodUnavailable as unavailableMethod } from '../domain/capabilities.js';
import { recordsUnavailable } from '../domain/record-plan.js';
import { enabledKinds } from '../ports/change-records.js';
import { snapshotOf } from '../domain/snapshot.js';
import type { WorkflowDeps } from './deps.js';
import { actorFrom, explainRefusal, groupsOf, whoCanFix } from './actors.js';
import type { ChannelFacts } from '../ports/directory.js';
import { afterCommit } from './recorded.js';
import { patchable } from './patch-forward.js';

/** A plan as it arrives from Slack: the words after `/hotfix plan` (or the modal's fields as the same text). */
export interface PlanInput {
  userId: string;
  /** The incident channel the plan was made in. */
  channel: string;
  /** Set when the plan attaches to an existing thread (the "Plan a hotfix here" shortcut). */
  threadTs?: string;
  text: string;
  /** A patch forward: the ULID of the failed hotfix this plan replaces (same client and env). */
  supersedes?: string;
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
  const unavailable = methodUnavailable(deps, parsed.plan) ?? recordSystemMissing(deps, parsed.plan);
  if (unavailable) return { kind: 'refused', problems: [unavailable] };
  const patched = input.supersedes
    ? await patchable(deps, input.userId, { ulid: input.supersedes }, parsed.plan)
    : undefined;
  if (patched && !patched.ok) return { kind: 'refused', problems: [patched.refusal] };
  // The directory, not Slack: nothing on the way to the ack may wait on a Slack call (DESIGN.md section 1).
  const changeControl = deps.catalog.channels.changeControl.id;
  const facts = await deps.directory.read({
    groups: groupsOf(deps.catalog.policy),
    channels: [input.channel, changeControl],
  });
  const channel = facts.channels.get(input.channel);
  if (channel?.state !== 'member') {
    // A channel never seen may be one the bot was invited to a moment ago: have a worker look, so a retry finds it.
    if (!channel) await deps.directoryRequests.checkChannel(input.channel);
    return { kind: 'not_in_channel', channel: input.channel };
  }
  const noticeBlocked = changeControlUnusable(deps, facts.channels.get(changeControl));
  if (noticeBlocked) return { kind: 'refused', problems: [noticeBlocked] };
  const { actor, gaps } = actorFrom(input.userId, facts.groups);
  const now = deps.clock.now();
  const incidentStart = channel.createdAt ? new Date(channel.createdAt) : now;
  const draft = planCommand(deps, parsed.plan, input, { id: 'HF-0', ulid: deps.newUlid(now), incidentStart });
  if (patched?.ok) draft.supersedes = { ulid: patched.failed.ulid, id: patched.failed.id };
  // Decided before it takes an id, so a refused plan does not burn an HF number.
  const decision = decideNew(draft, { now, actor });
  if (!decision.ok)
    return { kind: 'refused', problems: [explainRefusal(decision.refusal, gaps, deps.catalog.policy)] };
  return record(deps, numbered(decision, await deps.store.nextId()), actor, now);
}

async function record(
  deps: WorkflowDeps,
  decision: Extract<Decision, { ok: true }>,
  actor: Actor,
  now: Date,
): Promise<PlanResult> {
  const hotfix = await deps.store.create(decision.events);
  // Saved: from here a failure must not tell the person "nothing was done" (the reconciler enqueues what is due).
  await afterCommit(`${hotfix.id} was planned`, async () => {
    const untilExpiry = Date.parse(hotfix.expiresAt) - now.getTime();
    const every = hotfix.snapshot.policy.approvalReminderMinutes * 60_000;
    await deps.jobs.enqueueAll([
      { job: { ulid: hotfix.ulid, step: 'announce', attempt: '1' } },
      { job: { ulid: hotfix.ulid, step: 'expire', attempt: `v1-${hotfix.expiresAt}` }, delayMs: untilExpiry },
      { job: { ulid: hotfix.ulid, step: 'remind', attempt: 'approval-1' }, delayMs: every },
    ]);
  });
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
    ...(plan.at !== undefined ? { window: plan.at } : {}),
    snapshot: snapshotOf(
      deps.catalog,
      plan.client,
      plan.env,
      plan.services.map((s) => s.service),
    ),
    triage: {},
  };
}

/**
 * A plan whose approval notice could not be posted is refused now: the directory knows the bot is not in change
 * control (or the channel is gone or archived). A channel never read yet is not held against the plan.
 */
function changeControlUnusable(deps: WorkflowDeps, facts: ChannelFacts | undefined): Refusal | undefined {
  const { id, name } = deps.catalog.channels.changeControl;
  if (!facts || (facts.state === 'member' && facts.archived !== true)) return undefined;
  const fix = whoCanFix(deps.catalog.policy);
  if (facts.state === 'missing')
    return refuse(
      Reason.ChannelUnavailable,
      `Slack does not know the change-control channel \`${id}\` (#${name}) the catalog names, so nobody could approve the plan; nothing was planned. ${fix}`,
    );
  if (facts.archived === true)
    return refuse(
      Reason.ChannelUnavailable,
      `The change-control channel <#${id}> is archived, so nobody could approve the plan; nothing was planned. ${fix}`,
    );
  return refuse(
    Reason.ChannelUnavailable,
    `I am not in the change-control channel <#${id}>, so nobody could approve the plan; nothing was planned. Anyone there can type \`/invite @hotfix-bot\`, then plan again.`,
  );
}

/** A plan whose env requires a record from a system this installation has not enabled (domain/record-plan.ts). */
function recordSystemMissing(deps: WorkflowDeps, plan: PlanRequest): Refusal | undefined {
  const env = deps.catalog.clients[plan.client]?.envs[plan.env];
  if (!env) return undefined;
  const scope = {
    env,
    envName: plan.env,
    method: plan.method,
    policy: deps.catalog.policy,
    severity: plan.severity,
  };
  return recordsUnavailable(scope, enabledKinds(deps.records));
}

/** A plan this installation could approve but never deploy is refused now (see domain/capabilities.ts). */
function methodUnavailable(deps: WorkflowDeps, plan: PlanRequest): Refusal | undefined {
  const runnable = new Set(Object.keys(deps.methods) as DeployMethod[]);
  const catalogServices = Object.values(deps.catalog.services);
  return unavailableMethod({ method: plan.method, services: plan.services, catalogServices }, runnable);
}
