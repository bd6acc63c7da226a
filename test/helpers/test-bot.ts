/**
 * Test helper: the bot started the way main.ts starts it (HTTP on a free port, real Redis, a real worker), against
 * the Slack emulator. Each test file passes its own Redis database number so files never see each other's data.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { freshDatabase } from './redis.js';
import type { Hotfix } from '../../src/domain/hotfix.js';
import type { RunningBot, StartOptions } from '../../src/main.js';
import { startBot } from '../../src/main.js';
import type { SlackEmulator } from '../emulators/slack/index.js';
import { startSlackEmulator } from '../emulators/slack/index.js';

/** The signing secret every test bot uses. */
export const SIGNING_SECRET = 'test-signing-secret-5f2c9a';

/** A running bot, its emulator and where Slack posts to. */
export interface TestBot {
  bot: RunningBot;
  slack: SlackEmulator;
  /** `http://127.0.0.1:<port>/slack/events` */
  eventsUrl: string;
  baseUrl: string;
  redisUrl: string;
  stop(): Promise<void>;
}

/** The environment a test bot runs with; `extra` overrides or adds variables. */
export function testEnv(
  slack: SlackEmulator,
  redisUrl: string,
  extra: Record<string, string> = {},
): NodeJS.ProcessEnv {
  return {
    HOTFIX_ROLE: 'all',
    SLACK_BOT_TOKEN: slack.token,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slack.apiUrl,
    PORT: '0',
    REDIS_URL: redisUrl,
    HOTFIX_CATALOG: fastCatalog(),
    LOG_LEVEL: 'silent',
    ...extra,
  };
}

/**
 * The example catalog with quick rehearsals (stages of 0.2 s), a `failing-drill` service scripted to fail at its
 * smoke test, no change records required (the test bot runs without Jira, Google and Statuspage unless a test
 * starts their emulators; change-records.test.ts requires them) and no automatic rollback, written once per test
 * process to a temporary file.
 */
export function fastCatalog(): string {
  if (fastCatalogPath) return fastCatalogPath;
  const doc = parseDocument(readFileSync(join(__dirname, '..', '..', 'manifests', 'catalog.yml'), 'utf8'));
  doc.setIn(['services', 'runbook-drill', 'rehearsal', 'stageSeconds'], 0.2);
  const failing = doc.getIn(['services', 'runbook-drill']) as { clone(): unknown };
  doc.setIn(['services', 'failing-drill'], failing.clone());
  doc.setIn(['services', 'failing-drill', 'rehearsal', 'failAt'], 'Smoke test');
  doc.setIn(['policy', 'records'], doc.createNode({}));
  // People act on failures in most tests; the tests of automatic rollback turn it on for themselves.
  doc.setIn(['policy', 'autoRollback'], doc.createNode({}));
  const dir = mkdtempSync(join(tmpdir(), 'hotfix-catalog-'));
  fastCatalogPath = join(dir, 'catalog.yml');
  writeFileSync(fastCatalogPath, doc.toString());
  return fastCatalogPath;
}
let fastCatalogPath: string | undefined;

/** The fast catalog changed by `edit` (health URLs pointing at an emulator, a soak window), in a new file. */
export function catalogWith(edit: (doc: ReturnType<typeof parseDocument>) => void): string {
  const doc = parseDocument(readFileSync(fastCatalog(), 'utf8'));
  edit(doc);
  const path = join(mkdtempSync(join(tmpdir(), 'hotfix-catalog-')), 'catalog.yml');
  writeFileSync(path, doc.toString());
  return path;
}

/** Starts the emulator and the bot on Redis database `db`, emptied first. */
export async function startTestBot(
  db: number,
  options: StartOptions & { env?: Record<string, string>; slack?: SlackEmulator } = {},
): Promise<TestBot> {
  const redisUrl = await freshDatabase(db);
  const slack = options.slack ?? (await startSlackEmulator());
  const { env, slack: _slack, ...start } = options;
  const bot = await startBot(testEnv(slack, redisUrl, env), {
    workerTimings: { lockDuration: 3000, stalledInterval: 3000 },
    reconcileEveryMs: 500,
    botIds: { botId: slack.bot.botId, botUserId: slack.bot.userId },
    ...start,
    // Paced as production is, scaled down like the rest of a test's timings.
    timing: { pollMs: 100, statusEveryMs: 200, postEveryMs: 50, ...start.timing },
  });
  const baseUrl = `http://127.0.0.1:${bot.port}`;
  return {
    bot,
    slack,
    eventsUrl: `${baseUrl}/slack/events`,
    baseUrl,
    redisUrl,
    async stop() {
      await bot.stop();
      if (!options.slack) await slack.close();
    },
  };
}

/** Polls the store until the record satisfies `ready` (steps write their result a moment after Slack shows it). */
export async function waitForRecord(
  bot: RunningBot,
  ulid: string,
  ready: (h: Hotfix) => boolean,
  timeoutMs = 10_000,
): Promise<Hotfix> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const hotfix = await bot.deps.store.load(ulid);
    if (hotfix && ready(hotfix)) return hotfix;
    if (Date.now() > deadline)
      throw new Error(
        `hotfix ${ulid} did not reach the expected state; last: ${JSON.stringify(hotfix?.steps)}`,
      );
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
