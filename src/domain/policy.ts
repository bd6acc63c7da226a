import type { Actor } from './commands.js';
import type { Audience, Policy } from './catalog.js';
import type { Hotfix, Severity } from './hotfix.js';
import { SYSTEM } from './hotfix.js';
import type { Refusal } from './reasons.js';
import { Reason, refuse } from './reasons.js';

/** True when the actor is one of the audience's users or in one of its groups. */
export function isIn(audience: Audience, actor: Actor): boolean {
  return (
    audience.users.includes(actor.userId) || actor.groups.some((group) => audience.groups.includes(group))
  );
}

/** How the audience reads in Slack, e.g. "<!subteam^S0APPROVERS> or <@U0ADMIN>". */
export function describeAudience(audience: Audience): string {
  const names = [...audience.groups.map((g) => `<!subteam^${g}>`), ...audience.users.map((u) => `<@${u}>`)];
  if (names.length === 0) return 'nobody (the catalog names no one)';
  return names.length === 1
    ? (names[0] ?? '')
    : `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`;
}

/** Anyone may plan unless the policy names planners. */
export function mayPlan(policy: Policy, actor: Actor): Refusal | undefined {
  const open = policy.planners.users.length === 0 && policy.planners.groups.length === 0;
  if (open || isIn(policy.planners, actor)) return undefined;
  return refuse(
    Reason.NotPlanner,
    `Only ${describeAudience(policy.planners)} can plan hotfixes. Ask one of them.`,
  );
}

/** Distinct approvals a plan needs for its env and severity: the first matching rule, else 1. */
export function approvalsRequired(policy: Policy, env: string, severity: Severity): number {
  const rule = policy.approvals.find(
    (r) => (!r.envs || r.envs.includes(env)) && (!r.severities || r.severities.includes(severity)),
  );
  return rule?.required ?? 1;
}

/** Approvals that count: given for the current plan version, one per person. */
export function countedApprovals(hotfix: Hotfix): string[] {
  const current = hotfix.approvals.filter((a) => a.planVersion === hotfix.planVersion).map((a) => a.by);
  return [...new Set(current)];
}

/** How many more distinct approvals the current plan version needs. */
export function approvalsStillNeeded(hotfix: Hotfix): number {
  return Math.max(0, hotfix.approvalsRequired - countedApprovals(hotfix).length);
}

/** Whether the actor may approve this hotfix normally (not break-glass). */
export function mayApprove(hotfix: Hotfix, actor: Actor): Refusal | undefined {
  const policy = hotfix.snapshot.policy;
  if (actor.userId === hotfix.requester) {
    const glass = policy.breakGlass.severities.includes(hotfix.severity)
      ? ` For a Sev ${hotfix.severity} with no approver available, use break-glass (it is audited).`
      : '';
    return refuse(
      Reason.SelfApproval,
      `You asked for ${hotfix.id}, so someone else must approve it.${glass}`,
    );
  }
  if (!isIn(policy.approvers, actor)) {
    return refuse(Reason.NotApprover, `Only ${describeAudience(policy.approvers)} can approve ${hotfix.id}.`);
  }
  return undefined;
}

/** Whether the actor may approve alone, by break-glass, with the reason given. */
export function mayBreakGlass(hotfix: Hotfix, actor: Actor, reason: string): Refusal | undefined {
  const { breakGlass } = hotfix.snapshot.policy;
  if (!breakGlass.severities.includes(hotfix.severity)) {
    const allowed = breakGlass.severities.map((s) => `Sev ${s}`).join(', ') || 'no severity';
    return refuse(
      Reason.BreakGlassNotAllowed,
      `Break-glass is allowed only for ${allowed}; ${hotfix.id} is Sev ${hotfix.severity}. Ask an approver.`,
    );
  }
  if (!isIn(breakGlass.who, actor)) {
    return refuse(Reason.BreakGlassNotAllowed, `Only ${describeAudience(breakGlass.who)} can break glass.`);
  }
  if (reason.trim() === '')
    return refuse(Reason.ReasonRequired, 'Break-glass needs a reason; it goes on the record.');
  return undefined;
}

/** Reject: approvers only; the requester withdraws with cancel instead. */
export function mayReject(hotfix: Hotfix, actor: Actor): Refusal | undefined {
  if (isIn(hotfix.snapshot.policy.approvers, actor)) return undefined;
  const hint =
    actor.userId === hotfix.requester
      ? ` To withdraw your own plan, use \`/hotfix cancel ${hotfix.id}\`.`
      : '';
  return refuse(
    Reason.NotApprover,
    `Only ${describeAudience(hotfix.snapshot.policy.approvers)} can reject ${hotfix.id}.${hint}`,
  );
}

/** Seed 001: a break-glass approval is acknowledged afterwards by an approver other than whoever broke glass. */
export function mayAcknowledgeBreakGlass(hotfix: Hotfix, actor: Actor): Refusal | undefined {
  if (actor.userId === hotfix.breakGlass?.by) {
    return refuse(Reason.SelfApproval, 'Someone other than the person who broke glass must acknowledge it.');
  }
  if (isIn(hotfix.snapshot.policy.approvers, actor)) return undefined;
  return refuse(
    Reason.NotApprover,
    `Only ${describeAudience(hotfix.snapshot.policy.approvers)} can acknowledge the break-glass of ${hotfix.id}.`,
  );
}

/**
 * Proceed, cancel, retry, roll back, resolve, hand off, supersede: the hotfix's requester and owner, operators and
 * admins. `what` names the action in the refusal.
 */
export function mayOperate(hotfix: Hotfix, actor: Actor, what: string): Refusal | undefined {
  const policy = hotfix.snapshot.policy;
  if (actor.userId === SYSTEM || actor.userId === hotfix.requester || actor.userId === hotfix.owner)
    return undefined;
  if (isIn(policy.operators, actor) || isIn(policy.admins, actor)) return undefined;
  const who = `<@${hotfix.owner}> (the owner), ${describeAudience(policy.operators)}`;
  return refuse(Reason.NotOperator, `Only ${who} can ${what} ${hotfix.id}.`);
}

/** Unlock an environment, pause or resume deploys: admins only. */
export function mayAdminister(policy: Policy, actor: Actor, what: string): Refusal | undefined {
  if (actor.userId === SYSTEM || isIn(policy.admins, actor)) return undefined;
  return refuse(Reason.NotAdmin, `Only ${describeAudience(policy.admins)} can ${what}.`);
}

/** A reason is required for audited overrides; blank is refused. */
export function requireReason(reason: string, what: string): Refusal | undefined {
  if (reason.trim() !== '') return undefined;
  return refuse(
    Reason.ReasonRequired,
    `Say why you ${what}; it goes on the record. Put the reason in quotes.`,
  );
}
