/**
 * SIGKILL around each ECS effect of an ecs-image hotfix (issue: exactly once under crashes): workers as real child
 * processes are killed while RegisterTaskDefinition is held (before it lands), right after it lands, and right after
 * UpdateService lands. A new worker carries on each time; at the end the hotfix has reached verifying with one new
 * revision and one UpdateService.
 */
import { Redis } from 'ioredis';
import { RedisHotfixStore } from '../../src/adapters/redis/redis-hotfix-store.js';
import type { Hotfix } from '../../src/domain/hotfix.js';
import type { SlackEmulator } from '../emulators/slack/index.js';
import { clickButton, sendSlashCommand, startSlackEmulator } from '../emulators/slack/index.js';
import { startAwsEmulator, TEST_CREDENTIALS, type AwsEmulator } from '../emulators/aws/index.js';
import type { Cluster } from '../helpers/crash-harness.js';
import { withCluster } from '../helpers/crash-harness.js';
import { catalogWith, SIGNING_SECRET } from '../helpers/test-bot.js';
import type { HealthEmulator } from '../emulators/health/index.js';
import { startHealthEmulator } from '../emulators/health/index.js';
import { seedAgentService } from '../helpers/ecs-world.js';

const DB = 8;
const INCIDENT = 'C0INC4211';
const CHANGE_CONTROL = 'C0CHANGECTL';
const STAGING = { cluster: 'staging-acme', service: 'staging-external-agent-acme' };
jest.setTimeout(120_000);

let slack: SlackEmulator;
let aws: AwsEmulator;
let health: HealthEmulator;
let catalog: string;
beforeAll(async () => {
  slack = await startSlackEmulator();
  aws = await startAwsEmulator({ stepMs: 200 });
  seedAgentService(aws, STAGING);
  // Healthy at the target version, through a short soak: the deployed hotfix completes.
  health = await startHealthEmulator();
  health.running('/healthz', 'v2.14.3-hotfix.1');
  catalog = catalogWith((doc) => {
    doc.setIn(['clients', 'acme', 'envs', 'staging', 'healthUrls', 'external-agent'], health.url);
    doc.setIn(['services', 'external-agent', 'soak'], doc.createNode({ seconds: 2, everySeconds: 1 }));
  });
});
afterAll(async () => {
  await slack.close();
  await aws.close();
  await health.close();
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
function crashAt(cluster: Cluster, operation: string, when: 'before' | 'after'): Promise<void> {
  return new Promise((resolve) => {
    aws.onCall(
      (call) => call.operation === operation,
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

describe('SIGKILL around the ECS effects of an ecs-image hotfix', () => {
  it('leaves one new revision and one UpdateService, and the hotfix completes', () =>
    withCluster(
      {
        db: DB,
        slack,
        workers: 1,
        env: {
          HOTFIX_CATALOG: catalog,
          AWS_REGION: aws.region,
          AWS_ENDPOINT_URL: aws.url,
          AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
          AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
        },
      },
      async (cluster) => {
        const redis = new Redis(cluster.redisUrl);
        const store = new RedisHotfixStore(redis);
        try {
          const crashes = [
            crashAt(cluster, 'RegisterTaskDefinition', 'before'),
            crashAt(cluster, 'RegisterTaskDefinition', 'after'),
            crashAt(cluster, 'UpdateService', 'after'),
          ];
          const response = await sendSlashCommand(
            cluster.eventsUrl,
            SIGNING_SECRET,
            {
              text: 'plan external-agent@v2.14.3-hotfix.1 acme staging',
              user_id: 'U0PRIYA',
              channel_id: INCIDENT,
            },
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
          const deployed = await until(store, planned.ulid, (h) => h.state === 'completed', 60_000);
          expect(cluster.workers.filter((w) => !w.running)).toHaveLength(3);
          expect(aws.callsOf('RegisterTaskDefinition')).toHaveLength(1);
          expect(aws.callsOf('UpdateService')).toHaveLength(1);
          expect(aws.ecs.taskDefinitions.filter((td) => td.family === STAGING.service)).toHaveLength(2);
          expect(deployed.refs['ecsTaskDefinition']).toBe(`${STAGING.service}:2`);
        } finally {
          redis.disconnect();
        }
      },
    ));
});
