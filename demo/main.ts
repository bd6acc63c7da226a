/**
 * `npm run demo`: the bot (web and worker roles), the Slack emulator and Redis, running a scripted hotfix through
 * real signed Slack requests, then the Slack transcript as the people in it would read it.
 */
import { join } from 'node:path';
import { startBot } from '../src/main.js';
import {
  clickButton,
  renderTranscript,
  sendSlashCommand,
  sendViewSubmission,
  startSlackEmulator,
} from '../test/emulators/slack/index.js';
import type { JsonObject, SlackEmulator } from '../test/emulators/slack/index.js';
import { renderMessage } from '../test/emulators/slack/transcript.js';
import { demoRedis } from './redis.js';
import { playCoreTimeline } from './core-timeline.js';

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
  const bot = await startBot(
    {
      SLACK_BOT_TOKEN: slack.token,
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: slack.apiUrl,
      PORT: '0',
      REDIS_URL: redis.url,
      HOTFIX_CATALOG: join(__dirname, '..', 'manifests', 'catalog.yml'),
      LOG_LEVEL: 'silent',
    },
    {
      clock: { now: () => new Date(sceneNow()) },
      botIds: { botId: slack.bot.botId, botUserId: slack.bot.userId },
    },
  );
  const typed: Typed[] = [];
  const events = `http://127.0.0.1:${bot.port}/slack/events`;
  const type = async (who: string, channel: string, text: string) => {
    const response = await sendSlashCommand(
      events,
      SECRET,
      { text, user_id: who, channel_id: channel },
      { emulator: slack },
    );
    const body = response.body as { text?: string; blocks?: JsonObject[] };
    const answer = response.status === 200 ? renderMessage(slack, body) : [`(HTTP ${response.status})`];
    typed.push({ at: sceneNow(), who: slack.user(who)?.name ?? who, typed: `/hotfix ${text}`, answer });
  };

  try {
    await type('U0PRIYA', 'C0INC4211', 'plan decantng-service@24-02-05.619 acme prdo');
    await type(
      'U0PRIYA',
      'C0INC4211',
      'plan runbook-drill@24-02-05.619-hotfix.627 acme prod sev=2 incident=INC-4211 reason="orders stuck in decanting since the 24-02-05 release"',
    );
    const notice = await slack.waitFor((s) => s.messages('C0CHANGECTL')[0], 10_000);
    const approve = async (who: string) => {
      await clickButton(
        events,
        SECRET,
        { user: who, channel: 'C0CHANGECTL', ts: notice.ts, action_id: 'hotfix_approve' },
        { emulator: slack },
      );
      const form = await slack.waitFor((s) => [...s.views].reverse().find((v) => v.user === who), 5000);
      const view = {
        id: form.id,
        callback_id: String(form.view['callback_id']),
        private_metadata: String(form.view['private_metadata']),
        state: { values: {} },
      };
      await sendViewSubmission(events, SECRET, { user: who, view }, { emulator: slack });
    };
    // Priya tries to approve her own hotfix; alice and bob approve, each confirming in a form (prod needs two).
    await clickButton(
      events,
      SECRET,
      { user: 'U0PRIYA', channel: 'C0CHANGECTL', ts: notice.ts, action_id: 'hotfix_approve' },
      { emulator: slack },
    );
    await slack.waitFor((s) => s.ephemerals('U0PRIYA').length > 0, 5000);
    await approve('U0CTOALICE');
    await slack.waitFor((s) => JSON.stringify(s.messages('C0CHANGECTL')[0]?.blocks).includes('1 of 2'), 5000);
    await approve('U0BOB');
    await slack.waitFor(
      (s) => !JSON.stringify(s.messages('C0CHANGECTL')[0]?.blocks).includes('hotfix_approve'),
      5000,
    );
    await slack.waitFor(
      (s) =>
        (s.messages('C0INC4211').find((m) => m.ts === notice.ts || m.replies.length > 0)?.replies.length ??
          0) >= 3,
      5000,
    );
    await type('U0PRIYA', 'C0INC4211', 'status HF-1');
    print(slack, redis.describe, typed);
  } finally {
    await bot.stop();
    await slack.close();
    await redis.stop();
  }
  process.stdout.write('\n--- The whole lifecycle, as the hotfix core decides it ---\n');
  process.stdout.write(
    '(deploy, verification and the change records are not wired to Slack yet; this is the core the bot runs)\n\n',
  );
  playCoreTimeline();
}

function print(slack: SlackEmulator, redis: string, typed: Typed[]): void {
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
  out(renderTranscript(slack, { channels: ['C0INC4211', 'C0CHANGECTL'] }));
}

main().catch((error: unknown) => {
  process.stderr.write(
    `demo failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
