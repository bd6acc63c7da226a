/**
 * Every outside effect of a step happens at most once per attempt when two runs of the step overlap: a deploy start
 * and an input answer (counted by a counting deploy method), and a Slack post that is slow past the claim window or
 * buried deep in a busy channel. Real Redis, the real steps, the Slack emulator; no worker, so the test runs them.
 */
import { WebClient } from '@slack/web-api';
import { RehearsalMethod } from '../../src/adapters/rehearsal/rehearsal-method.js';
import { SYSTEM } from '../../src/domain/hotfix.js';
import type { Hotfix } from '../../src/domain/hotfix.js';
import { RetryLater } from '../../src/ports/jobs.js';
import type { BullJobs } from '../../src/queue/step-queue.js';
import { act } from '../../src/workflow/act.js';
import { advance } from '../../src/workflow/advance.js';
import { announce } from '../../src/workflow/announce.js';
import type { WorkflowDeps } from '../../src/workflow/deps.js';
import { driveDeploy } from '../../src/workflow/drive-deploy.js';
import { transact } from '../../src/workflow/transact.js';
import { CountingMethod } from '../helpers/counting-method.js';
import { REQUESTER, holdingDrill, plannedDrill, reload } from '../helpers/hotfixes.js';
import type { TestBot } from '../helpers/test-bot.js';
import { startTestBot, waitForRecord } from '../helpers/test-bot.js';

let t: TestBot;
beforeEach(async () => {
  // Web role: only the runs the test makes; claims live 3 s past their runner (the test bot's job lock).
  t = await startTestBot(2, { env: { HOTFIX_ROLE: 'web' } });
});
afterEach(async () => t.stop());

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const postsAbout = (h: Hotfix, channel: string, kind: string) =>
  t.slack.messages(channel).filter((m) => {
    const payload = (m.metadata as { event_payload?: { ulid?: string; kind?: string } } | undefined)
      ?.event_payload;
    return payload?.ulid === h.ulid && payload.kind === kind;
  });

/** Runs the deploy step until the record satisfies `ready` (the rehearsal's stages are 0.2 s). */
async function driveUntil(deps: WorkflowDeps, h: Hotfix, ready: (h: Hotfix) => boolean): Promise<Hotfix> {
  for (let i = 0; i < 100; i++) {
    const current = await reload(deps, h);
    if (ready(current)) return current;
    await driveDeploy(deps, current);
    await sleep(50);
  }
  throw new Error(`${h.id} never got there: ${(await reload(deps, h)).state}`);
}

describe('deploy effects under concurrent runs of the deploy step', () => {
  it('starts the deploy and passes the answer on once each while two runs overlap inside the effect', async () => {
    const method = new CountingMethod(new RehearsalMethod(t.bot.deps.clock));
    const deps: WorkflowDeps = { ...t.bot.deps, methods: { rehearsal: method } };
    const h = await holdingDrill(deps, 1);
    await advance(deps, h.ulid);
    expect((await reload(deps, h)).state).toBe('deploying');

    const start = method.holdNext('start');
    const first = driveDeploy(deps, await reload(deps, h));
    await start.entered;
    // The reconciler's look (or a click's) arrives while the first run is inside `start`.
    await driveDeploy(deps, await reload(deps, h));
    start.release();
    await first;
    expect(method.calls.start).toBe(1);

    await driveUntil(deps, h, (x) => x.state === 'awaiting_input');
    const answered = await act(deps, {
      userId: REQUESTER,
      ref: { ulid: h.ulid },
      command: { type: 'answer_input', inputId: 'Proceed', proceed: true },
    });
    expect(answered.ok).toBe(true);
    const answer = method.holdNext('answer');
    const firstAnswer = driveDeploy(deps, await reload(deps, h));
    await answer.entered;
    await driveDeploy(deps, await reload(deps, h));
    answer.release();
    await firstAnswer;
    await driveUntil(deps, h, (x) => x.state === 'verifying' || x.state === 'completed');
    expect(method.calls).toEqual({ start: 1, answer: 1, abort: 0 });
  });
  it('aborts a cancelled deploy once while two runs of the deploy step overlap inside the abort', async () => {
    const method = new CountingMethod(new RehearsalMethod(t.bot.deps.clock));
    const deps: WorkflowDeps = { ...t.bot.deps, methods: { rehearsal: method } };
    const h = await holdingDrill(deps, 5);
    await advance(deps, h.ulid);
    await driveDeploy(deps, await reload(deps, h));
    const cancelled = await act(deps, {
      userId: REQUESTER,
      ref: { ulid: h.ulid },
      command: { type: 'cancel', reason: 'wrong tag' },
    });
    expect(cancelled).toMatchObject({ ok: true, hotfix: { cancelRequest: { reason: 'wrong tag' } } });
    const abort = method.holdNext('abort');
    const first = driveDeploy(deps, await reload(deps, h));
    await abort.entered;
    await driveDeploy(deps, await reload(deps, h));
    abort.release();
    await first;
    expect((await reload(deps, h)).state).toBe('cancelled');
    expect(method.calls.abort).toBe(1);
  });
});

describe('Slack posts under concurrent runs', () => {
  it('never takes a post over from a runner still waiting on a slow Slack past the claim window', async () => {
    const { deps } = t.bot;
    const h = await plannedDrill(deps, 2);
    t.slack.failNext('chat.postMessage', { delayMs: 5000 });
    const first = announce(deps, h.ulid);
    await sleep(deps.timing.claimMs + 500);
    // A second run (the reconciler's announce) after the claim window: the first runner is alive and renewing.
    await expect(announce(deps, h.ulid)).rejects.toBeInstanceOf(RetryLater);
    await first;
    await announce(deps, h.ulid);
    const plans = postsAbout(h, 'C0INC4211', 'plan');
    expect(plans).toHaveLength(1);
    expect((await reload(deps, h)).refs['planTs']).toBe(plans[0]?.ts);
  });

  it('finds a post a dead runner made, even with more than a page of messages after it', async () => {
    const { deps } = t.bot;
    const h = await plannedDrill(deps, 3);
    // The dead runner: its claim is a minute old (long past its lease), it posted, and it died before recording.
    const earlier = { ...deps, clock: { now: () => new Date(Date.now() - 60_000) } };
    await transact(
      earlier,
      { ulid: h.ulid },
      { type: 'record_intent', step: 'post_plan', key: 'dead' },
      {
        userId: SYSTEM,
        groups: [],
      },
    );
    const posted = await deps.chat.postPlan(h);
    const client = new WebClient(t.slack.token, { slackApiUrl: t.slack.apiUrl });
    for (let i = 0; i < 210; i++)
      await client.chat.postMessage({ channel: 'C0INC4211', text: `incident chatter ${i}` });
    await announce(deps, h.ulid);
    expect(postsAbout(h, 'C0INC4211', 'plan')).toHaveLength(1);
    expect((await reload(deps, h)).refs['planTs']).toBe(posted.ts);
  });
});

describe('a Slack call that never answers', () => {
  let slow: TestBot;
  afterEach(async () => slow.stop());

  it('gives up on an unanswered post in time, and the next run finds the post instead of posting again', async () => {
    // A worker (`all` role: no retries inside a call) whose Slack calls time out after 500 ms.
    slow = await startTestBot(2, { slackTimeoutMs: 500 });
    const { deps } = slow.bot;
    // The plan post lands in Slack, but its answer does not come back for 12 s.
    let landedAt = 0;
    const release = new Promise<void>((resolve) => setTimeout(resolve, 12_000));
    slow.slack.onCall(
      (call) => call.method === 'chat.postMessage' && call.args['channel'] === 'C0INC4211',
      () => {
        landedAt = Date.now();
        return release;
      },
      { when: 'after' },
    );
    const h = await plannedDrill(deps, 4);
    // The reconciler announces it; the first run times out, a later one takes the claim over once its lease ran out.
    const announced = await waitForRecord(slow.bot, h.ulid, (x) => x.refs['planTs'] !== undefined, 9000);
    const plans = slow.slack.messages('C0INC4211').filter((m) => {
      const payload = (m.metadata as { event_payload?: { ulid?: string; kind?: string } } | undefined)
        ?.event_payload;
      return payload?.ulid === h.ulid && payload.kind === 'plan';
    });
    expect(plans).toHaveLength(1);
    expect(announced.refs['planTs']).toBe(plans[0]?.ts);
    // And no runner is left hanging on the unanswered call: the worker's jobs all finish long before Slack answers.
    const { queue } = deps.jobs as BullJobs;
    // The reconciler keeps adding short jobs, so "no runner hanging" is: the active count reaches 0 at some moment.
    let active = await queue.getActiveCount();
    while (active > 0 && Date.now() - landedAt < 8000) {
      await sleep(50);
      active = await queue.getActiveCount();
    }
    expect(active).toBe(0);
  }, 30_000);
});
