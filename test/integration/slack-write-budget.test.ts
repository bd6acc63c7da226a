/**
 * The Slack write budget of DESIGN.md section 6: a jenkins-multi-deploy hotfix with 5 stages and one input step,
 * from the plan to its end, makes at most 15 writes (chat.postMessage + chat.update, ephemerals excluded). Counted by
 * the Slack emulator, with Slack's tier limits on, so no write is lost to a 429 either.
 *
 * Pacing is production's (one update per message every 3 s, final states and moments that need a person at once)
 * and each stage takes 0.3 s, so stage changes come faster than the pacing and are coalesced into the next update. A
 * pipeline whose every stage outlasts the pacing is drawn once per stage change and makes more writes. The build's
 * end leaves the hotfix verifying; the service's health check (the health emulator answering the target version)
 * passes it, and the completion's redraws and its thread reply are counted too.
 */
import type { SlackEmulator } from '../emulators/slack/index.js';
import { clickButton, sendSlashCommand, startSlackEmulator } from '../emulators/slack/index.js';
import type { JenkinsEmulator } from '../emulators/jenkins/index.js';
import { startJenkinsEmulator } from '../emulators/jenkins/index.js';
import { APPROVER, REQUESTER } from '../helpers/hotfixes.js';
import type { TestBot } from '../helpers/test-bot.js';
import { catalogWith, SIGNING_SECRET, startTestBot, waitForRecord } from '../helpers/test-bot.js';
import type { HealthEmulator } from '../emulators/health/index.js';
import { startHealthEmulator } from '../emulators/health/index.js';

const JOB = 'multi_deploy_pipeline';
const PARAMETERS = { CLIENT: '', ENV: '', SERVICES: '', HOTFIX_ID: '' };
const STAGES = ['Checkout', 'Build', 'Deploy', 'Smoke test', 'Report'];
const INCIDENT = 'C0INC4211';
/** DESIGN.md section 6. */
const BUDGET = 15;

let slack: SlackEmulator;
let jenkins: JenkinsEmulator;
let health: HealthEmulator;
let t: TestBot;
const started = Date.now();
beforeAll(async () => {
  slack = await startSlackEmulator({ rateLimits: true });
  jenkins = await startJenkinsEmulator({ queueDelayMs: 100, jobs: [{ name: JOB, parameters: PARAMETERS }] });
  // Healthy at the target version: the health check passes and the hotfix completes.
  health = await startHealthEmulator();
  health.running('/v1/health', '24-02-05.619-hotfix.627');
  const catalog = catalogWith((doc) =>
    doc.setIn(['clients', 'acme', 'envs', 'staging', 'healthUrls', 'decanting-service'], health.url),
  );
  t = await startTestBot(12, {
    slack,
    clock: { now: () => new Date(Date.parse('2026-11-17T15:05:00Z') + (Date.now() - started)) },
    timing: { pollMs: 150, statusEveryMs: 3000, postEveryMs: 1000 },
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
  await slack.close();
});

const opts = () => ({ emulator: slack });
const slash = (text: string, user: string) =>
  sendSlashCommand(t.eventsUrl, SIGNING_SECRET, { text, user_id: user, channel_id: INCIDENT }, opts());
const writes = () =>
  slack.calls.filter(
    (c) => (c.method === 'chat.postMessage' || c.method === 'chat.update') && c.status === 200,
  );

describe('the Slack write budget of a Jenkins hotfix', () => {
  it(`stays within ${BUDGET} writes from the plan to the end, with every stage and the Proceed shown`, async () => {
    jenkins.scriptNextBuild(JOB, {
      stages: STAGES,
      stageMs: 300,
      input: { before: 'Deploy', id: 'Proceed', message: 'Deploy decanting-service to acme staging?' },
    });
    const answer = await slash('plan decanting-service@24-02-05.619-hotfix.627 acme staging', REQUESTER);
    const id = /HF-\d+/.exec(JSON.stringify(answer.body))![0];
    const planned = (await t.bot.deps.store.findById(id))!;
    const shown = await waitForRecord(t.bot, planned.ulid, (h) => h.refs['noticeTs'] !== undefined);
    await clickButton(
      t.eventsUrl,
      SIGNING_SECRET,
      { user: APPROVER, channel: 'C0CHANGECTL', ts: shown.refs['noticeTs']!, action_id: 'hotfix_approve' },
      opts(),
    );
    const waiting = await waitForRecord(
      t.bot,
      planned.ulid,
      (h) => h.state === 'awaiting_input' && h.refs['statusTs'] !== undefined,
      10_000,
    );
    const statusTs = waiting.refs['statusTs']!;
    const statusBlocks = () =>
      JSON.stringify(
        slack
          .messages(INCIDENT)
          .flatMap((m) => m.replies)
          .find((r) => r.ts === statusTs)?.blocks,
      );
    await slack.waitFor(() => statusBlocks().includes('hotfix_input_proceed'), 5000);
    await clickButton(
      t.eventsUrl,
      SIGNING_SECRET,
      { user: REQUESTER, channel: INCIDENT, ts: statusTs, action_id: 'hotfix_input_proceed' },
      opts(),
    );
    await waitForRecord(
      t.bot,
      planned.ulid,
      (h) => h.state === 'completed' && h.finalizedSeq !== undefined,
      20_000,
    );
    // Every message shows the end: the live status with all five stages done and the health check passed.
    await slack.waitFor(() => /complete/i.test(statusBlocks()), 5000);
    for (const stage of STAGES) expect(statusBlocks()).toContain(stage);
    await new Promise((resolve) => setTimeout(resolve, 1500));

    const made = writes();
    const listing = made.map((c) => `${c.method} ${String(c.args['text']).slice(0, 70)}`).join('\n');
    if (made.length > BUDGET) throw new Error(`${made.length} Slack writes, budget ${BUDGET}:\n${listing}`);
    expect(made.length).toBeLessThanOrEqual(BUDGET);
    expect(slack.writeCount()).toBe(made.length);
    // Nothing was lost to Slack's rate limits.
    expect(slack.calls.filter((c) => c.status === 429)).toHaveLength(0);
  });
});
