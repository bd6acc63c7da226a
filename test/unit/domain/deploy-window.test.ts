import { decide, decideNew } from '../../../src/domain/decide.js';
import { beforeWindow, resolveWindow, zonedInstant } from '../../../src/domain/deploy-window.js';
import type { PlanCommand } from '../../../src/domain/commands.js';
import { apply } from '../../../src/domain/apply.js';
import type { Hotfix } from '../../../src/domain/hotfix.js';
import { parsePlan } from '../../../src/domain/plan-grammar.js';
import { Reason } from '../../../src/domain/reasons.js';
import { snapshotOf } from '../../../src/domain/snapshot.js';
import { APPROVER_A, NOW, REQUESTER, planCommand } from './builders.js';
import { testCatalog } from './fixtures.js';

const DECANT = 'decanting-service@24-02-05.619-hotfix.627';
const NEW_YORK = 'America/New_York';

function plannedWith(overrides: Partial<PlanCommand>, now = NOW): Hotfix {
  const decision = decideNew(planCommand(overrides), { now, actor: REQUESTER });
  if (!decision.ok) throw new Error(decision.refusal.message);
  const hotfix = decision.events.reduce<Hotfix | undefined>(apply, undefined);
  if (!hotfix) throw new Error('no record');
  return hotfix;
}

describe('the at= option of a plan', () => {
  it.each([
    ['at=14:30', '14:30'],
    ['at=2:05', '2:05'],
    ['at=2026-12-02T02:00', '2026-12-02T02:00'],
    ['at="2026-12-02 02:00"', '2026-12-02 02:00'],
    ['window=23:59', '23:59'],
  ])('%s is kept as written for the decision to place in the client time zone', (option, at) => {
    const parsed = parsePlan(`${DECANT} acme prod ${option}`, testCatalog());
    expect(parsed).toMatchObject({ ok: true, plan: { at } });
  });

  it.each([
    ['at=25:00', /`at=25:00` is not a time: write `at=HH:MM`/],
    ['at=2026-02-30T02:00', /`at=2026-02-30T02:00` is not a time/],
    ['at=tonight', /`at=tonight` is not a time/],
    ['at=', /`at=` has no value/],
  ])('%s is refused, naming the forms that work', (option, message) => {
    const parsed = parsePlan(`${DECANT} acme prod ${option}`, testCatalog());
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.problems).toEqual([
      expect.objectContaining({ code: Reason.BadWindow, message: expect.stringMatching(message) }),
    ]);
  });

  it('a colon instead of = is refused with the right spelling', () => {
    const parsed = parsePlan(`${DECANT} acme prod at:02:00`, testCatalog());
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.problems[0]?.message).toContain('`at=02:00`');
  });
});

describe('placing a window in the client time zone', () => {
  // NOW is Tuesday 2026-11-17 10:00 in New York (15:00 UTC).
  it('HH:MM later today is today; earlier is tomorrow', () => {
    expect(resolveWindow('14:30', NEW_YORK, NOW)).toEqual({ ok: true, at: new Date('2026-11-17T19:30:00Z') });
    expect(resolveWindow('09:00', NEW_YORK, NOW)).toEqual({ ok: true, at: new Date('2026-11-18T14:00:00Z') });
    expect(resolveWindow('10:00', NEW_YORK, NOW)).toEqual({ ok: true, at: new Date('2026-11-18T15:00:00Z') });
  });

  it('a date and time is that local moment, summer or winter', () => {
    expect(resolveWindow('2026-11-20T02:00', NEW_YORK, NOW)).toEqual({
      ok: true,
      at: new Date('2026-11-20T07:00:00Z'),
    });
    expect(zonedInstant('2026-07-02', '23:10', NEW_YORK)).toEqual(new Date('2026-07-03T03:10:00Z'));
    expect(zonedInstant('2026-11-20', '14:30', 'Asia/Kolkata')).toEqual(new Date('2026-11-20T09:00:00Z'));
  });

  it('across a change of the clocks', () => {
    // London springs forward at 01:00 on 2026-03-29: 00:30 is GMT, 02:30 is BST, 01:30 does not exist.
    expect(zonedInstant('2026-03-29', '00:30', 'Europe/London')).toEqual(new Date('2026-03-29T00:30:00Z'));
    expect(zonedInstant('2026-03-29', '02:30', 'Europe/London')).toEqual(new Date('2026-03-29T01:30:00Z'));
    expect(zonedInstant('2026-03-29', '01:30', 'Europe/London').getTime()).toBeGreaterThan(
      Date.parse('2026-03-29T00:59:00Z'),
    );
    // New York falls back at 02:00 on 2026-11-01: 01:30 happens twice; the first (EDT) is taken.
    expect(zonedInstant('2026-11-01', '01:30', NEW_YORK)).toEqual(new Date('2026-11-01T05:30:00Z'));
  });

  it('refuses a moment that has passed or lies more than two weeks ahead', () => {
    const past = resolveWindow('2026-11-17T09:00', NEW_YORK, NOW);
    expect(past).toMatchObject({ ok: false, refusal: { code: Reason.BadWindow } });
    if (!past.ok)
      expect(past.refusal.message).toMatch(/has passed \(it is 2026-11-17 10:00 in America\/New_York\)/);
    const far = resolveWindow('2026-12-05T02:00', NEW_YORK, NOW);
    expect(far).toMatchObject({ ok: false, refusal: { code: Reason.BadWindow } });
    if (!far.ok) expect(far.refusal.message).toMatch(/more than 14 days away/);
  });
});

describe('deciding a plan with a deploy window', () => {
  it('records when the window opens, and the plan expires then at the latest', () => {
    const hotfix = plannedWith({ window: '12:00' });
    expect(hotfix.deployAt).toBe('2026-11-17T17:00:00.000Z');
    // The policy gives 240 minutes (19:00 UTC); the window opens before that.
    expect(hotfix.expiresAt).toBe('2026-11-17T17:00:00.000Z');
    expect(beforeWindow(hotfix, NOW)).toBe(true);
    expect(beforeWindow(hotfix, new Date('2026-11-17T17:00:00Z'))).toBe(false);
    const later = plannedWith({ window: '2026-11-19T09:00' });
    expect(later.expiresAt).toBe('2026-11-17T19:00:00.000Z');
  });

  it('a plan without a window has none', () => {
    expect(plannedWith({}).deployAt).toBeUndefined();
  });

  it('checks freeze windows at the moment the deploy would start, not now', () => {
    const catalog = testCatalog();
    catalog.policy.freezeWindows = [
      {
        name: 'night batch',
        kind: 'weekly',
        days: ['tue'],
        from: '22:00',
        to: '23:59',
        override: 'forbidden',
      },
    ];
    const snapshot = snapshotOf(catalog, 'acme', 'staging', Object.keys(catalog.services));
    const frozen = decideNew(planCommand({ snapshot, window: '22:30' }), { now: NOW, actor: REQUESTER });
    expect(frozen).toMatchObject({ ok: false, refusal: { code: Reason.Frozen } });
    const clear = decideNew(planCommand({ snapshot, window: '21:00' }), { now: NOW, actor: REQUESTER });
    expect(clear.ok).toBe(true);
    // And now frozen but the window after the freeze: planned.
    const atNight = new Date('2026-11-18T03:30:00Z'); // Tue 22:30 in New York
    const afterFreeze = decideNew(planCommand({ snapshot, window: '2026-11-18T08:00' }), {
      now: atNight,
      actor: REQUESTER,
    });
    expect(afterFreeze.ok).toBe(true);
  });

  it('warns about staffing at the window, saying it is the window', () => {
    const decision = decideNew(planCommand({ window: '2026-11-20T15:00' }), { now: NOW, actor: REQUESTER });
    expect(decision.ok).toBe(true);
    if (decision.ok)
      expect(decision.warnings).toEqual([
        expect.stringMatching(
          /^The deploy window opens late in the work week \(Fri 15:00 America\/New_York\)/,
        ),
      ]);
  });

  it('refuses a window on a patch forward, which deploys as soon as it is approved', () => {
    const decision = decideNew(
      planCommand({ window: '12:00', supersedes: { ulid: '01JD0000000000000000000009', id: 'HF-9' } }),
      { now: NOW, actor: REQUESTER },
    );
    expect(decision).toMatchObject({ ok: false, refusal: { code: Reason.BadWindow } });
  });

  it('cannot be approved once its window has opened: the plan expired then', () => {
    const hotfix = plannedWith({ window: '12:00' });
    const late = decide(
      hotfix,
      { type: 'approve', planVersion: 1 },
      {
        now: new Date('2026-11-17T17:01:00Z'),
        actor: APPROVER_A,
      },
    );
    expect(late).toMatchObject({ ok: false, refusal: { code: Reason.PlanExpired } });
    const inTime = decide(
      hotfix,
      { type: 'approve', planVersion: 1 },
      {
        now: new Date('2026-11-17T16:59:00Z'),
        actor: APPROVER_A,
      },
    );
    expect(inTime.ok).toBe(true);
  });
});

describe('revising a plan with a deploy window', () => {
  const revise = { type: 'revise' as const, services: planCommand().services, severity: 2 as const };

  it('keeps the window while it is ahead, and refuses once it has opened', () => {
    const hotfix = plannedWith({ window: '12:00' });
    const early = decide(hotfix, revise, { now: NOW, actor: REQUESTER });
    expect(early.ok).toBe(true);
    const late = decide(hotfix, revise, { now: new Date('2026-11-17T17:30:00Z'), actor: REQUESTER });
    expect(late).toMatchObject({ ok: false, refusal: { code: Reason.BadWindow } });
    if (!late.ok) expect(late.refusal.message).toContain('plan it again with a new `at=`');
  });
});
