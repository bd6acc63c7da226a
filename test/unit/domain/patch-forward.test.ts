import { apply } from '../../../src/domain/apply.js';
import { decide } from '../../../src/domain/decide.js';
import type { Hotfix } from '../../../src/domain/hotfix.js';
import { isTerminal } from '../../../src/domain/hotfix.js';
import { decideHandover, patchForwardProblem } from '../../../src/domain/patch-forward.js';
import { Reason } from '../../../src/domain/reasons.js';
import { APPROVER_A, NOW, ONCALL, REQUESTER, STRANGER, hotfixIn, planned, run } from './builders.js';

const ctx = (actor = REQUESTER) => ({ now: NOW, actor });

/** A failed HF-1 and a patch-forward plan HF-2 for it, planned by the on-call engineer. */
function pair(): { failed: Hotfix; next: Hotfix } {
  const failed = hotfixIn('failed');
  const next = planned(
    {
      id: 'HF-2',
      ulid: '01JD0000000000000000000002',
      supersedes: { ulid: failed.ulid, id: failed.id },
      services: [
        { service: 'decanting-service', tag: '24-02-05.619-hotfix.628', method: 'jenkins-multi-deploy' },
      ],
    },
    NOW,
    ONCALL,
  );
  return { failed, next };
}

/** The events of approving `next`, decided as the store would be asked to write them. */
function approval(next: Hotfix) {
  const decision = decide(next, { type: 'approve', planVersion: next.planVersion }, ctx(APPROVER_A));
  if (!decision.ok) throw new Error(decision.refusal.message);
  return decision.events;
}

describe('planning a patch forward', () => {
  it('is allowed on a failed hotfix, for its client and env, to whoever may retry it', () => {
    const failed = hotfixIn('failed');
    for (const actor of [REQUESTER, ONCALL])
      expect(patchForwardProblem(failed, { client: 'acme', env: 'staging' }, ctx(actor))).toBeUndefined();
    expect(patchForwardProblem(failed, { client: 'acme', env: 'staging' }, ctx(STRANGER))).toMatchObject({
      code: Reason.NotOperator,
      message: expect.stringContaining('patch forward HF-1'),
    });
  });

  it('is refused for another client or env, naming the one the lock is for', () => {
    const problem = patchForwardProblem(hotfixIn('failed'), { client: 'acme', env: 'prod' }, ctx());
    expect(problem).toMatchObject({ code: Reason.NotPatchable });
    expect(problem?.message).toContain('deploys to acme staging');
    expect(problem?.message).toContain('this plan is for acme prod');
  });

  it('is refused unless the hotfix is failed, saying what state it is in', () => {
    for (const state of ['deploying', 'completed', 'rolled_back', 'superseded', 'resolved'] as const) {
      const problem = patchForwardProblem(hotfixIn(state), undefined, ctx());
      expect({ state, code: problem?.code }).toEqual({ state, code: Reason.WrongState });
      expect(problem?.message).toContain('only while failed');
    }
  });

  it('records the hotfix it patches on the new plan', () => {
    const { failed, next } = pair();
    expect(next.supersedes).toEqual({ ulid: failed.ulid, id: 'HF-1' });
    expect(planned().supersedes).toBeUndefined();
  });
});

describe('approving a patch forward', () => {
  it('supersedes the failed hotfix in the name of who planned the patch, once the approval completes', () => {
    const { failed, next } = pair();
    const events = approval(next);
    const handover = decideHandover(next, events, failed, ctx(ONCALL));
    expect(handover.kind).toBe('supersede');
    if (handover.kind !== 'supersede') return;
    expect(handover.events).toEqual([
      expect.objectContaining({ type: 'superseded', supersededBy: 'HF-2', by: ONCALL.userId }),
    ]);
    const after = handover.events.reduce(apply, failed);
    expect(after).toMatchObject({ state: 'superseded', supersededBy: 'HF-2' });
    expect(isTerminal(after.state)).toBe(true);
    // The record lets go of the lock; the store hands it to HF-2 in the same write.
    expect(after.lock).toBeUndefined();
    expect(events.reduce(apply, next).state).toBe('approved');
  });

  it('leaves the failed hotfix alone on an approval that does not complete the plan', () => {
    const { failed } = pair();
    const prod = planned({
      id: 'HF-2',
      env: 'prod',
      supersedes: { ulid: failed.ulid, id: failed.id },
    });
    expect(prod.approvalsRequired).toBeGreaterThan(1);
    const events = approval(prod);
    expect(events.map((e) => e.type)).toEqual(['approval_given']);
    expect(decideHandover(prod, events, failed, ctx())).toEqual({ kind: 'none' });
  });

  it('refuses the approval when the failed hotfix moved on (retried, rolled back, superseded by another)', () => {
    const { failed, next } = pair();
    const retried = run(failed, { type: 'retry' }, REQUESTER);
    const other = run(failed, { type: 'supersede', supersededBy: 'HF-7' }, ONCALL);
    for (const moved of [retried, hotfixIn('rolled_back'), other, undefined]) {
      const handover = decideHandover(next, approval(next), moved, ctx(ONCALL));
      expect(handover).toMatchObject({
        kind: 'refused',
        decision: { refusal: { code: Reason.NotPatchable } },
      });
      if (handover.kind === 'refused')
        expect(handover.decision.refusal.message).toContain('no longer applies and nothing was approved');
    }
    const byOther = decideHandover(next, approval(next), other, ctx(ONCALL));
    if (byOther.kind === 'refused') expect(byOther.decision.refusal.message).toContain('superseded by HF-7');
  });

  it('refuses when whoever planned the patch may no longer act on the failed hotfix', () => {
    const { failed, next } = pair();
    const handover = decideHandover(next, approval(next), failed, ctx({ userId: 'U0ONCALL', groups: [] }));
    expect(handover).toMatchObject({ kind: 'refused', decision: { refusal: { code: Reason.NotOperator } } });
  });

  it('is an ordinary approval again after the patch already took the lock (approved, revised, approved)', () => {
    const { failed, next } = pair();
    const superseded = run(failed, { type: 'supersede', supersededBy: 'HF-2' }, ONCALL);
    expect(decideHandover(next, approval(next), superseded, ctx(ONCALL))).toEqual({ kind: 'none' });
    expect(decideHandover(planned(), approval(planned()), undefined, ctx())).toEqual({ kind: 'none' });
  });
});
