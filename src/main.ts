/**
 * Composition root: configuration -> catalog -> adapters -> roles. The only module that knows every concrete class.
 * `HOTFIX_ROLE=web` serves Slack, `worker` runs the steps and the reconciler, `all` (default) does both.
 */
import type { Server } from 'node:http';
import type { DestinationStream } from 'pino';
import { WebClient } from '@slack/web-api';
import type { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { Registry, collectDefaultMetrics } from 'prom-client';
import { ulidFactory } from './new-ulid.js';
import { createRedis, isRedisReady } from './adapters/redis/connection.js';
import { RedisHotfixStore } from './adapters/redis/redis-hotfix-store.js';
import { SlackChat } from './adapters/slack/slack-chat.js';
import { SlackDirectorySource } from './adapters/slack/slack-directory-source.js';
import { RedisDirectory } from './adapters/redis/redis-directory.js';
import { BullDirectoryRequests, startDirectoryRefresher } from './queue/directory-refresher.js';
import { refreshDirectory, refreshOneChannel } from './workflow/refresh-directory.js';
import { CatalogError, loadCatalog } from './catalog/index.js';
import type { Config } from './config.js';
import { ConfigError, describeConfig, loadConfig, secretsOf } from './config.js';
import { createLogger } from './logger.js';
import type { Clock } from './ports/clock.js';
import { systemClock } from './ports/clock.js';
import { startReconciler } from './queue/reconciler.js';
import { BullJobs } from './queue/step-queue.js';
import type { WorkerTimings } from './queue/step-worker.js';
import { createStepWorker } from './queue/step-worker.js';
import { createSlackApp } from './slack/app.js';
import { startHealthServer } from './slack/health-server.js';
import { ActorDirectory } from './workflow/actors.js';
import type { WorkflowDeps, WorkflowTiming } from './workflow/deps.js';
import { RedisLeases } from './adapters/redis/redis-leases.js';
import { RedisLocks } from './adapters/redis/redis-locks.js';
import { RedisControls } from './adapters/redis/redis-controls.js';
import { RedisPacing } from './adapters/redis/redis-pacing.js';
import { RehearsalMethod } from './adapters/rehearsal/rehearsal-method.js';
import { FetchHealthProbe } from './adapters/http/fetch-health-probe.js';
import { JenkinsCiServer } from './adapters/jenkins/jenkins-ci-server.js';
import { GithubSourceHost } from './adapters/github/github-source-host.js';
import type { SourceHost } from './ports/source-host.js';
import { JenkinsDeployMethod } from './adapters/jenkins/jenkins-deploy-method.js';
import { createEcsClient, createLogsClient } from './adapters/aws/aws-clients.js';
import { EcsRunOnceAws } from './adapters/aws/ecs-run-once-aws.js';
import { EcsRunOnceMethod } from './adapters/aws/ecs-run-once-method.js';
import { PostgresProcessGuard } from './adapters/postgres/postgres-process-guard.js';
import { EcsContainers } from './adapters/aws/ecs-containers.js';
import { EcsImageMethod } from './adapters/aws/ecs-image-method.js';
import type { DeployMethods } from './ports/deploy-method.js';
import { createRedactor } from './redact.js';
import { reconcile } from './workflow/reconcile.js';
import { stepHandlers } from './workflow/step-handlers.js';
import { readFileSync } from 'node:fs';
import { JiraChangeTickets } from './adapters/jira/jira-change-tickets.js';
import { GoogleChangeCalendar, serviceAccountAuth } from './adapters/google/google-change-calendar.js';
import { StatuspageStatusPage } from './adapters/statuspage/statuspage-status-page.js';
import type { ChangeRecordSystems } from './ports/change-records.js';
import { enabledKinds } from './ports/change-records.js';
import type { Catalog } from './domain/catalog.js';

/** Knobs tests and the demo turn; production uses the defaults. */
export interface StartOptions {
  clock?: Clock;
  newUlid?: (now: Date) => string;
  workerTimings?: WorkerTimings;
  reconcileEveryMs?: number;
  /** Poll and status-update intervals (tests shorten them). */
  timing?: Partial<WorkflowTiming>;
  /** How long one Slack Web API call may take before it counts as unanswered (tests shorten it). @defaultValue 10000 */
  slackTimeoutMs?: number;
  /** Known Slack bot ids skip `auth.test` at start-up. */
  botIds?: { botId: string; botUserId: string };
  /** Where log lines go instead of stdout (tests read them). */
  logDestination?: DestinationStream;
}

/** A started bot: its HTTP port and how to stop it. */
export interface RunningBot {
  port: number;
  deps: WorkflowDeps;
  stop(): Promise<void>;
}

/** Starts the roles `config.role` names. Throws ConfigError / CatalogError with every problem listed. */
export async function startBot(
  env: NodeJS.ProcessEnv = process.env,
  options: StartOptions = {},
): Promise<RunningBot> {
  const config = loadConfig(env);
  const logger = createLogger({
    level: config.logLevel,
    secrets: secretsOf(config),
    ...(options.logDestination ? { destination: options.logDestination } : {}),
  });
  const catalog = loadCatalog(config.catalog.path);
  for (const line of describeConfig(config)) logger.info(line);

  const serves = config.role !== 'worker';
  const runs = config.role !== 'web';
  const redis = watched(createRedis(config.redis.url, serves ? 'web' : 'worker'), logger);
  await waitForRedis(redis, logger);
  const clock = options.clock ?? systemClock;
  const client = slackClient(config, runs, options.slackTimeoutMs);
  const chat = new SlackChat(client, () => clock.now(), { forwardPort: config.systems.github.enabled });
  const jobs = new BullJobs(redis);
  const directory = new RedisDirectory(redis);
  const directoryRequests = new BullDirectoryRequests(redis);
  const records = changeRecordSystems(config, catalog);
  const deps: WorkflowDeps = {
    catalog,
    store: new RedisHotfixStore(redis),
    chat,
    jobs,
    clock,
    actors: new ActorDirectory(directory),
    directory,
    directorySource: new SlackDirectorySource(client),
    directoryRequests,
    log: logger,
    newUlid: options.newUlid ?? ulidFactory(),
    locks: new RedisLocks(redis),
    leases: new RedisLeases(redis),
    methods: deployMethods(config, clock, records, env),
    health: new FetchHealthProbe(),
    controls: new RedisControls(redis),
    pacing: new RedisPacing(redis),
    records,
    ...sourceHostOf(config),
    timing: {
      pollMs: 5000,
      statusEveryMs: 3000,
      claimMs: options.workerTimings?.lockDuration ?? 30_000,
      outsideTroubleMs: 5 * 60_000,
      postEveryMs: 1000,
      forwardPortEveryMs: 24 * 3600_000,
      ...options.timing,
    },
  };

  // Every role reads groups and channels once before serving (bounded; skipped when another process just did), so
  // the first request finds them and the start-up log names what the catalog gets wrong; workers then keep them fresh.
  await firstDirectoryRefresh(deps, logger);

  const closers: (() => Promise<unknown>)[] = [];
  const workerRedis = runs ? watched(createRedis(config.redis.url, 'worker'), logger) : undefined;
  if (workerRedis) {
    const worker: Worker = createStepWorker(
      workerRedis,
      stepHandlers(deps),
      logger,
      options.workerTimings,
      undefined,
      (ms) => deps.pacing.pauseSlack(ms),
    );
    const reconciler = await startReconciler(workerRedis, () => reconcile(deps), logger, {
      ...(options.reconcileEveryMs !== undefined ? { everyMs: options.reconcileEveryMs } : {}),
    });
    const refresher = await startDirectoryRefresher(
      workerRedis,
      {
        // A scheduled read right after another (start-up, other workers) is skipped; a retry after a 429 is not.
        refresh: (scheduled) =>
          refreshDirectory(deps, scheduled ? { unlessWithinMs: FIRST_REFRESH_MS * 3 } : {}),
        channel: (id) => refreshOneChannel(deps, id),
      },
      logger,
      { everyMs: catalog.policy.directoryRefreshMinutes * 60_000 },
    );
    closers.push(
      () => refresher.close(),
      () => reconciler.close(),
      () => worker.close(),
    );
  }

  const metrics = metricsOf();
  const redisReady = () => isRedisReady(redis);
  // Ready means Redis answers; catalog references Slack does not honour are listed as degraded, never as down.
  const readiness = async () => {
    if (!redisReady()) return false;
    const problems = await directory.problems().catch(() => []);
    return { ready: true, degraded: problems.map((p) => `${p.kind} ${p.id} (${p.usedBy}): ${p.problem}`) };
  };
  let server: Server | undefined;
  if (serves) {
    const front = createSlackApp(
      {
        botToken: config.slack.botToken,
        apiUrl: config.slack.apiUrl,
        ...(config.slack.signingSecret !== undefined ? { signingSecret: config.slack.signingSecret } : {}),
        ...(config.slack.appToken !== undefined ? { appToken: config.slack.appToken } : {}),
        ...(options.botIds ?? {}),
        logger,
        readiness,
        metrics,
      },
      { deps, storeReady: redisReady },
    );
    closers.unshift(() => front.stop());
    try {
      server = await front.start(config.http.port);
    } catch (error) {
      // Leave nothing running behind a failed start: the worker, the reconciler and the connections.
      await stopAll();
      throw new StartError(
        `could not connect to Slack: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  } else {
    server = await startHealthServer(config.http.port, readiness, metrics);
    const health = server;
    closers.unshift(() => new Promise((resolve) => health.close(resolve)));
  }
  const address = server?.address();
  const port = typeof address === 'object' && address ? address.port : config.http.port;
  logger.info({ role: config.role, port }, 'hotfix-bot started');

  return { port, deps, stop: stopAll };

  async function stopAll(): Promise<void> {
    for (const close of closers)
      await close().catch((err: unknown) => logger.warn({ err }, 'error while stopping'));
    await jobs.close();
    await directoryRequests.close();
    redis.disconnect();
    workerRedis?.disconnect();
  }
}

/**
 * The deploy methods this installation can run: the rehearsal always, Jenkins when JENKINS_URL, JENKINS_USER and
 * JENKINS_API_TOKEN are all set, ECS image updates and the run-once deployment service (with the Postgres process
 * guard reading the connection strings the catalog names from `env`) when AWS_REGION is set (credentials from the
 * SDK's chain). Plans for a method left out are refused at plan time (domain/capabilities.ts reads
 * these keys), so no message offers a deploy the installation cannot do.
 */
function deployMethods(
  config: Config,
  clock: Clock,
  records: ChangeRecordSystems,
  env: NodeJS.ProcessEnv,
): DeployMethods {
  const methods: DeployMethods = { rehearsal: new RehearsalMethod(clock, enabledKinds(records)) };
  const jenkins = config.systems.jenkins;
  if (jenkins.enabled) {
    const ci = new JenkinsCiServer({ url: jenkins.url, user: jenkins.user, apiToken: jenkins.apiToken });
    // The same secrets the logger hides: console tails posted to Slack pass through this redactor.
    methods['jenkins-multi-deploy'] = new JenkinsDeployMethod(ci, createRedactor(secretsOf(config)));
  }
  const aws = config.systems.aws;
  if (aws.enabled) {
    const ecs = createEcsClient({
      region: aws.region,
      ...(aws.endpointUrl ? { endpoint: aws.endpointUrl } : {}),
    });
    methods['ecs-image'] = new EcsImageMethod(new EcsContainers(ecs), clock);
    const logs = createLogsClient({
      region: aws.region,
      ...(aws.endpointUrl ? { endpoint: aws.endpointUrl } : {}),
    });
    const redact = createRedactor(secretsOf(config));
    methods['ecs-run-once'] = new EcsRunOnceMethod({
      ecs: new EcsContainers(ecs),
      aws: new EcsRunOnceAws(ecs, logs),
      guard: new PostgresProcessGuard({ env, redact }),
      clock,
      redact,
      region: aws.region,
    });
  }
  return methods;
}

/** GitHub through GITHUB_API_URL when GITHUB_TOKEN is set (config.ts reports it as disabled otherwise). */
function sourceHostOf(config: Config): { sourceHost?: SourceHost } {
  const github = config.systems.github;
  if (!github.enabled) return {};
  return { sourceHost: new GithubSourceHost({ apiUrl: github.apiUrl, token: github.token }) };
}

/**
 * The change-control systems whose variables are set (config.ts reports the others as disabled): Jira with the
 * catalog's project and issue type, Google Calendar with the service account's key file, Statuspage with its key.
 */
function changeRecordSystems(config: Config, catalog: Catalog): ChangeRecordSystems {
  const systems: ChangeRecordSystems = {};
  const { jira, google, statuspage } = config.systems;
  if (jira.enabled && catalog.changeTickets) {
    const { projectKey, issueType } = catalog.changeTickets;
    systems.tickets = new JiraChangeTickets({
      host: jira.host,
      email: jira.email,
      apiToken: jira.apiToken,
      projectKey,
      issueType,
    });
  }
  if (google.enabled) {
    const key = serviceAccountKey(google.credentialsFile);
    systems.calendar = new GoogleChangeCalendar({ rootUrl: google.apiUrl, auth: serviceAccountAuth(key) });
  }
  if (statuspage.enabled)
    systems.statusPage = new StatuspageStatusPage({ apiKey: statuspage.apiKey, apiUrl: statuspage.apiUrl });
  return systems;
}

/** The service account's key file, read once; a file that cannot be read stops the start with its path named. */
function serviceAccountKey(path: string): { client_email: string; private_key: string } {
  try {
    const key = JSON.parse(readFileSync(path, 'utf8')) as Partial<{
      client_email: string;
      private_key: string;
    }>;
    if (typeof key.client_email === 'string' && typeof key.private_key === 'string')
      return { client_email: key.client_email, private_key: key.private_key };
  } catch {
    // reported below, without the file's content
  }
  throw new StartError(
    `GOOGLE_APPLICATION_CREDENTIALS: ${path} is not a readable service-account key file (JSON with client_email and private_key)`,
  );
}

/** The first directory read, at most `FIRST_REFRESH_MS`: a slow Slack delays the start, a dead one does not stop it. */
async function firstDirectoryRefresh(deps: WorkflowDeps, logger: { warn(obj: object, msg?: string): void }) {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), FIRST_REFRESH_MS);
  });
  const outcome = await Promise.race([
    refreshDirectory(deps, { unlessWithinMs: FIRST_REFRESH_MS }).catch(() => 'failed' as const),
    timeout,
  ]);
  clearTimeout(timer);
  if (outcome === 'timeout' || outcome === 'failed')
    logger.warn({}, 'Slack groups and channels are not read yet; the scheduled refresh will read them');
}

const FIRST_REFRESH_MS = 10_000;

/** The bot could not start for a reason outside its configuration (Slack refused the app token, say). */
export class StartError extends Error {
  override readonly name = 'StartError';
}

/** How long one Slack call may take before it counts as unanswered; bounds how long a step's claim stays alive. */
const SLACK_TIMEOUT_MS = 10_000;

/**
 * Workers retry through BullMQ (no job sleeps on a 429), never inside a call: a retried post whose first try landed
 * unseen would post twice, while a step's retry looks for the message first. The web role retries briefly.
 */
function slackClient(config: Config, worker: boolean, timeoutMs = SLACK_TIMEOUT_MS): WebClient {
  return new WebClient(config.slack.botToken, {
    slackApiUrl: config.slack.apiUrl,
    rejectRateLimitedCalls: worker,
    timeout: timeoutMs,
    retryConfig: worker ? { retries: 0 } : { retries: 2, factor: 2, minTimeout: 200, maxTimeout: 1000 },
  });
}

function metricsOf() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return async () => ({ contentType: registry.contentType, body: await registry.metrics() });
}

/** Logs connection errors once per outage instead of letting ioredis print an unhandled error on every retry. */
function watched(
  redis: Redis,
  logger: { warn(obj: object, msg?: string): void; info(obj: object, msg?: string): void },
): Redis {
  let down = false;
  redis.on('error', (err: Error) => {
    if (!down) logger.warn({ err: err.message }, 'Redis connection failed; retrying');
    down = true;
  });
  redis.on('ready', () => {
    if (down) logger.info({}, 'Redis connection restored');
    down = false;
  });
  return redis;
}

async function waitForRedis(redis: Redis, logger: { warn(obj: object, msg?: string): void }): Promise<void> {
  if (isRedisReady(redis)) return;
  await new Promise<void>((resolve) => {
    const done = () => {
      redis.off('ready', done);
      resolve();
    };
    redis.once('ready', done);
    // The web role still starts without Redis: /readyz says not ready and people are told to try again.
    setTimeout(() => {
      if (!isRedisReady(redis))
        logger.warn({}, 'Redis is not answering yet; starting anyway, /readyz reports not ready');
      done();
    }, 3000).unref();
  });
}

async function main(): Promise<void> {
  try {
    const bot = await startBot();
    const shutdown = (signal: string) => {
      process.stderr.write(`hotfix-bot: ${signal}, stopping\n`);
      void bot.stop().then(() => process.exit(0));
    };
    process.once('SIGTERM', () => shutdown('SIGTERM'));
    process.once('SIGINT', () => shutdown('SIGINT'));
  } catch (error) {
    if (error instanceof ConfigError || error instanceof CatalogError) {
      process.stderr.write(`hotfix-bot cannot start:\n  ${error.problems.join('\n  ')}\n`);
      process.exit(2);
    }
    if (error instanceof StartError) {
      process.stderr.write(`hotfix-bot cannot start: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}

if (require.main === module) void main();
