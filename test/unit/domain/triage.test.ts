import { decide } from '../../../src/domain/decide.js';
import type { Hotfix } from '../../../src/domain/hotfix.js';
import { Reason } from '../../../src/domain/reasons.js';
import { TRIAGE_KEYS, tickedItems } from '../../../src/domain/triage.js';
import { APPROVER_A, NOW, ONCALL, REQUESTER, STRANGER, planned, run } from './builders.js';

const requiringTriage = (h: Hotfix, envs: string[] = ['prod']): Hotfix => ({
  ...h,
  snapshot: { ...h.snapshot, policy: { ...h.snapshot.policy, triageBeforeApproval: envs } },
});

describe('the triage checklist', () => {
  it('records one audited event per item whose tick changed, by whoever ticked', () => {
    const h = planned();
    const decision = decide(
      h,
      { type: 'tick_triage', ticked: ['real_hotfix', 'rollback_plan', 'bogus'] },
      {
        now: NOW,
        actor: REQUESTER,
      },
    );
    expect(decision.ok && decision.events.map((e) => [e.type, 'item' in e ? e.item : '', e.by])).toEqual([
      ['triage_ticked', 'real_hotfix', 'U0REQUESTER'],
      ['triage_ticked', 'rollback_plan', 'U0REQUESTER'],
    ]);
    const ticked = run(h, { type: 'tick_triage', ticked: ['real_hotfix', 'rollback_plan'] }, REQUESTER);
    expect(tickedItems(ticked)).toEqual(['real_hotfix', 'rollback_plan']);
    const unticked = run(ticked, { type: 'tick_triage', ticked: ['rollback_plan'] }, ONCALL);
    expect(tickedItems(unticked)).toEqual(['rollback_plan']);
    expect(unticked.triage).toEqual({ rollback_plan: 'yes' });
  });

  it('lets only the requester, the owner or an operator tick it', () => {
    const decision = decide(
      planned(),
      { type: 'tick_triage', ticked: ['real_hotfix'] },
      { now: NOW, actor: STRANGER },
    );
    expect(decision.ok ? undefined : decision.refusal.code).toBe(Reason.NotOperator);
  });

  it('stops an approval in an env whose policy requires the whole checklist, until it is ticked', () => {
    const h = requiringTriage(planned({ env: 'prod', severity: 1 }));
    const refused = decide(h, { type: 'approve', planVersion: 1 }, { now: NOW, actor: APPROVER_A });
    expect(refused.ok ? undefined : refused.refusal).toMatchObject({
      code: Reason.TriageIncomplete,
      message: expect.stringContaining('0 of 6 so far'),
    });
    const ticked = run(h, { type: 'tick_triage', ticked: [...TRIAGE_KEYS] }, REQUESTER);
    expect(decide(ticked, { type: 'approve', planVersion: 1 }, { now: NOW, actor: APPROVER_A }).ok).toBe(
      true,
    );
  });

  it('does not ask for it where the policy does not', () => {
    const h = requiringTriage(planned({ env: 'staging' }));
    expect(decide(h, { type: 'approve', planVersion: 1 }, { now: NOW, actor: APPROVER_A }).ok).toBe(true);
  });
});
