import fc from 'fast-check';
import { apply } from '../../../src/domain/apply.js';
import type { Actor, HotfixCommand } from '../../../src/domain/commands.js';
import { decide } from '../../../src/domain/decide.js';
import type { Hotfix } from '../../../src/domain/hotfix.js';
import { holdsLock, isTerminal, lockKey } from '../../../src/domain/hotfix.js';
import { ADMIN, APPROVER_A, APPROVER_B, BOT, NOW, ONCALL, REQUESTER, STRANGER, planned } from './builders.js';

const ACTORS: Actor[] = [REQUESTER, APPROVER_A, APPROVER_B, ONCALL, ADMIN, BOT, STRANGER];

/** Commands as the workflow and people could send them; lock grants are filled in from the fold, as Redis would. */
type Step = { index: number; actor: number; minutes: number; command: HotfixCommand };

const commandArb: fc.Arbitrary<HotfixCommand> = fc.oneof(
  fc.record({ type: fc.constant('approve' as const), planVersion: fc.integer({ min: 1, max: 3 }) }),
  fc.record({
    type: fc.constant('approve' as const),
    planVersion: fc.integer({ min: 1, max: 3 }),
    breakGlassReason: fc.constantFrom('', 'site down'),
  }),
  fc.constant<HotfixCommand>({
    type: 'revise',
    services: [
      { service: 'decanting-service', tag: '24-02-05.619-hotfix.700', method: 'jenkins-multi-deploy' },
    ],
    severity: 1,
  }),
  fc.constant<HotfixCommand>({ type: 'reject', reason: 'no' }),
  fc.constant<HotfixCommand>({ type: 'acknowledge_break_glass' }),
  fc.constantFrom<HotfixCommand>({ type: 'cancel', reason: 'stop' }, { type: 'cancel', reason: '' }),
  fc.constant<HotfixCommand>({ type: 'expire' }),
  fc.constant<HotfixCommand>({ type: 'queue' }),
  fc.constant<HotfixCommand>({ type: 'acquire_lock', lock: { token: 0 } }),
  fc.constant<HotfixCommand>({
    type: 'prepare',
    versionsBefore: { 'decanting-service': 'old' },
    deployPlan: ['x'],
  }),
  fc.constant<HotfixCommand>({ type: 'start_deploy' }),
  fc.constant<HotfixCommand>({ type: 'request_input', inputId: 'Proceed', message: 'Proceed?' }),
  fc.record({
    type: fc.constant('answer_input' as const),
    inputId: fc.constantFrom('Proceed', 'Other'),
    proceed: fc.boolean(),
  }),
  fc.constant<HotfixCommand>({ type: 'deploy_succeeded' }),
  fc.constant<HotfixCommand>({ type: 'deploy_failed', message: 'boom' }),
  fc.constant<HotfixCommand>({ type: 'deploy_failed', message: 'ABORTED', aborted: true }),
  fc.record({
    type: fc.constant('note_input_answered_outside' as const),
    inputId: fc.constantFrom('Proceed', 'Other'),
    proceed: fc.boolean(),
  }),
  fc.constant<HotfixCommand>({ type: 'deploy_aborted', undone: 'aborted' }),
  fc.constant<HotfixCommand>({ type: 'verify_succeeded' }),
  fc.constant<HotfixCommand>({ type: 'verify_failed', message: 'bad' }),
  fc.constant<HotfixCommand>({ type: 'retry' }),
  fc.constant<HotfixCommand>({ type: 'rollback', reason: 'bad' }),
  fc.constant<HotfixCommand>({ type: 'rollback_succeeded' }),
  fc.constant<HotfixCommand>({ type: 'rollback_failed', message: 'x' }),
  fc.constant<HotfixCommand>({ type: 'supersede', supersededBy: 'HF-9' }),
  fc.constant<HotfixCommand>({ type: 'resolve', reason: 'by hand' }),
  fc.constant<HotfixCommand>({ type: 'handoff', to: 'U0ONCALL' }),
  fc.constant<HotfixCommand>({ type: 'unlock', reason: 'stale' }),
  fc.constant<HotfixCommand>({ type: 'finalize' }),
);

const stepArb: fc.Arbitrary<Step> = fc.record({
  index: fc.integer({ min: 0, max: 2 }),
  actor: fc.integer({ min: 0, max: ACTORS.length - 1 }),
  minutes: fc.integer({ min: 0, max: 90 }),
  command: commandArb,
});

/**
 * Fills lock grants the way production does: a grant carries only the next fencing token (never `heldBy`), and the
 * lock store grants only a free lock, so a grant while another hotfix holds it is never sent (undefined: skip the
 * step). The one-holder property on the real path, lock store included, is test/integration/lock-invariants.
 */
function withLock(command: HotfixCommand, fleet: Hotfix[], token: number): HotfixCommand | undefined {
  if (command.type !== 'acquire_lock') return command;
  if (fleet.some((h) => h.lock !== undefined)) return undefined;
  return { ...command, lock: { token } };
}

describe('invariants over any accepted event sequence', () => {
  it('keeps one lock holder per client/env given grants of a free lock only, four eyes except audited break-glass, and terminal states terminal', () => {
    fc.assert(
      fc.property(fc.array(stepArb, { maxLength: 80 }), (steps) => {
        let fleet = [
          planned({ id: 'HF-1', ulid: '01JD0000000000000000000001' }),
          planned({ id: 'HF-2', ulid: '01JD0000000000000000000002', severity: 1 }),
          planned({ id: 'HF-3', ulid: '01JD0000000000000000000003' }),
        ];
        let now = NOW.getTime();
        steps.forEach((step, n) => {
          now += step.minutes * 60_000;
          const before = fleet[step.index]!;
          const command = withLock(step.command, fleet, n + 1);
          if (!command) return;
          const decision = decide(before, command, { now: new Date(now), actor: ACTORS[step.actor]! });
          if (!decision.ok) {
            expect(decision.refusal.message.length).toBeGreaterThan(0);
            return;
          }
          const after = decision.events.reduce(apply, before);
          expect(after.seq).toBe(before.seq + decision.events.length);
          if (isTerminal(before.state) && before.state !== 'completed')
            expect(after.state).toBe(before.state);
          if (before.state === 'completed') expect(['completed', 'rolling_back']).toContain(after.state);
          fleet = fleet.map((h, i) => (i === step.index ? after : h));

          const holders = fleet.filter((h) => h.lock !== undefined);
          expect(new Set(holders.map(lockKey)).size).toBe(holders.length);
          for (const h of fleet) {
            expect(h.lock !== undefined).toBe(holdsLock(h.state));
            for (const approval of h.approvals) {
              if (approval.by === h.requester) expect(approval.breakGlass?.reason).toBeTruthy();
            }
          }
        });
      }),
      { numRuns: 300 },
    );
  });
});
