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
 * rolls back, which fails the hotfix with ECS's reason and is then rolled back from Slack (seed 002's panic rollback,
 * the bad revision deregistered). Last, the deployment service through ecs-run-once (when PostgreSQL is
 * reachable for the process guard): a plan made while a process runs in the client's database shows it and its
 * deploy waits for it; once it is gone, the service set 0 -> 1, its CloudWatch log in the live status, and the service back at 0. Every plan's tag and
 * CI are checked on GitHub (an emulator reached through Octokit); the GitHub scene holds a plan while CI runs and
 * announces it once CI is green. Then a Jenkins hotfix that completed is rolled back by a release manager from the
 * Rollback beside its state on the change-control notice: the environment taken again, the version before deployed
 * and checked, the hotfix rolled back. Then a failed hotfix patched forward, its lock passed on; last the
 * forward-port: a fix cut on a hotfix branch completes, the bot opens its pull request to main, reminds its owner, and
 * says so once it is merged. Last, a plan for a deploy window three hours away: approved at once, its records made
 * for the window (a scheduled Statuspage maintenance), nothing deployed until the scene's clock reaches the window,
 * then the maintenance started with the deploy and completed with it.
 *
 * Each scene is a file in `demo/scenes/`, played in the order below; `demo/scene.ts` holds what people do (type,
 * click, approve) and the waits. A new scene goes last and takes its hotfix ids from the answers (`scene.plan`).
 */
import { startBot } from '../src/main.js';
import { renderTranscript, startSlackEmulator } from '../test/emulators/slack/index.js';
import type { SlackEmulator } from '../test/emulators/slack/index.js';
import { startJenkinsEmulator } from '../test/emulators/jenkins/index.js';
import { startAwsEmulator, TEST_CREDENTIALS } from '../test/emulators/aws/index.js';
import { startHealthEmulator } from '../test/emulators/health/index.js';
import { seedAgentService } from '../test/helpers/ecs-world.js';
import { processDatabase, seedDeploymentService } from '../test/helpers/run-once-world.js';
import { demoCatalog } from './catalog.js';
import { demoRedis } from './redis.js';
import { recordLines, startRecordSystems } from './records.js';
import type { Typed } from './scene.js';
import { Scene, sceneNow, SECRET } from './scene.js';
import { ECS_AGENT, playEcs } from './scenes/ecs.js';
import { JENKINS_JOB, jenkinsBuilds, playJenkins, playRollback } from './scenes/jenkins.js';
import { play, playFailure } from './scenes/rehearsal.js';
import { DEPLOYMENT_TAG, playRunOnce } from './scenes/run-once.js';
import { playGithub, startDemoGithub } from './scenes/github.js';
import { playRollbackAfterCompletion } from './scenes/rollback-completed.js';
import { playPatchForward } from './scenes/patch-forward.js';
import { playForwardPort, seedForwardPort } from './scenes/forward-port.js';
import { playDeployWindow } from './scenes/deploy-window.js';

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
  // Every plan's tag and CI are checked on GitHub (an emulator holding every tag the scenes deploy).
  const github = await startDemoGithub(() => new Date(sceneNow()));
  seedForwardPort(github.github);
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
      ...github.env,
      ...(typeof guardDb === 'string' ? {} : { PROCESS_GUARD_URL_ACME_STAGING: guardDb.url }),
    },
    {
      clock: { now: () => new Date(sceneNow()) },
      botIds: { botId: slack.bot.botId, botUserId: slack.bot.userId },
      timing: { pollMs: 500, statusEveryMs: 1000, sourceRecheckMs: 1000, forwardPortEveryMs: 2500 },
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
    const githubLines = await playGithub(scene, bot.deps.store, github.github);
    const rollbackForm = await playRollbackAfterCompletion(scene, bot.deps.store, health);
    const patched = await playPatchForward(scene, bot.deps.store, bot.deps.locks);
    const pulls = await playForwardPort(scene, bot.deps.store, health, github.github);
    const windowSteps = await playDeployWindow(scene, bot.deps.store, health, records.statuspage);
    print(
      slack,
      redis.describe,
      scene.typed,
      noticeSteps,
      builds,
      [...revisions, '', ...runOnce],
      recordLines(records),
      githubLines,
      pulls,
    );
    process.stdout.write(
      '\n--- The rollback form of the completed hotfix, as the release manager read it ---\n',
    );
    for (const line of rollbackForm) process.stdout.write(`${line}\n`);
    process.stdout.write('--- Patch forward on globex staging: who held the lock at each step ---\n');
    for (const line of patched) process.stdout.write(`${line}\n`);
    process.stdout.write('--- A deploy window three hours ahead: the Statuspage maintenance at each step ---\n');
    for (const line of windowSteps) process.stdout.write(`${line}\n`);
  } finally {
    if (typeof guardDb !== 'string') await guardDb.drop();
    await bot.stop();
    await jenkins.close();
    await health.close();
    await aws.close();
    await records.close();
    await github.github.close();
    await slack.close();
    await redis.stop();
  }
}

function print(
  slack: SlackEmulator,
  redis: string,
  typed: Typed[],
  noticeSteps: string[],
  builds: string[],
  revisions: string[],
  records: string[],
  github: string[],
  pulls: string[],
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
  out('--- GitHub: a plan held while CI ran, then approved once it was green ---');
  for (const line of github) out(line);
  out('--- Pull requests of example-org/decanting-service, as GitHub holds them at the end ---');
  for (const line of pulls) out(line);
  out(`(${slack.writeCount()} Slack messages posted or updated in all)`);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `demo failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
