/**
 * Proves the module setup (nodenext + ts-jest + the ESM-only Octokit) can load and construct every outside client
 * the design names, pointed at a local base URL, without any network traffic. A cold run takes ~12 s because ts-jest
 * transforms Octokit's ESM sources.
 */
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { ECSClient } from '@aws-sdk/client-ecs';
import { calendar } from '@googleapis/calendar';
import { Octokit } from '@octokit/rest';
import { App } from '@slack/bolt';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import Jenkins from 'jenkins';
import { Version3Client } from 'jira.js';
import { Client as PgClient } from 'pg';

// Port 1 is never listened on: any accidental connection would fail loudly instead of reaching a real service.
const LOCAL = 'http://127.0.0.1:1';
const AWS = {
  region: 'eu-west-1',
  endpoint: LOCAL,
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
};
const REDIS = {
  host: '127.0.0.1',
  port: 1,
  lazyConnect: true,
  maxRetriesPerRequest: null,
  enableOfflineQueue: false,
  retryStrategy: (): null => null,
};

describe('outside client libraries load and construct against a local URL', () => {
  it('@slack/bolt App, without calling auth.test (botId and botUserId given)', () => {
    const app = new App({
      token: 'xoxb-smoke-test',
      signingSecret: 'smoke-signing-secret',
      botId: 'B0SMOKE',
      botUserId: 'U0SMOKE',
      clientOptions: { slackApiUrl: `${LOCAL}/api/`, retryConfig: { retries: 0 } },
    });
    expect(app).toBeInstanceOf(App);
    expect(typeof app.command).toBe('function');
    expect(app.client.slackApiUrl).toBe(`${LOCAL}/api/`);
  });

  it('ioredis Redis stays disconnected with lazyConnect', () => {
    const redis = new Redis(REDIS);
    expect(redis).toBeInstanceOf(Redis);
    expect(redis.status).toBe('wait');
    redis.disconnect();
  });

  it('bullmq Queue and Worker construct and close before connecting', async () => {
    const queue = new Queue('smoke', { connection: REDIS });
    const worker = new Worker('smoke', async () => undefined, { connection: REDIS, autorun: false });
    const errors: unknown[] = [];
    queue.on('error', (error) => errors.push(error));
    worker.on('error', (error) => errors.push(error));
    expect(queue).toBeInstanceOf(Queue);
    expect(typeof queue.upsertJobScheduler).toBe('function');
    expect(worker).toBeInstanceOf(Worker);
    await Promise.all([queue.close(), worker.close()]);
    expect(errors).toEqual([]);
  });

  it('jenkins client', () => {
    const jenkins = new Jenkins({ baseUrl: 'http://user:token@127.0.0.1:1', crumbIssuer: true });
    expect(jenkins).toBeInstanceOf(Jenkins);
    expect(typeof jenkins.job.build).toBe('function');
    expect(typeof jenkins.build.log).toBe('function');
  });

  it('AWS ECS and CloudWatch Logs clients', async () => {
    const ecs = new ECSClient(AWS);
    const logs = new CloudWatchLogsClient(AWS);
    expect(ecs).toBeInstanceOf(ECSClient);
    expect(logs).toBeInstanceOf(CloudWatchLogsClient);
    expect(await ecs.config.region()).toBe('eu-west-1');
    ecs.destroy();
    logs.destroy();
  });

  it('jira.js Version3Client', () => {
    const jira = new Version3Client({
      host: LOCAL,
      authentication: { basic: { email: 'bot@example.test', apiToken: 'smoke' } },
    });
    expect(jira).toBeInstanceOf(Version3Client);
    expect(typeof jira.issues.createIssue).toBe('function');
    expect(typeof jira.issueComments.addComment).toBe('function');
  });

  it('@googleapis/calendar', () => {
    const cal = calendar({ version: 'v3', rootUrl: `${LOCAL}/` });
    expect(typeof cal.events.insert).toBe('function');
    expect(cal.context._options.rootUrl).toBe(`${LOCAL}/`);
  });

  it('@octokit/rest Octokit (ESM-only)', () => {
    const octokit = new Octokit({ auth: 'smoke', baseUrl: LOCAL, request: { retries: 0 } });
    expect(octokit).toBeInstanceOf(Octokit);
    expect(typeof octokit.rest.repos.createDeployment).toBe('function');
    expect(typeof octokit.rest.pulls.create).toBe('function');
  });

  it('pg Client', () => {
    const pg = new PgClient({ connectionString: 'postgres://test@127.0.0.1:1/test' });
    expect(pg).toBeInstanceOf(PgClient);
    expect(typeof pg.query).toBe('function');
  });
});
