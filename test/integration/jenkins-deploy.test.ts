/**
 * A jenkins-multi-deploy hotfix on the started bot, end to end, with Jenkins and Slack emulated at the wire: the plan
 * is checked against the job, approved, deployed by one build that pauses at its input step, answered from Slack,
 * and followed into the live status; a failing build and the plan-time refusals.
 */
import type { JsonObject } from '../emulators/slack/index.js';
import { clickButton, sendSlashCommand } from '../emulators/slack/index.js';
import type { JenkinsEmulator } from '../emulators/jenkins/index.js';
import { startJenkinsEmulator } from '../emulators/jenkins/index.js';
import type { Hotfix } from '../../src/domain/hotfix.js';
import { lockKey } from '../../src/domain/hotfix.js';
import type { TestBot } from '../helpers/test-bot.js';
import type { HealthEmulator } from '../emulators/health/index.js';
import { startHealthEmulator } from '../emulators/health/index.js';
import { catalogWith, SIGNING_SECRET, startTestBot, waitForRecord } from '../helpers/test-bot.js';

const JOB = 'multi_deploy_pipeline';
const PARAMETERS = { CLIENT: '', ENV: '', SERVICES: '', HOTFIX_ID: '' };
const STAGES = ['Checkout', 'Deploy', 'Smoke test'];
const TAG = '24-02-05.619-hotfix.627';

let jenkins: JenkinsEmulator;
let health: HealthEmulator;
let t: TestBot;
const started = Date.now();
beforeAll(async () => {
  jenkins = await startJenkinsEmulator({ queueDelayMs: 100, jobs: [{ name: JOB, parameters: PARAMETERS }] });
  health = await startHealthEmulator();
  const catalog = catalogWith((doc) =>
    doc.setIn(['clients', 'acme', 'envs', 'staging', 'healthUrls', 'decanting-service'], health.url),
  );
  t = await startTestBot(6, {
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

describe('a jenkins-multi-deploy hotfix from approval to the end of its build', () => {
  it('triggers one build with the plan, shows its stages, passes Proceed on once, and completes once its health check sees the tag', async () => {
    health.running('/v1/health', TAG);
    jenkins.scriptNextBuild(JOB, {
      stages: STAGES,
      stageMs: 300,
      input: { before: 'Deploy', id: 'Proceed', message: 'Deploy decanting-service to acme staging?' },
    });
    const hotfix = await approvedHotfix('acme staging');
    const waiting = await waitForRecord(t.bot, hotfix.ulid, (h) => h.state === 'awaiting_input');
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
    const deployed = await waitForRecord(t.bot, hotfix.ulid, (h) => h.state === 'verifying', 15_000);
    expect(deployed.refs).toMatchObject({
      jenkinsBuild: '1',
      jenkinsBuildUrl: `${jenkins.url}/job/${JOB}/1/`,
    });
    expect(deployed.stages.map((s) => [s.name, s.status])).toEqual(STAGES.map((s) => [s, 'succeeded']));
    expect(jenkins.builds(JOB)[0]?.result).toBe('SUCCESS');
    expect(jenkins.callsTo('POST', /input\/Proceed\/proceedEmpty/)).toHaveLength(1);
    expect(jenkins.callsTo('POST', /buildWithParameters/)).toHaveLength(1);
    await statusShows(hotfix, /Smoke test/);
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
    try {
      const { told } = await refused('globex staging');
      expect(told.text).toContain(`"${JOB}"`);
      expect(told.text).toContain('HOTFIX_ID');
      expect(jenkins.callsTo('POST', /buildWithParameters/)).toHaveLength(2);
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

  it('refuses a plan when Jenkins does not answer, never passing it', async () => {
    jenkins.failOn(new RegExp(`/job/${JOB}/api/json`), { status: 503 }, 1);
    const { told } = await refused('globex staging');
    expect(told.text).toContain('Jenkins did not answer');
    expect(told.text).toContain('nothing was planned; try again');
  });
});
