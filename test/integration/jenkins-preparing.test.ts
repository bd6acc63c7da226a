/**
 * A jenkins-multi-deploy hotfix while it prepares and when its build ends oddly, on the started bot with Jenkins and
 * Slack emulated at the wire: the running versions read from an earlier build (current -> target in the plan and the
 * notice), a service no build deployed (not read, rolled back by hand), Jenkins refusing or failing while preparing
 * (a readable failure with Retry, nothing deployed), and a build that ends NOT_BUILT with a long console.
 */
import type { JsonObject } from '../emulators/slack/index.js';
import { clickButton, sendSlashCommand } from '../emulators/slack/index.js';
import type { JenkinsEmulator } from '../emulators/jenkins/index.js';
import { startJenkinsEmulator } from '../emulators/jenkins/index.js';
import type { Hotfix } from '../../src/domain/hotfix.js';
import { lockKey } from '../../src/domain/hotfix.js';
import type { TestBot } from '../helpers/test-bot.js';
import { SIGNING_SECRET, startTestBot, waitForRecord } from '../helpers/test-bot.js';

const JOB = 'multi_deploy_pipeline';
const PARAMETERS = { CLIENT: '', ENV: '', SERVICES: '', HOTFIX_ID: '' };
const TAG = '24-02-05.619-hotfix.627';

let jenkins: JenkinsEmulator;
let t: TestBot;
const logged: string[] = [];
beforeAll(async () => {
  jenkins = await startJenkinsEmulator({ queueDelayMs: 100, jobs: [{ name: JOB, parameters: PARAMETERS }] });
  t = await startTestBot(9, {
    // Jenkins failing for 1.5 s fails a hotfix here (5 minutes in production).
    timing: { pollMs: 100, statusEveryMs: 200, outsideTroubleMs: 1500, targetRecheckMs: 100 },
    logDestination: { write: (line: string) => void logged.push(line) },
    env: {
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
});
afterEach(async () => {
  jenkins.clearFaults();
  for (const env of ['acme staging', 'globex staging'])
    await slash(`unlock ${env} "preparing test done"`, 'U0RELMGR1');
});

const opts = () => ({ emulator: t.slack });
const slash = (text: string, user = 'U0PRIYA') =>
  sendSlashCommand(t.eventsUrl, SIGNING_SECRET, { text, user_id: user, channel_id: 'C0INC4211' }, opts());
const textOf = (body: unknown) => String((body as { text?: unknown }).text ?? JSON.stringify(body));
const kindOf = (m: { metadata?: unknown }) =>
  (m.metadata as { event_payload?: JsonObject } | undefined)?.event_payload?.['kind'];

/** Plans decanting-service on `target` and waits for its notice (the plan-time check of the job passed). */
async function announced(target: string): Promise<Hotfix> {
  const answer = await slash(`plan decanting-service@${TAG} ${target}`);
  const id = /HF-\d+/.exec(textOf(answer.body))?.[0];
  if (!id) throw new Error(`not planned: ${textOf(answer.body)}`);
  const hotfix = (await t.bot.deps.store.findById(id))!;
  return waitForRecord(t.bot, hotfix.ulid, (h) => h.refs['noticeTs'] !== undefined);
}

/** Bob approves the announced hotfix; returns it once approved. */
async function approve(hotfix: Hotfix): Promise<Hotfix> {
  await clickButton(
    t.eventsUrl,
    SIGNING_SECRET,
    { user: 'U0BOB', channel: 'C0CHANGECTL', ts: hotfix.refs['noticeTs']!, action_id: 'hotfix_approve' },
    opts(),
  );
  return waitForRecord(t.bot, hotfix.ulid, (h) => h.times.approvedAt !== undefined);
}

const planOf = (h: Hotfix) => t.slack.messages('C0INC4211').find((m) => m.ts === h.refs['planTs']);
const noticeOf = (h: Hotfix) => t.slack.messages('C0CHANGECTL').find((m) => m.ts === h.refs['noticeTs']);
const threadOf = (h: Hotfix) => planOf(h)?.replies ?? [];
const statusOf = (h: Hotfix) => threadOf(h).find((r) => kindOf(r) === 'status');

/** Waits until the message `find` returns shows `pattern` in its blocks. */
function shows(find: () => { blocks?: unknown } | undefined, pattern: RegExp | string) {
  return t.slack.waitFor(() => {
    const message = find();
    const text = JSON.stringify(message?.blocks ?? '');
    return message && (typeof pattern === 'string' ? text.includes(pattern) : pattern.test(text))
      ? message
      : undefined;
  }, 8000);
}

/** `pattern` with the backticks and arrow as a Block Kit text carries them inside JSON. */
const change = (from: string, to: string) => `\`${from}\` → \`${to}\``;

describe('the running versions read while preparing', () => {
  it('come from the last successful build for the client and env, shown as current -> target in the plan and the notice', async () => {
    // Deployed earlier by hand for acme staging; a later failed build and another env's build do not count.
    jenkins.seedBuild(JOB, { CLIENT: 'acme', ENV: 'staging', SERVICES: 'decanting-service 24-01-30.700' });
    jenkins.seedBuild(
      JOB,
      { CLIENT: 'acme', ENV: 'staging', SERVICES: 'decanting-service 24-01-31.1' },
      'FAILURE',
    );
    jenkins.seedBuild(JOB, { CLIENT: 'acme', ENV: 'production', SERVICES: 'decanting-service 24-01-31.2' });
    jenkins.scriptNextBuild(JOB, { stages: ['Deploy'], stageMs: 100 });
    const hotfix = await approve(await announced('acme staging'));
    const prepared = await waitForRecord(t.bot, hotfix.ulid, (h) => h.versionsBefore !== undefined);
    expect(prepared.versionsBefore).toEqual({ 'decanting-service': '24-01-30.700' });

    await shows(() => planOf(prepared), change('24-01-30.700', TAG));
    const notice = await shows(() => noticeOf(prepared), change('24-01-30.700', TAG));
    expect(JSON.stringify(notice.blocks)).toContain('Rollback target: decanting-service `24-01-30.700`');
    await shows(() => statusOf(prepared), 'Running before (rollback target)');
    expect(JSON.stringify(noticeOf(prepared)?.blocks)).not.toContain('unknown');
  });

  it('leave out a service no successful build deployed: "running version not read", rolled back by hand', async () => {
    // No build of the job ever deployed anything to globex staging.
    jenkins.scriptNextBuild(JOB, { stages: ['Deploy'], stageMs: 100 });
    const hotfix = await approve(await announced('globex staging'));
    const prepared = await waitForRecord(t.bot, hotfix.ulid, (h) => h.versionsBefore !== undefined);
    expect(prepared.versionsBefore).toEqual({});
    await shows(() => planOf(prepared), `→ \`${TAG}\` _(running version not read)_`);
    const notice = await shows(
      () => noticeOf(prepared),
      'Rollback target: decanting-service _(running version not read)_; the running version of decanting-service was not read, so a rollback is done by hand',
    );
    expect(JSON.stringify(notice.blocks)).not.toContain('unknown');
    // The deploy goes on: only the way back is by hand.
    await waitForRecord(t.bot, hotfix.ulid, (h) => h.times.deployedAt !== undefined, 10_000);
    expect(
      jenkins
        .callsTo('POST', /buildWithParameters/)
        .filter((c) => c.form['HOTFIX_ID'] === `${hotfix.ulid}-1`),
    ).toHaveLength(1);
  });
});

describe('Jenkins trouble while preparing', () => {
  /** The failure as the live status and a thread reply mentioning the requester show it, with Retry offered. */
  async function failureShown(h: Hotfix, says: string) {
    const status = await shows(() => statusOf(h), /hotfix_retry/);
    expect(JSON.stringify(status.blocks)).toContain(says);
    const told = await t.slack.waitFor(() =>
      threadOf(h).find(
        (r) => kindOf(r) !== 'status' && r.text.includes('<@U0PRIYA>') && r.text.includes('FAILED'),
      ),
    );
    return { status, told };
  }
  const triggersOf = (h: Hotfix) =>
    jenkins.callsTo('POST', /buildWithParameters/).filter((c) => c.form['HOTFIX_ID']?.startsWith(h.ulid));
  /** The keys of the posts about `h` in its client's prod-support channel. */
  const prodSupportKeys = (h: Hotfix) =>
    t.slack
      .messages(h.snapshot.client.prodSupportChannel.id)
      .map((m) => (m.metadata as { event_payload?: JsonObject } | undefined)?.event_payload)
      .filter((payload) => payload?.['ulid'] === h.ulid)
      .map((payload) => String(payload?.['key']));
  /** Waits for the failure's reply in change control, which is told before the client's channel would be. */
  const changeControlTold = (h: Hotfix) =>
    t.slack.waitFor(() =>
      t.slack
        .messages(h.refs['noticeChannel'] ?? 'C0CHANGECTL')
        .find((m) => m.ts === h.refs['noticeTs'])
        ?.replies?.find((r) => r.text.includes('FAILED')),
    );
  /** After the approval, every read of the job (the running versions) fails so, until the faults are cleared. */
  const readsFail = (fault: { status: number }) => jenkins.failOn(`/job/${JOB}/api/json`, fault, 1000);

  it('fails at once when Jenkins refuses the credentials, naming them without printing them; Retry prepares again and deploys', async () => {
    const hotfix = await announced('acme staging');
    readsFail({ status: 401 });
    await approve(hotfix);
    const failed = await waitForRecord(t.bot, hotfix.ulid, (h) => h.state === 'failed', 8000);
    expect(failed.failure).toMatchObject({ phase: 'deploy' });
    expect(failed.failure?.message).toContain("Jenkins refused the bot's credentials");
    expect(failed.failure?.message).toContain('JENKINS_API_TOKEN');
    expect(failed.failure?.message).toContain('Nothing was deployed');
    expect(failed.failure?.message).not.toContain(jenkins.apiToken);
    expect(failed.versionsBefore).toBeUndefined();
    // One refused read was enough: nothing retried against a refusal, nothing triggered, the environment kept.
    expect(jenkins.callsTo('GET', `/job/${JOB}/api/json`).filter((c) => c.status === 401)).toHaveLength(1);
    expect(triggersOf(hotfix)).toHaveLength(0);
    expect(await t.bot.deps.locks.holder(lockKey(hotfix))).toMatchObject({ ulid: hotfix.ulid });
    const { told, status } = await failureShown(failed, 'JENKINS_API_TOKEN');
    expect(told.text).toContain('Nothing was deployed');
    expect(JSON.stringify(status.blocks)).toContain('so there is nothing to roll back');
    expect(JSON.stringify(t.slack.calls)).not.toContain(jenkins.apiToken);
    // Nothing changed for the client: its prod-support channel hears nothing of this failure.
    await changeControlTold(failed);
    expect(prodSupportKeys(failed)).toEqual([]);
    const failedAt = (await t.bot.deps.store.events(hotfix.ulid)).findIndex((e) => e.type === 'failed');

    // The token is fixed; Retry reads the running versions again, then deploys once.
    jenkins.clearFaults();
    jenkins.scriptNextBuild(JOB, { stages: ['Deploy'], stageMs: 100 });
    expect(textOf((await slash(`retry ${hotfix.id}`)).body)).not.toMatch(/can be retried only/);
    const deployed = await waitForRecord(t.bot, hotfix.ulid, (h) => h.times.deployedAt !== undefined, 10_000);
    expect(deployed.versionsBefore).toEqual({ 'decanting-service': TAG });
    expect(triggersOf(hotfix)).toHaveLength(1);
    // Still nothing about the earlier failure once a deploy has started: replies go out in event order, so once a
    // later event is told in the thread, the failure's moments have all been judged again.
    await t.slack.waitFor(() =>
      threadOf(failed).find((r) => {
        const key = (r.metadata as { event_payload?: JsonObject } | undefined)?.event_payload?.['key'];
        return Number(/^(?:tell|moment)_(\d+)$/.exec(String(key))?.[1]) > failedAt + 1;
      }),
    );
    expect(prodSupportKeys(failed)).not.toContain(`ps_moment_${failedAt + 1}`);
  });

  it('retries 503s with backoff as delayed jobs, then fails with a readable message and Retry when they last', async () => {
    const hotfix = await announced('globex staging');
    const readsBefore = jenkins.callsTo('GET', `/job/${JOB}/api/json`).length;
    readsFail({ status: 503 });
    await approve(hotfix);
    const failed = await waitForRecord(t.bot, hotfix.ulid, (h) => h.state === 'failed', 15_000);
    const reads = jenkins.callsTo('GET', `/job/${JOB}/api/json`).slice(readsBefore);
    expect(reads.filter((c) => c.status === 503).length).toBeGreaterThanOrEqual(2);
    expect(failed.failure?.message).toContain('Every look at the versions running now has failed');
    expect(failed.failure?.message).toContain('Jenkins is unavailable (503)');
    expect(failed.failure?.message).toContain('Nothing was deployed');
    expect(failed.failure?.message).toContain('Retry reads them again');
    await failureShown(failed, 'Every look at the versions running now has failed');
    expect(triggersOf(hotfix)).toHaveLength(0);
    expect(await t.bot.deps.locks.holder(lockKey(hotfix))).toMatchObject({ ulid: hotfix.ulid });
  });
});

describe('a build that ends NOT_BUILT, with a long console', () => {
  it('fails the hotfix saying the build ended NOT_BUILT and where, ahead of the cut console, in the thread and the live status', async () => {
    const long = Array.from({ length: 30 }, (_, i) => `${String(i + 1).padStart(3, '0')} ${'y'.repeat(106)}`);
    jenkins.scriptNextBuild(JOB, {
      stages: ['Checkout', 'Deploy', 'Smoke test'],
      stageMs: 100,
      notBuiltAt: 'Deploy',
      failureLog: long,
    });
    const hotfix = await approve(await announced('globex staging'));
    const failed = await waitForRecord(t.bot, hotfix.ulid, (h) => h.state === 'failed', 10_000);
    const sentence = new RegExp(
      `^Jenkins build #\\d+ of ${JOB} ended NOT_BUILT at stage Deploy\\. Last 30 console lines:\n… \\d+ earlier characters cut\n`,
    );
    expect(failed.failure?.message).toMatch(sentence);
    expect(failed.failure?.message).toMatch(/Finished: NOT_BUILT$/);
    expect(failed.failure?.message).not.toContain('NOT_EXECUTED');
    const told = await t.slack.waitFor(() =>
      threadOf(failed).find((r) => kindOf(r) !== 'status' && r.text.includes('FAILED')),
    );
    expect(told.text).toContain('ended NOT_BUILT at stage Deploy');
    await shows(() => statusOf(failed), /ended NOT_BUILT at stage Deploy/);
  });
});

describe('the Jenkins credentials', () => {
  it('never appear in a log line of this file', () => {
    expect(logged.length).toBeGreaterThan(50);
    const basic = Buffer.from(`${jenkins.user}:${jenkins.apiToken}`).toString('base64');
    expect(logged.filter((line) => line.includes(jenkins.apiToken) || line.includes(basic))).toEqual([]);
  });
});
