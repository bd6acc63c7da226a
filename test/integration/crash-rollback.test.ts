/**
 * SIGKILL during a rollback (DESIGN.md section 7): a jenkins-multi-deploy hotfix whose health check fails on staging
 * is rolled back by itself (policy.autoRollback), and the worker is killed once Jenkins has queued the rollback's
 * build but before the worker heard back. A fresh worker finds that build by the hotfix id parameter of the rollback
 * attempt: one rollback trigger, one rollback build, and the hotfix rolled back.
 */
import { Redis } from 'ioredis';
import { RedisHotfixStore } from '../../src/adapters/redis/redis-hotfix-store.js';
import type { Hotfix } from '../../src/domain/hotfix.js';
import type { HealthEmulator } from '../emulators/health/index.js';
import { startHealthEmulator } from '../emulators/health/index.js';
import type { JenkinsEmulator, ObservedRequest } from '../emulators/jenkins/index.js';
import { startJenkinsEmulator } from '../emulators/jenkins/index.js';
import type { SlackEmulator } from '../emulators/slack/index.js';
import { clickButton, sendSlashCommand, startSlackEmulator } from '../emulators/slack/index.js';
import type { Cluster } from '../helpers/crash-harness.js';
import { killed, startCluster, until } from '../helpers/crash-harness.js';
import { APPROVER, REQUESTER } from '../helpers/hotfixes.js';
import { catalogWith, SIGNING_SECRET } from '../helpers/test-bot.js';

const DB = 0;
const INCIDENT = 'C0INC4211';
const CHANGE_CONTROL = 'C0CHANGECTL';
const JOB = 'multi_deploy_pipeline';
const PARAMETERS = { CLIENT: '', ENV: '', SERVICES: '', HOTFIX_ID: '' };
const OLD = '24-02-05.619-hotfix.801';
const NEW = '24-02-05.619-hotfix.802';
// A Tuesday afternoon outside every freeze window and late-week warning of the example catalog.
const PINNED_NOW = Date.parse('2026-11-17T15:05:00Z');
jest.setTimeout(120_000);

let slack: SlackEmulator;
let jenkins: JenkinsEmulator;
let health: HealthEmulator;
let cluster: Cluster;
let redis: Redis;
let store: RedisHotfixStore;
beforeAll(async () => {
  slack = await startSlackEmulator();
  health = await startHealthEmulator();
  jenkins = await startJenkinsEmulator({
    queueDelayMs: 300,
    jobs: [{ name: JOB, parameters: PARAMETERS, script: { stages: ['Deploy'], stageMs: 1000 } }],
  });
  const catalog = catalogWith((doc) => {
    doc.setIn(['clients', 'acme', 'envs', 'staging', 'healthUrls', 'decanting-service'], `${health.url}/`);
    doc.setIn(['services', 'decanting-service', 'soak'], doc.createNode({ seconds: 0.3, everySeconds: 0.3 }));
    doc.setIn(['services', 'decanting-service', 'healthChecks', 0, 'timeoutSeconds'], 2);
    doc.setIn(['policy', 'autoRollback'], doc.createNode({ prod: false, staging: true }));
  });
  cluster = await startCluster({
    db: DB,
    slack,
    workers: 1,
    env: {
      HOTFIX_CATALOG: catalog,
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
  await health?.close();
  await slack?.close();
});

const runKey = (h: Hotfix, attempt: number) => `${h.ulid}-${attempt}`;
const isTriggerOf = (h: Hotfix, attempt: number) => (r: ObservedRequest) =>
  r.method === 'POST' &&
  r.path === `/job/${JOB}/buildWithParameters` &&
  r.form['HOTFIX_ID'] === runKey(h, attempt);
const buildsOf = (h: Hotfix, attempt: number) =>
  jenkins.builds(JOB).filter((b) => b.parameters['HOTFIX_ID'] === runKey(h, attempt));
const triggersOf = (h: Hotfix, attempt: number) =>
  jenkins
    .callsTo('POST', `/job/${JOB}/buildWithParameters`)
    .filter((c) => c.status === 201 && c.form['HOTFIX_ID'] === runKey(h, attempt));

/** Plans decanting-service `tag` for acme staging and waits for its change-control notice. */
async function announced(tag: string): Promise<Hotfix> {
  const response = await sendSlashCommand(
    cluster.eventsUrl,
    SIGNING_SECRET,
    { text: `plan decanting-service@${tag} acme staging`, user_id: REQUESTER, channel_id: INCIDENT },
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

describe('SIGKILL during a rollback', () => {
  it('killed once Jenkins queued the rollback build, before the worker heard back: the next worker finds it, and there is one rollback build', async () => {
    // The version before: deployed, verified, completed.
    health.running('/v1/health', OLD);
    const first = await announced(OLD);
    await approve(first);
    await until(store, first.ulid, (h) => h.state === 'completed', 40_000);

    // The next one's service keeps answering at OLD: its verify fails, and staging rolls it back by itself.
    const second = await announced(NEW);
    const trigger = cluster.killOnHook((kill) =>
      jenkins.onRequest(isTriggerOf(second, 2), kill, { when: 'after' }),
    );
    await approve(second);
    await killed(trigger, 'the rollback build trigger');
    const orphaned = await store.load(second.ulid);
    expect(orphaned?.state).toBe('rolling_back');
    expect(orphaned?.decision?.by).toBe('system');
    expect(orphaned?.steps['rollback_start']?.intent).toBeDefined();
    expect(orphaned?.steps['rollback_start']?.result).toBeUndefined();

    await cluster.startWorker();
    const done = await until(
      store,
      second.ulid,
      (h) => h.state === 'rolled_back' || h.state === 'rollback_failed',
      60_000,
    );
    expect(done.state).toBe('rolled_back');
    expect(triggersOf(second, 2)).toHaveLength(1);
    expect(buildsOf(second, 2)).toHaveLength(1);
    expect(buildsOf(second, 2)[0]?.parameters['SERVICES']).toBe(`decanting-service ${OLD}`);
    expect(buildsOf(second, 2)[0]?.result).toBe('SUCCESS');
    expect(triggersOf(second, 1)).toHaveLength(1);
    expect(done.steps['rollback_health']?.result?.detail).toContain('"ok":true');
  });
});
