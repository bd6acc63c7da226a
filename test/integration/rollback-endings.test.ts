/**
 * Rolling back from every ending, on the started bot end to end: a completed hotfix from the Rollback beside its state
 * on the change-control notice (the environment taken again first), one with a later hotfix deployed since (the
 * confirmation names it and what it undoes; the rollback waits its turn behind a hotfix holding the environment), a
 * failed verify the policy rolls back by itself, and a rehearsal's failure practised through to rolled back. Jenkins
 * and the service's health endpoint are emulated at the wire; the rehearsal plays its stages and scripted checks.
 */
import type { JsonObject } from '../emulators/slack/index.js';
import { clickButton, sendSlashCommand, sendViewSubmission } from '../emulators/slack/index.js';
import type { JenkinsEmulator } from '../emulators/jenkins/index.js';
import { startJenkinsEmulator } from '../emulators/jenkins/index.js';
import type { HealthEmulator } from '../emulators/health/index.js';
import { startHealthEmulator } from '../emulators/health/index.js';
import type { Hotfix } from '../../src/domain/hotfix.js';
import { lockKey } from '../../src/domain/hotfix.js';
import type { TestBot } from '../helpers/test-bot.js';
import { catalogWith, SIGNING_SECRET, startTestBot, waitForRecord } from '../helpers/test-bot.js';

const JOB = 'multi_deploy_pipeline';
const PARAMETERS = { CLIENT: '', ENV: '', SERVICES: '', HOTFIX_ID: '' };
const SOAK = { seconds: 0.6, everySeconds: 0.3 };
const HEALTH = [{ name: 'health', path: '/v1/health', versionField: 'version' }];
const INCIDENT = 'C0INC4211';
const CHANGE_CONTROL = 'C0CHANGECTL';
const tag = (n: number) => `24-02-05.619-hotfix.${n}`;
const [V1, V2, V3, V4, V5] = [701, 702, 703, 704, 705].map(tag) as [string, string, string, string, string];
jest.setTimeout(60_000);

let jenkins: JenkinsEmulator;
let health: HealthEmulator;
let t: TestBot;
const started = Date.now();
beforeAll(async () => {
  jenkins = await startJenkinsEmulator({ queueDelayMs: 50, jobs: [{ name: JOB, parameters: PARAMETERS }] });
  health = await startHealthEmulator();
  const catalog = catalogWith((doc) => {
    doc.setIn(['clients', 'acme', 'envs', 'staging', 'healthUrls', 'decanting-service'], `${health.url}/`);
    doc.setIn(['services', 'decanting-service', 'soak'], doc.createNode(SOAK));
    doc.setIn(['services', 'decanting-service', 'healthChecks', 0, 'timeoutSeconds'], 1);
    // The example policy rolls back by itself on staging, and never on prod.
    doc.setIn(['policy', 'autoRollback'], doc.createNode({ prod: false, staging: true }));
    doc.deleteIn(['services', 'failing-drill', 'rehearsal', 'input']);
    const drill = (doc.getIn(['services', 'runbook-drill']) as { clone(): unknown }).clone();
    doc.setIn(['services', 'unhealthy-drill'], drill);
    doc.deleteIn(['services', 'unhealthy-drill', 'rehearsal', 'input']);
    doc.setIn(['services', 'unhealthy-drill', 'healthChecks'], doc.createNode(HEALTH));
    doc.setIn(['services', 'unhealthy-drill', 'rehearsal', 'healthFailsAt'], 1);
    // Verifying through a long soak window: long enough to be rolled back from while it verifies.
    const soaking = (doc.getIn(['services', 'unhealthy-drill']) as { clone(): unknown }).clone();
    doc.setIn(['services', 'soaking-drill'], soaking);
    doc.deleteIn(['services', 'soaking-drill', 'rehearsal', 'healthFailsAt']);
    doc.setIn(['services', 'soaking-drill', 'soak'], doc.createNode({ seconds: 120, everySeconds: 60 }));
  });
  t = await startTestBot(11, {
    clock: { now: () => new Date(Date.parse('2026-11-17T15:05:00Z') + (Date.now() - started)) },
    env: {
      HOTFIX_CATALOG: catalog,
      JENKINS_URL: jenkins.url,
      JENKINS_USER: jenkins.user,
      JENKINS_API_TOKEN: jenkins.apiToken,
    },
  });
});
afterAll(async () => {
  await t?.stop();
  await jenkins?.close();
  await health?.close();
});

const opts = () => ({ emulator: t.slack });
const slash = (text: string, user = 'U0PRIYA') =>
  sendSlashCommand(t.eventsUrl, SIGNING_SECRET, { text, user_id: user, channel_id: INCIDENT }, opts());
const textOf = (body: unknown) => String((body as { text?: unknown }).text ?? JSON.stringify(body));
const kindOf = (m: { metadata?: unknown }) =>
  (m.metadata as { event_payload?: JsonObject } | undefined)?.event_payload?.['kind'];

/** Plans `service@tag` on acme staging and has bob approve it; returns the record once approved. */
async function approvedHotfix(service: string, version: string): Promise<Hotfix> {
  const answer = await slash(`plan ${service}@${version} acme staging`);
  const id = /HF-\d+/.exec(textOf(answer.body))?.[0];
  if (!id) throw new Error(`not planned: ${textOf(answer.body)}`);
  const planned = (await t.bot.deps.store.findById(id))!;
  const withNotice = await waitForRecord(t.bot, planned.ulid, (h) => h.refs['noticeTs'] !== undefined);
  await clickButton(
    t.eventsUrl,
    SIGNING_SECRET,
    { user: 'U0BOB', channel: CHANGE_CONTROL, ts: withNotice.refs['noticeTs']!, action_id: 'hotfix_approve' },
    opts(),
  );
  return waitForRecord(t.bot, withNotice.ulid, (h) => h.times.approvedAt !== undefined);
}

/** Deploys decanting-service `version` through Jenkins with the service answering at it; returns it completed. */
async function completedHotfix(version: string): Promise<Hotfix> {
  health.running('/v1/health', version);
  jenkins.scriptNextBuild(JOB, { stages: ['Deploy'], stageMs: 100 });
  const hotfix = await approvedHotfix('decanting-service', version);
  const done = await endedIn(hotfix, 'completed');
  return done;
}

/** The record once it has ended in `state` and its finalize step has run. */
const endedIn = (h: Hotfix, state: Hotfix['state']) =>
  waitForRecord(t.bot, h.ulid, (r) => r.state === state && (r.finalizedSeq ?? 0) >= r.stateSince.seq, 20_000);

const threadOf = (h: Hotfix) =>
  t.slack.messages(INCIDENT).find((m) => m.ts === h.refs['planTs'])?.replies ?? [];

async function statusShows(h: Hotfix, pattern: RegExp) {
  return t.slack.waitFor(() => {
    const current = threadOf(h).find((r) => kindOf(r) === 'status');
    return current && pattern.test(JSON.stringify(current.blocks)) ? current : undefined;
  }, 8000);
}

/** The change-control notice of `h` once it shows `pattern`. */
async function noticeShows(h: Hotfix, pattern: RegExp) {
  return t.slack.waitFor(() => {
    const notice = t.slack.messages(CHANGE_CONTROL).find((m) => m.ts === h.refs['noticeTs']);
    return notice && pattern.test(JSON.stringify(notice.blocks)) ? notice : undefined;
  }, 8000);
}

/** The rollback forms opened for `h`, once there are `count`. */
const formsFor = (h: Hotfix, count = 1) =>
  t.slack.waitFor(() => {
    const opened = t.slack.views.filter(
      (v) =>
        v.view['callback_id'] === 'hotfix_rollback_reason' &&
        String(v.view['private_metadata']).includes(h.ulid),
    );
    return opened.length >= count ? opened : undefined;
  });

/** Confirms a rollback form with a reason, as `user`. */
const confirm = (form: { id: string; view: JsonObject }, user: string, reason: string) =>
  sendViewSubmission(
    t.eventsUrl,
    SIGNING_SECRET,
    {
      user,
      view: {
        id: form.id,
        callback_id: 'hotfix_rollback_reason',
        private_metadata: String(form.view['private_metadata']),
        state: { values: { reason: { value: { type: 'plain_text_input', value: reason } } } },
      },
    },
    opts(),
  );

const buildsOf = (h: Hotfix, attempt: number) =>
  jenkins.builds(JOB).filter((b) => b.parameters['HOTFIX_ID'] === `${h.ulid}-${attempt}`);

describe('rolling back a completed hotfix', () => {
  it('from the Rollback beside its state on the change-control notice: refused to someone outside the policy; for a release manager it takes the environment again, re-runs the job at the earlier version, checks it and ends rolled back', async () => {
    await completedHotfix(V1);
    const second = await completedHotfix(V2);
    expect(second.versionsBefore).toEqual({ 'decanting-service': V1 });
    expect(await t.bot.deps.locks.holder(lockKey(second))).toBeUndefined();
    const notice = await noticeShows(second, /hotfix_rollback/);
    expect(JSON.stringify(notice.blocks)).toMatch(/now :large_green_circle: \*completed\*/);

    const click = (user: string) =>
      clickButton(
        t.eventsUrl,
        SIGNING_SECRET,
        { user, channel: CHANGE_CONTROL, ts: notice.ts, action_id: 'hotfix_rollback' },
        opts(),
      );
    await click('U0DAVE');
    const refused = await t.slack.waitFor((s) =>
      s.ephemerals('U0DAVE').find((e) => e.text.includes(`roll back ${second.id}`)),
    );
    expect(refused.text).toMatch(/Only/);
    await click('U0RELMGR1');
    const [form] = await formsFor(second);
    const asked = JSON.stringify(form!.view['blocks']);
    expect(asked).toContain(`\`${V2}\` → \`${V1}\``);
    expect(asked).toContain('completed and released acme staging, so the rollback first takes it again');
    expect(asked).not.toContain('Deployed to');
    expect(
      t.slack.views.filter((v) => String(v.view['private_metadata']).includes(second.ulid)),
    ).toHaveLength(1);

    health.running('/v1/health', V1);
    jenkins.scriptNextBuild(JOB, { stages: ['Deploy'], stageMs: 100 });
    await confirm(form!, 'U0RELMGR1', 'orders stuck again since the deploy');
    const done = await endedIn(second, 'rolled_back');
    expect(buildsOf(second, 2)).toHaveLength(1);
    expect(buildsOf(second, 2)[0]?.parameters['SERVICES']).toBe(`decanting-service ${V1}`);
    expect(buildsOf(second, 2)[0]?.result).toBe('SUCCESS');
    expect(done.steps['rollback_health']?.result?.detail).toContain('"ok":true');
    expect(await t.bot.deps.locks.holder(lockKey(second))).toBeUndefined();
    // Audited: who asked and why, then the lock taken again, after the completion.
    const types = (await t.bot.deps.store.events(second.ulid)).map((e) => `${e.type}:${e.by}`);
    const from = types.indexOf('verified:system');
    expect(types.slice(from)).toEqual(
      expect.arrayContaining(['rollback_started:U0RELMGR1', 'lock_acquired:system', 'rolled_back:system']),
    );
    expect(types.indexOf('rollback_started:U0RELMGR1')).toBeLessThan(
      types.indexOf('lock_acquired:system', from),
    );
    await t.slack.waitFor(() => threadOf(second).find((r) => /was rolled back/.test(String(r.text))));
  });

  it('with a later hotfix deployed since: the confirmation names it and what it undoes, and the rollback waits its turn behind the hotfix holding the environment', async () => {
    const third = await completedHotfix(V3);
    const fourth = await completedHotfix(V4);
    // A rehearsal holds acme staging at its Proceed question.
    const drill = await approvedHotfix('runbook-drill', tag(799));
    const holding = await waitForRecord(t.bot, drill.ulid, (h) => h.state === 'awaiting_input');
    expect(await t.bot.deps.locks.holder(lockKey(drill))).toMatchObject({ ulid: drill.ulid });

    const typed = await slash(`rollback ${third.id}`);
    expect(textOf(typed.body)).toContain(`Opening the rollback form for ${third.id}`);
    const [form] = await formsFor(third);
    const asked = JSON.stringify(form!.view['blocks']);
    expect(asked).toContain(`\`${V4}\` (${fourth.id}) → \`${third.versionsBefore?.['decanting-service']}\``);
    expect(asked).toContain(`Deployed to Acme Corp staging since ${third.id}:* *${fourth.id}* (completed)`);
    expect(asked).toContain(`${fourth.id}: undoes decanting-service \`${V4}\``);
    // The rehearsal changes nothing real, so it is not among what would be undone.
    expect(asked).not.toContain(drill.id);

    health.running('/v1/health', V1);
    jenkins.scriptNextBuild(JOB, { stages: ['Deploy'], stageMs: 100 });
    const submitted = await confirm(
      form!,
      'U0PRIYA',
      `${fourth.id} did not help either; back to the version before both`,
    );
    // Accepted: the form closes (no errors back).
    expect(JSON.stringify(submitted.body ?? '')).not.toContain('errors');
    const queued = await waitForRecord(t.bot, third.ulid, (h) => h.state === 'rollback_queued');
    expect(queued.lock).toBeUndefined();
    expect(await t.bot.deps.locks.waiting(lockKey(third))).toEqual([third.ulid]);
    await statusShows(third, new RegExp(`Queued behind \\*${drill.id}\\*`));
    expect(buildsOf(third, 2)).toHaveLength(0);

    await clickButton(
      t.eventsUrl,
      SIGNING_SECRET,
      {
        user: 'U0PRIYA',
        channel: INCIDENT,
        ts: (await statusShows(holding, /hotfix_input_proceed/)).ts,
        action_id: 'hotfix_input_proceed',
      },
      opts(),
    );
    await endedIn(drill, 'completed');
    const done = await endedIn(third, 'rolled_back');
    expect(buildsOf(third, 2)).toHaveLength(1);
    expect(buildsOf(third, 2)[0]?.parameters['SERVICES']).toBe(`decanting-service ${V1}`);
    expect(done.lock).toBeUndefined();
    expect(await t.bot.deps.locks.holder(lockKey(third))).toBeUndefined();
  });
});

describe('automatic rollback', () => {
  it('rolls a failed verify back by itself where the policy says so, in the same write as the failure, and the thread says it happened and why', async () => {
    // The service keeps answering at the version before: the health check fails.
    health.running('/v1/health', V1);
    jenkins.scriptNextBuild(JOB, { stages: ['Deploy'], stageMs: 100 });
    jenkins.scriptNextBuild(JOB, { stages: ['Deploy'], stageMs: 100 });
    const hotfix = await approvedHotfix('decanting-service', V5);
    const done = await endedIn(hotfix, 'rolled_back');
    expect(done.versionsBefore).toEqual({ 'decanting-service': V1 });
    expect(done.failure).toMatchObject({ phase: 'verify', condition: 'smoke_test_failed' });
    expect(done.decision?.by).toBe('system');
    expect(done.decision?.reason).toMatch(/^Automatic rollback: verification failed \(Smoke test fails/);
    expect(done.decision?.reason).toContain('policy.autoRollback');
    const events = await t.bot.deps.store.events(hotfix.ulid);
    const failed = events.findIndex((e) => e.type === 'failed');
    expect(events[failed + 1]).toMatchObject({
      type: 'rollback_started',
      by: 'system',
      at: events[failed]?.at,
    });
    expect(buildsOf(hotfix, 1)).toHaveLength(1);
    expect(buildsOf(hotfix, 2)).toHaveLength(1);
    expect(buildsOf(hotfix, 2)[0]?.parameters['SERVICES']).toBe(`decanting-service ${V1}`);

    const told = await t.slack.waitFor(() =>
      threadOf(hotfix).find((r) => /Rolling back automatically/.test(String(r.text))),
    );
    const said = JSON.stringify(told.blocks);
    expect(said).toContain('Health check failed');
    expect(said).toContain('policy.autoRollback');
    expect(said).not.toMatch(/Decide here/);
    await t.slack.waitFor(() => threadOf(hotfix).find((r) => /was rolled back/.test(String(r.text))));
    expect(await t.bot.deps.locks.holder(lockKey(hotfix))).toBeUndefined();
  });
});

describe('the rehearsal takes part', () => {
  it('a rehearsal that fails is rolled back to the version it pretended ran, so the failure path can be practised', async () => {
    const drill = await approvedHotfix('failing-drill', tag(706));
    const failed = await waitForRecord(t.bot, drill.ulid, (h) => h.state === 'failed', 15_000);
    expect(failed.failure?.phase).toBe('deploy');
    expect(failed.versionsBefore).toEqual({ 'failing-drill': '24-02-05.619-hotfix.627' });
    const status = await statusShows(failed, /hotfix_rollback/);
    await clickButton(
      t.eventsUrl,
      SIGNING_SECRET,
      { user: 'U0PRIYA', channel: INCIDENT, ts: status.ts, action_id: 'hotfix_rollback' },
      opts(),
    );
    const [form] = await formsFor(drill);
    expect(JSON.stringify(form!.view['blocks'])).toContain(`\`${tag(706)}\` → \`24-02-05.619-hotfix.627\``);
    await confirm(form!, 'U0PRIYA', 'practising the rollback');
    const done = await endedIn(drill, 'rolled_back');
    expect(done.steps['rollback_deployed']?.result).toBeDefined();
    expect(await t.bot.deps.locks.holder(lockKey(drill))).toBeUndefined();
  });

  it('a rehearsal whose scripted health check fails is rolled back by itself on staging, its rollback found healthy', async () => {
    const drill = await approvedHotfix('unhealthy-drill', tag(707));
    const done = await endedIn(drill, 'rolled_back');
    expect(done.failure?.message).toContain('saw HTTP 503');
    expect(done.decision?.by).toBe('system');
    expect(done.steps['rollback_health']?.result?.detail).toContain(`"ok":true`);
    expect(done.steps['rollback_health']?.result?.detail).toContain('24-02-05.619-hotfix.627');
  });

  it('a hotfix still verifying is rolled back from the Rollback beside its state on the change-control notice, keeping its lock throughout', async () => {
    const drill = await approvedHotfix('soaking-drill', tag(708));
    const verifying = await waitForRecord(t.bot, drill.ulid, (h) => h.state === 'verifying', 15_000);
    const notice = await noticeShows(verifying, /hotfix_rollback/);
    await clickButton(
      t.eventsUrl,
      SIGNING_SECRET,
      { user: 'U0RELMGR1', channel: CHANGE_CONTROL, ts: notice.ts, action_id: 'hotfix_rollback' },
      opts(),
    );
    const [form] = await formsFor(drill);
    expect(JSON.stringify(form!.view['blocks'])).toContain('Verification stops');
    await confirm(form!, 'U0RELMGR1', 'error rate up while soaking');
    const rolling = await waitForRecord(t.bot, drill.ulid, (h) => h.state !== 'verifying');
    expect(rolling.state).toMatch(/rolling_back|rolled_back/);
    // The lock it verified under is the one it rolls back under: taken once, never released in between.
    const taken = (await t.bot.deps.store.events(drill.ulid)).filter((e) => e.type === 'lock_acquired');
    expect(taken).toHaveLength(1);
    const done = await endedIn(drill, 'rolled_back');
    expect(done.decision).toMatchObject({ by: 'U0RELMGR1', reason: 'error rate up while soaking' });
    expect(await t.bot.deps.locks.holder(lockKey(drill))).toBeUndefined();
  });
});
