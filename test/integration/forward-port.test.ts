/**
 * The forward-port (seed 003) and `/hotfix branch` on the started bot, with GitHub, Jenkins and Slack emulated at the
 * wire: after a real deploy completes, the pull request from the tag's `hotfix/` branch to main is opened once and
 * linked in the thread, the owner is reminded on the job scheduler until it is merged or someone records (with a
 * reason) that it is not needed on main; a fix already on main needs nothing. The branch command cuts
 * `hotfix/<ticket>` from the tag the records say runs in the client's production.
 */
import type { Queue } from 'bullmq';
import type { Hotfix } from '../../src/domain/hotfix.js';
import { forwardPortSchedule } from '../../src/workflow/chase-forward-port.js';
import type { BullJobs } from '../../src/queue/step-queue.js';
import type { GhRepo, GithubEmulator } from '../emulators/github/index.js';
import { startGithubEmulator } from '../emulators/github/index.js';
import type { HealthEmulator } from '../emulators/health/index.js';
import { startHealthEmulator } from '../emulators/health/index.js';
import type { JenkinsEmulator } from '../emulators/jenkins/index.js';
import { startJenkinsEmulator } from '../emulators/jenkins/index.js';
import type { JsonObject } from '../emulators/slack/index.js';
import { clickButton, sendSlashCommand } from '../emulators/slack/index.js';
import { submitForm } from '../helpers/forms.js';
import type { TestBot } from '../helpers/test-bot.js';
import { catalogWith, SIGNING_SECRET, startTestBot, waitForRecord } from '../helpers/test-bot.js';

const JOB = 'multi_deploy_pipeline';
const PARAMETERS = { CLIENT: '', ENV: '', SERVICES: '', HOTFIX_ID: '' };
const REPO = 'example-org/decanting-service';
const INCIDENT = 'C0INC4211';
/** On hotfix/HOCS-1 only. */
const FIRST = '24-02-05.619-hotfix.627';
/** On hotfix/HOCS-2 only. */
const SECOND = '24-02-05.619-hotfix.628';
/** On hotfix/HOCS-3 only. */
const THIRD = '24-02-05.619-hotfix.629';
/** On main already. */
const ON_MAIN = '24-02-05.620';
const EVERY_MS = 700;

let gh: GithubEmulator;
let repo: GhRepo;
let jenkins: JenkinsEmulator;
let health: HealthEmulator;
let t: TestBot;
const started = Date.now();
const commits: Record<string, string> = {};

beforeAll(async () => {
  gh = await startGithubEmulator();
  repo = gh.createRepo(REPO);
  const release = repo.git.branches.get('main')!;
  repo.git.tag('24-02-05.619', release, true);
  commits[FIRST] = repo.git.commit('hotfix/HOCS-1', 'Fix decanting totals', release);
  repo.git.tag(FIRST, commits[FIRST], true);
  commits[SECOND] = repo.git.commit('hotfix/HOCS-2', 'Guard against empty totes', release);
  repo.git.tag(SECOND, commits[SECOND], true);
  commits[THIRD] = repo.git.commit('hotfix/HOCS-3', 'Round totals once', release);
  repo.git.tag(THIRD, commits[THIRD], true);
  commits[ON_MAIN] = repo.git.commit('main', 'Release 24-02-05.620');
  repo.git.tag(ON_MAIN, commits[ON_MAIN], true);
  // CI is green on every tag, so the plan-time gate lets each plan through.
  for (const sha of Object.values(commits)) repo.addStatus(sha, { state: 'success', context: 'ci/jenkins' });

  jenkins = await startJenkinsEmulator({ queueDelayMs: 50, jobs: [{ name: JOB, parameters: PARAMETERS }] });
  health = await startHealthEmulator();
  const catalog = catalogWith((doc) => {
    for (const client of ['acme', 'globex'])
      doc.setIn(['clients', client, 'envs', 'prod', 'healthUrls', 'decanting-service'], health.url);
    // One approval in prod keeps these deploys short; who approves is not what this file is about.
    doc.setIn(['policy', 'approvals'], doc.createNode([{ required: 1 }]));
  });
  t = await startTestBot(3, {
    // A Tuesday afternoon, outside every freeze window.
    clock: { now: () => new Date(Date.parse('2026-11-17T15:05:00Z') + (Date.now() - started)) },
    timing: { forwardPortEveryMs: EVERY_MS },
    env: {
      HOTFIX_CATALOG: catalog,
      JENKINS_URL: jenkins.url,
      JENKINS_USER: jenkins.user,
      JENKINS_API_TOKEN: jenkins.apiToken,
      GITHUB_TOKEN: gh.token,
      GITHUB_API_URL: gh.url,
    },
  });
}, 60_000);
afterAll(async () => {
  await t.stop();
  // The last test closes GitHub itself.
  await gh.close().catch(() => undefined);
  await jenkins.close();
  await health.close();
});

const opts = () => ({ emulator: t.slack });
const slash = (text: string, user = 'U0PRIYA') =>
  sendSlashCommand(t.eventsUrl, SIGNING_SECRET, { text, user_id: user, channel_id: INCIDENT }, opts());
const textOf = (body: unknown) => String((body as { text?: unknown }).text ?? JSON.stringify(body));
const keyOf = (m: { metadata?: unknown }) =>
  String((m.metadata as { event_payload?: JsonObject } | undefined)?.event_payload?.['key'] ?? '');
const replies = (h: Hotfix) =>
  t.slack.messages(INCIDENT).find((m) => m.ts === h.refs['planTs'])?.replies ?? [];
const forwardPortReplies = (h: Hotfix, prefix: string) =>
  replies(h).filter((r) => keyOf(r).startsWith(prefix));
const shown = (m: { text?: unknown; blocks?: unknown }) => `${String(m.text)} ${JSON.stringify(m.blocks)}`;
const scheduler = (h: Hotfix) =>
  ((t.bot.deps.jobs as BullJobs).queue as Queue).getJobScheduler(forwardPortSchedule(h.ulid));
const pullsOpened = () => gh.calls.filter((c) => c.method === 'POST' && /\/pulls$/.test(c.path)).length;

/** Plans `tag` on `target`, has bob approve it, and waits until Jenkins deployed it and its health check passed. */
async function completed(tag: string, target = 'acme prod'): Promise<Hotfix> {
  health.running('/v1/health', tag);
  jenkins.scriptNextBuild(JOB, { stages: ['Checkout', 'Deploy'], stageMs: 50 });
  const answer = await slash(`plan decanting-service@${tag} ${target}`);
  const id = /HF-\d+/.exec(textOf(answer.body))?.[0];
  if (!id) throw new Error(`not planned: ${textOf(answer.body)}`);
  const planned = await t.bot.deps.store.findById(id);
  const withNotice = await waitForRecord(t.bot, planned!.ulid, (h) => h.refs['noticeTs'] !== undefined);
  const noticeTs = withNotice.refs['noticeTs']!;
  const approve = { user: 'U0BOB', channel: 'C0CHANGECTL', ts: noticeTs, action_id: 'hotfix_approve' };
  await clickButton(t.eventsUrl, SIGNING_SECRET, approve, opts());
  // Production: the approver confirms what they approve.
  await submitForm(t.slack, t.eventsUrl, {
    user: 'U0BOB',
    callbackId: 'hotfix_approve_confirm',
    hotfix: withNotice,
  });
  return waitForRecord(t.bot, withNotice.ulid, (h) => h.state === 'completed', 20_000);
}

describe('the forward-port pull request after a completed hotfix', () => {
  let first: Hotfix;

  it('is opened from the hotfix branch to main, linked in the thread for the owner, and found again on a re-run', async () => {
    first = await completed(FIRST);
    const linked = await waitForRecord(
      t.bot,
      first.ulid,
      (h) => h.steps['forward_port_link_decanting-service_1']?.result !== undefined,
      10_000,
    );
    expect(linked.refs).toMatchObject({
      'forwardPortPr.decanting-service': '1',
      'forwardPortUrl.decanting-service': `https://github.com/${REPO}/pull/1`,
    });
    expect(repo.pulls).toHaveLength(1);
    expect(repo.pulls[0]).toMatchObject({ head: 'hotfix/HOCS-1', base: 'main', state: 'open' });
    expect(repo.pulls[0]?.title).toContain(first.id);

    const link = forwardPortReplies(first, 'forward_port_link_')[0];
    expect(link).toBeDefined();
    expect(shown(link!)).toContain(`https://github.com/${REPO}/pull/1`);
    expect(shown(link!)).toContain('<@U0PRIYA>');
    expect(shown(link!)).toContain('Not needed on main');
    // The completion no longer asks people to open the pull request by hand.
    const completion = replies(first).find((r) => /completed on/.test(String(r.text)));
    expect(shown(completion!)).toContain('opens the forward-port pull request');

    // Delivered again (a retry, a second worker): the pull request is looked for by its branch, never opened twice.
    for (const attempt of ['again-1', 'again-2'])
      await t.bot.deps.jobs.enqueue({ ulid: first.ulid, step: 'forward_port', attempt });
    await t.slack.waitFor(
      () => forwardPortReplies(first, 'forward_port_remind_').length >= 1 || undefined,
      10_000,
    );
    expect(repo.pulls).toHaveLength(1);
    expect(pullsOpened()).toBe(1);
    expect(forwardPortReplies(first, 'forward_port_link_')).toHaveLength(1);
  }, 60_000);

  it('reminds the owner on the schedule while it is open, and stops once it is merged', async () => {
    await t.slack.waitFor(
      () => forwardPortReplies(first, 'forward_port_remind_').length >= 2 || undefined,
      10_000,
    );
    const reminder = forwardPortReplies(first, 'forward_port_remind_')[0]!;
    expect(shown(reminder)).toMatch(/Reminder/);
    expect(shown(reminder)).toContain('<@U0PRIYA>');
    expect(shown(reminder)).toContain(`https://github.com/${REPO}/pull/1`);
    expect(await scheduler(first)).toBeDefined();

    repo.mergePull(1);
    const done = await waitForRecord(
      t.bot,
      first.ulid,
      (h) => h.steps['forward_port']?.result !== undefined,
      10_000,
    );
    expect(done.steps['forward_port']?.result?.detail).toBe('merged');
    const over = forwardPortReplies(first, 'forward_port_done');
    expect(over).toHaveLength(1);
    expect(shown(over[0]!)).toMatch(/merged/);
    expect(await scheduler(first)).toBeUndefined();
    const reminders = forwardPortReplies(first, 'forward_port_remind_').length;
    await new Promise((resolve) => setTimeout(resolve, EVERY_MS * 3));
    expect(forwardPortReplies(first, 'forward_port_remind_')).toHaveLength(reminders);
    expect(forwardPortReplies(first, 'forward_port_done')).toHaveLength(1);
  }, 60_000);
});

describe('"Not needed on main"', () => {
  let second: Hotfix;

  it('with a reason, from the button on the pull request reply, stops the reminders and goes on the audit trail', async () => {
    second = await completed(SECOND);
    const linked = await waitForRecord(
      t.bot,
      second.ulid,
      (h) => h.steps['forward_port_link_decanting-service_2']?.result !== undefined,
      10_000,
    );
    // Someone who neither owns the hotfix nor operates is refused.
    const refused = await slash(`not-needed ${second.id} "not my call"`, 'U0DAVE');
    expect(textOf(refused.body)).toMatch(/Only .*mark not needed on main/);
    // Blank reasons are refused by the grammar, before anything is recorded.
    expect(textOf((await slash(`not-needed ${second.id}`)).body)).toMatch(/needs a reason/);

    const link = forwardPortReplies(second, 'forward_port_link_')[0]!;
    const opened = t.slack.views.length;
    await clickButton(
      t.eventsUrl,
      SIGNING_SECRET,
      { user: 'U0PRIYA', channel: INCIDENT, ts: link.ts, action_id: 'hotfix_forward_port_waive' },
      opts(),
    );
    await t.slack.waitFor((s) => s.views.length > opened || undefined);
    const reason = 'main was rewritten in 2.15 and no longer has the bug';
    await submitForm(t.slack, t.eventsUrl, {
      user: 'U0PRIYA',
      callbackId: 'hotfix_forward_port_waiver',
      hotfix: linked,
      values: { reason: { value: { type: 'plain_text_input', value: reason } } },
    });
    const done = await waitForRecord(
      t.bot,
      second.ulid,
      (h) => h.steps['forward_port']?.result !== undefined,
      10_000,
    );
    expect(done.forwardPortWaiver).toMatchObject({ by: 'U0PRIYA', reason });
    expect(done.steps['forward_port']?.result?.detail).toBe('not_needed');
    const events = await t.bot.deps.store.events(second.ulid);
    expect(events.filter((e) => e.type === 'forward_port_waived')).toEqual([
      expect.objectContaining({ by: 'U0PRIYA', reason }),
    ]);
    const over = forwardPortReplies(second, 'forward_port_done');
    expect(over).toHaveLength(1);
    expect(shown(over[0]!)).toContain('not needed on main by <@U0PRIYA>');
    expect(shown(over[0]!)).toContain(reason);
    expect(await scheduler(second)).toBeUndefined();
    // The pull request is left as it is: closing it is for people.
    expect(repo.pull(2).state).toBe('open');
  }, 60_000);

  it('found again by a second hotfix of the same fix, and waived with the subcommand', async () => {
    const again = await completed(SECOND, 'globex prod');
    const linked = await waitForRecord(
      t.bot,
      again.ulid,
      (h) => h.refs['forwardPortPr.decanting-service'] !== undefined,
      10_000,
    );
    // The open pull request from hotfix/HOCS-2 is the one, not a new one.
    expect(linked.refs['forwardPortPr.decanting-service']).toBe('2');
    expect(repo.pulls).toHaveLength(2);
    const answer = await slash(`not-needed ${again.id} "globex runs the same fix; see HF for acme"`);
    expect(textOf(answer.body)).toContain('not needed on main');
    const done = await waitForRecord(
      t.bot,
      again.ulid,
      (h) => h.steps['forward_port']?.result !== undefined,
      10_000,
    );
    expect(done.steps['forward_port']?.result?.detail).toBe('not_needed');
  }, 60_000);
});

describe('runs of the forward-port at the same time', () => {
  it('open one pull request while GitHub is slow to answer, and link it once', async () => {
    const before = pullsOpened();
    // Opening the pull request takes a second: every other run meets the first one's claim meanwhile.
    gh.failNext(/\/pulls$/, { delayMs: 1000 }, 1, 'POST');
    const hotfix = await completed(THIRD);
    for (const attempt of ['race-1', 'race-2', 'race-3'])
      await t.bot.deps.jobs.enqueue({ ulid: hotfix.ulid, step: 'forward_port', attempt });
    const linked = await waitForRecord(
      t.bot,
      hotfix.ulid,
      (h) => h.refs['forwardPortPr.decanting-service'] !== undefined,
      15_000,
    );
    const number = Number(linked.refs['forwardPortPr.decanting-service']);
    await t.slack.waitFor(
      () => forwardPortReplies(hotfix, 'forward_port_link_').length > 0 || undefined,
      10_000,
    );
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(pullsOpened() - before).toBe(1);
    expect(repo.pulls.filter((pr) => pr.head === 'hotfix/HOCS-3')).toHaveLength(1);
    expect(forwardPortReplies(hotfix, 'forward_port_link_')).toHaveLength(1);
    expect(repo.pull(number).head).toBe('hotfix/HOCS-3');
    await slash(`not-needed ${hotfix.id} "cleared for the next test"`);
    await waitForRecord(t.bot, hotfix.ulid, (h) => h.steps['forward_port']?.result !== undefined, 10_000);
  }, 60_000);
});

describe('a hotfix whose commits are already on main', () => {
  it('opens no pull request and says so once', async () => {
    const before = repo.pulls.length;
    const hotfix = await completed(ON_MAIN);
    const done = await waitForRecord(
      t.bot,
      hotfix.ulid,
      (h) => h.steps['forward_port']?.result !== undefined,
      10_000,
    );
    expect(done.steps['forward_port']?.result?.detail).toBe('on_default_branch');
    await new Promise((resolve) => setTimeout(resolve, EVERY_MS * 2));
    expect(repo.pulls).toHaveLength(before);
    const said = forwardPortReplies(hotfix, 'forward_port_');
    expect(said).toHaveLength(1);
    expect(shown(said[0]!)).toContain('already on the default branch');
    expect(await scheduler(hotfix)).toBeUndefined();
  }, 60_000);
});

describe('/hotfix branch', () => {
  const answered = async (user: string, pattern: RegExp) =>
    (
      await t.slack.waitFor(
        (s) => s.ephemerals(user).find((e) => e.source === 'response_url' && pattern.test(e.text)),
        10_000,
      )
    ).text;

  it('creates hotfix/<ticket> at the tag running in the client production, and points at it the second time', async () => {
    // acme prod runs 24-02-05.620 now (the last completed hotfix there).
    const ack = await slash('branch decanting-service HOCS-77 acme', 'U0DAVE');
    expect(textOf(ack.body)).toContain(
      `Creating hotfix/HOCS-77 in ${REPO} from decanting-service ${ON_MAIN}`,
    );
    const text = await answered('U0DAVE', /HOCS-77/);
    expect(text).toContain(`https://github.com/${REPO}/tree/hotfix/HOCS-77`);
    expect(text).toMatch(/Created/);
    expect(repo.git.branches.get('hotfix/HOCS-77')).toBe(commits[ON_MAIN]);

    await slash('branch HOCS-77 decanting-service acme', 'U0CAROL');
    expect(await answered('U0CAROL', /HOCS-77/)).toMatch(/already there.*nothing was pushed/);
    expect(repo.git.branches.get('hotfix/HOCS-77')).toBe(commits[ON_MAIN]);
  }, 30_000);

  it('refuses a name that is no ticket, and never touches a hotfix branch deployed now', async () => {
    const bad = await slash('branch decanting-service fix-the-thing acme');
    expect(textOf(bad.body)).toContain('is not a ticket key');
    // hotfix/HOCS-2 is what globex prod runs; acme prod runs another version.
    await slash('branch decanting-service HOCS-2 acme', 'U0DAVE');
    const text = await answered('U0DAVE', /HOCS-2\b/);
    expect(text).toContain('hotfix/HOCS-2 is deployed in globex prod now');
    expect(repo.git.branches.get('hotfix/HOCS-2')).toBe(commits[SECOND]);
    // No client named and two in the catalog: which production is meant must be said.
    expect(textOf((await slash('branch decanting-service HOCS-78')).body)).toContain('Name the client');
  }, 30_000);

  it('answers with a readable sentence when GitHub keeps answering 503', async () => {
    gh.failNext(/\/git\/ref|\/releases|\/branches/, { status: 503 }, 20);
    await slash('branch decanting-service HOCS-79 acme', 'U0CAROL');
    const text = await answered('U0CAROL', /HOCS-79/);
    expect(text).toMatch(/hotfix\/HOCS-79 (was not created|could not be created)/);
    expect(text).toMatch(/GitHub|503/);
    expect(repo.git.branches.has('hotfix/HOCS-79')).toBe(false);
  }, 30_000);

  it('says GitHub could not be reached when nothing answers, and creates nothing', async () => {
    await gh.close();
    const ack = await slash('branch decanting-service HOCS-80 acme', 'U0DAVE');
    expect(textOf(ack.body)).toContain('Creating hotfix/HOCS-80');
    const text = await answered('U0DAVE', /HOCS-80/);
    expect(text).toContain('hotfix/HOCS-80 was not created: GitHub could not be reached');
    expect(text).toContain('try again shortly');
    expect(repo.git.branches.has('hotfix/HOCS-80')).toBe(false);
  }, 30_000);
});
