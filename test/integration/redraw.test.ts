/**
 * Messages follow the record even when the job that should have drawn them died: the reconciler redraws a status
 * message, a plan message and a notice that no longer show the record, finalize waits for the final drawing, and a
 * channel that refuses the bot for good becomes one message to the owner and admins instead of an endless retry.
 * The web role's bot runs no jobs by itself: the test runs them (drainJobs) and decides which die.
 */
import type { Hotfix } from '../../src/domain/hotfix.js';
import { act } from '../../src/workflow/act.js';
import { announce } from '../../src/workflow/announce.js';
import { driveDeploy } from '../../src/workflow/drive-deploy.js';
import { reconcile } from '../../src/workflow/reconcile.js';
import { drainJobs } from '../helpers/drain-jobs.js';
import { REQUESTER, holdingDrill, plannedDrill, reload } from '../helpers/hotfixes.js';
import type { TestBot } from '../helpers/test-bot.js';
import { startTestBot } from '../helpers/test-bot.js';

let t: TestBot;
beforeEach(async () => {
  t = await startTestBot(3, { env: { HOTFIX_ROLE: 'web' } });
});
afterEach(async () => t.stop());

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Longer than the reconciler's quiet time (3 polls of 100 ms, at least 1 s) and the status pacing. */
const QUIET_MS = 1200;

const messageAt = (channel: string, ts: string | undefined) => {
  const all = t.slack.messages(channel).flatMap((m) => [m, ...(m.replies ?? [])]);
  const found = all.find((m) => m.ts === ts);
  if (!found) throw new Error(`no message ${ts} in ${channel}`);
  return JSON.stringify(found.blocks);
};
const threadReplies = (h: Hotfix) =>
  t.slack.messages('C0INC4211').find((m) => m.ts === h.refs['planTs'])?.replies ?? [];

async function cancel(h: Hotfix) {
  const outcome = await act(t.bot.deps, {
    userId: REQUESTER,
    ref: { ulid: h.ulid },
    command: { type: 'cancel', reason: 'not needed' },
  });
  expect(outcome.ok).toBe(true);
}

it('redraws a status message whose render died, so a failed deploy offers Retry instead of Cancel', async () => {
  const { deps } = t.bot;
  const h = await holdingDrill(deps, 1, 'failing-drill');
  await drainJobs(deps);
  for (let i = 0; i < 100 && (await reload(deps, h)).state !== 'failed'; i++) {
    const current = await reload(deps, h);
    if (current.state === 'awaiting_input')
      await act(deps, {
        userId: REQUESTER,
        ref: { ulid: h.ulid },
        command: { type: 'answer_input', inputId: 'Proceed', proceed: true },
      });
    else await driveDeploy(deps, current);
    await sleep(250);
    // Every status update but the last one goes through.
    if ((await reload(deps, h)).state !== 'failed') await drainJobs(deps);
  }
  const failed = await reload(deps, h);
  expect(failed.state).toBe('failed');
  // Slack fails the update (`fatal_error`: its own server trouble, not retried inside the call).
  t.slack.failNext('chat.update', 'fatal_error');
  expect((await drainJobs(deps)).died).toContain('render_status');
  expect(messageAt('C0INC4211', failed.refs['statusTs'])).not.toContain('hotfix_retry');

  await sleep(QUIET_MS);
  await reconcile(deps);
  await drainJobs(deps);
  expect(messageAt('C0INC4211', failed.refs['statusTs'])).toContain('hotfix_retry');
});

it('keeps a cancelled hotfix unfinalized until its notice is redrawn after every drawing job died', async () => {
  const { deps } = t.bot;
  const h = await plannedDrill(deps, 2);
  await announce(deps, h.ulid);
  const announced = await reload(deps, h);
  // Slack is down for both redraws: the cancel's and finalize's.
  t.slack.failNext('chat.update', 'fatal_error', 2);
  await cancel(h);
  expect((await drainJobs(deps)).died).toEqual(['refresh_messages', 'refresh_messages']);
  expect(messageAt('C0CHANGECTL', announced.refs['noticeTs'])).toContain('hotfix_approve');
  expect((await reload(deps, h)).finalizedSeq).toBeUndefined();

  await sleep(QUIET_MS);
  await reconcile(deps);
  await drainJobs(deps);
  expect(messageAt('C0CHANGECTL', announced.refs['noticeTs'])).not.toContain('hotfix_approve');
  const done = await reload(deps, h);
  expect(done.finalizedSeq).toBe(done.stateSince.seq);
});

it('turns a channel that refuses the bot for good into one message to the owner and admins, not endless retries', async () => {
  const { deps } = t.bot;
  const h = await plannedDrill(deps, 3);
  await announce(deps, h.ulid);
  const announced = await reload(deps, h);
  // The bot was removed from change control, a private channel: Slack now says it does not exist.
  t.slack.addChannel({
    id: 'C0CHANGECTL',
    name: 'announcements-change-control',
    is_private: true,
    is_member: false,
  });
  await cancel(h);
  const died: string[] = [];
  died.push(...(await drainJobs(deps)).died);
  for (let round = 0; round < 3; round++) {
    await sleep(QUIET_MS);
    await reconcile(deps);
    died.push(...(await drainJobs(deps)).died);
  }
  expect(died).toEqual([]);
  const told = threadReplies(announced).filter((m) => /can no longer update/.test(m.text ?? ''));
  expect(told).toHaveLength(1);
  expect(told[0]?.text).toContain(`<@${announced.owner}>`);
  expect(told[0]?.text).toContain('channel_not_found');
  const done = await reload(deps, h);
  expect(done.finalizedSeq).toBe(done.stateSince.seq);
});

it('gives up a thread reply the incident channel refuses for good instead of retrying it forever', async () => {
  const { deps } = t.bot;
  const h = await plannedDrill(deps, 4);
  await announce(deps, h.ulid);
  // The bot was removed from the incident channel, a private one.
  t.slack.addChannel({ id: 'C0INC4211', name: 'inc-4211-decanting', is_private: true, is_member: false });
  await cancel(h);
  const died: string[] = [];
  died.push(...(await drainJobs(deps)).died);
  for (let round = 0; round < 3; round++) {
    await sleep(QUIET_MS);
    await reconcile(deps);
    died.push(...(await drainJobs(deps)).died);
  }
  expect(died).toEqual([]);
  const done = await reload(deps, h);
  const told = Object.values(done.steps).filter(
    (s) => s.result?.detail === 'undeliverable: channel_not_found',
  );
  expect(told.length).toBeGreaterThan(0);
  expect(done.finalizedSeq).toBe(done.stateSince.seq);
});
