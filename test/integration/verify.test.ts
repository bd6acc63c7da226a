/**
 * Verifying on the started bot, end to end: the catalog's health checks run against the deployed versions, once and
 * then through the soak window as delayed jobs; a pass completes the hotfix and frees the environment, a failing
 * check fails it with what was expected and what was seen. Jenkins and the service's health endpoint are emulated at
 * the wire; the rehearsal plays its scripted checks.
 */
import type { JsonObject } from '../emulators/slack/index.js';
import { clickButton, sendSlashCommand, sendViewSubmission } from '../emulators/slack/index.js';
import type { JenkinsEmulator } from '../emulators/jenkins/index.js';
import { startJenkinsEmulator } from '../emulators/jenkins/index.js';
import type { HealthEmulator } from '../emulators/health/index.js';
import { startHealthEmulator } from '../emulators/health/index.js';
import type { Hotfix } from '../../src/domain/hotfix.js';
import { lockKey } from '../../src/domain/hotfix.js';
import { healthStep } from '../../src/domain/health.js';
import type { TestBot } from '../helpers/test-bot.js';
import { catalogWith, SIGNING_SECRET, startTestBot, waitForRecord } from '../helpers/test-bot.js';

const JOB = 'multi_deploy_pipeline';
const PARAMETERS = { CLIENT: '', ENV: '', SERVICES: '', HOTFIX_ID: '' };
const TAG = '24-02-05.619-hotfix.627';
const OLD = '24-01-20.600';
const SOAK = { seconds: 0.6, everySeconds: 0.3 };
const HEALTH = [{ name: 'health', path: '/v1/health', versionField: 'version' }];

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
    // These tests show what people see and do after a failure; automatic rollback has its own (rollback-endings).
    doc.setIn(['services', 'decanting-service', 'healthChecks', 0, 'timeoutSeconds'], 1);
    const drill = (doc.getIn(['services', 'runbook-drill']) as { clone(): unknown }).clone();
    doc.setIn(['services', 'checked-drill'], drill);
    doc.deleteIn(['services', 'checked-drill', 'rehearsal', 'input']);
    doc.setIn(['services', 'checked-drill', 'healthChecks'], doc.createNode(HEALTH));
    doc.setIn(['services', 'checked-drill', 'soak'], doc.createNode(SOAK));
    const unhealthy = (doc.getIn(['services', 'checked-drill']) as { clone(): unknown }).clone();
    doc.setIn(['services', 'unhealthy-drill'], unhealthy);
    doc.setIn(['services', 'unhealthy-drill', 'rehearsal', 'healthFailsAt'], 2);
  });
  t = await startTestBot(9, {
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
  await t.stop();
  await jenkins.close();
  await health.close();
});

const opts = () => ({ emulator: t.slack });
const slash = (text: string, user = 'U0PRIYA') =>
  sendSlashCommand(t.eventsUrl, SIGNING_SECRET, { text, user_id: user, channel_id: 'C0INC4211' }, opts());
const textOf = (body: unknown) => String((body as { text?: unknown }).text ?? JSON.stringify(body));
const kindOf = (m: { metadata?: unknown }) =>
  (m.metadata as { event_payload?: JsonObject } | undefined)?.event_payload?.['kind'];

/** Plans `service` on acme staging and has bob approve it; returns the record once approved. */
async function approvedHotfix(service: string, tag = TAG): Promise<Hotfix> {
  const answer = await slash(`plan ${service}@${tag} acme staging`);
  const id = /HF-\d+/.exec(textOf(answer.body))?.[0];
  if (!id) throw new Error(`not planned: ${textOf(answer.body)}`);
  const planned = (await t.bot.deps.store.findById(id))!;
  const withNotice = await waitForRecord(t.bot, planned.ulid, (h) => h.refs['noticeTs'] !== undefined);
  await clickButton(
    t.eventsUrl,
    SIGNING_SECRET,
    { user: 'U0BOB', channel: 'C0CHANGECTL', ts: withNotice.refs['noticeTs']!, action_id: 'hotfix_approve' },
    opts(),
  );
  return waitForRecord(t.bot, withNotice.ulid, (h) => h.times.approvedAt !== undefined);
}

const threadOf = (h: Hotfix) =>
  t.slack.messages('C0INC4211').find((m) => m.ts === h.refs['planTs'])?.replies ?? [];

async function statusShows(h: Hotfix, pattern: RegExp) {
  return t.slack.waitFor(() => {
    const current = threadOf(h).find((r) => kindOf(r) === 'status');
    return current && pattern.test(JSON.stringify(current.blocks)) ? current : undefined;
  }, 8000);
}

/** Top-level posts about `h` in the client's prod-support channel. */
const prodSupport = (h: Hotfix) =>
  t.slack
    .messages('C0PSACME')
    .filter((m) => JSON.stringify(m.metadata ?? {}).includes(h.ulid))
    .map(asText);
/** Replies about `h` under its change-control notice. */
const changeControl = (h: Hotfix) =>
  (t.slack.messages('C0CHANGECTL').find((m) => m.ts === h.refs['noticeTs'])?.replies ?? []).map(asText);
const asText = (m: { text?: unknown; blocks?: unknown }) => ({ text: String(m.text), blocks: m.blocks });

const ended = (h: Hotfix) =>
  waitForRecord(t.bot, h.ulid, (r) => r.finalizedSeq !== undefined || r.state === 'failed', 15_000);
const healthCalls = () => health.calls.filter((c) => c.path === '/v1/health');

describe('verifying a Jenkins hotfix over HTTP', () => {
  it('checks the health URL at once and through the soak window, then completes and frees the environment', async () => {
    health.running('/v1/health', TAG);
    jenkins.scriptNextBuild(JOB, { stages: ['Deploy'], stageMs: 100 });
    const before = healthCalls().length;
    const hotfix = await approvedHotfix('decanting-service');
    const verifying = await waitForRecord(
      t.bot,
      hotfix.ulid,
      (h) => h.steps[healthStep(1, 0)]?.result !== undefined,
      15_000,
    );
    // The first round is recorded while the soak window still runs: the hotfix waits, it is not completed yet.
    expect(verifying.state).toBe('verifying');
    await statusShows(hotfix, /round 1 of 3/);

    const done = await ended(hotfix);
    expect(done.state).toBe('completed');
    // 0.6 s of soak checked every 0.3 s: three rounds, each one GET, spread over the window (delayed jobs).
    const calls = healthCalls().slice(before);
    expect(calls).toHaveLength(3);
    expect(calls.at(-1)!.time - calls[0]!.time).toBeGreaterThanOrEqual(550);
    expect(await t.bot.deps.locks.holder(lockKey(hotfix))).toBeUndefined();
    const final = await statusShows(hotfix, /deployed and verified/);
    expect(JSON.stringify(final.blocks)).toContain(`decanting-service health: HTTP 200, version ${TAG}`);

    // The client hears it in its prod-support channel, client-safe, the TAM mentioned; change control gets the record.
    const client = await t.slack.waitFor(() =>
      prodSupport(hotfix).find((m) => /Deploy is complete/.test(m.text)),
    );
    expect(client.text).toContain('<@U0TAMACME>');
    expect(JSON.stringify(client.blocks)).not.toMatch(/decanting|http|archives|jenkins/i);
    const record = await t.slack.waitFor(() =>
      changeControl(hotfix).find((m) => /completed on/.test(m.text)),
    );
    expect(JSON.stringify(record.blocks)).toMatch(
      /Verification passed: 1 health check at the new version through/,
    );
    expect(JSON.stringify(record.blocks)).toContain('Approved by <@U0BOB>');
    expect(JSON.stringify(record.blocks)).toContain('|Jenkins build>');
  });

  it('fails the hotfix when the service reports the old version, saying what was expected and seen, and completes on retry once fixed', async () => {
    health.running('/v1/health', OLD);
    jenkins.scriptNextBuild(JOB, { stages: ['Deploy'], stageMs: 100 });
    const hotfix = await approvedHotfix('decanting-service');
    const failed = await ended(hotfix);
    expect(failed.state).toBe('failed');
    expect(failed.failure).toMatchObject({
      phase: 'verify',
      condition: 'smoke_test_failed',
      message: `Health check failed after the deploy: decanting-service health: expected HTTP 200, version ${TAG}, saw HTTP 200, version ${OLD}`,
    });
    // A failed hotfix keeps the environment until someone decides.
    expect(await t.bot.deps.locks.holder(lockKey(hotfix))).toMatchObject({ ulid: hotfix.ulid });
    await statusShows(
      hotfix,
      new RegExp(`expected HTTP 200, version ${TAG.replace(/\./g, '\\.')}, saw HTTP 200, version`),
    );
    const reply = await t.slack.waitFor(() =>
      threadOf(hotfix).find(
        (r) => /FAILED/.test(String(r.text)) && /Health check failed/.test(String(r.text)),
      ),
    );
    expect(JSON.stringify(reply.blocks)).toContain(`saw HTTP 200, version ${OLD}`);
    const client = await t.slack.waitFor(() =>
      prodSupport(hotfix).find((m) => /did not succeed/.test(m.text)),
    );
    expect(client.text).toContain('<@U0TAMACME>');
    expect(JSON.stringify(client.blocks)).not.toContain(OLD);

    // The service is fixed; a retry deploys again (a new build) and verifies from the first round of its attempt.
    health.running('/v1/health', TAG);
    jenkins.scriptNextBuild(JOB, { stages: ['Deploy'], stageMs: 100 });
    expect(textOf((await slash(`retry ${hotfix.id}`)).body)).not.toMatch(/cannot|refused/i);
    const done = await waitForRecord(t.bot, hotfix.ulid, (h) => h.finalizedSeq !== undefined, 15_000);
    expect(done.state).toBe('completed');
    expect(done.attempts).toBe(2);
    // The retry followed its own build to its end, not the first attempt's.
    expect(jenkins.builds(JOB).at(-1)?.parameters['HOTFIX_ID']).toBe(`${hotfix.ulid}-2`);
    expect(jenkins.builds(JOB).at(-1)?.result).toBe('SUCCESS');
    expect(done.steps[healthStep(2, 0)]?.result?.detail).toContain('"ok":true');
    expect(await t.bot.deps.locks.holder(lockKey(hotfix))).toBeUndefined();
  });

  it('fails a check redirected to another host, or that gets no answer in time', async () => {
    health.answer('/v1/health', { redirect: 'http://203.0.113.9/v1/health' });
    jenkins.scriptNextBuild(JOB, { stages: ['Deploy'], stageMs: 100 });
    const moved = await approvedHotfix('decanting-service');
    expect((await ended(moved)).failure?.message).toContain(
      'saw HTTP 302 redirect to another host (http://203.0.113.9), not followed',
    );
    await slash(`resolve ${moved.id} "checked by hand"`);
    await waitForRecord(t.bot, moved.ulid, (h) => h.state === 'resolved');

    // The test catalog gives the check 1 s; every answer now takes 1.5 s.
    health.answer('/v1/health', { status: 200, body: { version: TAG }, delayMs: 1500 });
    jenkins.scriptNextBuild(JOB, { stages: ['Deploy'], stageMs: 100 });
    const slow = await approvedHotfix('decanting-service');
    expect((await ended(slow)).failure?.message).toContain('saw no answer within 1 s');
    await slash(`resolve ${slow.id} "checked by hand"`);
    await waitForRecord(t.bot, slow.ulid, (h) => h.state === 'resolved');
  }, 30_000);
});

describe('verifying a rehearsal with scripted health checks', () => {
  it('passes its checks through the soak window and completes', async () => {
    const hotfix = await approvedHotfix('checked-drill');
    const done = await ended(hotfix);
    expect(done.state).toBe('completed');
    expect([0, 1, 2].map((r) => done.steps[healthStep(1, r)]?.result !== undefined)).toEqual([
      true,
      true,
      true,
    ]);
  });

  it('fails in the round the script names, during the soak window, and keeps the lock', async () => {
    const hotfix = await approvedHotfix('unhealthy-drill');
    const failed = await ended(hotfix);
    expect(failed.state).toBe('failed');
    expect(failed.failure?.message).toBe(
      `Health check failed during the soak window (round 2 of 3): unhealthy-drill health: expected HTTP 200, version ${TAG}, saw HTTP 503`,
    );
    expect(failed.steps[healthStep(1, 2)]).toBeUndefined();
    expect(await t.bot.deps.locks.holder(lockKey(hotfix))).toMatchObject({ ulid: hotfix.ulid });
    await slash(`resolve ${hotfix.id} "drill over"`);
    await waitForRecord(t.bot, hotfix.ulid, (h) => h.state === 'resolved');
  });
});

describe('rolling back a Jenkins hotfix that failed its health check', () => {
  const NEXT = '24-02-05.619-hotfix.628';

  it('rolls back from the button or the command, after a confirmation naming what it returns to: re-runs the job once with the versions captured at preparing, checks them, and ends rolled back', async () => {
    // The last successful build on acme staging deployed TAG (the first test); the next hotfix brings NEXT, which
    // the service does not report, so it fails and is rolled back to TAG.
    health.running('/v1/health', TAG);
    jenkins.scriptNextBuild(JOB, { stages: ['Deploy'], stageMs: 100 });
    const planned = await approvedHotfix('decanting-service', NEXT);
    const failed = await ended(planned);
    expect(failed.state).toBe('failed');
    expect(failed.versionsBefore).toEqual({ 'decanting-service': TAG });
    // Read at preparing from Jenkins' last successful build: the plan and the notice show it as current -> target.
    const shows = (channel: string, ts: string | undefined) =>
      t.slack.waitFor(
        () =>
          JSON.stringify(t.slack.messages(channel).find((m) => m.ts === ts)?.blocks ?? '').includes(
            `\`${TAG}\` → \`${NEXT}\``,
          ) || undefined,
        8000,
      );
    await shows('C0INC4211', failed.refs['planTs']);
    await shows('C0CHANGECTL', failed.refs['noticeTs']);
    const buildsBefore = jenkins.builds(JOB).length;

    // `/hotfix rollback` and the Rollback button open the same confirmation, naming what it returns to.
    const typed = await slash(`rollback ${planned.id}`);
    expect(textOf(typed.body)).toContain(`Opening the rollback form for ${planned.id}`);
    const button = await statusShows(planned, /hotfix_rollback/);
    await clickButton(
      t.eventsUrl,
      SIGNING_SECRET,
      { user: 'U0PRIYA', channel: 'C0INC4211', ts: button.ts, action_id: 'hotfix_rollback' },
      opts(),
    );
    const forms = await t.slack.waitFor(() => {
      const opened = t.slack.views.filter((v) => String(v.view['private_metadata']).includes(planned.ulid));
      return opened.length >= 2 ? opened : undefined;
    });
    for (const form of forms) {
      expect(JSON.stringify(form.view['blocks'])).toContain(`\`${NEXT}\` → \`${TAG}\``);
    }
    // Someone outside the policy is refused; the owner's confirmation rolls it back.
    jenkins.scriptNextBuild(JOB, { stages: ['Deploy'], stageMs: 100 });
    const submit = (user: string) =>
      sendViewSubmission(
        t.eventsUrl,
        SIGNING_SECRET,
        {
          user,
          view: {
            id: forms[1]!.id,
            callback_id: 'hotfix_rollback_reason',
            private_metadata: String(forms[1]!.view['private_metadata']),
            state: {
              values: { reason: { value: { type: 'plain_text_input', value: 'health reports 503' } } },
            },
          },
        },
        opts(),
      );
    await submit('U0DAVE');
    expect((await t.bot.deps.store.load(planned.ulid))?.state).toBe('failed');
    await submit('U0PRIYA');
    const done = await waitForRecord(t.bot, planned.ulid, (h) => h.finalizedSeq !== undefined, 15_000);
    expect(done.state).toBe('rolled_back');
    const builds = jenkins.builds(JOB).slice(buildsBefore);
    expect(builds).toHaveLength(1);
    expect(builds[0]?.parameters).toMatchObject({
      SERVICES: `decanting-service ${TAG}`,
      HOTFIX_ID: `${planned.ulid}-2`,
    });
    // Rolled back once the rollback's own build had finished, not on the failed attempt's build.
    expect(builds[0]?.result).toBe('SUCCESS');
    expect(done.steps['rollback_health']?.result?.detail).toContain('"ok":true');
    expect(await t.bot.deps.locks.holder(lockKey(planned))).toBeUndefined();
    const client = await t.slack.waitFor(() => prodSupport(planned).find((m) => /rolled back/.test(m.text)));
    expect(client.text).toContain('<@U0TAMACME>');
  });
});
