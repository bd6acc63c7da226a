/**
 * SIGKILL around the one Jenkins trigger of a jenkins-multi-deploy hotfix (DESIGN.md section 7): workers as real
 * child processes are killed when Jenkins has queued the build but the worker has not heard back, while the queue
 * item waits, once the build number is on the record, and for longer than Jenkins keeps a left queue item. Each time a
 * fresh worker finds the run by the hotfix id parameter: one trigger, one build, and the hotfix past deploying.
 */
import { Redis } from 'ioredis';
import { RedisHotfixStore } from '../../src/adapters/redis/redis-hotfix-store.js';
import type { Hotfix } from '../../src/domain/hotfix.js';
import type { JenkinsEmulator, ObservedRequest } from '../emulators/jenkins/index.js';
import { startJenkinsEmulator } from '../emulators/jenkins/index.js';
import type { SlackEmulator } from '../emulators/slack/index.js';
import { clickButton, sendSlashCommand, startSlackEmulator } from '../emulators/slack/index.js';
import type { Cluster } from '../helpers/crash-harness.js';
import { killed, startCluster, until } from '../helpers/crash-harness.js';
import { ADMIN, APPROVER, REQUESTER } from '../helpers/hotfixes.js';
import { SIGNING_SECRET } from '../helpers/test-bot.js';

const DB = 0;
const INCIDENT = 'C0INC4211';
const CHANGE_CONTROL = 'C0CHANGECTL';
const JOB = 'multi_deploy_pipeline';
const PARAMETERS = { CLIENT: '', ENV: '', SERVICES: '', HOTFIX_ID: '' };
// A Tuesday afternoon outside every freeze window and late-week warning of the example catalog.
const PINNED_NOW = Date.parse('2026-11-17T15:05:00Z');
jest.setTimeout(120_000);

let slack: SlackEmulator;
let jenkins: JenkinsEmulator;
let cluster: Cluster;
let redis: Redis;
let store: RedisHotfixStore;
beforeAll(async () => {
  slack = await startSlackEmulator();
  jenkins = await startJenkinsEmulator({
    jobs: [{ name: JOB, parameters: PARAMETERS, script: { stages: ['Checkout', 'Deploy'], stageMs: 1500 } }],
  });
  cluster = await startCluster({
    db: DB,
    slack,
    workers: 1,
    env: {
      JENKINS_URL: jenkins.url,
      JENKINS_USER: jenkins.user,
      JENKINS_API_TOKEN: jenkins.apiToken,
      HOTFIX_TEST_CLOCK_OFFSET_MS: String(PINNED_NOW - Date.now()),
      HOTFIX_TEST_POLL_MS: '300',
    },
  });
  redis = new Redis(cluster.redisUrl);
  store = new RedisHotfixStore(redis);
});
afterAll(async () => {
  redis?.disconnect();
  await cluster?.stop();
  await jenkins?.close();
  await slack?.close();
});

const PAST_DEPLOYING = new Set(['verifying', 'completed']);
const isTrigger = (r: ObservedRequest) => r.method === 'POST' && r.path === `/job/${JOB}/buildWithParameters`;
const buildsOf = (h: Hotfix) =>
  jenkins.builds(JOB).filter((b) => b.parameters['HOTFIX_ID'] === `${h.ulid}-1`);
const triggersOf = (h: Hotfix) =>
  jenkins
    .callsTo('POST', `/job/${JOB}/buildWithParameters`)
    .filter((c) => c.status === 201 && c.form['HOTFIX_ID'] === `${h.ulid}-1`);

/** Plans decanting-service for acme staging and waits for its change-control notice. */
async function announced(): Promise<Hotfix> {
  const response = await sendSlashCommand(
    cluster.eventsUrl,
    SIGNING_SECRET,
    {
      text: 'plan decanting-service@24-02-05.619-hotfix.627 acme staging',
      user_id: REQUESTER,
      channel_id: INCIDENT,
    },
    { emulator: slack },
  );
  const id = /HF-\d+/.exec(JSON.stringify(response.body))?.[0];
  if (!id) throw new Error(`not planned: ${JSON.stringify(response.body)}\n${cluster.logs(20)}`);
  const planned = (await store.findById(id))!;
  return until(store, planned.ulid, (h) => h.refs['noticeTs'] !== undefined);
}

async function approve(hotfix: Hotfix): Promise<void> {
  await clickButton(
    cluster.eventsUrl,
    SIGNING_SECRET,
    { user: APPROVER, channel: CHANGE_CONTROL, ts: hotfix.refs['noticeTs']!, action_id: 'hotfix_approve' },
    { emulator: slack },
  );
}

/** One trigger reached Jenkins, one build carries the hotfix id, and the hotfix got past deploying. */
async function expectOneBuildPastDeploying(hotfix: Hotfix): Promise<Hotfix> {
  // Past deploying: verifying, or on from there (acme staging's health URL does not resolve here, so it may fail there).
  const past = await until(
    store,
    hotfix.ulid,
    (h) => PAST_DEPLOYING.has(h.state) || h.failure?.phase === 'verify',
    40_000,
  );
  expect(triggersOf(hotfix)).toHaveLength(1);
  expect(buildsOf(hotfix)).toHaveLength(1);
  expect(buildsOf(hotfix)[0]?.result).toBe('SUCCESS');
  expect(past.refs).toMatchObject({
    jenkinsRunKey: `${hotfix.ulid}-1`,
    jenkinsBuild: String(buildsOf(hotfix)[0]?.number),
  });
  return past;
}

/** Frees acme staging for the next test, as an admin would after checking the deploy by hand. */
afterEach(async () => {
  await sendSlashCommand(
    cluster.eventsUrl,
    SIGNING_SECRET,
    {
      text: 'unlock acme staging "checked by hand after the crash test"',
      user_id: ADMIN,
      channel_id: INCIDENT,
    },
    { emulator: slack },
  );
});

describe('SIGKILL around the Jenkins trigger of a jenkins-multi-deploy hotfix', () => {
  it('(a) killed once Jenkins queued the build, before the worker heard back: the next worker finds the queue item', async () => {
    // The item still waits when the next worker looks, so it is found in the queue, not among the builds.
    jenkins.setTiming({ queueDelayMs: 12_000, leftItemRetentionMs: 5 * 60_000 });
    const hotfix = await announced();
    const trigger = cluster.killOnHook((kill) => jenkins.onRequest(isTrigger, kill, { when: 'after' }));
    await approve(hotfix);
    await killed(trigger, 'buildWithParameters');
    const orphaned = await store.load(hotfix.ulid);
    expect(orphaned?.steps['start_1']?.intent).toBeDefined();
    expect(orphaned?.steps['start_1']?.result).toBeUndefined();
    await cluster.startWorker();
    const found = await until(store, hotfix.ulid, (h) => h.steps['start_1']?.result !== undefined);
    expect(buildsOf(hotfix)).toHaveLength(0);
    expect(found.refs['jenkinsQueueItem']).toBe(String(queueItemOf(hotfix)));
    await expectOneBuildPastDeploying(hotfix);
  });

  it('(b) killed while the queue item waits, its number recorded: the next worker follows it to its build', async () => {
    jenkins.setTiming({ queueDelayMs: 4000, leftItemRetentionMs: 5 * 60_000 });
    const hotfix = await announced();
    const trigger = cluster.killOnHook((kill) =>
      jenkins.onRequest((r) => isWaitingItemLook(r, hotfix), kill, { when: 'after' }),
    );
    await approve(hotfix);
    await killed(trigger, 'a look at the waiting queue item');
    const orphaned = await store.load(hotfix.ulid);
    expect(orphaned?.refs['jenkinsQueueItem']).toBe(String(queueItemOf(hotfix)));
    expect(buildsOf(hotfix)).toHaveLength(0);
    await cluster.startWorker();
    await expectOneBuildPastDeploying(hotfix);
  });

  it('(c) killed once the build number is on the record: the next worker follows that build', async () => {
    jenkins.setTiming({ queueDelayMs: 300, leftItemRetentionMs: 5 * 60_000 });
    const hotfix = await announced();
    await approve(hotfix);
    const located = await until(store, hotfix.ulid, (h) => Boolean(h.refs['jenkinsBuild']));
    const describe = `/job/${JOB}/${located.refs['jenkinsBuild']}/wfapi/describe`;
    const trigger = cluster.killOnHook((kill) =>
      jenkins.onRequest((r) => r.method === 'GET' && r.path === describe, kill, { when: 'before' }),
    );
    await killed(trigger, 'a look at the build');
    expect((await store.load(hotfix.ulid))?.state).toBe('deploying');
    await cluster.startWorker();
    await expectOneBuildPastDeploying(hotfix);
  });

  it('a worker down for longer than Jenkins keeps the left queue item finds the build by the hotfix id', async () => {
    jenkins.setTiming({ queueDelayMs: 1000, leftItemRetentionMs: 500 });
    const hotfix = await announced();
    const trigger = cluster.killOnHook((kill) =>
      jenkins.onRequest((r) => isWaitingItemLook(r, hotfix), kill, { when: 'after' }),
    );
    await approve(hotfix);
    await killed(trigger, 'a look at the waiting queue item');
    const item = Number((await store.load(hotfix.ulid))?.refs['jenkinsQueueItem']);
    expect(item).toBe(queueItemOf(hotfix));
    const deadline = Date.now() + 10_000;
    while (jenkins.queueItem(item) !== undefined && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 100));
    expect(jenkins.queueItem(item)).toBeUndefined();
    await cluster.startWorker();
    await expectOneBuildPastDeploying(hotfix);
    // The purged item answered 404 to the new worker, which then read the job's builds.
    expect(jenkins.callsTo('GET', `/queue/item/${item}/api/json`).some((c) => c.status === 404)).toBe(true);
  });
});

/** A GET of this hotfix's queue item while it still waits (no build yet). */
function isWaitingItemLook(request: ObservedRequest, hotfix: Hotfix): boolean {
  const match = /^\/queue\/item\/(\d+)\/api\/json$/.exec(request.path);
  if (request.method !== 'GET' || !match) return false;
  const item = jenkins.queueItem(Number(match[1]));
  return item?.parameters['HOTFIX_ID'] === `${hotfix.ulid}-1` && item.leftAt === undefined;
}

/** The queue item the one trigger of `hotfix` became, from the emulator's queue. */
function queueItemOf(hotfix: Hotfix): number | undefined {
  for (let id = 1; id < 100; id += 1) {
    if (jenkins.queueItem(id)?.parameters['HOTFIX_ID'] === `${hotfix.ulid}-1`) return id;
  }
  return undefined;
}
