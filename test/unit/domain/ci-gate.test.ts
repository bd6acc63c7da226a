/**
 * The CI verdict and the plan-time gate (seed 001: CI must pass before a deploy): a failure wins over anything still
 * running, a commit without checks is never green, and pending holds or refuses per the service's policy until the
 * wait runs out.
 */
import { ciGate, DEFAULT_CI_POLICY } from '../../../src/domain/ci-gate.js';
import { ciVerdict, describeCiVerdict, type CiCheck } from '../../../src/domain/ci-verdict.js';
import { Reason } from '../../../src/domain/reasons.js';

const SHA = '3f2a9c1d00000000000000000000000000000000';
const passed: CiCheck = { name: 'build', state: 'passed', detail: 'success' };
const failed: CiCheck = {
  name: 'unit',
  state: 'failed',
  detail: 'failure',
  url: 'https://github.com/o/r/runs/7',
};
const running: CiCheck = { name: 'e2e', state: 'pending', detail: 'in_progress' };
const now = new Date('2026-11-30T10:00:00Z');

describe('ciVerdict', () => {
  it.each([
    ['no checks', [], 'none'],
    ['all passed', [passed], 'green'],
    ['one running', [passed, running], 'pending'],
    ['one failed while another runs', [running, failed, passed], 'red'],
  ] as const)('%s -> %s', (_what, checks, kind) => {
    expect(ciVerdict(checks).kind).toBe(kind);
  });

  it('names failing checks with their links and what is still running', () => {
    expect(describeCiVerdict(ciVerdict([failed, running]), SHA)).toBe(
      'CI failed on 3f2a9c1: unit (failure): https://github.com/o/r/runs/7. Fix the build and tag again.',
    );
    expect(describeCiVerdict(ciVerdict([passed, running]), SHA)).toBe(
      'CI is still running on 3f2a9c1: waiting for e2e (in_progress).',
    );
    expect(describeCiVerdict(ciVerdict([passed]), SHA)).toBe('CI is green on 3f2a9c1: 1 check passed.');
  });
});

describe('ciGate', () => {
  it('lets a green commit through', () => {
    expect(ciGate(ciVerdict([passed]), SHA, DEFAULT_CI_POLICY, now)).toEqual({ go: true });
  });

  it('refuses red with the failing checks, and a commit without checks', () => {
    const red = ciGate(ciVerdict([failed]), SHA, DEFAULT_CI_POLICY, now);
    expect(red).toMatchObject({ go: false, hold: false, refusal: { code: Reason.CiRed } });
    expect(JSON.stringify(red)).toContain('https://github.com/o/r/runs/7');
    expect(ciGate(ciVerdict([]), SHA, DEFAULT_CI_POLICY, now)).toMatchObject({
      refusal: { code: Reason.CiNone },
    });
  });

  it('holds a pending commit until the policy wait has passed since the first check, then refuses', () => {
    const policy = { whenPending: 'hold' as const, waitMinutes: 30 };
    const first = ciGate(ciVerdict([running]), SHA, policy, now);
    expect(first).toEqual({
      go: false,
      hold: true,
      message: 'Waiting for CI. CI is still running on 3f2a9c1: waiting for e2e (in_progress).',
      until: new Date('2026-11-30T10:30:00Z'),
    });
    const later = new Date('2026-11-30T10:29:59Z');
    expect(ciGate(ciVerdict([running]), SHA, policy, later, now)).toMatchObject({ hold: true });
    const expired = ciGate(ciVerdict([running]), SHA, policy, new Date('2026-11-30T10:30:00Z'), now);
    expect(expired).toMatchObject({ go: false, hold: false, refusal: { code: Reason.CiTimedOut } });
  });

  it('refuses a pending commit at once when the policy says refuse', () => {
    const gate = ciGate(ciVerdict([running]), SHA, { whenPending: 'refuse', waitMinutes: 30 }, now);
    expect(gate).toMatchObject({ hold: false, refusal: { code: Reason.CiPending } });
  });
});
