/**
 * SIGKILL at each step of a rehearsal hotfix (DESIGN.md section 7): workers as real child processes are killed at
 * the change-control notice, the approval reply, the status message's first post and an update mid-deploy, and at
 * the final redraw. A new worker carries on each time; at the end the hotfix is complete, every message exists once,
 * and the lock is free.
 */
import { Redis } from 'ioredis';
import { RedisHotfixStore } from '../../src/adapters/redis/redis-hotfix-store.js';
import { RedisLocks } from '../../src/adapters/redis/redis-locks.js';
import { lockKey } from '../../src/domain/hotfix.js';
import type { ObservedCall, SlackEmulator } from '../emulators/slack/index.js';
import { clickButton, sendSlashCommand, startSlackEmulator } from '../emulators/slack/index.js';
import type { Cluster } from '../helpers/crash-harness.js';
import { killed, until, withCluster } from '../helpers/crash-harness.js';
import { SIGNING_SECRET } from '../helpers/test-bot.js';

const DB = 10;
const INCIDENT = 'C0INC4211';
const CHANGE_CONTROL = 'C0CHANGECTL';
jest.setTimeout(120_000);

let slack: SlackEmulator;
beforeAll(async () => {
  slack = await startSlackEmulator();
});
afterAll(() => slack.close());

const payload = (metadata: unknown) =>
  (metadata as { event_payload?: { kind?: unknown; ulid?: unknown } } | undefined)?.event_payload;
const isPost = (kind: string) => (call: ObservedCall) =>
  call.method === 'chat.postMessage' && payload(call.args['metadata'])?.kind === kind;

/** Every message (roots and replies) the bot posted about this hotfix with `kind` in its metadata. */
const postedKinds = (ulid: string) =>
  [...slack.messages(INCIDENT), ...slack.messages(CHANGE_CONTROL)]
    .flatMap((m) => [m, ...m.replies])
    .map((m) => payload(m.metadata))
    .filter((p) => p?.ulid === ulid)
    .map((p) => String(p?.kind));

/** Kills whichever worker makes the call, then starts a fresh one. */
async function crashOn(
  cluster: Cluster,
  what: string,
  predicate: (call: ObservedCall) => boolean,
  when: 'before' | 'after',
  act: () => Promise<unknown>,
) {
  const trigger = cluster.killOnCall(predicate, 'caller', when);
  await act();
  await killed(trigger, what);
  await cluster.startWorker();
}

describe('SIGKILL at each step of a rehearsal hotfix', () => {
  it('completes with every effect once, one status message and the lock released', () =>
    withCluster({ db: DB, slack, workers: 1 }, async (cluster) => {
      const redis = new Redis(cluster.redisUrl);
      const store = new RedisHotfixStore(redis);
      try {
        let id = '';
        // 1. The change-control notice lands, the worker dies before recording it.
        await crashOn(cluster, 'the notice', isPost('notice'), 'after', async () => {
          const response = await sendSlashCommand(
            cluster.eventsUrl,
            SIGNING_SECRET,
            {
              text: 'plan runbook-drill@24-02-05.619-hotfix.627 acme staging',
              user_id: 'U0PRIYA',
              channel_id: INCIDENT,
            },
            { emulator: slack },
          );
          id = /HF-\d+/.exec(JSON.stringify(response.body))?.[0] ?? '';
        });
        const planned = (await store.findById(id))!;
        const announced = await until(
          store,
          planned.ulid,
          (h) => h.steps['post_notice']?.result !== undefined,
        );

        // 2 and 3. Armed together, since their order is the workers' to choose: the approval's thread reply is held
        // and its worker dies before it lands; the status message is posted and its worker dies before recording it.
        const reply = cluster.killOnCall(
          (c) => isPost('reply')(c) && /is approved/.test(String(c.args['text'])),
          'caller',
          'before',
        );
        const status = cluster.killOnCall(isPost('status'), 'caller', 'after');
        await clickButton(
          cluster.eventsUrl,
          SIGNING_SECRET,
          {
            user: 'U0BOB',
            channel: CHANGE_CONTROL,
            ts: announced.refs['noticeTs']!,
            action_id: 'hotfix_approve',
          },
          { emulator: slack },
        );
        // Whichever fires first, a fresh worker replaces the dead one so the other crash point can be reached.
        const pending = [reply.killed.then(() => 'reply'), status.killed.then(() => 'status')];
        const first = await Promise.race(pending);
        await cluster.startWorker();
        await killed(
          first === 'reply' ? status : reply,
          first === 'reply' ? 'the status post' : 'the approval reply',
        );
        await cluster.startWorker();
        const shown = await until(
          store,
          planned.ulid,
          (h) => h.state === 'awaiting_input' && h.refs['statusTs'] !== undefined,
        );

        // 4. Proceed; the next status update is held and the worker dies mid-deploy.
        const statusTs = shown.refs['statusTs']!;
        await slack.waitFor(
          (s) =>
            s
              .messages(INCIDENT)
              .flatMap((m) => m.replies)
              .find((r) => r.ts === statusTs && JSON.stringify(r.blocks).includes('hotfix_input_proceed')),
          10_000,
        );
        await crashOn(
          cluster,
          'a status update',
          (c) => c.method === 'chat.update' && c.args['ts'] === statusTs,
          'before',
          () =>
            clickButton(
              cluster.eventsUrl,
              SIGNING_SECRET,
              { user: 'U0PRIYA', channel: INCIDENT, ts: statusTs, action_id: 'hotfix_input_proceed' },
              { emulator: slack },
            ),
        );

        const done = await until(
          store,
          planned.ulid,
          (h) => h.state === 'completed' && h.finalizedSeq !== undefined,
          40_000,
        );
        expect(done.stages.map((s) => s.status)).toEqual([
          'succeeded',
          'succeeded',
          'succeeded',
          'succeeded',
        ]);
        expect(await new RedisLocks(redis).holder(lockKey(done))).toBeUndefined();

        await slack.waitFor(() => {
          const status = slack
            .messages(INCIDENT)
            .flatMap((m) => m.replies)
            .find((r) => r.ts === statusTs);
          return status && /completed/i.test(JSON.stringify(status.blocks)) ? status : undefined;
        }, 15_000);
        const kinds = postedKinds(planned.ulid).sort();
        expect(kinds.filter((k) => k === 'plan')).toHaveLength(1);
        expect(kinds.filter((k) => k === 'notice')).toHaveLength(1);
        const statusPosts = slack.calls.filter((c) =>
          isPost('status')({ method: c.method, args: c.args, headers: {} } as ObservedCall),
        );
        if (kinds.filter((k) => k === 'status').length !== 1) {
          const steps = JSON.stringify((await store.load(planned.ulid))?.steps['post_status']);
          throw new Error(
            `status posted ${statusPosts.length} times: ${JSON.stringify(statusPosts.map((c) => [c.time, c.status, c.args['thread_ts'], c.result]))} steps=${steps}\n${cluster.logs(40)}`,
          );
        }
        // The approval reply's job died with its worker; its retry (or the reconciler) posts it, once.
        const repliesNow = () => slack.messages(INCIDENT).find((m) => m.ts === done.refs['planTs'])!.replies;
        await slack.waitFor(() => repliesNow().find((r) => /is approved/.test(r.text)), 25_000);
        await new Promise((resolve) => setTimeout(resolve, 1000));
        const replies = repliesNow();
        expect(replies.filter((r) => /is approved/.test(r.text))).toHaveLength(1);
        // The approval that completed the plan is told by the "is approved" reply, which names the approver.
        expect(replies.filter((r) => /is approved\* by <@U0BOB>/.test(r.text))).toHaveLength(1);
        expect(replies.filter((r) => /approved plan v1/.test(r.text))).toHaveLength(0);
        expect(cluster.workers.filter((w) => !w.running).length).toBeGreaterThanOrEqual(3);
      } finally {
        redis.disconnect();
      }
    }));
});
