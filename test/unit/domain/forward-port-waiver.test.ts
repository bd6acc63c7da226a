import { decide } from '../../../src/domain/decide.js';
import { Reason } from '../../../src/domain/reasons.js';
import { NOW, ONCALL, REQUESTER, STRANGER, hotfixIn, run } from './builders.js';

const waive = (reason: string) => ({ type: 'waive_forward_port' as const, reason });

describe('"not needed on main": the audited end of a forward-port', () => {
  it('records who, when and why on a completed hotfix', () => {
    const waived = run(hotfixIn('completed'), waive('  main was rewritten in 2.15 '), ONCALL);
    expect(waived.state).toBe('completed');
    expect(waived.forwardPortWaiver).toEqual({
      by: ONCALL.userId,
      at: NOW.toISOString(),
      reason: 'main was rewritten in 2.15',
    });
  });

  it('is refused without a reason, to someone who neither owns nor operates, and before completion', () => {
    const completed = hotfixIn('completed');
    const blank = decide(completed, waive(' '), { now: NOW, actor: REQUESTER });
    expect(blank).toMatchObject({ ok: false, refusal: { code: Reason.ReasonRequired } });
    const stranger = decide(completed, waive('not mine'), { now: NOW, actor: STRANGER });
    expect(stranger).toMatchObject({ ok: false, refusal: { code: Reason.NotOperator } });
    const early = decide(hotfixIn('verifying'), waive('too early'), { now: NOW, actor: REQUESTER });
    expect(early).toMatchObject({ ok: false, refusal: { code: Reason.WrongState } });
  });

  it('is recorded once: a second waiver changes nothing', () => {
    const waived = run(hotfixIn('completed'), waive('first'), REQUESTER);
    const again = decide(waived, waive('second'), { now: NOW, actor: ONCALL });
    expect(again).toMatchObject({ ok: true, events: [] });
  });
});
