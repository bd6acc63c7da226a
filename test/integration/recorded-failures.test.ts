/**
 * A person is told "nothing was done" only when nothing was: a decision saved before its follow-up jobs could be
 * enqueued (a Redis blip between the two) is reported as recorded, and the reconciler delivers the follow-up.
 */
import { createRedis } from '../../src/adapters/redis/connection.js';
import { BullJobs } from '../../src/queue/step-queue.js';
import type { Jobs } from '../../src/ports/jobs.js';
import { sendSlashCommand } from '../emulators/slack/index.js';
import { REQUESTER, plannedDrill } from '../helpers/hotfixes.js';
import type { TestBot } from '../helpers/test-bot.js';
import { SIGNING_SECRET, startTestBot, waitForRecord } from '../helpers/test-bot.js';

let t: TestBot;
let dead: BullJobs | undefined;
beforeEach(async () => {
  t = await startTestBot(15);
});
afterEach(async () => {
  await dead?.close().catch(() => undefined);
  await t.stop();
});

const slash = (text: string) =>
  sendSlashCommand(
    t.eventsUrl,
    SIGNING_SECRET,
    { text, user_id: REQUESTER, channel_id: 'C0INC4211' },
    { emulator: t.slack },
  );

it('says a cancel was recorded, not that nothing was done, when its follow-ups cannot be enqueued', async () => {
  const { deps } = t.bot;
  const h = await plannedDrill(deps, 1);
  await waitForRecord(t.bot, h.ulid, (x) => x.refs['noticeTs'] !== undefined);
  // The queue's connection drops right after the record was saved: the real queue adapter on a connection that
  // was up and is now closed (enqueueing fails at once, as it does in a Redis blip).
  const jobs: Jobs = deps.jobs;
  const unreachable = createRedis(t.redisUrl, 'web');
  await new Promise((resolve) => unreachable.once('ready', resolve));
  dead = new BullJobs(unreachable);
  unreachable.disconnect();
  deps.jobs = dead;
  const reply = await slash(`cancel ${h.id} "wrong tag"`).finally(() => {
    deps.jobs = jobs;
  });
  const text = JSON.stringify(reply.body);
  expect(text).toContain('recorded; follow-up will arrive');
  expect(text).not.toContain('nothing was done');
  expect((await deps.store.load(h.ulid))?.state).toBe('cancelled');
  // The follow-up arrives without anyone repeating the cancel: the reconciler finalizes and tells the thread.
  const done = await waitForRecord(t.bot, h.ulid, (x) => x.finalizedSeq === x.stateSince.seq, 20_000);
  expect(done.state).toBe('cancelled');
});
