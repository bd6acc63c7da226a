/**
 * SIGKILL around the effects of an ecs-run-once hotfix: workers as real child processes are killed right after the
 * UpdateService that sets the deployment service to 1 lands, and in the middle of the log tail (right after a
 * FilterLogEvents is answered). A new worker carries on each time; at the end the hotfix has reached verifying with
 * one UpdateService, one task, and each log line shown once.
 */
import { Redis } from 'ioredis';
import { RedisHotfixStore } from '../../src/adapters/redis/redis-hotfix-store.js';
import type { Hotfix } from '../../src/domain/hotfix.js';
import type { SlackEmulator } from '../emulators/slack/index.js';
import { clickButton, sendSlashCommand, startSlackEmulator } from '../emulators/slack/index.js';
import { startAwsEmulator, TEST_CREDENTIALS, type AwsEmulator } from '../emulators/aws/index.js';
import type { Cluster } from '../helpers/crash-harness.js';
import { withCluster } from '../helpers/crash-harness.js';
import { SIGNING_SECRET } from '../helpers/test-bot.js';
import { processDatabase, seedDeploymentService, STAGING_DEPLOYMENT } from '../helpers/run-once-world.js';

const DB = 9;
const INCIDENT = 'C0INC4211';
const CHANGE_CONTROL = 'C0CHANGECTL';
const TAG = '2024.11.3-hotfix.2';
const LINES = [
  'Deployment starting',
  'Migrating 1 of 3',
  'Migrating 2 of 3',
  'Migrating 3 of 3',
  'Deployment finished',
];
const db = processDatabase('hotfix_runonce_crash');
jest.setTimeout(120_000);

let slack: SlackEmulator;
let aws: AwsEmulator;
beforeAll(async () => {
  slack = await startSlackEmulator();
  aws = await startAwsEmulator({ stepMs: 200 });
  seedDeploymentService(aws, TAG);
  aws.runOnce.scriptNextRun(STAGING_DEPLOYMENT.cluster, STAGING_DEPLOYMENT.service, {
    lines: LINES,
    stepMs: 1500,
  });
  await db.create();
});
afterAll(async () => {
  await slack.close();
  await aws.close();
  await db.drop();
});

async function until(store: RedisHotfixStore, ulid: string, ready: (h: Hotfix) => boolean, ms = 30_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const h = await store.load(ulid);
    if (h && ready(h)) return h;
    if (Date.now() > deadline)
      throw new Error(`not reached within ${ms} ms: ${h?.state} ${JSON.stringify(h?.refs)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Kills the running worker at the next `operation` call ('before' it lands or 'after'), then starts a fresh one. */
function crashAt(
  cluster: Cluster,
  operation: string,
  when: 'before' | 'after',
  linesLogged = 0,
): Promise<void> {
  return new Promise((resolve) => {
    aws.onCall(
      (call) =>
        call.operation === operation &&
        (aws.logs.groups.get(STAGING_DEPLOYMENT.logGroup)?.length ?? 0) >= linesLogged,
      async () => {
        const worker = cluster.workers.find((w) => w.running);
        if (worker) await cluster.killWorker(worker);
        await cluster.startWorker();
        resolve();
      },
      when,
    );
  });
}

describe('SIGKILL around the effects of an ecs-run-once hotfix', () => {
  it('leaves one UpdateService to 1 and one task, shows each log line once, and the hotfix reaches verifying', () =>
    withCluster(
      {
        db: DB,
        slack,
        workers: 1,
        env: {
          AWS_REGION: aws.region,
          AWS_ENDPOINT_URL: aws.url,
          AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
          AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
          PROCESS_GUARD_URL_ACME_STAGING: db.url,
        },
      },
      async (cluster) => {
        const redis = new Redis(cluster.redisUrl);
        const store = new RedisHotfixStore(redis);
        try {
          const crashes = [
            crashAt(cluster, 'UpdateService', 'after'),
            // Mid-tail: two lines read, the cursor possibly not yet recorded.
            crashAt(cluster, 'FilterLogEvents', 'after', 2),
          ];
          const response = await sendSlashCommand(
            cluster.eventsUrl,
            SIGNING_SECRET,
            { text: `plan deployment@${TAG} acme staging`, user_id: 'U0PRIYA', channel_id: INCIDENT },
            { emulator: slack },
          );
          const id = /HF-\d+/.exec(JSON.stringify(response.body))?.[0] ?? '';
          const planned = (await store.findById(id))!;
          const announced = await until(store, planned.ulid, (h) => h.refs['noticeTs'] !== undefined);
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
          await Promise.all(crashes);
          const deployed = await until(
            store,
            planned.ulid,
            (h) => h.state === 'verifying' || h.state === 'completed',
            60_000,
          );
          expect(cluster.workers.filter((w) => !w.running)).toHaveLength(2);
          expect(aws.callsOf('UpdateService').filter((c) => c.body['desiredCount'] === 1)).toHaveLength(1);
          expect(aws.runOnce.tasks).toHaveLength(1);
          expect(deployed.refs['ecsLogLatest']?.split('\n')).toEqual(LINES);
        } finally {
          redis.disconnect();
        }
      },
    ));
});
