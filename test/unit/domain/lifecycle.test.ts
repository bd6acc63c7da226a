import type { Actor, HotfixCommand } from '../../../src/domain/commands.js';
import { decide } from '../../../src/domain/decide.js';
import type { Hotfix } from '../../../src/domain/hotfix.js';
import { Reason } from '../../../src/domain/reasons.js';
import { ADMIN, BOT, NOW, ONCALL, REQUESTER, STRANGER, hotfixIn, run } from './builders.js';

/** The hotfix with a policy that never rolls back by itself. */
const withoutAutoRollback = (h: Hotfix): Hotfix => ({
  ...h,
  snapshot: { ...h.snapshot, policy: { ...h.snapshot.policy, autoRollback: {} } },
});

const attempt = (h: Hotfix, command: HotfixCommand, actor: Actor = BOT, paused = false) =>
  decide(h, command, { now: NOW, actor, paused });

describe('the (client, env) lock', () => {
  it('is refused while another hotfix holds it, naming the holder', () => {
    const decision = attempt(hotfixIn('queued'), {
      type: 'acquire_lock',
      lock: { token: 3, heldBy: 'HF-9' },
    });
    expect(decision).toMatchObject({ ok: false, refusal: { code: Reason.LockHeld } });
    if (!decision.ok) expect(decision.refusal.message).toContain('HF-9');
  });

  it('is not taken while deploys are paused', () => {
    expect(
      attempt(hotfixIn('queued'), { type: 'acquire_lock', lock: { token: 3 } }, BOT, true),
    ).toMatchObject({
      ok: false,
      refusal: { code: Reason.Paused },
    });
  });

  it('carries its fencing token, stays held through failure, and is released by any terminal state', () => {
    expect(hotfixIn('preparing').lock).toMatchObject({ token: 7 });
    expect(hotfixIn('failed').lock).toMatchObject({ token: 7 });
    for (const state of ['completed', 'rolled_back', 'cancelled', 'superseded', 'resolved'] as const) {
      expect(hotfixIn(state).lock).toBeUndefined();
    }
  });

  it('is queued for again to roll back a completed hotfix, and rolling back starts only with it', () => {
    const completed = hotfixIn('completed');
    const queued = run(completed, { type: 'rollback', reason: 'errors' }, ONCALL);
    expect(queued).toMatchObject({ state: 'rollback_queued', decision: { reason: 'errors' } });
    expect(queued.lock).toBeUndefined();
    expect(attempt(queued, { type: 'acquire_lock', lock: { token: 8, heldBy: 'HF-4' } })).toMatchObject({
      ok: false,
      refusal: { code: Reason.LockHeld },
    });
    const rolling = run(queued, { type: 'acquire_lock', lock: { token: 8 } });
    expect(rolling).toMatchObject({ state: 'rolling_back', lock: { token: 8 } });
  });
});

describe('a failure while preparing (the running versions could not be read)', () => {
  const failedPreparing = () =>
    run(hotfixIn('preparing'), {
      type: 'deploy_failed',
      message: 'Jenkins refused the credentials. Nothing was deployed.',
    });

  it('fails the hotfix in the deploy phase before any attempt, keeping the lock', () => {
    const h = failedPreparing();
    expect(h).toMatchObject({ state: 'failed', attempts: 0, lock: { token: 7 } });
    expect(h.failure).toMatchObject({
      phase: 'deploy',
      message: expect.stringContaining('Nothing was deployed'),
    });
    expect(h.times.deployStartedAt).toBeUndefined();
    expect(h.versionsBefore).toBeUndefined();
  });

  it('is retried by preparing again, never by deploying without the rollback target', () => {
    const again = run(failedPreparing(), { type: 'retry' }, ONCALL);
    expect(again).toMatchObject({ state: 'preparing', attempts: 0, lock: { token: 7 } });
    expect(again.failure).toBeUndefined();
    const prepared = run(again, {
      type: 'prepare',
      versionsBefore: { 'decanting-service': '24-01-20.600' },
      deployPlan: ['build'],
    });
    expect(run(prepared, { type: 'start_deploy' })).toMatchObject({ state: 'deploying', attempts: 1 });
  });

  it('cannot be rolled back: nothing was deployed and no earlier version is recorded', () => {
    expect(attempt(failedPreparing(), { type: 'rollback', reason: 'undo' }, ONCALL)).toMatchObject({
      ok: false,
      refusal: { code: Reason.NothingToRollBack },
    });
  });
});

describe('deploying', () => {
  it('cannot start before the running versions are recorded (the rollback source)', () => {
    expect(attempt(hotfixIn('preparing'), { type: 'start_deploy' })).toMatchObject({ ok: false });
    const h = hotfixIn('deploying');
    expect(h.versionsBefore).toEqual({ 'decanting-service': '24-01-20.600' });
    expect(h.attempts).toBe(1);
  });

  it('cancels in two steps while deploying: requested, then aborted by the method with what was undone', () => {
    let h = run(hotfixIn('deploying'), { type: 'cancel', reason: 'wrong build' }, REQUESTER);
    expect(h).toMatchObject({
      state: 'deploying',
      cancelRequest: { by: REQUESTER.userId, reason: 'wrong build' },
    });
    expect(attempt(h, { type: 'cancel', reason: 'again' }, REQUESTER)).toMatchObject({
      ok: true,
      events: [],
    });
    h = run(h, { type: 'deploy_aborted', undone: 'build aborted before Deploy' });
    expect(h).toMatchObject({ state: 'cancelled', decision: { reason: 'wrong build' } });
    expect(h.lock).toBeUndefined();
  });

  it('offers a rollback after a cancel that stopped the deploy, queued for the lock again; none before any deploy', () => {
    const stopped = run(run(hotfixIn('deploying'), { type: 'cancel', reason: 'wrong build' }, REQUESTER), {
      type: 'deploy_aborted',
      undone: 'build aborted after Deploy',
    });
    const queued = run(stopped, { type: 'rollback', reason: 'undo what Deploy changed' }, ONCALL);
    expect(queued).toMatchObject({
      state: 'rollback_queued',
      decision: { reason: 'undo what Deploy changed' },
    });
    expect(queued.lock).toBeUndefined();
    const early = run(hotfixIn('queued'), { type: 'cancel', reason: 'not needed' }, REQUESTER);
    expect(early.state).toBe('cancelled');
    expect(attempt(early, { type: 'rollback', reason: 'undo' }, ONCALL)).toMatchObject({
      ok: false,
      refusal: { code: Reason.WrongState },
    });
  });

  it('ends a deploy that ended aborted after a cancel request as the cancel, never as a failure', () => {
    const ended = { type: 'deploy_failed', message: 'build #4 ended ABORTED', aborted: true } as const;
    // Nobody asked for a cancel: an abort in Jenkins (someone clicked stop) fails the hotfix with what it said.
    expect(run(hotfixIn('deploying'), ended)).toMatchObject({
      state: 'failed',
      failure: { phase: 'deploy', message: 'build #4 ended ABORTED' },
    });
    // A cancel was asked for (a look that began before it lands after the abort): nothing happens here; the abort
    // step records the cancel with what was and was not undone.
    const asked = run(hotfixIn('deploying'), { type: 'cancel', reason: 'wrong build' }, REQUESTER);
    expect(attempt(asked, ended)).toMatchObject({ ok: true, events: [] });
    expect(run(asked, { type: 'deploy_aborted', undone: 'queue item 3 cancelled' })).toMatchObject({
      state: 'cancelled',
    });
    // A deploy that failed on its own is still a failure, cancel or not.
    expect(run(asked, { type: 'deploy_failed', message: 'Smoke test failed' }).state).toBe('failed');
  });

  it('makes an Abort answered in Jenkins itself a cancel, noting who Jenkins says answered', () => {
    const waiting = hotfixIn('awaiting_input');
    const decision = attempt(waiting, {
      type: 'note_input_answered_outside',
      inputId: 'Proceed',
      proceed: false,
      by: 'jenkins-admin',
    });
    expect(decision).toMatchObject({
      ok: true,
      events: [
        {
          type: 'input_answered',
          inputId: 'Proceed',
          proceed: false,
          outside: true,
          answeredBy: 'jenkins-admin',
        },
        { type: 'cancel_requested' },
      ],
    });
    const cancelling = run(waiting, {
      type: 'note_input_answered_outside',
      inputId: 'Proceed',
      proceed: false,
      by: 'jenkins-admin',
    });
    expect(cancelling).toMatchObject({
      state: 'deploying',
      answers: { Proceed: { proceed: false, outside: true } },
    });
    expect(cancelling.cancelRequest?.reason).toBe(
      'Abort answered in Jenkins itself by jenkins-admin at "Proceed to prod?"',
    );
    // The build's end is then the cancel's.
    expect(attempt(cancelling, { type: 'deploy_failed', message: 'ABORTED', aborted: true })).toMatchObject({
      ok: true,
      events: [],
    });
    // After a cancel request, the input's abort is the bot's own: nothing is noted as answered outside.
    const asked = run(waiting, { type: 'cancel', reason: 'not today' }, REQUESTER);
    expect(
      attempt(asked, {
        type: 'note_input_answered_outside',
        inputId: 'Proceed',
        proceed: false,
        by: 'hotfix-bot',
      }),
    ).toMatchObject({ ok: true, events: [] });
    // Proceed in Jenkins goes on, as before.
    const proceeded = run(waiting, {
      type: 'note_input_answered_outside',
      inputId: 'Proceed',
      proceed: true,
    });
    expect(proceeded.cancelRequest).toBeUndefined();
    expect(proceeded.state).toBe('deploying');
  });

  it('refuses an abort report nobody asked for', () => {
    expect(attempt(hotfixIn('deploying'), { type: 'deploy_aborted', undone: '' })).toMatchObject({
      ok: false,
    });
  });

  it('answers only the pending input; abort becomes a cancel request', () => {
    const waiting = hotfixIn('awaiting_input');
    expect(waiting.pendingInput).toEqual({ id: 'Proceed', message: 'Proceed to prod?' });
    expect(attempt(waiting, { type: 'answer_input', inputId: 'Old', proceed: true }, ONCALL)).toMatchObject({
      ok: false,
    });
    expect(
      attempt(waiting, { type: 'answer_input', inputId: 'Proceed', proceed: true }, STRANGER),
    ).toMatchObject({
      ok: false,
      refusal: { code: Reason.NotOperator },
    });
    const proceeded = run(waiting, { type: 'answer_input', inputId: 'Proceed', proceed: true }, ONCALL);
    expect(proceeded.state).toBe('deploying');
    expect(proceeded.pendingInput).toBeUndefined();
    const aborted = run(waiting, { type: 'answer_input', inputId: 'Proceed', proceed: false }, ONCALL);
    expect(aborted.cancelRequest?.reason).toContain('Proceed to prod?');
  });

  it('keeps the failure with its condition, and a retry clears it and counts the attempt', () => {
    const failed = run(withoutAutoRollback(hotfixIn('verifying')), {
      type: 'verify_failed',
      message: '/v1/health 503',
      condition: 'smoke_test_failed',
    });
    expect(failed.failure).toMatchObject({
      phase: 'verify',
      message: '/v1/health 503',
      condition: 'smoke_test_failed',
    });
    expect(attempt(failed, { type: 'retry' }, STRANGER)).toMatchObject({
      ok: false,
      refusal: { code: Reason.NotOperator },
    });
    const retried = run(failed, { type: 'retry' }, REQUESTER);
    expect(retried).toMatchObject({ state: 'deploying', attempts: 2 });
    expect(retried.failure).toBeUndefined();
  });

  it('refuses a rollback with nothing recorded to return to', () => {
    const failed = { ...hotfixIn('failed') };
    delete failed.versionsBefore;
    expect(attempt(failed, { type: 'rollback', reason: 'x' }, ONCALL)).toMatchObject({
      ok: false,
      refusal: { code: Reason.NothingToRollBack },
    });
  });
});

describe('overrides', () => {
  it('hands a hotfix to the next shift, who may then operate it', () => {
    const h = run(hotfixIn('failed'), { type: 'handoff', to: STRANGER.userId }, REQUESTER);
    expect(h.owner).toBe(STRANGER.userId);
    expect(attempt(h, { type: 'retry' }, STRANGER)).toMatchObject({ ok: true });
    expect(attempt(h, { type: 'handoff', to: STRANGER.userId }, REQUESTER)).toMatchObject({ ok: false });
  });

  it('unlocks only for admins, with a reason, resolving the holder', () => {
    const failed = hotfixIn('failed');
    expect(attempt(failed, { type: 'unlock', reason: 'stale' }, ONCALL)).toMatchObject({
      ok: false,
      refusal: { code: Reason.NotAdmin },
    });
    expect(attempt(failed, { type: 'unlock', reason: '' }, ADMIN)).toMatchObject({
      ok: false,
      refusal: { code: Reason.ReasonRequired },
    });
    const unlocked = run(failed, { type: 'unlock', reason: 'Jenkins lost the build' }, ADMIN);
    expect(unlocked).toMatchObject({
      state: 'resolved',
      decision: { by: ADMIN.userId, reason: 'Jenkins lost the build' },
    });
    expect(unlocked.lock).toBeUndefined();
  });

  it('patches forward: the failed hotfix is superseded and lets go of the lock', () => {
    const h = run(hotfixIn('failed'), { type: 'supersede', supersededBy: 'HF-2' }, ONCALL);
    expect(h).toMatchObject({ state: 'superseded', supersededBy: 'HF-2' });
    expect(h.lock).toBeUndefined();
  });
});

describe('workflow bookkeeping', () => {
  it('records a step intent, then its result once; a second result is a no-op', () => {
    let h = run(hotfixIn('deploying'), { type: 'record_intent', step: 'trigger', key: 'HF1-trigger-1' });
    expect(h.steps['trigger']?.intent?.key).toBe('HF1-trigger-1');
    h = run(h, {
      type: 'record_result',
      step: 'trigger',
      detail: 'queue item 12',
      refs: { jenkinsQueueItem: '12' },
    });
    expect(h.refs).toEqual({ jenkinsQueueItem: '12' });
    expect(
      attempt(h, { type: 'record_result', step: 'trigger', refs: { jenkinsQueueItem: '13' } }),
    ).toMatchObject({ ok: true, events: [] });
    expect(attempt(h, { type: 'record_intent', step: 'trigger', key: 'again' })).toMatchObject({
      ok: true,
      events: [],
    });
  });

  it("replaces the recorded deploy plan with the one a later attempt's start records, and keeps it otherwise", () => {
    const h = hotfixIn('deploying');
    const prepared = h.deployPlan;
    expect(run(h, { type: 'record_result', step: 'start_1', refs: {} }).deployPlan).toEqual(prepared);
    const retried = run(h, { type: 'record_result', step: 'start_2', deployPlan: ['HOTFIX_ID=X-2'] });
    expect(retried.deployPlan).toEqual(['HOTFIX_ID=X-2']);
  });

  it('lets a runner take over a claim only by naming the claim it found, so two takers cannot both win', () => {
    const claimed = run(hotfixIn('deploying'), { type: 'record_intent', step: 'post_status', key: 'first' });
    expect(attempt(claimed, { type: 'record_intent', step: 'post_status', key: 'second' })).toMatchObject({
      ok: true,
      events: [],
    });
    const taken = run(claimed, {
      type: 'record_intent',
      step: 'post_status',
      key: 'second',
      replaces: 'first',
    });
    expect(taken.steps['post_status']?.intent?.key).toBe('second');
    // A second taker still naming the old claim loses.
    expect(
      attempt(taken, { type: 'record_intent', step: 'post_status', key: 'third', replaces: 'first' }),
    ).toMatchObject({ ok: true, events: [] });
  });

  it('finalizes each terminal entry exactly once, again after a completed hotfix is rolled back', () => {
    let h = hotfixIn('completed');
    h = run(h, { type: 'finalize' });
    expect(h.finalizedSeq).toBe(h.stateSince.seq);
    expect(attempt(h, { type: 'finalize' })).toMatchObject({ ok: true, events: [] });
    h = run(h, { type: 'rollback', reason: 'late errors' }, ONCALL);
    h = run(h, { type: 'acquire_lock', lock: { token: 11 } });
    h = run(h, { type: 'rollback_succeeded' });
    const decision = attempt(h, { type: 'finalize' });
    expect(decision).toMatchObject({
      ok: true,
      events: [{ type: 'finalized', terminalSeq: h.stateSince.seq }],
    });
  });
});

describe('rolling back', () => {
  const smokeTest = {
    type: 'verify_failed',
    message: '/v1/health 503',
    condition: 'smoke_test_failed',
  } as const;

  it('rolls back by itself, in the same write as the failure, where the policy says so for the env', () => {
    const decision = decide(hotfixIn('verifying'), smokeTest, { now: NOW, actor: BOT });
    if (!decision.ok) throw new Error(decision.refusal.message);
    expect(decision.events.map((e) => e.type)).toEqual(['failed', 'rollback_started']);
    const rolling = run(hotfixIn('verifying'), smokeTest);
    expect(rolling).toMatchObject({
      state: 'rolling_back',
      failure: { phase: 'verify', condition: 'smoke_test_failed' },
      decision: { by: 'system' },
      lock: { token: 7 },
    });
    expect(rolling.decision?.reason).toMatch(
      /Automatic rollback.*Smoke test fails.*staging.*policy\.autoRollback/,
    );
  });

  it('leaves the failure to people where the policy does not allow it, or the matrix says wait', () => {
    expect(run(withoutAutoRollback(hotfixIn('verifying')), smokeTest).state).toBe('failed');
    const slow = { ...smokeTest, condition: 'performance_degraded' } as const;
    expect(run(hotfixIn('verifying'), slow).state).toBe('failed');
  });

  it('is accepted while verifying, keeping the lock, for operators only', () => {
    const verifying = hotfixIn('verifying');
    expect(attempt(verifying, { type: 'rollback', reason: 'errors' }, STRANGER)).toMatchObject({
      ok: false,
      refusal: { code: Reason.NotOperator },
    });
    expect(run(verifying, { type: 'rollback', reason: 'errors' }, ONCALL)).toMatchObject({
      state: 'rolling_back',
      lock: { token: 7 },
    });
  });

  it('refuses a rehearsal with no version recorded, and a method whose rollback is not built', () => {
    const completed = hotfixIn('completed');
    const unknown = { ...completed, versionsBefore: {} };
    expect(attempt(unknown, { type: 'rollback', reason: 'errors' }, ONCALL)).toMatchObject({
      ok: false,
      refusal: { code: Reason.NothingToRollBack },
    });
    const runOnce = { ...completed, method: 'ecs-run-once' as const };
    expect(attempt(runOnce, { type: 'rollback', reason: 'errors' }, ONCALL)).toMatchObject({
      ok: false,
      refusal: { code: Reason.NothingToRollBack, message: expect.stringContaining('ecs-run-once') },
    });
  });
});
