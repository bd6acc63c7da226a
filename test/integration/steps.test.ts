/**
 * The step pattern of DESIGN.md section 7 on real Redis, BullMQ and the Slack emulator: a step run twice does its
 * effect once, an intent without a result finds the earlier effect instead of repeating it, and the reconciler heals
 * a crash between saving a record and enqueueing its next step.
 */
import { decideNew } from '../../src/domain/decide.js';
import { SYSTEM } from '../../src/domain/hotfix.js';
import type { Hotfix } from '../../src/domain/hotfix.js';
import { snapshotOf } from '../../src/domain/snapshot.js';
import { announce } from '../../src/workflow/announce.js';
import { transact } from '../../src/workflow/transact.js';
import type { TestBot } from '../helpers/test-bot.js';
import { startTestBot, waitForRecord } from '../helpers/test-bot.js';

let t: TestBot;
afterEach(async () => t.stop());

/** A planned hotfix saved straight to the store, as if the process died before enqueueing its announcement. */
async function savedWithoutJob(n: number): Promise<Hotfix> {
  const { deps } = t.bot;
  const now = deps.clock.now();
  const decision = decideNew(
    {
      type: 'plan',
      id: await deps.store.nextId(),
      ulid: deps.newUlid(now),
      incident: { channel: 'C0INC4211', startedAt: now.toISOString() },
      client: 'acme',
      env: 'staging',
      severity: 3,
      method: 'jenkins-multi-deploy',
      services: [
        { service: 'decanting-service', tag: `24-02-05.619-hotfix.${n}`, method: 'jenkins-multi-deploy' },
      ],
      snapshot: snapshotOf(deps.catalog, 'acme', 'staging', ['decanting-service']),
      triage: {},
    },
    { now, actor: { userId: 'U0PRIYA', groups: [] } },
  );
  if (!decision.ok) throw new Error(decision.refusal.message);
  return deps.store.create(decision.events);
}

const postsAbout = (h: Hotfix, channel: string) =>
  t.slack
    .messages(channel)
    .filter(
      (m) =>
        (m.metadata as { event_payload?: { ulid?: string } } | undefined)?.event_payload?.ulid === h.ulid,
    );

describe('workflow steps, run directly (web role: no worker or reconciler racing the test)', () => {
  beforeEach(async () => {
    t = await startTestBot(13, { env: { HOTFIX_ROLE: 'web' } });
  });

  it('posts the plan and the notice once when the announce step runs twice', async () => {
    const hotfix = await savedWithoutJob(901);
    await announce(t.bot.deps, hotfix.ulid);
    await announce(t.bot.deps, hotfix.ulid);
    expect(postsAbout(hotfix, 'C0INC4211')).toHaveLength(1);
    expect(postsAbout(hotfix, 'C0CHANGECTL')).toHaveLength(1);
  });

  it('finds a message an interrupted attempt posted but did not record, instead of posting again', async () => {
    const hotfix = await savedWithoutJob(902);
    const bot = { userId: SYSTEM, groups: [] };
    // The first attempt: intent written, message posted, then the process died before writing the result.
    await transact(
      t.bot.deps,
      { ulid: hotfix.ulid },
      { type: 'record_intent', step: 'post_plan', key: 'k' },
      bot,
    );
    const posted = await t.bot.deps.chat.postPlan(hotfix);
    await announce(t.bot.deps, hotfix.ulid);
    expect(postsAbout(hotfix, 'C0INC4211')).toHaveLength(1);
    const after = await t.bot.deps.store.load(hotfix.ulid);
    expect(after?.refs).toMatchObject({ planTs: posted.ts, planChannel: 'C0INC4211' });
    expect(postsAbout(hotfix, 'C0CHANGECTL')).toHaveLength(1);
  });

  it('makes two concurrent cancels one transition', async () => {
    const hotfix = await savedWithoutJob(904);
    const requester = { userId: 'U0PRIYA', groups: [] };
    const outcomes = await Promise.all([
      transact(t.bot.deps, { ulid: hotfix.ulid }, { type: 'cancel', reason: 'first' }, requester),
      transact(t.bot.deps, { ulid: hotfix.ulid }, { type: 'cancel', reason: 'second' }, requester),
    ]);
    expect(outcomes.filter((o) => o.ok)).toHaveLength(1);
    expect(outcomes.filter((o) => !o.ok)[0]).toMatchObject({ refusal: { code: 'wrong_state' } });
    const events = await t.bot.deps.store.events(hotfix.ulid);
    expect(events.filter((e) => e.type === 'cancelled')).toHaveLength(1);
  });
});

describe('the reconciler (worker role)', () => {
  beforeEach(async () => {
    t = await startTestBot(14);
  });

  it('heals a crash between saving and enqueueing: it enqueues the due announcement', async () => {
    const hotfix = await savedWithoutJob(903);
    const notice = await t.slack.waitFor(() => postsAbout(hotfix, 'C0CHANGECTL')[0], 10_000);
    expect(notice.text).toContain(hotfix.id);
    expect(postsAbout(hotfix, 'C0INC4211')).toHaveLength(1);
    const after = await waitForRecord(
      t.bot,
      hotfix.ulid,
      (h) => h.steps['post_notice']?.result !== undefined,
    );
    expect(after.refs).toMatchObject({ noticeTs: notice.ts, noticeChannel: 'C0CHANGECTL' });
  });

  it('finalizes a hotfix whose finalize step was lost (it ended with no job following it)', async () => {
    const hotfix = await savedWithoutJob(905);
    const requester = { userId: 'U0PRIYA', groups: [] };
    // Cancelled straight through the store: nothing enqueued the finalize step.
    const outcome = await transact(
      t.bot.deps,
      { ulid: hotfix.ulid },
      { type: 'cancel', reason: 'gone' },
      requester,
    );
    expect(outcome).toMatchObject({ ok: true, hotfix: { state: 'cancelled' } });
    expect(outcome.ok && outcome.hotfix.finalizedSeq).toBeFalsy();
    expect((await t.bot.deps.store.listUnfinalized()).map((h) => h.ulid)).toContain(hotfix.ulid);
    const done = await waitForRecord(t.bot, hotfix.ulid, (h) => h.finalizedSeq === h.stateSince.seq);
    expect(done.state).toBe('cancelled');
    expect((await t.bot.deps.store.listUnfinalized()).map((h) => h.ulid)).not.toContain(hotfix.ulid);
  });
});
