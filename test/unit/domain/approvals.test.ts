import { apply } from '../../../src/domain/apply.js';
import type { Actor, HotfixCommand } from '../../../src/domain/commands.js';
import { decide, decideNew } from '../../../src/domain/decide.js';
import type { Hotfix } from '../../../src/domain/hotfix.js';
import { approvalsStillNeeded } from '../../../src/domain/policy.js';
import { Reason } from '../../../src/domain/reasons.js';
import {
  APPROVER_A,
  APPROVER_B,
  BOT,
  NOW,
  ONCALL,
  REQUESTER,
  STRANGER,
  planCommand,
  planned,
  run,
} from './builders.js';
import { testCatalog } from './fixtures.js';

const attempt = (h: Hotfix, command: HotfixCommand, actor: Actor, now = NOW) =>
  decide(h, command, { now, actor });
const prodSev3 = () => planned({ env: 'prod', severity: 3 });

describe('approvals', () => {
  it('refuses the requester approving their own hotfix and says why', () => {
    const decision = attempt(planned(), { type: 'approve', planVersion: 1 }, REQUESTER);
    expect(decision).toMatchObject({ ok: false, refusal: { code: Reason.SelfApproval } });
    if (!decision.ok) expect(decision.refusal.message).toMatch(/someone else must approve/);
  });

  it('refuses someone outside the approver group and names who can approve', () => {
    const decision = attempt(planned(), { type: 'approve', planVersion: 1 }, STRANGER);
    expect(decision).toMatchObject({ ok: false, refusal: { code: Reason.NotApprover } });
    if (!decision.ok) expect(decision.refusal.message).toContain('<!subteam^S0APPROVERS>');
  });

  it('needs two distinct approvers for a prod Sev 3, and one person counts once', () => {
    let h = prodSev3();
    expect(h.approvalsRequired).toBe(2);
    h = run(h, { type: 'approve', planVersion: 1 }, APPROVER_A);
    expect(h.state).toBe('planned');
    expect(approvalsStillNeeded(h)).toBe(1);
    expect(attempt(h, { type: 'approve', planVersion: 1 }, APPROVER_A)).toMatchObject({
      ok: false,
      refusal: { code: Reason.AlreadyApproved },
    });
    h = run(h, { type: 'approve', planVersion: 1 }, APPROVER_B);
    expect(h.state).toBe('approved');
    expect(h.approvals.map((a) => a.by)).toEqual([APPROVER_A.userId, APPROVER_B.userId]);
  });

  it('counts an approval only for the plan version the approver saw', () => {
    let h = run(prodSev3(), { type: 'approve', planVersion: 1 }, APPROVER_A);
    h = run(h, { type: 'revise', services: h.services, severity: 3, reason: 'different tag' }, REQUESTER);
    expect(h.planVersion).toBe(2);
    expect(approvalsStillNeeded(h)).toBe(2);
    const stale = attempt(h, { type: 'approve', planVersion: 1 }, APPROVER_B);
    expect(stale).toMatchObject({ ok: false, refusal: { code: Reason.StalePlan } });
    if (!stale.ok) expect(stale.refusal.message).toMatch(/you saw version 1; it is now version 2/);
  });

  it('sends an approved plan back to planned when it is revised', () => {
    const approved = run(planned(), { type: 'approve', planVersion: 1 }, APPROVER_A);
    const revised = run(approved, { type: 'revise', services: approved.services, severity: 2 }, REQUESTER);
    expect(revised).toMatchObject({ state: 'planned', planVersion: 2, severity: 2 });
  });

  it('refuses approval after the plan expired', () => {
    const late = new Date(NOW.getTime() + 241 * 60_000);
    expect(attempt(planned(), { type: 'approve', planVersion: 1 }, APPROVER_A, late)).toMatchObject({
      ok: false,
      refusal: { code: Reason.PlanExpired },
    });
    expect(attempt(planned(), { type: 'expire' }, BOT)).toMatchObject({
      ok: false,
      refusal: { code: Reason.NotYetExpired },
    });
  });
});

describe('break-glass', () => {
  const sev1 = () => planned({ env: 'prod', severity: 1 }, NOW, ONCALL);

  it('lets an on-call requester approve a Sev 1 alone, with the reason on the record', () => {
    const h = run(
      sev1(),
      { type: 'approve', planVersion: 1, breakGlassReason: 'checkout down, no approver awake' },
      ONCALL,
    );
    expect(h.state).toBe('approved');
    expect(h.breakGlass).toMatchObject({ by: ONCALL.userId, reason: 'checkout down, no approver awake' });
    expect(h.approvals[0]).toMatchObject({
      by: ONCALL.userId,
      breakGlass: { reason: 'checkout down, no approver awake' },
    });
  });

  it('is refused for a Sev 3, without a reason, and for people outside the break-glass group', () => {
    const sev3 = planned({ env: 'prod', severity: 3 }, NOW, ONCALL);
    expect(
      attempt(sev3, { type: 'approve', planVersion: 1, breakGlassReason: 'hurry' }, ONCALL),
    ).toMatchObject({
      ok: false,
      refusal: { code: Reason.BreakGlassNotAllowed },
    });
    expect(
      attempt(sev1(), { type: 'approve', planVersion: 1, breakGlassReason: '  ' }, ONCALL),
    ).toMatchObject({
      ok: false,
      refusal: { code: Reason.ReasonRequired },
    });
    expect(
      attempt(sev1(), { type: 'approve', planVersion: 1, breakGlassReason: 'hurry' }, STRANGER),
    ).toMatchObject({
      ok: false,
      refusal: { code: Reason.BreakGlassNotAllowed },
    });
  });

  it('is acknowledged afterwards by an approver, never by whoever broke glass', () => {
    const h = run(sev1(), { type: 'approve', planVersion: 1, breakGlassReason: 'outage' }, ONCALL);
    expect(attempt(h, { type: 'acknowledge_break_glass' }, ONCALL)).toMatchObject({
      ok: false,
      refusal: { code: Reason.SelfApproval },
    });
    expect(attempt(h, { type: 'acknowledge_break_glass' }, STRANGER)).toMatchObject({
      ok: false,
      refusal: { code: Reason.NotApprover },
    });
    const acknowledged = run(h, { type: 'acknowledge_break_glass' }, APPROVER_A);
    expect(acknowledged.breakGlass).toMatchObject({ acknowledgedBy: APPROVER_A.userId });
    expect(attempt(acknowledged, { type: 'acknowledge_break_glass' }, APPROVER_B)).toMatchObject({
      ok: false,
    });
    expect(attempt(planned(), { type: 'acknowledge_break_glass' }, APPROVER_A)).toMatchObject({ ok: false });
  });
});

describe('reject', () => {
  it('needs an approver and a reason; the requester is pointed at cancel', () => {
    const own = attempt(planned(), { type: 'reject', reason: 'x' }, REQUESTER);
    expect(own).toMatchObject({ ok: false, refusal: { code: Reason.NotApprover } });
    if (!own.ok) expect(own.refusal.message).toContain('/hotfix cancel HF-1');
    expect(attempt(planned(), { type: 'reject', reason: '' }, APPROVER_A)).toMatchObject({
      ok: false,
      refusal: { code: Reason.ReasonRequired },
    });
    expect(run(planned(), { type: 'reject', reason: 'wrong tag' }, APPROVER_A).decision).toMatchObject({
      by: APPROVER_A.userId,
      reason: 'wrong tag',
    });
  });
});

describe('planning', () => {
  it('refuses a planner outside a closed planner list', () => {
    const catalog = testCatalog();
    catalog.policy.planners = { users: ['U0ONLYME'], groups: [] };
    const decision = decideNew(planCommand({}, catalog), { now: NOW, actor: REQUESTER });
    expect(decision).toMatchObject({ ok: false, refusal: { code: Reason.NotPlanner } });
  });

  it('refuses a plan whose services use two deploy methods', () => {
    const command = planCommand({
      services: [
        { service: 'decanting-service', tag: '24-02-05.619', method: 'jenkins-multi-deploy' },
        { service: 'external-agent', tag: 'v1.0.0', method: 'ecs-image' },
      ],
    });
    expect(decideNew(command, { now: NOW, actor: REQUESTER })).toMatchObject({
      ok: false,
      refusal: { code: Reason.MixedMethods },
    });
  });

  it('records the requester, incident, plan version 1 and the expiry from the policy', () => {
    const decision = decideNew(planCommand(), { now: NOW, actor: REQUESTER });
    if (!decision.ok) throw new Error(decision.refusal.message);
    const h = decision.events.reduce<Hotfix | undefined>(apply, undefined)!;
    expect(h).toMatchObject({
      id: 'HF-1',
      state: 'planned',
      requester: REQUESTER.userId,
      owner: REQUESTER.userId,
      planVersion: 1,
      expiresAt: new Date(NOW.getTime() + 240 * 60_000).toISOString(),
    });
    expect(decideNew(planCommand(), { now: NOW, actor: REQUESTER }, h)).toMatchObject({
      ok: false,
      refusal: { code: Reason.AlreadyExists },
    });
  });
});
