import type { FreezeWindow } from '../../../src/domain/catalog.js';
import { decide, decideNew } from '../../../src/domain/decide.js';
import { Reason } from '../../../src/domain/reasons.js';
import { activeFreezes, localTime, staffingWarning } from '../../../src/domain/timing.js';
import { APPROVER_A, REQUESTER, planCommand, planned } from './builders.js';
import { testCatalog } from './fixtures.js';

const LATE_WEEK = { days: ['thu', 'fri'] as ('thu' | 'fri')[], after: '14:00', endOfDay: '16:00' };

describe('local time', () => {
  it.each([
    ['2026-11-20T19:30:00Z', 'America/New_York', { weekday: 'fri', date: '2026-11-20', time: '14:30' }],
    ['2026-07-03T03:10:00Z', 'America/New_York', { weekday: 'thu', date: '2026-07-02', time: '23:10' }],
    ['2026-03-29T00:30:00Z', 'Europe/London', { weekday: 'sun', date: '2026-03-29', time: '00:30' }],
    ['2026-03-29T01:30:00Z', 'Europe/London', { weekday: 'sun', date: '2026-03-29', time: '02:30' }],
  ])('%s in %s', (instant, zone, expected) => {
    expect(localTime(new Date(instant), zone)).toEqual(expected);
  });

  it('follows the clock from minute to minute and zone to zone, forwards and back', () => {
    const at = (iso: string, zone = 'Asia/Kolkata') => localTime(new Date(iso), zone).time;
    expect(at('2026-11-20T10:29:59.999Z')).toBe('15:59');
    expect(at('2026-11-20T10:30:00.000Z')).toBe('16:00');
    expect(at('2026-11-20T10:30:00.000Z', 'UTC')).toBe('10:30');
    expect(at('2026-11-20T10:29:30.000Z')).toBe('15:59');
    expect(at('2026-11-20T10:30:59.999Z')).toBe('16:00');
  });
});

describe('staffing warnings (seed 001)', () => {
  it.each([
    ['Tuesday morning', '2026-11-17T15:00:00Z', undefined],
    ['Thursday afternoon', '2026-11-19T19:30:00Z', /late in the work week/],
    ['Friday after lunch', '2026-11-20T20:00:00Z', /late in the work week/],
    ['Tuesday evening', '2026-11-17T22:00:00Z', /end of the working day/],
    ['Saturday', '2026-11-21T15:00:00Z', /weekend/],
  ])('%s in New York', (_label, instant, expected) => {
    const warning = staffingWarning(LATE_WEEK, 'America/New_York', new Date(instant));
    if (expected === undefined) expect(warning).toBeUndefined();
    else expect(warning).toMatch(expected);
  });

  it('appears on the plan and on the approval decision', () => {
    const friday = new Date('2026-11-20T20:00:00Z');
    const decision = decideNew(planCommand(), { now: friday, actor: REQUESTER });
    expect(decision).toMatchObject({ ok: true, warnings: [expect.stringMatching(/late in the work week/)] });
    const h = planned({}, friday);
    expect(h.warnings).toHaveLength(1);
    expect(decide(h, { type: 'approve', planVersion: 1 }, { now: friday, actor: APPROVER_A })).toMatchObject({
      ok: true,
      warnings: [expect.stringMatching(/late in the work week/)],
    });
  });
});

describe('freeze windows', () => {
  const yearEnd: FreezeWindow = {
    name: 'year-end',
    kind: 'dates',
    from: '2026-12-24',
    to: '2027-01-02',
    envs: ['prod'],
    override: 'with-reason',
  };
  const sundayNight: FreezeWindow = {
    name: 'maintenance',
    kind: 'weekly',
    days: ['sat'],
    from: '22:00',
    to: '06:00',
    override: 'forbidden',
  };

  const frozenCatalog = () => {
    const catalog = testCatalog();
    catalog.policy.freezeWindows = [yearEnd, sundayNight];
    return catalog;
  };

  it.each([
    ['the first day of a dated window', '2026-12-24T05:00:00Z', ['year-end']],
    ['the last day, included whole', '2027-01-02T20:00:00Z', ['year-end']],
    ['the day after', '2027-01-03T17:00:00Z', []],
    ['Saturday 23:00, past midnight window start', '2026-11-22T04:00:00Z', ['maintenance']],
    ['Sunday 05:59, the window spilling over', '2026-11-22T10:59:00Z', ['maintenance']],
    ['Sunday 06:00, after it', '2026-11-22T11:00:00Z', []],
  ])('%s', (_label, instant, names) => {
    const active = activeFreezes(
      frozenCatalog().policy,
      { client: 'acme', env: 'prod', timezone: 'America/New_York' },
      new Date(instant),
    );
    expect(active.map((w) => w.name)).toEqual(names);
  });

  it('applies only to the envs a window names', () => {
    const active = activeFreezes(
      frozenCatalog().policy,
      { client: 'acme', env: 'staging', timezone: 'America/New_York' },
      new Date('2026-12-25T15:00:00Z'),
    );
    expect(active).toEqual([]);
  });

  it('refuses a plan in a forbidden window and says when it is', () => {
    const saturdayNight = new Date('2026-11-22T04:00:00Z');
    const decision = decideNew(planCommand({ env: 'prod' }, frozenCatalog()), {
      now: saturdayNight,
      actor: REQUESTER,
    });
    expect(decision).toMatchObject({ ok: false, refusal: { code: Reason.Frozen } });
    if (!decision.ok) expect(decision.refusal.message).toContain('maintenance (sat 22:00-06:00)');
  });

  it('allows an overridable window with a reason, and keeps the override on the record', () => {
    const christmas = new Date('2026-12-25T15:00:00Z');
    const withoutReason = decideNew(planCommand({ env: 'prod' }, frozenCatalog()), {
      now: christmas,
      actor: REQUESTER,
    });
    expect(withoutReason).toMatchObject({ ok: false, refusal: { code: Reason.Frozen } });
    if (!withoutReason.ok) expect(withoutReason.refusal.message).toContain('override="');
    const h = planned(
      {
        env: 'prod',
        freezeOverrideReason: 'orders lost every hour',
        snapshot: planCommand({ env: 'prod' }, frozenCatalog()).snapshot,
      },
      christmas,
    );
    expect(h.freezeOverride).toEqual({
      window: 'year-end',
      reason: 'orders lost every hour',
      by: REQUESTER.userId,
    });
  });

  it('re-checks at approval: a window that opened since the plan blocks the approval', () => {
    const snapshot = planCommand({ env: 'prod' }, frozenCatalog()).snapshot;
    const h = planned({ env: 'prod', severity: 1, snapshot }, new Date('2026-11-22T02:00:00Z'));
    const decision = decide(
      h,
      { type: 'approve', planVersion: 1 },
      { now: new Date('2026-11-22T04:00:00Z'), actor: APPROVER_A },
    );
    expect(decision).toMatchObject({ ok: false, refusal: { code: Reason.Frozen } });
  });
});
