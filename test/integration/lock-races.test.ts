/**
 * The (client, env) lock under races, on real Redis with the real workflow steps: each test replays a stale or
 * duplicate run at the dangerous point (a run that read the record before another run or a person changed it) and
 * checks the lock's invariants afterwards.
 */
import Redis from 'ioredis';
import { SIGNING_SECRET, startTestBot } from '../helpers/test-bot.js';
import type { TestBot } from '../helpers/test-bot.js';
import { sendSlashCommand } from '../emulators/slack/index.js';
import { lockKey } from '../../src/domain/hotfix.js';
import { act } from '../../src/workflow/act.js';
import { acquireLock, queueForLock } from '../../src/workflow/lock-queue.js';
import { advance } from '../../src/workflow/advance.js';
import { holdsFence } from '../../src/workflow/prepare.js';
import { unlockEnvironment } from '../../src/workflow/overrides.js';
import { ADMIN, REQUESTER, approvedDrill, holdingDrill, queuedDrill, reload } from '../helpers/hotfixes.js';

let t: TestBot;
// Web role: no worker and no reconciler, so only the runs the test makes happen.
beforeEach(async () => {
  t = await startTestBot(1, { env: { HOTFIX_ROLE: 'web' } });
});
afterEach(async () => t.stop());

const KEY = 'acme/staging';
const cancel = (ulid: string) =>
  act(t.bot.deps, { userId: REQUESTER, ref: { ulid }, command: { type: 'cancel', reason: 'not needed' } });

describe('no zombie waiters', () => {
  it('refuses a stale queue join that lands after the hotfix was cancelled', async () => {
    const { deps } = t.bot;
    const a = await holdingDrill(deps, 1);
    const b = await queuedDrill(deps, 2);
    const c = await queuedDrill(deps, 3);
    const staleB = await reload(deps, b);
    expect((await cancel(b.ulid)).ok).toBe(true);
    // Both lock steps, run late from the copy read before the cancel (a stall, a replayed offline queue).
    await acquireLock(deps, staleB);
    await queueForLock(deps, { ...staleB, state: 'approved' });
    expect(await deps.locks.waiting(KEY)).toEqual([c.ulid]);

    expect((await cancel(a.ulid)).ok).toBe(true);
    await advance(deps, c.ulid);
    expect((await reload(deps, c)).state).toBe('preparing');
    expect(await deps.locks.holder(KEY)).toMatchObject({ ulid: c.ulid });
  });

  it('takes a plan revised while it waits out of the line, so the next one gets the lock', async () => {
    const { deps } = t.bot;
    const b = await approvedDrill(deps, 4);
    // The first half of queueForLock: b joined the line while approved, and is revised before it is queued.
    await deps.locks.enqueue(KEY, b.ulid, deps.clock.now());
    expect(await deps.locks.waiting(KEY)).toEqual([b.ulid]);
    const revised = await act(deps, {
      userId: REQUESTER,
      ref: { ulid: b.ulid },
      command: { type: 'revise', services: b.services, severity: 2, planVersion: 1 },
    });
    expect(revised).toMatchObject({ ok: true, hotfix: { state: 'planned' } });
    expect(await deps.locks.waiting(KEY)).toEqual([]);
    const c = await queuedDrill(deps, 5);
    await acquireLock(deps, c);
    expect((await reload(deps, c)).state).toBe('preparing');
  });

  it('lets unlock show and remove a waiter that can no longer use the lock, audited, and wake the next', async () => {
    const { deps } = t.bot;
    const b = await queuedDrill(deps, 6);
    const c = await queuedDrill(deps, 7);
    expect((await cancel(b.ulid)).ok).toBe(true);
    // A waiter left behind by an older version of the bot, written straight to Redis.
    const raw = new Redis(t.redisUrl);
    await raw.zadd(`hotfix:waiters:${KEY}`, 0, b.ulid);
    raw.disconnect();
    expect(await deps.locks.waiting(KEY)).toEqual([b.ulid, c.ulid]);

    const reply = await sendSlashCommand(
      t.eventsUrl,
      SIGNING_SECRET,
      {
        text: 'unlock acme staging "queue stuck behind a cancelled plan"',
        user_id: ADMIN,
        channel_id: 'C0INC4211',
      },
      { emulator: t.slack },
    );
    expect(JSON.stringify(reply.body)).toContain(`${b.id} (cancelled)`);
    expect(await deps.locks.waiting(KEY)).toEqual([c.ulid]);
    expect((await deps.controls.auditTrail()).at(-1)).toMatchObject({
      type: 'unlock',
      by: ADMIN,
      target: KEY,
      detail: expect.stringContaining(b.id),
    });
    await advance(deps, c.ulid);
    expect((await reload(deps, c)).state).toBe('preparing');
  });
});

describe('a lock is released only with its holder', () => {
  it('keeps the lock when a duplicate lock-taking run finds the grant already recorded', async () => {
    const { deps } = t.bot;
    const h = await queuedDrill(deps, 8);
    const stale = await reload(deps, h);
    await acquireLock(deps, h);
    // The second run (the reconciler's advance beside finalize's wake-up) read the record while it was queued.
    await acquireLock(deps, stale);
    const holding = await reload(deps, h);
    expect(holding).toMatchObject({ state: 'preparing', lock: { token: 1 } });
    expect(await deps.locks.holder(KEY)).toEqual({ ulid: h.ulid, token: 1 });
    expect(await holdsFence(deps, holding)).toBe(true);
    await advance(deps, h.ulid);
    expect((await reload(deps, h)).state).toBe('deploying');
  });

  it('leaves one holder with a live fence when two lock-taking runs of one hotfix race, time after time', async () => {
    const { deps } = t.bot;
    for (let n = 20; n < 26; n++) {
      const h = await queuedDrill(deps, n);
      // Truly concurrent: finalize's wake-up and the reconciler's advance, both from the queued record.
      await Promise.all([acquireLock(deps, h), acquireLock(deps, h), advance(deps, h.ulid)]);
      const holding = await reload(deps, h);
      expect(holding.state).toBe('preparing');
      expect(await deps.locks.holder(KEY)).toEqual({ ulid: h.ulid, token: holding.lock?.token });
      expect(await holdsFence(deps, holding)).toBe(true);
      expect((await cancel(h.ulid)).ok).toBe(true);
      expect(await deps.locks.holder(KEY)).toBeUndefined();
    }
  });

  it('refuses an unlock that would free a grant not yet recorded, and writes no audit entry for it', async () => {
    const { deps } = t.bot;
    const h = await queuedDrill(deps, 9);
    // The lock-taking step stopped between the grant and its record write.
    expect(await deps.locks.tryAcquire(lockKey(h), h.ulid)).toMatchObject({ granted: true });
    const result = await unlockEnvironment(deps, {
      userId: ADMIN,
      client: 'acme',
      env: 'staging',
      reason: 'looks stuck',
    });
    expect(result).toMatchObject({
      ok: false,
      refusal: { message: expect.stringContaining('nothing was unlocked') },
    });
    expect(await deps.controls.auditTrail()).toEqual([]);
    await acquireLock(deps, h);
    const holding = await reload(deps, h);
    expect(holding.state).toBe('preparing');
    expect(await holdsFence(deps, holding)).toBe(true);
  });
});
