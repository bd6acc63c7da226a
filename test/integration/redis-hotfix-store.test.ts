/**
 * RedisHotfixStore against the real Redis (this jest worker's private redis-server, test/helpers/redis.ts). Each test gets its own key prefix;
 * the run's keys are deleted afterwards.
 */
import type { Redis } from 'ioredis';

import { createRedis, isRedisReady } from '../../src/adapters/redis/connection.js';
import { RedisHotfixStore } from '../../src/adapters/redis/redis-hotfix-store.js';
import { replay } from '../../src/domain/apply.js';
import type { Actor, HotfixCommand, PlanCommand } from '../../src/domain/commands.js';
import { decide, decideNew } from '../../src/domain/decide.js';
import type { HotfixEvent } from '../../src/domain/events.js';
import type { Hotfix } from '../../src/domain/hotfix.js';
import { STATES } from '../../src/domain/hotfix.js';
import { ConcurrentUpdateError, DuplicateHotfixError } from '../../src/ports/hotfix-store.js';
import { connectTestRedis, deleteKeysWithPrefix, testRedisUrl, uniquePrefix } from '../helpers/redis.js';
import {
  APPROVER_A,
  BOT,
  NOW,
  ONCALL,
  REQUESTER,
  hotfixIn,
  planCommand,
  planned,
} from '../unit/domain/builders.js';

const RUN_PREFIX = uniquePrefix('redis-hotfix-store');
let redis: Redis;
let otherConnection: Redis;
let prefix: string;
let store: RedisHotfixStore;
let testNumber = 0;

beforeAll(async () => {
  redis = await connectTestRedis('web');
  otherConnection = await connectTestRedis('web');
});

beforeEach(() => {
  prefix = `${RUN_PREFIX}:${++testNumber}`;
  store = new RedisHotfixStore(redis, { prefix });
});

afterAll(async () => {
  await deleteKeysWithPrefix(redis, RUN_PREFIX);
  await Promise.all([redis.quit(), otherConnection.quit()]);
});

const minutes = (n: number): Date => new Date(NOW.getTime() + n * 60_000);
const ulidOf = (n: number): string => `01JD${String(n).padStart(22, '0')}`;

/** The events of one accepted decision; a refusal here is a broken test path. */
function eventsOf(h: Hotfix, command: HotfixCommand, actor: Actor, now: Date): HotfixEvent[] {
  const decision = decide(h, command, { now, actor });
  if (!decision.ok) throw new Error(`${command.type} refused in ${h.state}: ${decision.refusal.message}`);
  return decision.events;
}

function planEvents(overrides: Partial<PlanCommand> = {}, now: Date = NOW): HotfixEvent[] {
  const decision = decideNew(planCommand(overrides), { now, actor: REQUESTER });
  if (!decision.ok) throw new Error(`plan refused: ${decision.refusal.message}`);
  return decision.events;
}

/** Stores hotfix number `n`, planned `n` minutes after NOW unless told otherwise. */
function createNumber(
  n: number,
  overrides: Partial<PlanCommand> = {},
  now: Date = minutes(n),
): Promise<Hotfix> {
  return store.create(planEvents({ id: `HF-${n}`, ulid: ulidOf(n), ...overrides }, now));
}

function step(h: Hotfix, command: HotfixCommand, actor: Actor = BOT, now: Date = NOW): Promise<Hotfix> {
  return store.append(h, eventsOf(h, command, actor, now));
}

/** The builders' path to `completed`, through the store. */
async function complete(h: Hotfix, now: Date = NOW): Promise<Hotfix> {
  let next = await step(h, { type: 'approve', planVersion: 1 }, APPROVER_A, now);
  for (const command of [
    { type: 'queue' },
    { type: 'acquire_lock', lock: { token: 7 } },
    { type: 'prepare', versionsBefore: { 'decanting-service': '24-01-20.600' }, deployPlan: ['build'] },
    { type: 'start_deploy' },
    { type: 'deploy_succeeded' },
    { type: 'verify_succeeded' },
  ] satisfies HotfixCommand[]) {
    next = await step(next, command, BOT, now);
  }
  return next;
}

/** What a workflow step does on a conflict: reload, decide again on the fresh record, retry. */
async function decideAndAppend(
  target: RedisHotfixStore,
  ulid: string,
  command: HotfixCommand,
  actor: Actor,
): Promise<{ hotfix: Hotfix; attempts: number }> {
  for (let attempts = 1; attempts <= 3; attempts++) {
    const fresh = await target.load(ulid);
    if (!fresh) throw new Error(`${ulid} vanished`);
    try {
      return { hotfix: await target.append(fresh, eventsOf(fresh, command, actor, NOW)), attempts };
    } catch (error) {
      if (!(error instanceof ConcurrentUpdateError)) throw error;
    }
  }
  throw new Error(`${command.type} kept conflicting`);
}

describe('RedisHotfixStore', () => {
  it('creates a record that load and findById return equal to the fold of its events', async () => {
    const created = await store.create(planEvents());

    expect(created).toStrictEqual(planned());
    expect(await store.load(created.ulid)).toStrictEqual(created);
    expect(await store.findById('HF-1')).toStrictEqual(created);
    expect(await store.load(ulidOf(999))).toBeUndefined();
    expect(await store.findById('HF-999')).toBeUndefined();
  });

  it('reads back a record driven through a whole deploy exactly as apply folds it', async () => {
    const completed = await complete(await store.create(planEvents()));

    expect(completed).toStrictEqual(hotfixIn('completed'));
    expect(await store.load(completed.ulid)).toStrictEqual(completed);
    expect(replay(await store.events(completed.ulid))).toStrictEqual(completed);
  });

  it.each(STATES)('keeps a %s record JSON-safe (it survives the round trip unchanged)', (state) => {
    const record = hotfixIn(state);
    expect(JSON.parse(JSON.stringify(record))).toStrictEqual(record);
  });

  it('hands out HF numbers that count up and never repeat, even to concurrent callers', async () => {
    const ids = await Promise.all(Array.from({ length: 50 }, () => store.nextId()));
    const numbers = ids.map((id) => Number(id.replace(/^HF-/, ''))).sort((a, b) => a - b);

    expect(new Set(ids).size).toBe(50);
    expect(numbers).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(await store.nextId()).toBe('HF-51');
  });

  it('refuses an append from a stale record and leaves the record and audit trail unchanged', async () => {
    const first = await store.create(planEvents());
    const approved = await step(first, { type: 'approve', planVersion: 1 }, APPROVER_A);
    const before = await store.events(first.ulid);

    const stale = store.append(
      first,
      eventsOf(first, { type: 'cancel', reason: 'not needed' }, REQUESTER, NOW),
    );

    await expect(stale).rejects.toThrow(ConcurrentUpdateError);
    await expect(stale).rejects.toMatchObject({ ulid: first.ulid, expectedSeq: first.seq });
    expect(await store.load(first.ulid)).toStrictEqual(approved);
    expect(await store.events(first.ulid)).toStrictEqual(before);
    expect(await redis.xlen(`${prefix}:audit:${first.ulid}`)).toBe(approved.seq);
  });

  it('lets exactly one of two concurrent writers win; the loser reloads, decides again and succeeds', async () => {
    const { ulid } = await store.create(planEvents());
    const writers = [
      { store, command: { type: 'approve', planVersion: 1 }, actor: APPROVER_A },
      {
        store: new RedisHotfixStore(otherConnection, { prefix }),
        command: { type: 'record_intent', step: 'jira', key: `${ulid}:jira` },
        actor: BOT,
      },
    ] satisfies { store: RedisHotfixStore; command: HotfixCommand; actor: Actor }[];
    const loaded = await store.load(ulid);
    if (!loaded) throw new Error('not stored');

    const results = await Promise.allSettled(
      writers.map((w) => w.store.append(loaded, eventsOf(loaded, w.command, w.actor, NOW))),
    );

    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const lost = results.findIndex((r) => r.status === 'rejected');
    const rejection = results[lost];
    expect(rejection?.status === 'rejected' && rejection.reason).toBeInstanceOf(ConcurrentUpdateError);
    const loser = writers[lost];
    if (!loser) throw new Error('no loser');

    const retried = await decideAndAppend(loser.store, ulid, loser.command, loser.actor);

    expect(retried.attempts).toBe(1);
    expect(retried.hotfix.state).toBe('approved');
    expect(retried.hotfix.steps.jira?.intent?.key).toBe(`${ulid}:jira`);
    expect(await store.load(ulid)).toStrictEqual(retried.hotfix);
    expect(replay(await store.events(ulid))).toStrictEqual(retried.hotfix);
  });

  it('turns a double-clicked approval into one transition: the second click is refused on the fresh record', async () => {
    const loaded = await store.create(planEvents());
    const approve: HotfixCommand = { type: 'approve', planVersion: 1 };

    const results = await Promise.allSettled([
      store.append(loaded, eventsOf(loaded, approve, APPROVER_A, NOW)),
      new RedisHotfixStore(otherConnection, { prefix }).append(
        loaded,
        eventsOf(loaded, approve, APPROVER_A, NOW),
      ),
    ]);

    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const fresh = await store.load(loaded.ulid);
    expect(fresh?.approvals).toHaveLength(1);
    expect(fresh && decide(fresh, approve, { now: NOW, actor: APPROVER_A }).ok).toBe(false);
  });

  it('refuses to create a record whose ULID or HF id is taken, and writes nothing for it', async () => {
    const events = planEvents();
    const original = await store.create(events);

    await expect(store.create(events)).rejects.toThrow(DuplicateHotfixError);
    await expect(store.create(planEvents({ ulid: ulidOf(2) }))).rejects.toMatchObject({
      name: 'DuplicateHotfixError',
      ref: 'HF-1',
    });
    expect(await store.load(ulidOf(2))).toBeUndefined();
    expect(await store.events(ulidOf(2))).toEqual([]);
    expect(await store.load(original.ulid)).toStrictEqual(original);
    expect(await store.events(original.ulid)).toStrictEqual(events);
  });

  it('refuses events that do not advance seq by their number (a "planned" in the middle of a history)', async () => {
    const first = await store.create(planEvents());
    const restart = planEvents();

    await expect(store.append(first, restart)).rejects.toThrow(/HOTFIX_BAD_SEQ/);
    expect(await store.load(first.ulid)).toStrictEqual(first);
    expect(await store.events(first.ulid)).toHaveLength(1);
  });

  it('refuses to write once the audit stream and the record disagree (a lost entry is not papered over)', async () => {
    const first = await store.create(planEvents());
    await redis.xtrim(`${prefix}:audit:${first.ulid}`, 'MAXLEN', 0);

    await expect(step(first, { type: 'approve', planVersion: 1 }, APPROVER_A)).rejects.toThrow(
      /HOTFIX_AUDIT_MISMATCH/,
    );
    expect(await store.load(first.ulid)).toStrictEqual(first);
  });

  it('refuses to append to a record that is not stored', async () => {
    const unstored = planned({ ulid: ulidOf(7), id: 'HF-7' });
    const events = eventsOf(unstored, { type: 'cancel', reason: 'x' }, REQUESTER, NOW);

    await expect(store.append(unstored, events)).rejects.toThrow(/HF-7 .* is not in the store/);
    expect(await store.events(unstored.ulid)).toEqual([]);
  });

  it('lists active records oldest first, drops them on a terminal event and takes a rollback back in', async () => {
    const [one, two, three] = await Promise.all([createNumber(1), createNumber(2), createNumber(3)]);
    if (!one || !two || !three) throw new Error('not created');
    expect((await store.listActive()).map((h) => h.id)).toEqual(['HF-1', 'HF-2', 'HF-3']);

    const cancelled = await step(two, { type: 'cancel', reason: 'not needed' }, REQUESTER, minutes(5));
    const ended = await complete(three, minutes(6));
    expect((await store.listActive()).map((h) => h.id)).toEqual(['HF-1']);
    // Ended but not finalized: still indexed, so a finalize lost to a crash is found again.
    expect((await store.listUnfinalized()).map((h) => h.id)).toEqual(['HF-2', 'HF-3']);
    const system = { userId: 'system', groups: [] };
    await step(cancelled, { type: 'finalize' }, system, minutes(7));
    const completed = await step(ended, { type: 'finalize' }, system, minutes(7));
    expect(await store.listUnfinalized()).toEqual([]);
    // The index itself shrinks, not just the listing: the reconciler's scan stays as small as the work.
    expect(await redis.zrange(`${prefix}:active`, 0, -1)).toEqual([one.ulid]);

    const rollingBack = await step(completed, { type: 'rollback', reason: 'errors' }, ONCALL);
    expect(rollingBack.state).toBe('rollback_queued');
    expect(await store.listActive()).toStrictEqual([one, rollingBack]);
  });

  it('lists every record of a client and env newest first, terminal ones included, up to the limit', async () => {
    const acme = await Promise.all([1, 2, 3, 4].map((n) => createNumber(n)));
    await createNumber(5, { client: 'globex' });
    await createNumber(6, { env: 'prod' });
    const [, second] = acme;
    if (!second) throw new Error('not created');
    const cancelled = await step(second, { type: 'cancel', reason: 'duplicate' }, REQUESTER);

    const all = await store.listByTarget('acme', 'staging');
    expect(all.map((h) => h.id)).toEqual(['HF-4', 'HF-3', 'HF-2', 'HF-1']);
    expect(all[2]).toStrictEqual(cancelled);
    expect((await store.listByTarget('acme', 'staging', 2)).map((h) => h.id)).toEqual(['HF-4', 'HF-3']);
    expect((await store.listByTarget('globex', 'staging')).map((h) => h.id)).toEqual(['HF-5']);
    expect(await store.listByTarget('acme', 'staging', 0)).toEqual([]);
    expect(await store.listByTarget('initech', 'prod')).toEqual([]);
  });

  it('keeps the audit trail in order with who, when and the plan version of each event', async () => {
    const plan = planEvents();
    const first = await store.create(plan);
    const revise = eventsOf(
      first,
      { type: 'revise', services: first.services, severity: 2, reason: 'wider impact' },
      REQUESTER,
      minutes(1),
    );
    const revised = await store.append(first, revise);
    const approve = eventsOf(revised, { type: 'approve', planVersion: 2 }, APPROVER_A, minutes(2));
    await store.append(revised, approve);

    const trail = await store.events(first.ulid);

    expect(trail).toStrictEqual([...plan, ...revise, ...approve]);
    expect(trail.map(({ type, by, at, planVersion }) => ({ type, by, at, planVersion }))).toEqual([
      { type: 'planned', by: REQUESTER.userId, at: NOW.toISOString(), planVersion: 1 },
      { type: 'plan_revised', by: REQUESTER.userId, at: minutes(1).toISOString(), planVersion: 1 },
      ...approve.map((e) => ({
        type: e.type,
        by: APPROVER_A.userId,
        at: minutes(2).toISOString(),
        planVersion: 2,
      })),
    ]);
    expect(await store.events(ulidOf(999))).toEqual([]);
  });
});

describe('createRedis', () => {
  it('gives the web role no offline queue, so a command fails at once while Redis is unreachable', async () => {
    const unreachable = createRedis('redis://127.0.0.1:1', 'web', { retryStrategy: () => null });
    unreachable.on('error', () => undefined);
    try {
      expect(unreachable.options.enableOfflineQueue).toBe(false);
      expect(unreachable.options.maxRetriesPerRequest).toBe(1);
      expect(isRedisReady(unreachable)).toBe(false);
      await expect(unreachable.get('anything')).rejects.toThrow(/enableOfflineQueue|writeable/i);
    } finally {
      unreachable.disconnect();
    }
  });

  it('gives workers unlimited retries per request, as BullMQ requires', () => {
    const worker = createRedis(testRedisUrl(0), 'worker', { lazyConnect: true });
    expect(worker.options.maxRetriesPerRequest).toBeNull();
    expect(isRedisReady(worker)).toBe(false);
    worker.disconnect();
  });

  it('reports ready once connected', () => {
    expect(isRedisReady(redis)).toBe(true);
  });
});
