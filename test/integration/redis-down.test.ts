/**
 * The web role fails fast when Redis is down (DESIGN.md section 7): a person gets "try again" at once, not an action
 * executed minutes later, and /readyz says not ready.
 */
import { sendSlashCommand, startSlackEmulator } from '../emulators/slack/index.js';
import type { SlackEmulator } from '../emulators/slack/index.js';
import type { RunningBot } from '../../src/main.js';
import { startBot } from '../../src/main.js';
import { SIGNING_SECRET, testEnv } from '../helpers/test-bot.js';

let slack: SlackEmulator;
let bot: RunningBot;

beforeAll(async () => {
  slack = await startSlackEmulator();
  // Nothing listens on port 1: every connection attempt is refused at once.
  bot = await startBot(testEnv(slack, 'redis://127.0.0.1:1', { HOTFIX_ROLE: 'web' }), {
    botIds: { botId: slack.bot.botId, botUserId: slack.bot.userId },
  });
});
afterAll(async () => {
  await bot.stop();
  await slack.close();
});

describe('with Redis down', () => {
  it('reports not ready, while staying alive', async () => {
    const base = `http://127.0.0.1:${bot.port}`;
    expect((await fetch(`${base}/readyz`)).status).toBe(503);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  });

  it('answers a command at once with "try again" and posts nothing', async () => {
    const started = Date.now();
    const response = await sendSlashCommand(
      `http://127.0.0.1:${bot.port}/slack/events`,
      SIGNING_SECRET,
      {
        text: 'plan decanting-service@24-02-05.619-hotfix.627 acme prod',
        user_id: 'U0PRIYA',
        channel_id: 'C0INC4211',
      },
      { emulator: slack },
    );
    expect(response.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(2500);
    expect(response.body).toMatchObject({
      response_type: 'ephemeral',
      text: expect.stringContaining('Try again'),
    });
    expect(slack.writeCount()).toBe(0);
  });

  it('still answers help, which needs no database', async () => {
    const response = await sendSlashCommand(
      `http://127.0.0.1:${bot.port}/slack/events`,
      SIGNING_SECRET,
      { text: 'help', user_id: 'U0PRIYA', channel_id: 'C0INC4211' },
      { emulator: slack },
    );
    expect(JSON.stringify(response.body)).toContain('/hotfix plan');
  });
});
