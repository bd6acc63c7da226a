/**
 * The source-host records of a hotfix: the GitHub deployment state at each hotfix state, and the forward-port steps
 * (seed 003) from "fix already on main" through pull request and reminders to merged or waived with a reason.
 */
import { STATES } from '../../../src/domain/hotfix.js';
import { Reason } from '../../../src/domain/reasons.js';
import {
  deploymentMarkFor,
  forwardPortStep,
  forwardPortText,
  waiveForwardPort,
} from '../../../src/domain/source-records.js';

const now = new Date('2026-11-30T10:00:00Z');

const ROWS = [
  [
    'nothing before the deploy, while rolling back or once resolved by hand',
    ['planned', 'approved', 'queued', 'rejected', 'expired', 'rollback_queued', 'rolling_back', 'resolved'],
    undefined,
  ],
  ['queued while preparing', ['preparing'], 'queued'],
  [
    'in progress from the deploy to the end of verifying',
    ['deploying', 'awaiting_input', 'verifying'],
    'in_progress',
  ],
  ['success on completion', ['completed'], 'success'],
  ['failure on a failed deploy', ['failed'], 'failure'],
  ['error when the rollback failed', ['rollback_failed'], 'error'],
  ['inactive once its version no longer runs', ['rolled_back', 'cancelled', 'superseded'], 'inactive'],
] as const;

describe('deploymentMarkFor', () => {
  it.each(ROWS)('marks %s', (_what, states, mark) => {
    for (const state of states) expect([state, deploymentMarkFor(state, true)]).toEqual([state, mark]);
  });

  it('has a row for every hotfix state', () => {
    expect(ROWS.flatMap(([, states]) => states).sort()).toEqual([...STATES].sort());
  });

  it('marks nothing for a hotfix cancelled or superseded before its deployment was recorded', () => {
    expect(deploymentMarkFor('cancelled', false)).toBeUndefined();
    expect(deploymentMarkFor('superseded', false)).toBeUndefined();
  });
});

describe('forwardPortStep', () => {
  const open = { number: 4, url: 'https://github.com/o/r/pull/4', state: 'open' as const };
  const base = { onDefaultBranch: false, everyHours: 24, now };

  it.each([
    [
      'the fix is on the default branch',
      { ...base, onDefaultBranch: true, pr: open },
      { step: 'done', why: 'on_default_branch' },
    ],
    [
      'it was waived',
      { ...base, pr: open, waiver: { by: 'U1', reason: 'rewritten', at: now } },
      { step: 'done', why: 'not_needed' },
    ],
    [
      'the pull request was merged',
      { ...base, pr: { ...open, state: 'merged' as const } },
      { step: 'done', why: 'merged' },
    ],
    ['there is no pull request', base, { step: 'open_pr' }],
    [
      'the last one was closed unmerged',
      { ...base, pr: { ...open, state: 'closed' as const } },
      { step: 'open_pr' },
    ],
  ])('when %s', (_what, input, expected) => {
    expect(forwardPortStep(input)).toEqual(expected);
  });

  it('reminds everyHours after the last reminder, or after now for the first', () => {
    expect(forwardPortStep({ ...base, pr: open })).toEqual({
      step: 'remind',
      at: new Date('2026-12-01T10:00:00Z'),
      pr: open,
    });
    const last = new Date('2026-11-30T08:00:00Z');
    expect(forwardPortStep({ ...base, pr: open, lastRemindedAt: last })).toMatchObject({
      at: new Date('2026-12-01T08:00:00Z'),
    });
  });
});

describe('waiveForwardPort', () => {
  it('needs a reason and keeps who and when', () => {
    expect(waiveForwardPort('U1', '   ', now)).toMatchObject({
      ok: false,
      refusal: { code: Reason.ReasonRequired },
    });
    expect(waiveForwardPort('U1', ' main was rewritten ', now)).toEqual({
      ok: true,
      waiver: { by: 'U1', reason: 'main was rewritten', at: now },
    });
  });
});

describe('forwardPortText', () => {
  it('names the hotfix, tag, branch and where it runs', () => {
    const text = forwardPortText({
      hotfixId: 'HF-7',
      service: 'decanting-service',
      tag: 'v1-hotfix.1',
      branch: 'hotfix/HOCS-1',
      defaultBranch: 'main',
      where: 'acme prod',
    });
    expect(text.title).toBe('Forward-port HF-7: hotfix/HOCS-1 into main');
    expect(text.body).toContain(
      'HF-7 deployed decanting-service v1-hotfix.1 to acme prod from hotfix/HOCS-1.',
    );
    expect(text.body).toContain('Merge this pull request to bring the fix onto main.');
  });
});
