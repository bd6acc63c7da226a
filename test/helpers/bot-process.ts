/**
 * Entry point of one bot child process for crash tests (run with `node --require tsx/cjs`): the role from
 * HOTFIX_ROLE, BullMQ timings short enough that a killed worker's job is taken over within seconds (and, with
 * HOTFIX_TEST_POLL_MS, a running deploy looked at that often). Prints
 * `READY <port>` once started, stops cleanly on SIGTERM, and exits if the test process that started it goes away.
 */
import { addAppMetadata } from '@slack/web-api';
import type { Clock } from '../../src/ports/clock.js';
import type { StartOptions } from '../../src/main.js';
import { startBot } from '../../src/main.js';

/** The user-agent product every Slack call of this process carries, so the emulator can tell callers apart. */
export const CALLER_PRODUCT = 'hotfix-test-pid';

function optionsFrom(env: NodeJS.ProcessEnv): StartOptions {
  const botId = env['HOTFIX_TEST_BOT_ID'];
  const botUserId = env['HOTFIX_TEST_BOT_USER_ID'];
  const offset = env['HOTFIX_TEST_CLOCK_OFFSET_MS'];
  const offsetMs = offset === undefined ? undefined : Number(offset);
  if (offsetMs !== undefined && !Number.isFinite(offsetMs))
    throw new Error(`HOTFIX_TEST_CLOCK_OFFSET_MS is not a number: ${offset}`);
  const pollMs = env['HOTFIX_TEST_POLL_MS'] === undefined ? undefined : Number(env['HOTFIX_TEST_POLL_MS']);
  if (pollMs !== undefined && !(pollMs > 0))
    throw new Error(`HOTFIX_TEST_POLL_MS is not a positive number: ${env['HOTFIX_TEST_POLL_MS']}`);
  const clock: Clock | undefined =
    offsetMs === undefined ? undefined : { now: () => new Date(Date.now() + offsetMs) };
  return {
    // Below ~2 s BullMQ marks busy workers stalled by mistake; 3 s recovers a killed worker's job quickly.
    workerTimings: { lockDuration: 3000, stalledInterval: 3000 },
    reconcileEveryMs: 500,
    ...(botId !== undefined && botUserId !== undefined ? { botIds: { botId, botUserId } } : {}),
    ...(clock ? { clock } : {}),
    // New messages paced as production is, scaled down like the rest of a test's timings.
    timing: { postEveryMs: 50, ...(pollMs !== undefined ? { pollMs } : {}) },
  };
}

async function run(): Promise<void> {
  // Read by every WebClient created afterwards: the emulator sees which process made each call.
  addAppMetadata({ name: CALLER_PRODUCT, version: String(process.pid) });
  const bot = await startBot(process.env, optionsFrom(process.env));
  let stopping = false;
  process.on('SIGTERM', () => {
    if (stopping) return;
    stopping = true;
    void bot
      .stop()
      .catch((error: unknown) => process.stderr.write(`bot-process: stop failed: ${String(error)}\n`))
      .finally(() => process.exit(0));
  });
  // An orphan would keep consuming jobs from the test's Redis database: leave with the parent.
  if (process.send) process.on('disconnect', () => process.exit(1));
  process.stdout.write(`READY ${bot.port}\n`);
}

// Imported (for CALLER_PRODUCT) it does nothing; run as the entry point it starts the bot.
if (require.main === module) {
  run().catch((error: unknown) => {
    const why = error instanceof Error ? (error.stack ?? error.message) : String(error);
    process.stderr.write(`bot-process: cannot start: ${why}\n`);
    process.exit(1);
  });
}
