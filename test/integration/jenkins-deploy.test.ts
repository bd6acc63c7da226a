/**
 * A jenkins-multi-deploy hotfix on the started bot, end to end, with Jenkins and Slack emulated at the wire: the plan
 * is checked against the job, approved, deployed by one build that pauses at its input step, answered from Slack,
 * and followed into the live status; a failing build and the plan-time refusals.
 */
import type { JsonObject } from '../emulators/slack/index.js';
import { clickButton, sendSlashCommand } from '../emulators/slack/index.js';
import type { JenkinsEmulator } from '../emulators/jenkins/index.js';
import { DEFAULT_USER, startJenkinsEmulator } from '../emulators/jenkins/index.js';
import type { Hotfix } from '../../src/domain/hotfix.js';
import { lockKey } from '../../src/domain/hotfix.js';
import { submitForm } from '../helpers/forms.js';
import type { TestBot } from '../helpers/test-bot.js';
import type { HealthEmulator } from '../emulators/health/index.js';
import { startHealthEmulator } from '../emulators/health/index.js';
import { catalogWith, SIGNING_SECRET, startTestBot, waitForRecord } from '../helpers/test-bot.js';

const JOB = 'multi_deploy_pipeline';
const PARAMETERS = { CLIENT: '', ENV: '', SERVICES: '', HOTFIX_ID: '' };
const STAGES = ['Checkout', 'Deploy', 'Smoke test'];
const TAG = '24-02-05.619-hotfix.627';
/** A Jenkins administrator who answers inputs on the build's own page, not through the bot. */
const ADMIN = { name: 'jenkins-admin', apiTokens: ['99ff88ee77dd66cc55bb44aa33221100ff'] };

let jenkins: JenkinsEmulator;
let health: HealthEmulator;
let t: TestBot;
const started = Date.now();
/** Every log line the bot wrote in this file, at debug level, for the credentials check at the end. */
const logged: string[] = [];
beforeAll(async () => {
  jenkins = await startJenkinsEmulator({
    queueDelayMs: 100,
    users: [DEFAULT_USER, ADMIN],
    jobs: [{ name: JOB, parameters: PARAMETERS }],
  });
  health = await startHealthEmulator();
  const catalog = catalogWith((doc) =>
    doc.setIn(['clients', 'acme', 'envs', 'staging', 'healthUrls', 'decanting-service'], health.url),
  );
  t = await startTestBot(6, {
    clock: { now: () => new Date(Date.parse('2026-11-17T15:05:00Z') + (Date.now() - started)) },
    // Jenkins failing for 1.5 s fails a running deploy here (5 minutes in production).
    timing: { pollMs: 100, statusEveryMs: 200, outsideTroubleMs: 1500, targetRecheckMs: 100 },
    logDestination: { write: (line: string) => void logged.push(line) },
    env: {
      HOTFIX_CATALOG: catalog,
      JENKINS_URL: jenkins.url,
      JENKINS_USER: jenkins.user,
      JENKINS_API_TOKEN: jenkins.apiToken,
      LOG_LEVEL: 'debug',
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

/** Plans decanting-service on `target`; returns the record as saved. */
async function planned(target: string): Promise<Hotfix> {
  const answer = await slash(`plan decanting-service@${TAG} ${target}`);
  const id = /HF-\d+/.exec(textOf(answer.body))?.[0];
  if (!id) throw new Error(`not planned: ${textOf(answer.body)}`);
  return (await t.bot.deps.store.findById(id))!;
}

/** Plans on `target` and has bob approve it; returns the record once approved. */
async function approvedHotfix(target: string): Promise<Hotfix> {
  const hotfix = await planned(target);
  const withNotice = await waitForRecord(t.bot, hotfix.ulid, (h) => h.refs['noticeTs'] !== undefined);
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
const statusMessages = (h: Hotfix) => threadOf(h).filter((r) => kindOf(r) === 'status');

async function statusShows(h: Hotfix, pattern: RegExp) {
  return t.slack.waitFor(() => {
    const current = statusMessages(h)[0];
    return current && pattern.test(JSON.stringify(current.blocks)) ? current : undefined;
  }, 8000);
}

/** POSTs to a build's page in Jenkins itself, as the Jenkins administrator (not the bot). */
function inJenkins(path: string): Promise<Response> {
  const auth = Buffer.from(`${ADMIN.name}:${ADMIN.apiTokens[0]}`).toString('base64');
  return fetch(`${jenkins.url}${path}`, { method: 'POST', headers: { Authorization: `Basic ${auth}` } });
}

/** Resolves once `ready` holds (polled). */
function until(ready: () => boolean, timeoutMs = 8000): Promise<true> {
  return t.slack.waitFor(() => ready() || undefined, timeoutMs);
}

/** Approves a hotfix for `target` whose build pauses at a Proceed input before Deploy; returns it once waiting. */
async function pausedAtProceed(
  target: string,
  stageMs: number,
): Promise<{ hotfix: Hotfix; waiting: Hotfix }> {
  jenkins.scriptNextBuild(JOB, {
    stages: STAGES,
    stageMs,
    input: { before: 'Deploy', id: 'Proceed', message: `Deploy decanting-service to ${target}?` },
  });
  const hotfix = await approvedHotfix(target);
  const waiting = await waitForRecord(t.bot, hotfix.ulid, (h) => h.state === 'awaiting_input', 10_000);
  return { hotfix, waiting };
}

describe('a jenkins-multi-deploy hotfix from approval to the end of its build', () => {
  it('triggers one build with the plan, shows its stages, passes Proceed on once, and completes once its health check sees the tag', async () => {
    health.running('/v1/health', TAG);
    const { hotfix, waiting } = await pausedAtProceed('acme staging', 300);
    expect(waiting.deployPlan?.join(' ')).toContain(`Jenkins job ${JOB}`);
    expect(waiting.steps['check_target']?.result).toBeDefined();
    expect(waiting.pendingInput?.message).toBe('Deploy decanting-service to acme staging?');

    const triggers = jenkins.callsTo('POST', /buildWithParameters/);
    expect(triggers).toHaveLength(1);
    expect(triggers[0]?.form).toEqual({
      CLIENT: 'acme',
      ENV: 'staging',
      SERVICES: `decanting-service ${TAG}`,
      HOTFIX_ID: `${hotfix.ulid}-1`,
    });
    expect(waiting.refs).toMatchObject({ jenkinsRunKey: `${hotfix.ulid}-1`, jenkinsQueueItem: '1' });
    // The stage the build paused before and the one it finished, as Jenkins reports them, in the live status.
    await statusShows(hotfix, /Checkout[\s\S]*hotfix_input_proceed/);

    const message = await statusShows(hotfix, /hotfix_input_proceed/);
    await clickButton(
      t.eventsUrl,
      SIGNING_SECRET,
      { user: 'U0PRIYA', channel: 'C0INC4211', ts: message.ts, action_id: 'hotfix_input_proceed' },
      opts(),
    );
    // Deployed: verifying, or already completed (the health check passes at once).
    const deployed = await waitForRecord(
      t.bot,
      hotfix.ulid,
      (h) => h.state === 'verifying' || h.state === 'completed',
      15_000,
    );
    expect(deployed.refs).toMatchObject({
      jenkinsBuild: '1',
      jenkinsBuildUrl: `${jenkins.url}/job/${JOB}/1/`,
    });
    expect(deployed.stages.map((s) => [s.name, s.status])).toEqual(STAGES.map((s) => [s, 'succeeded']));
    expect(jenkins.builds(JOB)[0]?.result).toBe('SUCCESS');
    expect(jenkins.callsTo('POST', /input\/Proceed\/proceedEmpty/)).toHaveLength(1);
    expect(jenkins.callsTo('POST', /buildWithParameters/)).toHaveLength(1);
    await statusShows(hotfix, /Smoke test/);
    // Each ended stage with how long Jenkins says it took.
    await statusShows(hotfix, /Checkout — succeeded in 3\d\dms/);
    // The live status links the build.
    await statusShows(hotfix, new RegExp(`<${jenkins.url}/job/${JOB}/1/\\|Jenkins build>`));

    // The service reports the deployed tag at its health URL: verified, completed, the environment freed.
    await waitForRecord(t.bot, hotfix.ulid, (h) => h.state === 'completed', 15_000);
    expect(health.calls.filter((c) => c.path === '/v1/health')).toHaveLength(1);
    expect(await t.bot.deps.locks.holder(lockKey(hotfix))).toBeUndefined();
  });

  it('fails the hotfix when the build fails, with the console tail in the thread, and keeps the lock', async () => {
    jenkins.scriptNextBuild(JOB, {
      stages: STAGES,
      stageMs: 200,
      failAt: 'Smoke test',
      failureLog: [
        'curl: (22) The requested URL returned error: 503',
        `+ curl -u ${jenkins.user}:${jenkins.apiToken} ${jenkins.url}/job/x`,
        'ERROR: smoke test failed for decanting',
      ],
    });
    const hotfix = await approvedHotfix('globex staging');
    const failed = await waitForRecord(t.bot, hotfix.ulid, (h) => h.state === 'failed', 15_000);
    expect(failed.failure).toMatchObject({ phase: 'deploy', condition: 'smoke_test_failed' });
    expect(failed.failure?.message).toContain('ERROR: smoke test failed for decanting');
    expect(await t.bot.deps.locks.holder(lockKey(hotfix))).toMatchObject({ ulid: hotfix.ulid });
    await t.slack.waitFor(
      () =>
        threadOf(hotfix).find((r) => JSON.stringify(r.blocks).includes('smoke test failed for decanting')),
      8000,
    );
    expect(textOf((await slash(`resolve ${hotfix.id} "fixed by hand"`)).body)).toContain('resolved');
    await waitForRecord(t.bot, hotfix.ulid, (h) => h.state === 'resolved');
  });
});

describe('Retry after a failed build', () => {
  afterEach(() => slash('unlock globex staging "retry test done"', 'U0RELMGR1'));

  it("starts a build for the new attempt, and the live status shows that attempt's HOTFIX_ID", async () => {
    jenkins.scriptNextBuild(JOB, { stages: STAGES, stageMs: 100, failAt: 'Deploy' });
    const hotfix = await approvedHotfix('globex staging');
    await waitForRecord(t.bot, hotfix.ulid, (h) => h.state === 'failed', 15_000);
    const failed = await statusShows(hotfix, /hotfix_retry/);
    expect(JSON.stringify(failed.blocks)).toContain(`HOTFIX_ID=${hotfix.ulid}-1`);

    jenkins.scriptNextBuild(JOB, { stages: STAGES, stageMs: 2000 });
    await clickButton(
      t.eventsUrl,
      SIGNING_SECRET,
      { user: 'U0PRIYA', channel: 'C0INC4211', ts: failed.ts, action_id: 'hotfix_retry' },
      opts(),
    );
    const retried = await statusShows(hotfix, new RegExp(`HOTFIX_ID=${hotfix.ulid}-2`));
    expect(JSON.stringify(retried.blocks)).not.toContain(`HOTFIX_ID=${hotfix.ulid}-1`);
    expect(JSON.stringify(retried.blocks)).toContain('attempt 2');
    const triggered = jenkins
      .callsTo('POST', /buildWithParameters/)
      .map((c) => c.form['HOTFIX_ID'])
      .filter((key) => key?.startsWith(hotfix.ulid));
    expect(triggered).toEqual([`${hotfix.ulid}-1`, `${hotfix.ulid}-2`]);
  });
});

describe('the Proceed button', () => {
  it('refuses a stranger the policy does not allow, with an ephemeral, and passes nothing on to Jenkins', async () => {
    const { hotfix, waiting } = await pausedAtProceed('globex staging', 100);
    const message = await statusShows(waiting, /hotfix_input_proceed/);
    const proceedsBefore = jenkins.callsTo('POST', /input\/Proceed\/proceedEmpty/).length;
    // Dave is neither the requester nor an operator or admin of the policy; he clicks the button labelled Proceed.
    await clickButton(
      t.eventsUrl,
      SIGNING_SECRET,
      { user: 'U0DAVE', channel: 'C0INC4211', ts: message.ts, action_id: 'hotfix_input_proceed' },
      opts(),
    );
    const refusal = await t.slack.waitFor(() =>
      t.slack.ephemerals('U0DAVE').find((e) => e.text.includes(hotfix.id)),
    );
    expect(refusal.text).toMatch(/Only .* can proceed with/);
    expect(
      t.slack.calls.some(
        (c) =>
          c.method === 'chat.postEphemeral' &&
          c.args['user'] === 'U0PRIYA' &&
          String(c.args['text']).includes('Only'),
      ),
    ).toBe(false);
    // Give the click every chance to have gone through: still waiting, no answer recorded, nothing sent to Jenkins.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const after = (await t.bot.deps.store.load(hotfix.ulid))!;
    expect(after.state).toBe('awaiting_input');
    expect(after.answers).toEqual({});
    expect(jenkins.callsTo('POST', /input\/Proceed\/proceedEmpty/)).toHaveLength(proceedsBefore);
    expect(JSON.stringify(statusMessages(after)[0]?.blocks)).toContain('hotfix_input_proceed');
    await slash(`cancel ${hotfix.id} "stranger test done"`);
    await waitForRecord(t.bot, hotfix.ulid, (h) => h.state === 'cancelled', 10_000);
  });
});

describe('an input step answered in Jenkins itself', () => {
  it('is noticed: the thread is told, the buttons go, nothing is passed on, and the deploy goes on', async () => {
    const { hotfix, waiting } = await pausedAtProceed('globex staging', 200);
    await statusShows(waiting, /hotfix_input_proceed/);
    const build = Number(
      (await waitForRecord(t.bot, hotfix.ulid, (h) => Boolean(h.refs['jenkinsBuild']))).refs['jenkinsBuild'],
    );
    const proceedsBefore = jenkins.callsTo('POST', /input\/Proceed\/proceedEmpty/).length;
    // A Jenkins administrator clicks Proceed on the build's own page.
    const auth = Buffer.from(`${jenkins.user}:${jenkins.apiToken}`).toString('base64');
    const answered = await fetch(`${jenkins.url}/job/${JOB}/${build}/input/Proceed/proceedEmpty`, {
      method: 'POST',
      headers: { Authorization: `Basic ${auth}` },
    });
    expect(answered.status).toBe(200);

    // Deployed: verifying, or already past it (globex staging's health URL does not resolve here, so its check fails).
    const deployed = await waitForRecord(
      t.bot,
      hotfix.ulid,
      (h) => h.state === 'verifying' || (h.state === 'failed' && h.failure?.phase !== 'deploy'),
      10_000,
    );
    expect(deployed.answers['Proceed']).toMatchObject({ proceed: true, outside: true });
    const told = await t.slack.waitFor(() =>
      threadOf(deployed).find((r) => r.text.includes('was answered in Jenkins itself')),
    );
    expect(told.text).toContain('<@U0PRIYA>');
    await statusShows(deployed, /Smoke test/);
    expect(JSON.stringify(statusMessages(deployed)[0]?.blocks)).not.toContain('hotfix_input_proceed');
    // Only the administrator's answer reached Jenkins: the bot passed nothing on.
    expect(jenkins.callsTo('POST', /input\/Proceed\/proceedEmpty/)).toHaveLength(proceedsBefore + 1);
    expect(jenkins.builds(JOB).find((b) => b.number === build)?.result).toBe('SUCCESS');
    expect(textOf((await slash('unlock globex staging "checked by hand"', 'U0RELMGR1')).body)).toContain(
      'unlocked',
    );
  });

  it('Abort there is noted as an outside answer, by whom Jenkins says, and cancels the hotfix, never fails it', async () => {
    const { hotfix, waiting } = await pausedAtProceed('globex staging', 200);
    await statusShows(waiting, /hotfix_input_abort/);
    const build = Number(
      (await waitForRecord(t.bot, hotfix.ulid, (h) => Boolean(h.refs['jenkinsBuild']))).refs['jenkinsBuild'],
    );
    // A Jenkins administrator clicks Abort on the build's own page.
    expect((await inJenkins(`/job/${JOB}/${build}/input/Proceed/abort`)).status).toBe(200);

    const ended = await waitForRecord(
      t.bot,
      hotfix.ulid,
      (h) => h.state === 'cancelled' || h.state === 'failed',
      10_000,
    );
    expect(ended.state).toBe('cancelled');
    expect(ended.failure).toBeUndefined();
    expect(ended.answers['Proceed']).toMatchObject({ proceed: false, outside: true });
    // Audited as an answer given outside the bot, with the name Jenkins gives.
    const events = await t.bot.deps.store.events(hotfix.ulid);
    expect(events.find((e) => e.type === 'input_answered')).toMatchObject({
      proceed: false,
      outside: true,
      answeredBy: ADMIN.name,
    });
    const told = await t.slack.waitFor(() =>
      threadOf(ended).find((r) => r.text.includes('was answered in Jenkins itself')),
    );
    expect(told.text).toContain('with *Abort* by jenkins-admin');
    const cancelled = await t.slack.waitFor(
      () => threadOf(ended).find((r) => r.text.includes(`${hotfix.id} was cancelled`)),
      8000,
    );
    expect(cancelled.text).toContain('Abort answered in Jenkins itself by jenkins-admin');
    expect(cancelled.text).toContain('Not undone: the finished stages (Checkout) stay as deployed');
    // Only the administrator's abort reached Jenkins; the bot stopped nothing.
    expect(jenkins.callsTo('POST', `/job/${JOB}/${build}/input/Proceed/abort`)).toHaveLength(1);
    expect(jenkins.callsTo('POST', `/job/${JOB}/${build}/stop`)).toHaveLength(0);
    expect(await t.bot.deps.locks.holder(lockKey(hotfix))).toBeUndefined();
  });
});

describe('cancel while Jenkins builds', () => {
  const cancelledReply = (h: Hotfix) =>
    t.slack.waitFor(() => threadOf(h).find((r) => r.text.includes(`${h.id} was cancelled`)), 8000);

  it('stops a running build with /stop and says which finished stages stay deployed', async () => {
    jenkins.scriptNextBuild(JOB, { stages: STAGES, stageDurations: { Checkout: 100, Deploy: 5000 } });
    const hotfix = await approvedHotfix('globex staging');
    const running = await waitForRecord(
      t.bot,
      hotfix.ulid,
      (h) => h.stages.some((s) => s.name === 'Deploy' && s.status === 'running'),
      10_000,
    );
    const build = Number(running.refs['jenkinsBuild']);
    await slash(`cancel ${hotfix.id} "wrong tag"`);
    const cancelled = await waitForRecord(t.bot, hotfix.ulid, (h) => h.state === 'cancelled', 10_000);
    expect(jenkins.callsTo('POST', `/job/${JOB}/${build}/stop`)).toHaveLength(1);
    expect(jenkins.builds(JOB).find((b) => b.number === build)?.result).toBe('ABORTED');
    const told = await cancelledReply(cancelled);
    expect(told.text).toContain('asked Jenkins to stop it at stage Deploy');
    expect(told.text).toContain('Stage Deploy was interrupted and may have done part of its work');
    expect(told.text).toContain('Not undone: the finished stages (Checkout) stay as deployed');
  });

  describe('while the build waits in the queue', () => {
    /** An approved hotfix whose queue item Jenkins holds (a long quiet period), its number on the record. */
    async function queued(): Promise<{ hotfix: Hotfix; item: number }> {
      jenkins.setTiming({ queueDelayMs: 60_000 });
      const hotfix = await approvedHotfix('globex staging');
      const waiting = await waitForRecord(
        t.bot,
        hotfix.ulid,
        (h) => Boolean(h.refs['jenkinsQueueItem']),
        10_000,
      );
      jenkins.setTiming({ queueDelayMs: 100 });
      return { hotfix: waiting, item: Number(waiting.refs['jenkinsQueueItem']) };
    }
    const cancelsOf = (item: number) => jenkins.callsTo('POST', `/queue/item/${item}/cancelQueue`);

    it('ends cancelled, never failed, when a look begun before the cancel sees the item cancelled first', async () => {
      const { hotfix, item } = await queued();
      // A look at the item, begun before the cancel, reaches Jenkins only after the cancel was carried out...
      let lookHeld!: () => void;
      const held = new Promise<void>((resolve) => (lookHeld = resolve));
      jenkins.onRequest(
        (r) => r.method === 'GET' && r.path === `/queue/item/${item}/api/json`,
        async () => {
          lookHeld();
          await until(() => cancelsOf(item).length > 0);
        },
      );
      // ...and the abort hears back from its cancel only well after that look has seen it.
      jenkins.onRequest(
        (r) => r.method === 'POST' && r.path === `/queue/item/${item}/cancelQueue`,
        () => new Promise((resolve) => setTimeout(resolve, 1500)),
        { when: 'after' },
      );
      await held;
      await slash(`cancel ${hotfix.id} "wrong tag"`);
      const ended = await waitForRecord(
        t.bot,
        hotfix.ulid,
        (h) => h.state === 'cancelled' || h.state === 'failed',
        10_000,
      );
      expect(ended.state).toBe('cancelled');
      expect(ended.failure).toBeUndefined();
      expect(cancelsOf(item)).toHaveLength(1);
      const told = await cancelledReply(ended);
      expect(told.text).toContain(`Cancelled Jenkins queue item ${item}`);
      expect(told.text).toContain('nothing was deployed');
      expect(jenkins.builds(JOB).some((b) => b.queueId === item)).toBe(false);
      expect(await t.bot.deps.locks.holder(lockKey(hotfix))).toBeUndefined();
    });

    it('stops the build the item became just as the cancel reached Jenkins', async () => {
      jenkins.scriptNextBuild(JOB, { stages: STAGES, stageMs: 5000 });
      const { hotfix, item } = await queued();
      // The quiet period ends as the cancel arrives: the item leaves the queue first, so Jenkins ignores the cancel.
      jenkins.onRequest(
        (r) => r.method === 'POST' && r.path === `/queue/item/${item}/cancelQueue`,
        () => {
          const waiting = jenkins.queueItem(item);
          if (waiting) waiting.startsAt = Date.now();
        },
      );
      await slash(`cancel ${hotfix.id} "wrong tag"`);
      const cancelled = await waitForRecord(t.bot, hotfix.ulid, (h) => h.state === 'cancelled', 10_000);
      const build = jenkins.builds(JOB).find((b) => b.queueId === item);
      expect(build).toBeDefined();
      expect(jenkins.callsTo('POST', `/job/${JOB}/${build?.number}/stop`)).toHaveLength(1);
      expect(build?.result).toBe('ABORTED');
      const told = await cancelledReply(cancelled);
      expect(told.text).toContain(
        `queue item ${item} became build #${build?.number} as the cancel reached it`,
      );
      expect(told.text).toContain('asked Jenkins to stop it at stage Checkout');
      expect(told.text).not.toContain('nothing was deployed');
    });
  });

  it('aborts the input of a paused build instead of stopping it, and says which finished stages stay', async () => {
    const { hotfix, waiting } = await pausedAtProceed('globex staging', 100);
    const build = Number(
      (await waitForRecord(t.bot, waiting.ulid, (h) => Boolean(h.refs['jenkinsBuild']))).refs['jenkinsBuild'],
    );
    await slash(`cancel ${hotfix.id} "not today"`);
    const cancelled = await waitForRecord(t.bot, hotfix.ulid, (h) => h.state === 'cancelled', 10_000);
    expect(jenkins.callsTo('POST', `/job/${JOB}/${build}/input/Proceed/abort`)).toHaveLength(1);
    expect(jenkins.callsTo('POST', `/job/${JOB}/${build}/stop`)).toHaveLength(0);
    expect(jenkins.builds(JOB).find((b) => b.number === build)?.result).toBe('ABORTED');
    const told = await cancelledReply(cancelled);
    expect(told.text).toContain('aborted its pending input Proceed at stage Deploy');
    expect(told.text).toContain('Not undone: the finished stages (Checkout) stay as deployed');
  });
});

describe('Jenkins in trouble while a deploy runs', () => {
  /** A hotfix for globex staging whose build runs (slowly) with its number on the record. */
  async function building(stageMs = 3000): Promise<Hotfix> {
    jenkins.scriptNextBuild(JOB, { stages: STAGES, stageMs });
    const hotfix = await approvedHotfix('globex staging');
    return waitForRecord(t.bot, hotfix.ulid, (h) => Boolean(h.refs['jenkinsBuild']), 10_000);
  }
  /** The live status offers Retry and says what went wrong; a reply mentions the requester, who must decide. */
  async function failureShown(h: Hotfix, says: string) {
    const status = await statusShows(h, /hotfix_retry/);
    expect(JSON.stringify(status.blocks)).toContain(says);
    const told = await t.slack.waitFor(() =>
      threadOf(h).find(
        (r) => kindOf(r) !== 'status' && r.text.includes('<@U0PRIYA>') && r.text.includes('FAILED'),
      ),
    );
    return [status, told];
  }
  afterEach(async () => {
    jenkins.clearFaults();
    await slash('unlock globex staging "Jenkins trouble test done"', 'U0RELMGR1');
  });

  it('retries 503s and resets with backoff, then fails with a readable message and Retry when they last', async () => {
    const hotfix = await building();
    const looksBefore = jenkins.callsTo('GET', /wfapi\/describe/).length;
    // Connection resets first, then 503s.
    jenkins.failOn(/wfapi\/describe/, 'reset', 2);
    jenkins.failOn(/wfapi\/describe/, { status: 503 }, 1000);
    const failed = await waitForRecord(t.bot, hotfix.ulid, (h) => h.state === 'failed', 15_000);
    // Looked again several times (BullMQ's backoff) before giving up, and never for more than the limit allows.
    const looks = jenkins.callsTo('GET', /wfapi\/describe/).slice(looksBefore);
    expect(looks.filter((c) => c.status === 0)).toHaveLength(2);
    expect(looks.filter((c) => c.status === 503).length).toBeGreaterThanOrEqual(1);
    expect(failed.failure?.message).toContain('Every look at the deploy has failed');
    expect(failed.failure?.message).toContain('Jenkins is unavailable (503)');
    expect(failed.failure?.message).toContain('Retry starts a new build');
    await failureShown(failed, 'Every look at the deploy has failed');
    // Still one build: trouble never triggers again.
    expect(
      jenkins
        .callsTo('POST', /buildWithParameters/)
        .filter((c) => c.form['HOTFIX_ID'] === `${hotfix.ulid}-1`),
    ).toHaveLength(1);
  });

  it('rides out a short outage: looks again with backoff, and the deploy goes on to its end', async () => {
    const hotfix = await building(300);
    jenkins.failOn(/wfapi\/describe/, { status: 503 }, 1);
    const deployed = await waitForRecord(
      t.bot,
      hotfix.ulid,
      // Deployed: verifying or past it (globex staging's health URL does not resolve here, so its check fails).
      (h) => ['verifying', 'completed'].includes(h.state) || h.failure?.phase === 'verify',
      // The look after the 503 waits out its backoff as a delayed job.
      25_000,
    );
    const describes = jenkins.callsTo('GET', `/${deployed.refs['jenkinsBuild']}/wfapi/describe`);
    expect(describes.filter((c) => c.status === 503)).toHaveLength(1);
    expect(describes.at(-1)?.status).toBe(200);
    expect(deployed.failure?.phase).not.toBe('deploy');
    // The outage is over on the record too, so a later one in this attempt gets its own full time before it fails.
    expect(deployed.refs['outsideTroubleSince']).toBe('');
  });

  it('fails at once, naming the variables, when Jenkins refuses the credentials mid-deploy', async () => {
    const hotfix = await building();
    jenkins.failOn(/wfapi\/describe/, { status: 401 }, 1000);
    const failed = await waitForRecord(t.bot, hotfix.ulid, (h) => h.state === 'failed', 8000);
    expect(failed.failure?.message).toContain("refused the bot's credentials");
    expect(failed.failure?.message).toContain('JENKINS_API_TOKEN');
    expect(failed.failure?.message).not.toContain(jenkins.apiToken);
    const shown = await failureShown(failed, 'JENKINS_API_TOKEN');
    expect(JSON.stringify(shown)).not.toContain(jenkins.apiToken);
    // One refused look was enough: no retries against a refusal.
    expect(jenkins.callsTo('GET', /wfapi\/describe/).filter((c) => c.status === 401)).toHaveLength(1);
  });
});

describe('cancel while Jenkins cannot be reached', () => {
  afterEach(() => jenkins.clearFaults());

  it('says so in the thread with the build link, keeps the hotfix and its lock, and aborts once Jenkins answers', async () => {
    jenkins.scriptNextBuild(JOB, { stages: STAGES, stageMs: 3000 });
    const hotfix = await approvedHotfix('globex staging');
    const running = await waitForRecord(t.bot, hotfix.ulid, (h) => Boolean(h.refs['jenkinsBuild']), 10_000);
    const build = running.refs['jenkinsBuild'];
    const buildPath = `/job/${JOB}/${build}/`;
    jenkins.failOn(new RegExp(buildPath), { status: 503 }, 100_000);
    await slash(`cancel ${hotfix.id} "wrong tag"`);

    const told = await t.slack.waitFor(
      () => threadOf(hotfix).find((r) => r.text.includes('could not reach Jenkins to abort')),
      8000,
    );
    expect(told.text).toContain('<@U0PRIYA>');
    expect(told.text).toContain('Jenkins is unavailable (503)');
    expect(told.text).toContain(`<${jenkins.url}${buildPath}|Jenkins build #${build}>`);
    expect(told.text).toContain('keeps globex staging locked');
    expect(told.text).toContain(`/hotfix cancel ${hotfix.id}`);
    expect(told.text).toContain(`/hotfix resolve ${hotfix.id}`);
    // Longer than a running deploy's trouble may last (1.5 s here): the cancel never turns into a failure.
    await new Promise((resolve) => setTimeout(resolve, 2500));
    const holding = (await t.bot.deps.store.load(hotfix.ulid))!;
    expect(holding.state).toBe('deploying');
    expect(holding.failure).toBeUndefined();
    expect(holding.cancelRequest?.reason).toBe('wrong tag');
    expect(await t.bot.deps.locks.holder(lockKey(hotfix))).toMatchObject({ ulid: hotfix.ulid });
    // Tried again and again meanwhile, as delayed jobs; the thread was told once.
    expect(
      jenkins.callsTo('GET', `${buildPath}wfapi/describe`).filter((c) => c.status === 503).length,
    ).toBeGreaterThanOrEqual(3);
    expect(threadOf(hotfix).filter((r) => r.text.includes('could not reach Jenkins to abort'))).toHaveLength(
      1,
    );
    expect(jenkins.callsTo('POST', `${buildPath}stop`)).toHaveLength(0);

    // Jenkins answers again; cancelling again tries the abort at once.
    jenkins.clearFaults();
    expect(textOf((await slash(`cancel ${hotfix.id} "wrong tag"`)).body)).toContain('being aborted');
    const cancelled = await waitForRecord(t.bot, hotfix.ulid, (h) => h.state === 'cancelled', 10_000);
    expect(jenkins.callsTo('POST', `${buildPath}stop`).filter((c) => c.status === 302)).toHaveLength(1);
    expect(jenkins.builds(JOB).find((b) => String(b.number) === build)?.result).toBe('ABORTED');
    await t.slack.waitFor(
      () =>
        threadOf(cancelled).find(
          (r) => r.text.includes(`${hotfix.id} was cancelled`) && r.text.includes('asked Jenkins to stop it'),
        ),
      8000,
    );
    expect(await t.bot.deps.locks.holder(lockKey(hotfix))).toBeUndefined();
  });
});

describe('the plan-time check of the Jenkins job', () => {
  /** Plans and waits until the announce step has refused it; returns the cancelled record and the ephemeral reply. */
  async function refused(target: string) {
    const hotfix = await planned(target);
    const cancelled = await waitForRecord(t.bot, hotfix.ulid, (h) => h.state === 'cancelled');
    const told = await t.slack.waitFor(() =>
      t.slack
        .ephemerals('U0PRIYA')
        .find((e) => e.text.startsWith(`${hotfix.id} was not put up for approval`)),
    );
    // Nobody was asked to approve it.
    expect(cancelled.refs['noticeTs']).toBeUndefined();
    expect(t.slack.messages('C0CHANGECTL').some((m) => m.text.includes(hotfix.id))).toBe(false);
    return { cancelled, told };
  }

  it('refuses a plan whose job does not declare the hotfix id parameter, naming the job and the parameter', async () => {
    const { CLIENT, ENV, SERVICES } = PARAMETERS;
    jenkins.addJob({ name: JOB, parameters: { CLIENT, ENV, SERVICES } });
    const triggersBefore = jenkins.callsTo('POST', /buildWithParameters/).length;
    try {
      const { told } = await refused('globex staging');
      expect(told.text).toContain(`"${JOB}"`);
      expect(told.text).toContain('HOTFIX_ID');
      // Nothing was triggered for it.
      expect(jenkins.callsTo('POST', /buildWithParameters/)).toHaveLength(triggersBefore);
    } finally {
      jenkins.addJob({ name: JOB, parameters: PARAMETERS });
    }
  });

  it('tells the requester on a later try when Slack failed the first time', async () => {
    const { CLIENT, ENV, SERVICES } = PARAMETERS;
    jenkins.addJob({ name: JOB, parameters: { CLIENT, ENV, SERVICES } });
    t.slack.failNext('chat.postEphemeral', { status: 500 });
    try {
      const { cancelled, told } = await refused('globex staging');
      expect(told.text).toContain('HOTFIX_ID');
      const recorded = await waitForRecord(
        t.bot,
        cancelled.ulid,
        (h) => !!h.steps['tell_plan_refusal']?.result,
      );
      expect(recorded.state).toBe('cancelled');
      expect(
        t.slack.ephemerals('U0PRIYA').filter((e) => e.text.startsWith(`${cancelled.id} was not put up`)),
      ).toHaveLength(1);
    } finally {
      jenkins.addJob({ name: JOB, parameters: PARAMETERS });
    }
  });

  it('answers a Jenkins plan as recorded and being checked, never as planned, and posts it once the job passed', async () => {
    const answer = textOf((await slash(`plan decanting-service@${TAG} globex staging`)).body);
    expect(answer).toMatch(/HF-\d+ is recorded but not planned yet/);
    expect(answer).toContain(`Jenkins job \`${JOB}\``);
    expect(answer).toContain('if not, I cancel it and tell you why here');
    expect(answer).not.toContain('is planned');
    const id = /HF-\d+/.exec(answer)![0];
    const shown = await waitForRecord(t.bot, (await t.bot.deps.store.findById(id))!.ulid, (h) =>
      Boolean(h.refs['noticeTs']),
    );
    expect(shown.steps['check_target']?.result).toBeDefined();
    await slash(`cancel ${id} "answer checked"`);
  });

  it('checks a revised plan against Jenkins again before approvers see it, and cancels it when the job refuses', async () => {
    const hotfix = await planned('globex staging');
    const shown = await waitForRecord(t.bot, hotfix.ulid, (h) => Boolean(h.refs['noticeTs']));
    const noticeTs = shown.refs['noticeTs']!;
    const revise = async (tag: string) => {
      const opened = t.slack.views.length;
      await clickButton(
        t.eventsUrl,
        SIGNING_SECRET,
        { user: 'U0PRIYA', channel: 'C0INC4211', ts: shown.refs['planTs']!, action_id: 'hotfix_revise_open' },
        opts(),
      );
      // The form opens just after the click's ack: wait for this click's form, not an earlier one.
      await t.slack.waitFor((slack) => slack.views.length > opened);
      await submitForm(t.slack, t.eventsUrl, {
        user: 'U0PRIYA',
        callbackId: 'hotfix_revise',
        hotfix: shown,
        values: {
          services: { value: { type: 'plain_text_input', value: `decanting-service@${tag}` } },
          severity: { value: { type: 'static_select', selected_option: { value: '3' } } },
        },
      });
    };
    const jobLooks = () => jenkins.callsTo('GET', `/job/${JOB}/api/json`).length;

    // A revision the job still accepts is checked once more, then shown.
    const looksBefore = jobLooks();
    await revise('24-02-05.619-hotfix.628');
    const v2 = await waitForRecord(
      t.bot,
      hotfix.ulid,
      (h) => h.steps['check_target_v2']?.result !== undefined,
    );
    expect(v2.state).toBe('planned');
    expect(jobLooks()).toBe(looksBefore + 1);
    await t.slack.waitFor(() => {
      const notice = t.slack.messages('C0CHANGECTL').find((m) => m.ts === noticeTs);
      return notice && JSON.stringify(notice.blocks).includes('hotfix.628') ? notice : undefined;
    }, 8000);

    // The job loses the hotfix id parameter: the next revision is cancelled before anyone is asked to approve it.
    const { CLIENT, ENV, SERVICES } = PARAMETERS;
    jenkins.addJob({ name: JOB, parameters: { CLIENT, ENV, SERVICES } });
    try {
      await revise('24-02-05.619-hotfix.629');
      const cancelled = await waitForRecord(t.bot, hotfix.ulid, (h) => h.state === 'cancelled', 8000);
      expect(cancelled.planVersion).toBe(3);
      expect(cancelled.steps['check_target_v3']).toBeUndefined();
      const told = await t.slack.waitFor(() =>
        t.slack
          .ephemerals('U0PRIYA')
          .find((e) =>
            e.text.startsWith(`The revised plan (v3) of ${hotfix.id} was not put up for approval`),
          ),
      );
      expect(told.text).toContain('HOTFIX_ID');
      // No drawing of the notice ever offered plan v3 for approval.
      const offeredV3 = t.slack.calls.filter(
        (c) =>
          c.method === 'chat.update' &&
          c.args['ts'] === noticeTs &&
          String(c.args['blocks']).includes('hotfix.629') &&
          String(c.args['blocks']).includes('hotfix_approve'),
      );
      expect(offeredV3).toHaveLength(0);
      await t.slack.waitFor(() => {
        const notice = t.slack.messages('C0CHANGECTL').find((m) => m.ts === noticeTs);
        return notice && /cancelled/i.test(JSON.stringify(notice.blocks)) ? notice : undefined;
      }, 8000);
    } finally {
      jenkins.addJob({ name: JOB, parameters: PARAMETERS });
    }
  });

  it('rides out one 503 and one reset at plan time: looks again later, then puts the plan up for approval', async () => {
    const looks = () => jenkins.callsTo('GET', `/job/${JOB}/api/json`);
    const before = looks().length;
    jenkins.failOn(new RegExp(`/job/${JOB}/api/json`), { status: 503 }, 1);
    jenkins.failOn(new RegExp(`/job/${JOB}/api/json`), 'reset', 1);
    const hotfix = await planned('globex staging');
    const shown = await waitForRecord(t.bot, hotfix.ulid, (h) => Boolean(h.refs['noticeTs']), 10_000);
    expect(shown.state).toBe('planned');
    expect(shown.steps['check_target']?.result).toBeDefined();
    expect(
      looks()
        .slice(before)
        .map((c) => c.status),
    ).toEqual([503, 0, 200]);
    expect(t.slack.ephemerals('U0PRIYA').some((e) => e.text.startsWith(`${hotfix.id} was not put up`))).toBe(
      false,
    );
    await slash(`cancel ${hotfix.id} "plan-time retry checked"`);
  });

  it('refuses a plan when Jenkins keeps failing to answer, after looking again a few times, never passing it', async () => {
    const looks = () => jenkins.callsTo('GET', `/job/${JOB}/api/json`);
    const before = looks().length;
    jenkins.failOn(new RegExp(`/job/${JOB}/api/json`), { status: 503 }, 1000);
    try {
      const { cancelled, told } = await refused('globex staging');
      expect(told.text).toContain('Jenkins did not answer');
      expect(told.text).toContain('Jenkins is unavailable (503)');
      expect(told.text).toContain('nothing was planned; try again');
      // The first look and three more, each a delayed job.
      expect(looks().slice(before)).toHaveLength(4);
      expect(Object.keys(cancelled.steps).filter((s) => s.startsWith('check_target_trouble_'))).toHaveLength(
        3,
      );
    } finally {
      jenkins.clearFaults();
    }
  });
});

describe('the Jenkins credentials', () => {
  it('never appear in a log line, a Slack message or a URL the bot printed, in any test of this file', () => {
    const token = jenkins.apiToken;
    const spellings = [
      token,
      encodeURIComponent(token),
      Buffer.from(`${jenkins.user}:${token}`).toString('base64'),
    ];
    // The checks below can fail: the token did pass through the bot (a failed build's console printed it).
    expect(jenkins.builds(JOB).some((b) => b.console.includes(token))).toBe(true);
    expect(logged.length).toBeGreaterThan(100);
    const slackText = JSON.stringify(t.slack.calls);
    for (const spelling of spellings) {
      expect(logged.filter((line) => line.includes(spelling))).toEqual([]);
      expect(slackText.includes(spelling)).toBe(false);
    }
    // Links to Jenkins carry no user information.
    expect(slackText).not.toMatch(/https?:\/\/[^/\s"]*@127\.0\.0\.1/);
  });
});
