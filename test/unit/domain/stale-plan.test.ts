import { decide } from '../../../src/domain/decide.js';
import { APPROVER_A, NOW, REQUESTER, planned, run } from './builders.js';

/** A plan at version 2: the requester revised version 1. */
function revisedOnce() {
  const h = planned();
  return run(h, { type: 'revise', services: h.services, severity: 2, reason: 'new tag' }, REQUESTER);
}

describe('reject and revise are decisions about the plan version the person was shown', () => {
  it('refuses a reject of version 1 once the plan is at version 2', () => {
    const h = revisedOnce();
    const decision = decide(
      h,
      { type: 'reject', reason: 'no', planVersion: 1 },
      { now: NOW, actor: APPROVER_A },
    );
    expect(decision).toMatchObject({ ok: false, refusal: { code: 'stale_plan' } });
  });

  it('refuses a revise of version 1 once the plan is at version 2', () => {
    const h = revisedOnce();
    const command = { type: 'revise' as const, services: h.services, severity: 1 as const, planVersion: 1 };
    const decision = decide(h, command, { now: NOW, actor: REQUESTER });
    expect(decision).toMatchObject({ ok: false, refusal: { code: 'stale_plan' } });
  });

  it('accepts a reject of the version shown', () => {
    const h = revisedOnce();
    const decision = decide(
      h,
      { type: 'reject', reason: 'no', planVersion: 2 },
      { now: NOW, actor: APPROVER_A },
    );
    expect(decision).toMatchObject({ ok: true, events: [{ type: 'rejected', planVersion: 2 }] });
  });
});
