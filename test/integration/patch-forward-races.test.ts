/**
 * The lock handover of a patch forward under races, on real Redis with the real workflow steps: a waiter trying for
 * the lock while the approval hands it over, a Retry of the failed hotfix racing the approval, and a double click on
 * Approve. Whatever the interleaving, the lock goes from the failed hotfix to its patch forward or stays where it
 * was, never to anyone else and never through a moment when it is free.
 */
import Redis from 'ioredis';
import type { Hotfix } from '../../src/domain/hotfix.js';
import { decideNew } from '../../src/domain/decide.js';
import { snapshotOf } from '../../src/domain/snapshot.js';
import { act } from '../../src/workflow/act.js';
import { acquireLock } from '../../src/workflow/lock-queue.js';
import { advance } from '../../src/workflow/advance.js';
import { transact } from '../../src/workflow/transact.js';
import { unlockEnvironment } from '../../src/workflow/overrides.js';
import { BOT } from '../../src/workflow/system-actor.js';
import { ADMIN, APPROVER, REQUESTER, holdingDrill, queuedDrill, reload } from '../helpers/hotfixes.js';
import type { TestBot } from '../helpers/test-bot.js';
import { startTestBot } from '../helpers/test-bot.js';

let t: TestBot;
// Web role: no worker and no reconciler, so only the runs the test makes happen.
beforeEach(async () => {
  t = await startTestBot(1, { env: { HOTFIX_ROLE: 'web' } });
});
afterEach(async () => t.stop());

const KEY = 'acme/staging';

/** A drill holding acme staging whose deploy failed: it keeps the lock until someone decides. */
async function failedDrill(n: number): Promise<Hotfix> {
  const { deps } = t.bot;
  const holding = await holdingDrill(deps, n);
  const ref = { ulid: holding.ulid };
  for (const command of [
    { type: 'prepare' as const, versionsBefore: {}, deployPlan: ['rehearsal'] },
    { type: 'start_deploy' as const },
    { type: 'deploy_failed' as const, message: 'Smoke test failed' },
  ]) {
    const outcome = await transact(deps, ref, command, BOT);
    if (!outcome.ok) throw new Error(outcome.refusal.message);
  }
  const failed = await reload(deps, holding);
  expect(failed.state).toBe('failed');
  return failed;
}

/** A plan that patches `failed` forward, as the plan form would record it. */
async function patchPlan(failed: Hotfix, n: number): Promise<Hotfix> {
  const { deps } = t.bot;
  const now = deps.clock.now();
  const decision = decideNew(
    {
      type: 'plan',
      id: await deps.store.nextId(),
      ulid: deps.newUlid(now),
      incident: failed.incident,
      client: 'acme',
      env: 'staging',
      severity: 3,
      method: 'rehearsal',
      services: [{ service: 'runbook-drill', tag: `24-02-05.619-hotfix.${n}`, method: 'rehearsal' }],
      snapshot: snapshotOf(deps.catalog, 'acme', 'staging', ['runbook-drill']),
      triage: {},
      supersedes: { ulid: failed.ulid, id: failed.id },
    },
    { now, actor: { userId: REQUESTER, groups: [] } },
  );
  if (!decision.ok) throw new Error(decision.refusal.message);
  return deps.store.create(decision.events);
}

const approve = (h: Hotfix) =>
  act(t.bot.deps, { userId: APPROVER, ref: { ulid: h.ulid }, command: { type: 'approve', planVersion: 1 } });

describe('the lock handover of a patch forward', () => {
  it('never lets a waiter in, however its lock attempts interleave with the approval', async () => {
    const { deps } = t.bot;
    const failed = await failedDrill(1);
    const token = failed.lock?.token ?? 0;
    const waiter = await queuedDrill(deps, 2);
    const next = await patchPlan(failed, 3);

    const attempts = Array.from({ length: 6 }, () => acquireLock(deps, waiter));
    const [approved] = await Promise.all([approve(next), ...attempts]);
    expect(approved).toMatchObject({ ok: true, hotfix: { state: 'approved' } });
    await Promise.all(Array.from({ length: 3 }, () => acquireLock(deps, waiter)));

    expect(await reload(deps, failed)).toMatchObject({ state: 'superseded', supersededBy: next.id });
    expect(await deps.locks.holder(KEY)).toEqual({ ulid: next.ulid, token: token + 1 });
    expect((await reload(deps, waiter)).state).toBe('queued');
    expect(await deps.locks.waiting(KEY)).toEqual([waiter.ulid]);
    // The old fence is dead: anything the failed hotfix still had in flight is refused.
    expect(await deps.locks.isCurrent(KEY, failed.ulid, token)).toBe(false);

    // An admin's unlock does not pull the lock from under it: it says how to free the environment instead.
    const unlock = await unlockEnvironment(deps, {
      userId: ADMIN,
      client: 'acme',
      env: 'staging',
      reason: 'stuck?',
    });
    expect(unlock).toMatchObject({
      ok: false,
      refusal: { message: expect.stringContaining(`/hotfix cancel ${next.id}`) },
    });
    expect(await deps.locks.holder(KEY)).toMatchObject({ ulid: next.ulid });

    // The patch forward records the lock it was handed when it reaches the lock step, ahead of the waiter.
    await advance(deps, next.ulid); // approved -> queued
    await advance(deps, next.ulid); // queued -> preparing, with the lock it already holds
    expect(await reload(deps, next)).toMatchObject({ state: 'preparing', lock: { token: token + 1 } });
    expect(await deps.locks.waiting(KEY)).toEqual([waiter.ulid]);
  });

  it('lets exactly one of a Retry of the failed hotfix and the approval win', async () => {
    const { deps } = t.bot;
    for (let round = 0; round < 4; round++) {
      const failed = await failedDrill(10 + round * 2);
      const next = await patchPlan(failed, 11 + round * 2);
      const retry = () =>
        act(deps, { userId: REQUESTER, ref: { ulid: failed.ulid }, command: { type: 'retry' } });
      // Even rounds start both at once; odd ones give the approval a head start of a few round trips.
      const approving = approve(next);
      if (round % 2 === 1) await new Promise((resolve) => setTimeout(resolve, 3));
      const [retried, approved] = await Promise.all([retry(), approving]);
      expect({ round, winners: [retried.ok, approved.ok].filter(Boolean).length }).toEqual({
        round,
        winners: 1,
      });
      const [a, b] = [await reload(deps, failed), await reload(deps, next)];
      if (approved.ok) {
        expect([a.state, b.state]).toEqual(['superseded', 'approved']);
        expect(await deps.locks.holder(KEY)).toMatchObject({ ulid: next.ulid });
        // Clear the way for the next round: the patch forward ends and frees the lock it took over.
        expect(
          (
            await act(deps, {
              userId: REQUESTER,
              ref: { ulid: next.ulid },
              command: { type: 'cancel', reason: 'next round' },
            })
          ).ok,
        ).toBe(true);
      } else {
        expect(approved.refusal.message).toContain('no longer applies');
        expect([a.state, b.state]).toEqual(['deploying', 'planned']);
        expect(await deps.locks.holder(KEY)).toMatchObject({ ulid: failed.ulid });
        for (const [h, command] of [
          [failed, { type: 'resolve' as const, reason: 'next round' }],
          [next, { type: 'cancel' as const, reason: 'next round' }],
        ] as const)
          expect((await act(deps, { userId: REQUESTER, ref: { ulid: h.ulid }, command })).ok).toBe(true);
      }
      expect(await deps.locks.holder(KEY)).toBeUndefined();
    }
  });

  it('hands over once on a double click of Approve', async () => {
    const { deps } = t.bot;
    const failed = await failedDrill(30);
    const next = await patchPlan(failed, 31);
    const outcomes = await Promise.all([approve(next), approve(next), approve(next)]);
    expect(outcomes.filter((o) => o.ok && o.events.length > 0)).toHaveLength(1);
    const nextEvents = (await deps.store.events(next.ulid)).map((e) => e.type);
    expect(nextEvents.filter((e) => e === 'approved')).toHaveLength(1);
    const failedEvents = (await deps.store.events(failed.ulid)).map((e) => e.type);
    expect(failedEvents.filter((e) => e === 'superseded')).toHaveLength(1);
    expect(await deps.locks.holder(KEY)).toEqual({ ulid: next.ulid, token: (failed.lock?.token ?? 0) + 1 });
  });

  it('writes nothing when the failed hotfix no longer holds the lock it would pass on', async () => {
    const { deps } = t.bot;
    const failed = await failedDrill(40);
    const next = await patchPlan(failed, 41);
    // A lock moved behind the records' back (an older bot, a hand edit): the handover must not take it.
    const raw = new Redis(t.redisUrl);
    await raw.hset(`hotfix:lock:${KEY}`, 'ulid', 'SOMEONEELSE', 'token', '99');
    raw.disconnect();
    const outcome = await approve(next);
    expect(outcome).toMatchObject({
      ok: false,
      refusal: { message: expect.stringContaining('no longer holds acme staging') },
    });
    expect((await reload(deps, failed)).state).toBe('failed');
    expect((await reload(deps, next)).state).toBe('planned');
    expect((await deps.store.events(next.ulid)).map((e) => e.type)).toEqual(['planned']);
    expect(await deps.locks.holder(KEY)).toEqual({ ulid: 'SOMEONEELSE', token: 99 });
  });
});
