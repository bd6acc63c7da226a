/**
 * `npm run demo`: the bot (web and worker roles), the Slack emulator and Redis, playing a scripted incident through
 * real signed Slack requests, then printing the Slack transcript as the people in it would read it.
 *
 * The scene: a plan with typos is refused with every problem named; the corrected plan goes to change control; the
 * requester's own approval is refused; two approvers confirm; a second hotfix for the same environment queues
 * behind the first; the first (a rehearsal: nothing outside is touched) walks its stages, asks to proceed, completes
 * and frees the environment, and the second starts by itself. Then a third (a rehearsal scripted to fail) asks its
 * owner to proceed with a mention, fails at the smoke test, and is announced with mentions in the incident thread and
 * in change control; its change-control notice is printed as it read at every step. Last, a real deploy method beside
 * the rehearsals: decanting-service through the Jenkins multi-deploy pipeline (a Jenkins emulator with the catalog's
 * job): one build, its stages in the live status, its Proceed input answered from Slack, its health checked through
 * a soak window, completed, with its Jira change ticket, change-calendar event and Statuspage maintenance (Jira,
 * Google Calendar and Statuspage emulators) created on approval, linked from the plan, the notice and the status, and
 * closed when it ends; then a follow-up whose health check fails, rolled back from its Rollback button. Then
 * external-agent through the ECS image method (an AWS emulator reached by the real SDK client): one tagged revision,
 * one UpdateService, the rollout followed in the live status; and a second image whose rollout ECS's circuit breaker
 * rolls back, which fails the hotfix with ECS's reason. Last, the deployment service through ecs-run-once (when PostgreSQL is
 * reachable for the process guard): a plan refused while a process runs in the client's database, then, once it is
 * gone, the service set 0 -> 1, its CloudWatch log in the live status, and the service back at 0.
 */
import { startBot } from '../src/main.js';
import type { Hotfix } from '../src/domain/hotfix.js';
import {
  clickButton,
  plainFromMrkdwn,
  renderTranscript,
  sendSlashCommand,
  sendViewSubmission,
  startSlackEmulator,
} from '../test/emulators/slack/index.js';
import type { JsonObject, SlackEmulator } from '../test/emulators/slack/index.js';
import { renderMessage } from '../test/emulators/slack/transcript.js';
import type { JenkinsEmulator } from '../test/emulators/jenkins/index.js';
import { startJenkinsEmulator } from '../test/emulators/jenkins/index.js';
import { startAwsEmulator, TEST_CREDENTIALS, type AwsEmulator } from '../test/emulators/aws/index.js';
import { seedAgentService } from '../test/helpers/ecs-world.js';
import { DEMO_CALENDAR, DEMO_PAGE, demoCatalog } from './catalog.js';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { adfText, startJiraEmulator, type JiraEmulator } from '../test/emulators/jira/index.js';
import {
  startGoogleCalendarEmulator,
  type GoogleCalendarEmulator,
} from '../test/emulators/google-calendar/index.js';
import { startStatuspageEmulator, type StatuspageEmulator } from '../test/emulators/statuspage/index.js';
import type { HealthEmulator } from '../test/emulators/health/index.js';
import { startHealthEmulator } from '../test/emulators/health/index.js';
import {
  processDatabase,
  seedDeploymentService,
  STAGING_DEPLOYMENT,
} from '../test/helpers/run-once-world.js';
import { demoRedis } from './redis.js';

const SECRET = 'demo-signing-secret-0d6b1f';
// Tuesday 17 November 2026, 10:05 in New York: the scene is set on a working morning, whatever day the demo runs.
const SCENE_START = Date.parse('2026-11-17T15:05:00Z');
const offset = SCENE_START - Date.now();
const sceneNow = () => Date.now() + offset;

interface Typed {
  at: number;
  who: string;
  typed: string;
  answer: string[];
}

async function main(): Promise<void> {
  const redis = await demoRedis();
  const slack = await startSlackEmulator({ clock: sceneNow });
  const jenkins = await startJenkinsEmulator({ clock: sceneNow, queueDelayMs: 300, jobs: [JENKINS_JOB] });
  const aws = await startAwsEmulator({ clock: sceneNow, stepMs: 400 });
  seedAgentService(aws, ECS_AGENT);
  seedDeploymentService(aws, DEPLOYMENT_TAG);
  const db = processDatabase('hotfix_demo');
  // The process guard reads a real PostgreSQL; without one the run-once scene is left out, and the demo says so.
  const guardDb = await db.create().then(
    () => db,
    (error: unknown) => (error instanceof Error ? error.message : String(error)),
  );
  // The AWS SDK's default credential chain reads these, as it reads the real ones in production.
  process.env['AWS_ACCESS_KEY_ID'] = TEST_CREDENTIALS.accessKeyId;
  process.env['AWS_SECRET_ACCESS_KEY'] = TEST_CREDENTIALS.secretAccessKey;
  const records = await startRecordSystems();
  const health = await startHealthEmulator();
  const bot = await startBot(
    {
      SLACK_BOT_TOKEN: slack.token,
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: slack.apiUrl,
      PORT: '0',
      REDIS_URL: redis.url,
      HOTFIX_CATALOG: demoCatalog(health.url),
      LOG_LEVEL: 'silent',
      JENKINS_URL: jenkins.url,
      JENKINS_USER: jenkins.user,
      JENKINS_API_TOKEN: jenkins.apiToken,
      AWS_REGION: aws.region,
      AWS_ENDPOINT_URL: aws.url,
      ...records.env,
      ...(typeof guardDb === 'string' ? {} : { PROCESS_GUARD_URL_ACME_STAGING: guardDb.url }),
    },
    {
      clock: { now: () => new Date(sceneNow()) },
      botIds: { botId: slack.bot.botId, botUserId: slack.bot.userId },
      timing: { pollMs: 500, statusEveryMs: 1000 },
    },
  );
  const scene = new Scene(slack, `http://127.0.0.1:${bot.port}/slack/events`);
  try {
    await play(scene, bot.deps.store);
    const noticeSteps = await playFailure(scene, bot.deps.store);
    await playJenkins(scene, bot.deps.store, health);
    await playRollback(scene, bot.deps.store, health);
    const builds = jenkinsBuilds(jenkins);
    const revisions = await playEcs(scene, bot.deps.store, aws, health);
    const runOnce =
      typeof guardDb === 'string'
        ? [`(left out: PostgreSQL for the process guard could not be reached: ${guardDb})`]
        : await playRunOnce(scene, bot.deps.store, aws, guardDb);
    print(
      slack,
      redis.describe,
      scene.typed,
      noticeSteps,
      builds,
      [...revisions, '', ...runOnce],
      recordLines(records),
    );
  } finally {
    if (typeof guardDb !== 'string') await guardDb.drop();
    await bot.stop();
    await jenkins.close();
    await health.close();
    await aws.close();
    await records.close();
    await slack.close();
    await redis.stop();
  }
}

/** What people do, through signed Slack requests. */
class Scene {
  readonly typed: Typed[] = [];
  constructor(
    readonly slack: SlackEmulator,
    readonly events: string,
  ) {}

  /** Someone types `/hotfix <text>` in the incident channel. */
  async type(who: string, text: string): Promise<void> {
    const input = { text, user_id: who, channel_id: 'C0INC4211' };
    const response = await sendSlashCommand(this.events, SECRET, input, { emulator: this.slack });
    const body = response.body as { text?: string; blocks?: JsonObject[] };
    const answer = response.status === 200 ? renderMessage(this.slack, body) : [`(HTTP ${response.status})`];
    this.typed.push({
      at: sceneNow(),
      who: this.slack.user(who)?.name ?? who,
      typed: `/hotfix ${text}`,
      answer,
    });
  }

  /** Someone clicks a button on a message. */
  async click(who: string, channel: string, ts: string, action_id: string): Promise<void> {
    await clickButton(this.events, SECRET, { user: who, channel, ts, action_id }, { emulator: this.slack });
  }

  /** Someone clicks Approve on a notice and confirms in the form production asks for. */
  async approve(who: string, hotfix: Hotfix): Promise<void> {
    await this.click(who, 'C0CHANGECTL', hotfix.refs['noticeTs'] ?? '', 'hotfix_approve');
    const form = await this.slack.waitFor(
      (s) =>
        [...s.views]
          .reverse()
          .find((v) => v.user === who && String(v.view['private_metadata']).includes(hotfix.ulid)),
      5000,
    );
    const view = {
      id: form.id,
      callback_id: 'hotfix_approve_confirm',
      private_metadata: String(form.view['private_metadata']),
      state: { values: {} },
    };
    await sendViewSubmission(this.events, SECRET, { user: who, view }, { emulator: this.slack });
  }
}

type Store = {
  findById(id: string): Promise<Hotfix | undefined>;
  load(ulid: string): Promise<Hotfix | undefined>;
};

/** Waits for a button (Proceed unless said) on the hotfix's live status message, then clicks it as `user`. */
async function proceed(
  scene: Scene,
  user: string,
  hotfix: Hotfix,
  actionId = 'hotfix_input_proceed',
): Promise<void> {
  const statusTs = hotfix.refs['statusTs'] ?? '';
  await scene.slack.waitFor(
    (s) =>
      s
        .messages('C0INC4211')
        .flatMap((m) => m.replies)
        .find((r) => r.ts === statusTs && JSON.stringify(r.blocks).includes(actionId)),
    5000,
  );
  await scene.click(user, 'C0INC4211', statusTs, actionId);
}

async function until(store: Store, id: string, ready: (h: Hotfix) => boolean): Promise<Hotfix> {
  for (let i = 0; i < 600; i++) {
    const hotfix = await store.findById(id);
    if (hotfix && ready(hotfix)) return hotfix;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${id} did not get there in time`);
}

async function play(scene: Scene, store: Store): Promise<void> {
  await scene.type('U0PRIYA', 'plan decantng-service@24-02-05.619 acme prdo');
  await scene.type(
    'U0PRIYA',
    'plan runbook-drill@24-02-05.619-hotfix.627 acme prod sev=2 incident=INC-4211 reason="orders stuck in decanting since the 24-02-05 release"',
  );
  const first = await until(store, 'HF-1', (h) => h.refs['noticeTs'] !== undefined);
  await scene.click('U0PRIYA', 'C0CHANGECTL', first.refs['noticeTs'] ?? '', 'hotfix_approve'); // four eyes: refused
  await scene.approve('U0CTOALICE', first);
  await until(store, 'HF-1', (h) => h.approvals.length === 1);
  await scene.approve('U0BOB', first);
  await until(store, 'HF-1', (h) => h.state === 'awaiting_input');

  // Meanwhile carol plans a second fix for the same environment: it queues behind HF-1.
  await scene.type(
    'U0CAROL',
    'plan runbook-drill@24-02-05.619-hotfix.628 acme prod sev=1 reason="follow-up: label printer timeout"',
  );
  const second = await until(store, 'HF-2', (h) => h.refs['noticeTs'] !== undefined);
  await scene.approve('U0BOB', second);
  await until(store, 'HF-2', (h) => h.state === 'queued');
  await new Promise((resolve) => setTimeout(resolve, 1200)); // the status messages catch up

  const running = await until(store, 'HF-1', (h) => h.refs['statusTs'] !== undefined);
  await proceed(scene, 'U0PRIYA', running);
  await until(store, 'HF-1', (h) => h.state === 'completed' && h.finalizedSeq !== undefined);

  const next = await until(
    store,
    'HF-2',
    (h) => h.state === 'awaiting_input' && h.refs['statusTs'] !== undefined,
  );
  await proceed(scene, 'U0CAROL', next);
  await until(store, 'HF-2', (h) => h.state === 'completed' && h.finalizedSeq !== undefined);
  await new Promise((resolve) => setTimeout(resolve, 1200)); // final redraws
  await scene.type('U0PRIYA', 'list');
}

/** The first line of a hotfix's change-control notice as Slack shows it now. */
function noticeHeadline(slack: SlackEmulator, hotfix: Hotfix): string {
  const notice = slack.messages('C0CHANGECTL').find((m) => m.ts === hotfix.refs['noticeTs']);
  const first = (notice?.blocks as { text?: { text?: string } }[] | undefined)?.[0];
  return plainFromMrkdwn(first?.text?.text ?? '', {
    user: (id) => slack.user(id)?.name,
    channel: (id) => slack.channel(id)?.name,
    userGroup: (id) => slack.userGroup(id)?.handle,
  });
}

/**
 * A rehearsal scripted to fail: the owner is asked to proceed with a mention, the smoke test fails, the failure is
 * announced in the thread and in change control, and the owner resolves it. Returns the notice's first line after
 * each step, waiting for each redraw, to show the notice is current throughout.
 */
async function playFailure(scene: Scene, store: Store): Promise<string[]> {
  const seen: string[] = [];
  const expect = async (label: string, hotfix: Hotfix, pattern: RegExp) => {
    const line = await scene.slack.waitFor(() => {
      const text = noticeHeadline(scene.slack, hotfix);
      return pattern.test(text) ? text : undefined;
    }, 8000);
    seen.push(`${label.padEnd(24)} ${line}`);
  };
  await scene.type(
    'U0PRIYA',
    'plan failing-drill@24-02-05.619-hotfix.629 globex prod sev=2 incident=INC-4230 reason="pick lists print twice since this morning"',
  );
  const third = await until(store, 'HF-3', (h) => h.refs['noticeTs'] !== undefined);
  await expect('planned', third, /Approve a Sev 2/);
  await scene.approve('U0CTOALICE', third);
  await until(store, 'HF-3', (h) => h.approvals.length === 1);
  await scene.approve('U0BOB', third);
  const waiting = await until(
    store,
    'HF-3',
    (h) => h.state === 'awaiting_input' && h.refs['statusTs'] !== undefined,
  );
  await expect('asks to proceed', waiting, /waits for a Proceed/);
  await proceed(scene, 'U0PRIYA', waiting);
  await expect('proceeded', waiting, /Deploying to|FAILED/);
  const failed = await until(store, 'HF-3', (h) => h.state === 'failed');
  await expect('failed', failed, /FAILED/);
  await scene.type(
    'U0PRIYA',
    'resolve HF-3 "the smoke test failure was scripted; the rehearsal changed nothing"',
  );
  const resolved = await until(store, 'HF-3', (h) => h.state === 'resolved' && h.finalizedSeq !== undefined);
  await expect('resolved', resolved, /Resolved by hand/);
  await new Promise((resolve) => setTimeout(resolve, 1200)); // final redraws
  return seen;
}

/** The catalog's multi-deploy job as the demo's Jenkins has it: the four parameters, three stages, a Proceed input. */
const JENKINS_JOB = {
  name: 'multi_deploy_pipeline',
  parameters: { CLIENT: '', ENV: '', SERVICES: '', HOTFIX_ID: '' },
  script: {
    stages: ['Checkout', 'Deploy', 'Smoke test'],
    stageMs: 700,
    input: { before: 'Deploy', id: 'Proceed', message: 'Deploy to the environment now?' },
  },
};

/**
 * decanting-service through Jenkins on globex staging: the plan is checked against the job, bob approves, one build
 * runs, Priya answers its Proceed input in Slack, the build succeeds, and the service's health endpoint reports the
 * new version through a short soak window, so the hotfix completes and frees the environment.
 */
async function playJenkins(scene: Scene, store: Store, health: HealthEmulator): Promise<void> {
  health.running('/v1/health', '24-02-05.619-hotfix.630');
  await deployThroughJenkins(scene, store, 'HF-4', '630', 'pick lists print twice, the real fix');
  const done = await until(store, 'HF-4', (h) => h.state === 'completed' && h.finalizedSeq !== undefined);
  // The records are closed by a job of their own; the thread says so once they are.
  await scene.slack.waitFor(
    (s) =>
      s
        .messages('C0INC4211')
        .find((m) => m.ts === done.refs['planTs'])
        ?.replies.find((r) => JSON.stringify(r.metadata ?? {}).includes('note_closed_')),
    10_000,
  );
  await new Promise((resolve) => setTimeout(resolve, 1200)); // final redraws
}

/** Plans decanting-service `24-02-05.619-hotfix.<build>` on globex staging as `id`; bob approves; Priya proceeds. */
async function deployThroughJenkins(
  scene: Scene,
  store: Store,
  id: string,
  build: string,
  reason: string,
): Promise<void> {
  await planApprovedByBob(
    scene,
    store,
    id,
    `plan decanting-service@24-02-05.619-hotfix.${build} globex staging reason="${reason}"`,
  );
  const waiting = await until(
    store,
    id,
    (h) => h.state === 'awaiting_input' && h.refs['statusTs'] !== undefined,
  );
  await proceed(scene, 'U0PRIYA', waiting);
}

/**
 * A follow-up to HF-4 whose service keeps reporting HF-4's version, so its health check fails; Priya clicks Rollback
 * on its live status, confirms in the form that names what it returns to, and the bot runs the job again with
 * HF-4's version (answering that build's Proceed itself: the rollback was confirmed), checks it and ends the hotfix
 * rolled back, freeing the environment.
 */
async function playRollback(scene: Scene, store: Store, health: HealthEmulator): Promise<void> {
  health.running('/v1/health', '24-02-05.619-hotfix.630');
  await deployThroughJenkins(scene, store, 'HF-5', '631', 'faster pick-list printing');
  const failed = await until(store, 'HF-5', (h) => h.state === 'failed');
  await proceed(scene, 'U0PRIYA', failed, 'hotfix_rollback');
  const form = await scene.slack.waitFor(
    (s) => [...s.views].reverse().find((v) => v.view['callback_id'] === 'hotfix_rollback_reason'),
    5000,
  );
  const view = {
    id: form.id,
    callback_id: 'hotfix_rollback_reason',
    private_metadata: String(form.view['private_metadata']),
    state: {
      values: {
        reason: { value: { type: 'plain_text_input', value: 'health still reports 630 after the deploy' } },
      },
    },
  };
  await sendViewSubmission(scene.events, SECRET, { user: 'U0PRIYA', view }, { emulator: scene.slack });
  await until(store, 'HF-5', (h) => h.state === 'rolled_back' && h.finalizedSeq !== undefined);
  await new Promise((resolve) => setTimeout(resolve, 1200)); // final redraws
}

/** The builds of the multi-deploy job as Jenkins saw them. */
function jenkinsBuilds(jenkins: JenkinsEmulator): string[] {
  return jenkins.builds(JENKINS_JOB.name).map((b) => {
    const parameters = Object.entries(b.parameters)
      .map(([name, value]) => `${name}=${value.replace(/\n/g, '; ')}`)
      .join(' ');
    const answer = b.answered
      ? `, input ${b.answered.id} answered ${b.answered.proceed ? 'Proceed' : 'Abort'}`
      : '';
    return `#${b.number} ${b.result ?? 'running'}${answer}: ${parameters}`;
  });
}

/** Priya types the plan `text` (which becomes `id`), and bob approves it on the change-control notice. */
async function planApprovedByBob(scene: Scene, store: Store, id: string, text: string): Promise<void> {
  await scene.type('U0PRIYA', text);
  const planned = await until(store, id, (h) => h.refs['noticeTs'] !== undefined);
  await scene.click('U0BOB', 'C0CHANGECTL', planned.refs['noticeTs'] ?? '', 'hotfix_approve');
}

/** The catalog's external-agent service on acme staging, as the demo's ECS has it. */
const ECS_AGENT = { cluster: 'staging-acme', service: 'staging-external-agent-acme' };

/**
 * external-agent through the ECS image method on acme staging: bob approves, one revision with only the image changed
 * is registered and the service follows it to COMPLETED; its health check passes through a short soak and it completes.
 * Then a second image whose tasks keep exiting: ECS's circuit breaker rolls the service back, and the
 * hotfix fails with ECS's reason (the service is stable again, on the old revision). Returns the revisions as ECS
 * holds them.
 */
async function playEcs(
  scene: Scene,
  store: Store,
  aws: AwsEmulator,
  health: HealthEmulator,
): Promise<string[]> {
  health.running('/healthz', 'v2.14.3-hotfix.1');
  await planApprovedByBob(
    scene,
    store,
    'HF-6',
    'plan external-agent@v2.14.3-hotfix.1 acme staging reason="agent drops heartbeats"',
  );
  await until(store, 'HF-6', (h) => h.state === 'completed' && h.finalizedSeq !== undefined);

  aws.ecs.scriptNextRollout(ECS_AGENT.cluster, ECS_AGENT.service, {
    outcome: 'fail',
    failAfterSteps: 3,
    reason: 'essential container in task exited (exit code 137)',
  });
  await planApprovedByBob(
    scene,
    store,
    'HF-7',
    'plan external-agent@v2.14.4-hotfix.1 acme staging reason="heartbeat retry, take two"',
  );
  await until(store, 'HF-7', (h) => h.state === 'failed');
  await new Promise((resolve) => setTimeout(resolve, 1200));
  await scene.type(
    'U0PRIYA',
    'resolve HF-7 "ECS rolled the service back to :2 by itself; the image is being fixed"',
  );
  await until(store, 'HF-7', (h) => h.state === 'resolved' && h.finalizedSeq !== undefined);
  await new Promise((resolve) => setTimeout(resolve, 1200)); // final redraws
  const service = aws.ecs.services.find((s) => s.name === ECS_AGENT.service);
  return [
    ...aws.ecs.taskDefinitions
      .filter((td) => td.family === ECS_AGENT.service)
      .map((td) => {
        const image = String(
          (td.body['containerDefinitions'] as { image?: string }[] | undefined)?.[0]?.image,
        );
        const tags = td.tags.map((t) => `${t.key}=${t.value}`).join(' ');
        return `${td.family}:${td.revision} ${td.status} ${image}${tags ? ` [${tags}]` : ''}`;
      }),
    `service ${ECS_AGENT.service} runs ${service?.taskDefinition.split('/').pop() ?? '?'}; UpdateService calls: ${aws.callsOf('UpdateService').length}`,
  ];
}

/** Jira, Google Calendar and Statuspage emulators, and the variables that point the bot at them. */
async function startRecordSystems() {
  const email = 'hotfix-bot@demo-project.iam.gserviceaccount.com';
  const keys = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  const jira = await startJiraEmulator();
  const google = await startGoogleCalendarEmulator({
    calendars: [DEMO_CALENDAR],
    serviceAccounts: [{ email, publicKey: keys.publicKey }],
  });
  const statuspage = await startStatuspageEmulator({
    pages: [
      {
        id: DEMO_PAGE,
        components: [
          { id: 'globexstgdecant', status: 'operational' },
          { id: 'globexstgagent', status: 'degraded_performance' },
        ],
      },
    ],
  });
  const keyFile = join(mkdtempSync(join(tmpdir(), 'hotfix-demo-sa-')), 'key.json');
  writeFileSync(keyFile, JSON.stringify({ client_email: email, private_key: keys.privateKey }));
  return {
    jira,
    google,
    statuspage,
    env: {
      JIRA_HOST: jira.url,
      JIRA_EMAIL: jira.account.email,
      JIRA_API_TOKEN: jira.account.apiToken,
      GOOGLE_APPLICATION_CREDENTIALS: keyFile,
      GOOGLE_CALENDAR_API_URL: google.rootUrl,
      STATUSPAGE_API_KEY: statuspage.apiKey,
      STATUSPAGE_API_URL: statuspage.apiUrl,
    },
    close: () => Promise.all([jira.close(), google.close(), statuspage.close()]),
  };
}

/** The change records as each system holds them at the end. */
function recordLines(records: {
  jira: JiraEmulator;
  google: GoogleCalendarEmulator;
  statuspage: StatuspageEmulator;
}): string[] {
  const lines: string[] = [];
  for (const issue of records.jira.state.issues.values()) {
    lines.push(`Jira ${issue.key} [${issue.status}] ${issue.summary}`);
    for (const c of issue.comments)
      lines.push(
        ...adfText(c.body)
          .split('\n')
          .map((l) => `    comment: ${l}`),
      );
  }
  for (const e of records.google.events(DEMO_CALENDAR))
    lines.push(
      `Calendar ${String(e['summary'])}: ${JSON.stringify(e['start'])} -> ${JSON.stringify(e['end'])}`,
    );
  for (const i of records.statuspage.incidents(DEMO_PAGE))
    lines.push(`Statuspage maintenance ${i.id} [${i.status}] ${i.name}`);
  for (const id of ['globexstgdecant', 'globexstgagent'])
    lines.push(`Statuspage component ${id}: ${records.statuspage.component(id)?.status ?? 'missing'}`);
  return lines;
}

/** The deployment service's image, unchanged by a hotfix (seed 000). */
const DEPLOYMENT_TAG = '2024.11.3-hotfix.2';

/**
 * The deployment service through ecs-run-once on acme staging: while a nightly export runs in the client's database
 * the plan is refused, naming it; once it is gone bob approves, the service is set 0 -> 1 once, its log reaches the
 * live status (a password in it redacted), it exits 0 and scales itself back to 0, and the hotfix completes. Returns the run as ECS and CloudWatch hold it.
 */
async function playRunOnce(
  scene: Scene,
  store: Store,
  aws: AwsEmulator,
  db: ReturnType<typeof processDatabase>,
): Promise<string[]> {
  await db.query(`INSERT INTO meta.process (name) VALUES ('nightly-export acme')`);
  await scene.type('U0PRIYA', `plan deployment@${DEPLOYMENT_TAG} acme staging reason="order import fix"`);
  await until(store, 'HF-8', (h) => h.state === 'cancelled');
  const refused = await scene.slack.waitFor(
    (s) => s.ephemerals('U0PRIYA').find((e) => e.text.startsWith('HF-8 was not put up for approval')),
    5000,
  );
  await db.query('TRUNCATE meta.process');
  aws.runOnce.scriptNextRun(STAGING_DEPLOYMENT.cluster, STAGING_DEPLOYMENT.service, {
    lines: [
      `Deployment ${DEPLOYMENT_TAG} starting for acme staging`,
      'Connecting to postgres://deployer:Demo-Pa55word@db.acme-staging.internal/acme',
      'Applying migration 0042_order_import_retry',
      'Deployment finished; scaling the service to 0',
    ],
    stepMs: 600,
  });
  await planApprovedByBob(
    scene,
    store,
    'HF-9',
    `plan deployment@${DEPLOYMENT_TAG} acme staging reason="order import fix, nightly export done"`,
  );
  await until(store, 'HF-9', (h) => h.state === 'completed' && h.finalizedSeq !== undefined);
  const service = aws.ecs.services.find((s) => s.name === STAGING_DEPLOYMENT.service);
  return [
    `--- The deployment service ${STAGING_DEPLOYMENT.service}, as ECS and CloudWatch hold it ---`,
    `HF-8 refused, as priya read it: ${refused.text.split('\n').slice(0, 3).join(' / ')}`,
    `UpdateService calls setting it to 1: ${aws.callsOf('UpdateService').filter((c) => c.body['desiredCount'] === 1).length}; tasks: ${aws.runOnce.tasks.length}; desired now: ${service?.desiredCount ?? '?'}`,
    `${STAGING_DEPLOYMENT.logGroup}: ${aws.logs.groups.get(STAGING_DEPLOYMENT.logGroup)?.length ?? 0} lines, shown in the thread above with the password redacted`,
  ];
}

function print(
  slack: SlackEmulator,
  redis: string,
  typed: Typed[],
  noticeSteps: string[],
  builds: string[],
  revisions: string[],
  records: string[],
): void {
  const out = (line = '') => process.stdout.write(`${line}\n`);
  out(`hotfix-bot demo: the bot, a Slack emulator and Redis (${redis})`);
  out();
  out('--- What people typed, and what only they saw ---');
  for (const t of typed) {
    out(`${new Date(t.at).toISOString().slice(11, 19)}  @${t.who}: ${t.typed}`);
    for (const line of t.answer) out(`          (only @${t.who} sees) ${line}`);
  }
  out();
  out('--- Slack, as the channels read ---');
  out(renderTranscript(slack, { channels: ['C0INC4211', 'C0CHANGECTL', 'C0PSGLOBEX'] }));
  out();
  out('--- The change-control notice of HF-3, its first line as it read after each step ---');
  for (const line of noticeSteps) out(line);
  out();
  out('--- Jenkins builds of multi_deploy_pipeline, as Jenkins saw them ---');
  for (const line of builds) out(line);
  out();
  out(
    '--- ECS task definitions of external-agent on acme staging, as ECS holds them; then the deployment service ---',
  );
  for (const line of revisions) out(line);
  out('--- The change records, as Jira, Google Calendar and Statuspage hold them at the end ---');
  for (const line of records) out(line);
  out(`(${slack.writeCount()} Slack messages posted or updated in all)`);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `demo failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
