/**
 * SIGKILL around each ECS effect of an ecs-image panic rollback (issue: it works after a crash at any step): workers
 * as real child processes are killed while the UpdateService back is held (before it lands) and right after it
 * lands, then while the DeregisterTaskDefinition of the bad revision is held and right after it lands. A new worker
 * carries on each time; at the end the hotfix is rolled back with one UpdateService back and one deregistration.
 */
import { Redis } from 'ioredis';
import { RedisHotfixStore } from '../../src/adapters/redis/redis-hotfix-store.js';
import type { Hotfix } from '../../src/domain/hotfix.js';
import type { SlackEmulator } from '../emulators/slack/index.js';
import {
  clickButton,
  sendSlashCommand,
  sendViewSubmission,
  startSlackEmulator,
} from '../emulators/slack/index.js';
import { startAwsEmulator, TEST_CREDENTIALS, type AwsEmulator } from '../emulators/aws/index.js';
import type { AwsCallSeen } from '../emulators/aws/aws-emulator.js';
import type { Cluster } from '../helpers/crash-harness.js';
import { withCluster } from '../helpers/crash-harness.js';
import { catalogWith, SIGNING_SECRET } from '../helpers/test-bot.js';
import type { HealthEmulator } from '../emulators/health/index.js';
import { startHealthEmulator } from '../emulators/health/index.js';
import { seedAgentService } from '../helpers/ecs-world.js';

const DB = 14;
const INCIDENT = 'C0INC4211';
const CHANGE_CONTROL = 'C0CHANGECTL';
const STAGING = { cluster: 'staging-acme', service: 'staging-external-agent-acme' };
const GOOD = `${STAGING.service}:1`;
const BAD = `${STAGING.service}:2`;
jest.setTimeout(150_000);

let slack: SlackEmulator;
let aws: AwsEmulator;
let health: HealthEmulator;
let catalog: string;
beforeAll(async () => {
  slack = await startSlackEmulator();
  aws = await startAwsEmulator({ stepMs: 200 });
  seedAgentService(aws, STAGING);
  // Unhealthy after the deploy, so the hotfix fails its first health check and is rolled back.
  health = await startHealthEmulator();
  health.answer('/healthz', { status: 503, body: { status: 'unhealthy' } });
  catalog = catalogWith((doc) =>
    doc.setIn(['clients', 'acme', 'envs', 'staging', 'healthUrls', 'external-agent'], health.url),
  );
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
      throw new Error(`not reached within ${ms} ms: ${h?.state} ${JSON.stringify(h?.stages)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Kills the running worker at the next call that `matches` ('before' it lands or 'after'), then starts a fresh one. */
function crashAt(
  cluster: Cluster,
  matches: (call: AwsCallSeen) => boolean,
  when: 'before' | 'after',
): Promise<void> {
  return new Promise((resolve) => {
    aws.onCall(
      matches,
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

const updateBack = (call: AwsCallSeen) =>
  call.operation === 'UpdateService' && String(call.body['taskDefinition']).endsWith(GOOD);
const deregisterBad = (call: AwsCallSeen) =>
  call.operation === 'DeregisterTaskDefinition' && String(call.body['taskDefinition']).endsWith(BAD);

describe('SIGKILL around the ECS effects of an ecs-image panic rollback', () => {
  it('leaves one UpdateService back and one deregistration, and the hotfix ends rolled back', () =>
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
        const opts = { emulator: slack };
        try {
          const response = await sendSlashCommand(
            cluster.eventsUrl,
            SIGNING_SECRET,
            {
              text: 'plan external-agent@v2.14.3-hotfix.1 acme staging',
              user_id: 'U0PRIYA',
              channel_id: INCIDENT,
            },
            opts,
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
            opts,
          );
          const failed = await until(
            store,
            planned.ulid,
            (h) => h.state === 'failed' && !!h.refs['statusTs'],
          );
          expect(failed.refs['ecsTaskDefinition']).toBe(BAD);
          await slack.waitFor(() => {
            const thread = slack.messages(INCIDENT).find((m) => m.ts === failed.refs['planTs']);
            const status = thread?.replies?.find((r) => r.ts === failed.refs['statusTs']);
            return JSON.stringify(status?.blocks ?? '').includes('hotfix_rollback') || undefined;
          }, 10_000);

          await clickButton(
            cluster.eventsUrl,
            SIGNING_SECRET,
            {
              user: 'U0PRIYA',
              channel: INCIDENT,
              ts: failed.refs['statusTs']!,
              action_id: 'hotfix_rollback',
            },
            opts,
          );
          const form = await slack.waitFor(
            () =>
              slack.views.find(
                (v) =>
                  v.view['callback_id'] === 'hotfix_rollback_reason' &&
                  String(v.view['private_metadata']).includes(planned.ulid),
              ),
            10_000,
          );
          expect(JSON.stringify(form.view['blocks'])).toContain(`(task definition \`${GOOD}\`)`);
          // Back on the old revision the service is healthy again.
          health.running('/healthz', 'v2.14.2');
          const crashes = [
            crashAt(cluster, updateBack, 'before'),
            crashAt(cluster, updateBack, 'after'),
            crashAt(cluster, deregisterBad, 'before'),
            crashAt(cluster, deregisterBad, 'after'),
          ];
          await sendViewSubmission(
            cluster.eventsUrl,
            SIGNING_SECRET,
            {
              user: 'U0PRIYA',
              view: {
                id: form.id,
                callback_id: 'hotfix_rollback_reason',
                private_metadata: String(form.view['private_metadata']),
                state: {
                  values: { reason: { value: { type: 'plain_text_input', value: 'health reports 503' } } },
                },
              },
            },
            opts,
          );
          await Promise.all(crashes);
          const done = await until(store, planned.ulid, (h) => h.finalizedSeq !== undefined, 90_000);
          expect(done.state).toBe('rolled_back');
          expect(cluster.workers.filter((w) => !w.running)).toHaveLength(4);
          expect(aws.callsOf('UpdateService').filter(updateBack)).toHaveLength(1);
          expect(aws.callsOf('DeregisterTaskDefinition').filter(deregisterBad)).toHaveLength(1);
          expect(aws.callsOf('StopServiceDeployment')).toHaveLength(0);
          expect(aws.ecs.taskDefinitions.find((td) => td.arn.endsWith(BAD))?.status).toBe('INACTIVE');
          expect(aws.ecs.service(STAGING.cluster, STAGING.service)?.taskDefinition).toMatch(
            new RegExp(`${GOOD}$`),
          );
        } finally {
          redis.disconnect();
        }
      },
    ));
});
