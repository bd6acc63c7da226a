import type { DecisionContext, PersonCommand, PlanCommand } from './commands.js';
import type { Decision, Emit } from './decision.js';
import { emitter, refused, withWarnings } from './decision.js';
import type { FreezeWindow, Policy } from './catalog.js';
import { beforeWindow, resolveWindow } from './deploy-window.js';
import type { Hotfix, PlannedService } from './hotfix.js';
import {
  approvalsRequired,
  countedApprovals,
  mayApprove,
  mayBreakGlass,
  mayOperate,
  mayPlan,
} from './policy.js';
import { Reason, refuse } from './reasons.js';
import type { Refusal } from './reasons.js';
import { activeFreezes, describeWindow, planExpiry, staffingWarning } from './timing.js';
import { TRIAGE_KEYS, tickedItems, triageRequired } from './triage.js';

type Approve = Extract<PersonCommand, { type: 'approve' }>;
type Revise = Extract<PersonCommand, { type: 'revise' }>;

/**
 * A new plan: who may plan, one deploy method, its deploy window, freeze windows and staffing at the moment the
 * deploy would start, and what the approval will need.
 */
export function decidePlan(cmd: PlanCommand, ctx: DecisionContext): Decision {
  const { snapshot } = cmd;
  const problem =
    mayPlan(snapshot.policy, ctx.actor) ??
    servicesProblem(cmd.services, cmd.method, Object.keys(snapshot.services));
  if (problem) return refused(problem);
  if (cmd.window !== undefined && cmd.supersedes)
    return refused(
      refuse(
        Reason.BadWindow,
        `A patch forward takes over ${cmd.supersedes.id}'s lock and deploys as soon as it is approved: leave \`at=\` out.`,
      ),
    );
  const timezone = snapshot.client.timezone;
  const window = cmd.window === undefined ? undefined : resolveWindow(cmd.window, timezone, ctx.now);
  if (window && !window.ok) return refused(window.refusal);
  const deployAt = window?.at;
  const target = { client: cmd.client, env: cmd.env, timezone };
  const freezes = activeFreezes(snapshot.policy, target, deployAt ?? ctx.now);
  const frozen = freezeProblem(freezes, undefined, cmd.freezeOverrideReason, `${cmd.client} ${cmd.env}`);
  if (frozen) return refused(frozen);
  const overridden = freezes[0];
  const warnings = staffing(snapshot.policy.lateWeek, timezone, deployAt ?? ctx.now, deployAt !== undefined);
  const emit = emitter(ctx, 1);
  const { type: _type, freezeOverrideReason, window: _window, ...facts } = cmd;
  const decision = emit({
    type: 'planned',
    facts: {
      ...facts,
      requester: ctx.actor.userId,
      approvalsRequired: approvalsRequired(snapshot.policy, cmd.env, cmd.severity),
      expiresAt: expiry(snapshot.policy, ctx.now, deployAt?.toISOString()),
      warnings,
      ...(deployAt ? { deployAt: deployAt.toISOString() } : {}),
      ...(overridden && freezeOverrideReason
        ? { freezeOverride: { window: overridden.name, reason: freezeOverrideReason } }
        : {}),
    },
  });
  return withWarnings(decision, warnings);
}

/** When an undecided plan expires: by the policy, and at the latest when its deploy window opens. */
function expiry(policy: Policy, now: Date, deployAt: string | undefined): string {
  const byPolicy = planExpiry(policy, now).getTime();
  return new Date(deployAt === undefined ? byPolicy : Math.min(byPolicy, Date.parse(deployAt))).toISOString();
}

/** When the deploy would start if it were approved now: now, or the opening of a window still ahead. */
function startsAt(h: Pick<Hotfix, 'deployAt'>, now: Date): Date {
  return beforeWindow(h, now) ? new Date(h.deployAt ?? now) : now;
}

/** An approval, tied to the plan version the approver saw; break-glass approves alone and is audited. */
export function decideApproval(h: Hotfix, cmd: Approve, ctx: DecisionContext, emit: Emit): Decision {
  if (cmd.planVersion !== h.planVersion) {
    return refused(
      refuse(
        Reason.StalePlan,
        `The plan of ${h.id} changed after you saw it (you saw version ${cmd.planVersion}; it is now version ${h.planVersion}). Review the updated notice and approve again.`,
      ),
    );
  }
  if (ctx.now.getTime() >= Date.parse(h.expiresAt)) {
    return refused(
      refuse(
        Reason.PlanExpired,
        `${h.id} expired at ${h.expiresAt}; ask <@${h.requester}> to plan it again.`,
      ),
    );
  }
  const breakGlass = cmd.breakGlassReason !== undefined;
  const who = breakGlass ? mayBreakGlass(h, ctx.actor, cmd.breakGlassReason ?? '') : mayApprove(h, ctx.actor);
  if (who) return refused(who);
  // A break-glass approval is the audited way past a checklist nobody had time to tick.
  const triage = breakGlass ? undefined : triageMissing(h);
  if (triage) return refused(triage);
  const counted = countedApprovals(h);
  if (counted.includes(ctx.actor.userId)) {
    return refused(
      refuse(Reason.AlreadyApproved, `You already approved version ${h.planVersion} of ${h.id}.`),
    );
  }
  const target = { client: h.client, env: h.env, timezone: h.snapshot.client.timezone };
  const start = startsAt(h, ctx.now);
  const frozen = freezeProblem(
    activeFreezes(h.snapshot.policy, target, start),
    h.freezeOverride?.window,
    undefined,
    `${h.client} ${h.env}`,
  );
  if (frozen) return refused(frozen);
  const approval = {
    by: ctx.actor.userId,
    at: ctx.now.toISOString(),
    planVersion: h.planVersion,
    ...(breakGlass ? { breakGlass: { reason: cmd.breakGlassReason ?? '' } } : {}),
  };
  const complete = breakGlass || counted.length + 1 >= h.approvalsRequired;
  const decision = complete
    ? emit({ type: 'approval_given', approval }, { type: 'approved' })
    : emit({ type: 'approval_given', approval });
  const windowed = start !== ctx.now;
  return withWarnings(
    decision,
    staffing(h.snapshot.policy.lateWeek, h.snapshot.client.timezone, start, windowed),
  );
}

/** A changed plan: a new plan version, so earlier approvals no longer count and approvers are asked again. */
export function decideRevision(h: Hotfix, cmd: Revise, ctx: DecisionContext, emit: Emit): Decision {
  const problem =
    mayOperate(h, ctx.actor, 'change') ??
    servicesProblem(cmd.services, h.method, Object.keys(h.snapshot.services));
  if (problem) return refused(problem);
  if (h.deployAt && !beforeWindow(h, ctx.now))
    return refused(
      refuse(
        Reason.BadWindow,
        `The deploy window of ${h.id} opened ${h.deployAt.slice(0, 16).replace('T', ' ')} UTC, before it was approved: plan it again with a new \`at=\`, or without one to deploy as soon as it is approved.`,
      ),
    );
  const policy = h.snapshot.policy;
  return emit({
    type: 'plan_revised',
    services: cmd.services,
    severity: cmd.severity,
    ...(cmd.reason !== undefined ? { reason: cmd.reason } : {}),
    approvalsRequired: approvalsRequired(policy, h.env, cmd.severity),
    expiresAt: expiry(policy, ctx.now, h.deployAt),
    warnings: staffing(
      policy.lateWeek,
      h.snapshot.client.timezone,
      startsAt(h, ctx.now),
      beforeWindow(h, ctx.now),
    ),
  });
}

function servicesProblem(services: PlannedService[], method: string, known: string[]): Refusal | undefined {
  if (services.length === 0) return refuse(Reason.MissingPart, 'A plan needs at least one service@tag.');
  const unknown = services.find((s) => !known.includes(s.service));
  if (unknown)
    return refuse(Reason.UnknownService, `${unknown.service} is not in the catalog snapshot of this plan.`);
  const other = services.find((s) => s.method !== method);
  if (other) {
    return refuse(
      Reason.MixedMethods,
      `${other.service} deploys with ${other.method} but this plan uses ${method}; a plan has one deploy method, so plan it separately.`,
    );
  }
  return undefined;
}

function freezeProblem(
  windows: FreezeWindow[],
  alreadyOverridden: string | undefined,
  overrideReason: string | undefined,
  target: string,
): Refusal | undefined {
  const open = windows.filter((w) => w.name !== alreadyOverridden);
  const forbidden = open.find((w) => w.override === 'forbidden');
  if (forbidden) {
    return refuse(
      Reason.Frozen,
      `${target} is frozen: ${describeWindow(forbidden)}. No hotfix may start until it ends.`,
    );
  }
  const overridable = open[0];
  if (overridable && !overrideReason?.trim()) {
    return refuse(
      Reason.Frozen,
      `${target} is frozen: ${describeWindow(overridable)}. The policy allows an override with a reason: plan again with \`override="why this cannot wait"\` (it is audited).`,
    );
  }
  return undefined;
}

function staffing(...args: Parameters<typeof staffingWarning>): string[] {
  const warning = staffingWarning(...args);
  return warning ? [warning] : [];
}

/** The refusal for a plan whose policy wants the triage checklist ticked before approval, while it is not. */
function triageMissing(h: Hotfix): Refusal | undefined {
  if (!triageRequired(h)) return undefined;
  const ticked = tickedItems(h).length;
  if (ticked === TRIAGE_KEYS.length) return undefined;
  return refuse(
    Reason.TriageIncomplete,
    `${h.id} cannot be approved in ${h.env} until its triage checklist is ticked (${ticked} of ${TRIAGE_KEYS.length} so far). <@${h.requester}> or an operator ticks it on the plan in the incident thread.`,
  );
}
