import { decide } from '../../../src/domain/decide.js';
import type { Actor, HotfixCommand, HotfixCommandType } from '../../../src/domain/commands.js';
import type { Hotfix, HotfixState } from '../../../src/domain/hotfix.js';
import { STATES } from '../../../src/domain/hotfix.js';
import { apply } from '../../../src/domain/apply.js';
import { Reason } from '../../../src/domain/reasons.js';
import { ADMIN, APPROVER_A, BOT, NOW, ONCALL, REQUESTER, hotfixIn, run } from './builders.js';

type Tested = Exclude<HotfixCommandType, 'acknowledge_break_glass'>;

const LOCK_HOLDING: HotfixState[] = [
  'preparing',
  'deploying',
  'awaiting_input',
  'verifying',
  'failed',
  'rolling_back',
  'rollback_failed',
];
const TERMINAL: HotfixState[] = [
  'completed',
  'rolled_back',
  'cancelled',
  'rejected',
  'expired',
  'superseded',
  'resolved',
];
const same = (states: HotfixState[]) =>
  Object.fromEntries(states.map((s) => [s, s])) as Partial<Record<HotfixState, HotfixState>>;
const to = (states: HotfixState[], target: HotfixState) =>
  Object.fromEntries(states.map((s) => [s, target])) as Partial<Record<HotfixState, HotfixState>>;

/** DESIGN.md section 2, written out independently of the code: the state each accepted command leads to. */
const NEXT: Record<Tested, Partial<Record<HotfixState, HotfixState>>> = {
  revise: { planned: 'planned', approved: 'planned' },
  approve: { planned: 'approved' },
  reject: { planned: 'rejected' },
  cancel: {
    ...to(['planned', 'approved', 'queued', 'preparing'], 'cancelled'),
    deploying: 'deploying', // cancel is requested; the method aborts, then deploy_aborted cancels
    awaiting_input: 'awaiting_input',
  },
  answer_input: { awaiting_input: 'deploying' },
  // In approved only while a required change record that failed holds the hotfix (the sample sets that up).
  retry: { failed: 'deploying', approved: 'approved' },
  // While the problem is ongoing; the sample has a maintenance to extend.
  extend_maintenance: same([
    'deploying',
    'awaiting_input',
    'verifying',
    'failed',
    'rolling_back',
    'rollback_failed',
  ]),
  // From completed the lock was released: the rollback queues for it first.
  rollback: { verifying: 'rolling_back', failed: 'rolling_back', completed: 'rollback_queued' },
  supersede: { failed: 'superseded' },
  resolve: to(['approved', 'queued', 'rollback_queued', ...LOCK_HOLDING], 'resolved'),
  handoff: same(STATES.filter((s) => !TERMINAL.includes(s))),
  tick_triage: same(['planned', 'approved']),
  unlock: to(LOCK_HOLDING, 'resolved'),
  waive_forward_port: { completed: 'completed' },
  expire: { planned: 'expired' },
  queue: { approved: 'queued' },
  acquire_lock: { queued: 'preparing', rollback_queued: 'rolling_back' },
  prepare: { preparing: 'preparing' },
  start_deploy: { preparing: 'deploying' },
  update_stages: same(['deploying', 'awaiting_input', 'verifying', 'rolling_back']),
  request_input: { deploying: 'awaiting_input' },
  note_input_answered_outside: { awaiting_input: 'deploying' },
  deploy_succeeded: { deploying: 'verifying' },
  deploy_failed: { preparing: 'failed', deploying: 'failed', awaiting_input: 'failed' },
  deploy_aborted: { deploying: 'cancelled', awaiting_input: 'cancelled' },
  verify_succeeded: { verifying: 'completed' },
  // The sample is on staging, where the fixture's policy rolls a smoke-test failure back by itself.
  verify_failed: { verifying: 'rolling_back' },
  rollback_succeeded: { rolling_back: 'rolled_back' },
  rollback_failed: { rolling_back: 'rollback_failed' },
  record_intent: same([...STATES]),
  record_result: same([...STATES]),
  finalize: same(TERMINAL),
};

const LATER = new Date(NOW.getTime() + 5 * 3600_000);

/** A valid command of each type, by someone allowed to give it; `setup` adds what the command needs first. */
const SAMPLES: Record<
  Tested,
  { command: HotfixCommand; actor: Actor; now?: Date; setup?: (h: Hotfix) => Hotfix }
> = {
  revise: {
    command: {
      type: 'revise',
      services: [
        { service: 'decanting-service', tag: '24-02-05.619-hotfix.628', method: 'jenkins-multi-deploy' },
      ],
      severity: 2,
    },
    actor: REQUESTER,
  },
  approve: { command: { type: 'approve', planVersion: 1 }, actor: APPROVER_A },
  reject: { command: { type: 'reject', reason: 'wrong tag' }, actor: APPROVER_A },
  cancel: { command: { type: 'cancel', reason: 'not needed' }, actor: REQUESTER },
  answer_input: { command: { type: 'answer_input', inputId: 'Proceed', proceed: true }, actor: ONCALL },
  extend_maintenance: {
    command: { type: 'extend_maintenance' },
    actor: ONCALL,
    setup: (h) => ({ ...h, refs: { ...h.refs, statuspageIncidentId: 'inc1' } }),
  },
  retry: {
    command: { type: 'retry' },
    actor: ONCALL,
    setup: (h) =>
      h.state === 'approved'
        ? {
            ...h,
            steps: {
              ...h.steps,
              record_jira_failed_0: {
                result: { at: NOW.toISOString(), detail: 'unavailable: Jira answered 503' },
              },
            },
          }
        : h,
  },
  rollback: { command: { type: 'rollback', reason: 'errors up' }, actor: ONCALL },
  supersede: { command: { type: 'supersede', supersededBy: 'HF-2' }, actor: ONCALL },
  resolve: { command: { type: 'resolve', reason: 'fixed by hand' }, actor: ONCALL },
  handoff: { command: { type: 'handoff', to: 'U0NEXTSHIFT' }, actor: REQUESTER },
  tick_triage: { command: { type: 'tick_triage', ticked: ['real_hotfix'] }, actor: REQUESTER },
  unlock: { command: { type: 'unlock', reason: 'stuck since Jenkins died' }, actor: ADMIN },
  waive_forward_port: {
    command: { type: 'waive_forward_port', reason: 'main was rewritten in 2.15' },
    actor: ONCALL,
  },
  expire: { command: { type: 'expire' }, actor: BOT, now: LATER },
  queue: { command: { type: 'queue' }, actor: BOT },
  acquire_lock: { command: { type: 'acquire_lock', lock: { token: 9 } }, actor: BOT },
  prepare: {
    command: { type: 'prepare', versionsBefore: { 'decanting-service': '1' }, deployPlan: [] },
    actor: BOT,
  },
  start_deploy: {
    command: { type: 'start_deploy' },
    actor: BOT,
    setup: (h) =>
      h.state === 'preparing'
        ? run(h, { type: 'prepare', versionsBefore: { 'decanting-service': '1' }, deployPlan: [] })
        : h,
  },
  update_stages: {
    command: { type: 'update_stages', stages: [{ name: 'Build', status: 'running' }] },
    actor: BOT,
  },
  request_input: { command: { type: 'request_input', inputId: 'Proceed', message: 'Proceed?' }, actor: BOT },
  note_input_answered_outside: {
    command: { type: 'note_input_answered_outside', inputId: 'Proceed', proceed: true },
    actor: BOT,
  },
  deploy_succeeded: { command: { type: 'deploy_succeeded' }, actor: BOT },
  deploy_failed: { command: { type: 'deploy_failed', message: 'boom' }, actor: BOT },
  deploy_aborted: {
    command: { type: 'deploy_aborted', undone: 'the Jenkins build was aborted before the Deploy stage' },
    actor: BOT,
    setup: (h) =>
      h.state === 'deploying' || h.state === 'awaiting_input'
        ? run(h, { type: 'cancel', reason: 'wrong fix' }, REQUESTER)
        : h,
  },
  verify_succeeded: { command: { type: 'verify_succeeded' }, actor: BOT },
  verify_failed: {
    command: { type: 'verify_failed', message: 'health 500', condition: 'smoke_test_failed' },
    actor: BOT,
  },
  rollback_succeeded: { command: { type: 'rollback_succeeded' }, actor: BOT },
  rollback_failed: { command: { type: 'rollback_failed', message: 'image gone' }, actor: BOT },
  record_intent: { command: { type: 'record_intent', step: 'trigger', key: 'k1' }, actor: BOT },
  record_result: {
    command: { type: 'record_result', step: 'trigger', refs: { jenkinsBuild: '42' } },
    actor: BOT,
  },
  finalize: { command: { type: 'finalize' }, actor: BOT },
};

const cases = (Object.keys(NEXT) as Tested[]).flatMap((type) =>
  STATES.map((state) => [type, state] as const),
);

describe('the hotfix state machine (every state x command)', () => {
  const fixtures = new Map(STATES.map((s) => [s, hotfixIn(s)]));

  it('reaches every state through real decisions', () => {
    for (const state of STATES) expect(fixtures.get(state)?.state).toBe(state);
  });

  it.each(cases)('%s in %s', (type, state) => {
    const sample = SAMPLES[type];
    const h = (sample.setup ?? ((x: Hotfix) => x))(fixtures.get(state)!);
    const decision = decide(h, sample.command, { now: sample.now ?? NOW, actor: sample.actor });
    const expected = NEXT[type][state];
    if (expected === undefined) {
      expect(decision).toMatchObject({ ok: false, refusal: { code: Reason.WrongState } });
      if (!decision.ok) expect(decision.refusal.message).toContain(h.id);
      return;
    }
    if (!decision.ok)
      throw new Error(`expected ${type} to be accepted in ${state}: ${decision.refusal.message}`);
    const after = decision.events.reduce(apply, h);
    expect(after.state).toBe(expected);
    for (const event of decision.events) {
      expect(event).toMatchObject({
        by: sample.actor.userId,
        at: (sample.now ?? NOW).toISOString(),
        planVersion: h.planVersion,
      });
    }
  });
});
