/**
 * The (client, env) lock's invariants on the real path: random interleavings of the real workflow steps (the lock
 * steps, prepare and the deploy step, people's decisions, unlock, the reconciler), some replayed from a record read
 * earlier (a stalled or duplicate run), against real Redis. Checked after every step:
 *
 *   - at most one holder, and a hotfix in a lock-holding state is that holder with its own fencing token;
 *   - the holder and every waiter can still use the lock (terminal or revised hotfixes never wait);
 *   - a lock changes hands only when its holder ended (terminal event, or an audited unlock that resolved it);
 *   - after a reconciler pass and its jobs, a free environment has nobody waiting.
 */
import fc from 'fast-check';
import Redis from 'ioredis';
import type { Hotfix } from '../../src/domain/hotfix.js';
import { LOCK_STATES, WAITING_STATES, isTerminal } from '../../src/domain/hotfix.js';
import { act } from '../../src/workflow/act.js';
import { advance } from '../../src/workflow/advance.js';
import { driveDeploy } from '../../src/workflow/drive-deploy.js';
import { acquireLock, queueForLock } from '../../src/workflow/lock-queue.js';
import { unlockEnvironment } from '../../src/workflow/overrides.js';
import { reconcile } from '../../src/workflow/reconcile.js';
import { drainJobs } from '../helpers/drain-jobs.js';
import { ADMIN, APPROVER, REQUESTER, plannedDrill } from '../helpers/hotfixes.js';
import type { TestBot } from '../helpers/test-bot.js';
import { startTestBot } from '../helpers/test-bot.js';
import { refreshDirectory } from '../../src/workflow/refresh-directory.js';

const KEY = 'acme/staging';
const HOTFIXES = 4;

let t: TestBot;
let raw: Redis;
beforeAll(async () => {
  t = await startTestBot(4, { env: { HOTFIX_ROLE: 'web' } });
  raw = new Redis(t.redisUrl);
});
afterAll(async () => {
  raw.disconnect();
  await t.stop();
});

const KINDS = [
  'approve',
  'revise',
  'queue',
  'acquire',
  'grant_only',
  'advance',
  'drive',
  'answer',
  'cancel',
  'resolve',
  'unlock',
  'reconcile',
] as const;
type Kind = (typeof KINDS)[number];
interface Step {
  kind: Kind;
  i: number;
  /** Which earlier read of the record a replayed step uses (0: the latest). */
  stale: number;
}

/** Weighted towards the steps that move hotfixes into the lock, so most runs reach it and hand it on. */
const WEIGHTS: Record<Kind, number> = {
  approve: 4,
  revise: 1,
  queue: 3,
  acquire: 4,
  grant_only: 1,
  advance: 5,
  drive: 2,
  answer: 1,
  cancel: 1,
  resolve: 1,
  unlock: 1,
  reconcile: 2,
};

const stepArb: fc.Arbitrary<Step> = fc.record({
  kind: fc.oneof(...KINDS.map((kind) => ({ arbitrary: fc.constant(kind), weight: WEIGHTS[kind] }))),
  i: fc.nat(HOTFIXES - 1),
  stale: fc.nat(4),
});

/** Every version of each record the test has read, newest first: the copies a stalled run could still hold. */
type Seen = Hotfix[][];

async function run(step: Step, ulids: string[], seen: Seen): Promise<void> {
  const { deps } = t.bot;
  const ulid = ulids[step.i]!;
  const current = (await deps.store.load(ulid))!;
  const copy = (state: (h: Hotfix) => boolean) => seen[step.i]!.filter(state)[step.stale % 3];
  const person = (userId: string, command: Parameters<typeof act>[1]['command']) =>
    act(deps, { userId, ref: { ulid }, command });
  switch (step.kind) {
    case 'approve':
      return void (await person(APPROVER, { type: 'approve', planVersion: current.planVersion }));
    case 'revise':
      return void (await person(REQUESTER, {
        type: 'revise',
        services: current.services,
        severity: current.severity === 2 ? 3 : 2,
        planVersion: current.planVersion,
      }));
    case 'queue': {
      const approved = copy((h) => h.state === 'approved');
      return approved && queueForLock(deps, approved);
    }
    case 'acquire': {
      const queued = copy((h) => h.state === 'queued');
      return queued && acquireLock(deps, queued);
    }
    case 'grant_only':
      // The first half of the lock-taking step: a runner that stalls between the grant and its record write.
      if (current.state === 'queued') await deps.locks.tryAcquire(KEY, ulid);
      return;
    case 'advance':
      return advance(deps, ulid);
    case 'drive': {
      const deploying = copy((h) => h.state === 'deploying' || h.state === 'awaiting_input');
      return deploying && driveDeploy(deps, deploying);
    }
    case 'answer':
      if (current.pendingInput)
        await person(REQUESTER, { type: 'answer_input', inputId: current.pendingInput.id, proceed: true });
      return;
    case 'cancel':
      return void (await person(REQUESTER, { type: 'cancel', reason: 'random walk' }));
    case 'resolve':
      return void (await person(REQUESTER, { type: 'resolve', reason: 'resolved by hand' }));
    case 'unlock':
      return void (await unlockEnvironment(deps, {
        userId: ADMIN,
        client: 'acme',
        env: 'staging',
        reason: 'random walk',
      }));
    case 'reconcile':
      await reconcile(deps);
      await drainJobs(deps);
  }
}

async function check(step: Step, before: { ulid: string; token: number } | undefined): Promise<void> {
  const { deps } = t.bot;
  const records = await deps.store.listByTarget('acme', 'staging', 50);
  const byUlid = new Map(records.map((h) => [h.ulid, h]));
  const holder = await deps.locks.holder(KEY);
  const waiters = await deps.locks.waiting(KEY);
  const where = `after ${JSON.stringify(step)}`;

  const holding = records.filter((h) => LOCK_STATES.has(h.state));
  expect({ where, holding: holding.length }).toEqual({ where, holding: Math.min(1, holding.length) });
  for (const h of holding)
    expect({ where, id: h.id, lock: holder }).toEqual({
      where,
      id: h.id,
      lock: { ulid: h.ulid, token: h.lock?.token },
    });
  if (holder) {
    const state = byUlid.get(holder.ulid)?.state;
    // The holder uses the lock, or is being granted it right now (its record still says queued).
    expect({ where, holderState: state }).toEqual({
      where,
      holderState:
        state && (LOCK_STATES.has(state) || state === 'queued') ? state : 'a state that holds a lock',
    });
  }
  for (const w of waiters) {
    const state = byUlid.get(w)?.state;
    expect({ where, waiter: w, state }).toEqual({
      where,
      waiter: w,
      state: state && WAITING_STATES.has(state) ? state : 'a state that may wait',
    });
  }
  if (before && (holder?.ulid !== before.ulid || holder.token !== before.token)) {
    const previous = byUlid.get(before.ulid);
    expect({ where, released: previous?.id, state: previous && isTerminal(previous.state) }).toEqual({
      where,
      released: previous?.id,
      state: true,
    });
  }
  if (step.kind === 'reconcile' && !holder) expect({ where, waiters }).toEqual({ where, waiters: [] });
}

const reached = new Set<string>();

it('keeps the lock invariants under random interleavings of the real steps, stale runs included', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(stepArb, { minLength: 10, maxLength: 30 }), async (steps) => {
      await raw.flushdb();
      // Emptying the database also emptied the Slack directory: read it again, as a worker's refresh would.
      await refreshDirectory(t.bot.deps);
      const planned = [];
      for (let n = 0; n < HOTFIXES; n++)
        planned.push(await plannedDrill(t.bot.deps, n, n === 3 ? 'failing-drill' : 'runbook-drill'));
      const ulids = planned.map((h) => h.ulid);
      const seen: Seen = planned.map((h) => [h]);
      for (const step of steps) {
        const before = await t.bot.deps.locks.holder(KEY);
        await run(step, ulids, seen);
        await check(step, before);
        for (const [i, ulid] of ulids.entries()) seen[i]!.unshift((await t.bot.deps.store.load(ulid))!);
      }
      for (const versions of seen) for (const h of versions) reached.add(h.state);
    }),
    { numRuns: 60, endOnFailure: true },
  );
  // The walk is only worth something if it got hotfixes through the lock and out again.
  for (const state of ['queued', 'preparing', 'deploying', 'resolved', 'cancelled'])
    expect({ state, reached: reached.has(state) }).toEqual({ state, reached: true });
}, 120_000);
