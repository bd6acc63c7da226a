/**
 * Slack's 429 pauses every writer (DESIGN.md section 7): the step that met it and every other step wait for the
 * Retry-After as delayed jobs (none sleeps), and nothing is lost or posted twice.
 */
import { sendSlashCommand } from '../emulators/slack/index.js';
import type { TestBot } from '../helpers/test-bot.js';
import { SIGNING_SECRET, startTestBot, waitForRecord } from '../helpers/test-bot.js';

let t: TestBot;
beforeAll(async () => {
  t = await startTestBot(8);
});
afterAll(async () => t.stop());

describe('a 429 from Slack', () => {
  it('pauses every writer for the Retry-After, then posts the plan and the notice once each', async () => {
    t.slack.failNext('chat.postMessage', { status: 429, retryAfter: 1 });
    const response = await sendSlashCommand(
      t.eventsUrl,
      SIGNING_SECRET,
      {
        text: 'plan runbook-drill@24-02-05.619-hotfix.627 acme staging',
        user_id: 'U0PRIYA',
        channel_id: 'C0INC4211',
      },
      { emulator: t.slack },
    );
    const id = /HF-\d+/.exec(JSON.stringify(response.body))?.[0];
    const found = await t.bot.deps.store.findById(id ?? '');
    const hotfix = await waitForRecord(
      t.bot,
      found!.ulid,
      (h) => h.steps['post_notice']?.result !== undefined,
      15_000,
    );

    const posts = t.slack.callsTo('chat.postMessage');
    const refused = posts.find((c) => c.status === 429);
    expect(refused).toBeDefined();
    // Nothing was written while Slack's pause lasted: the next post came a Retry-After later.
    const next = posts.find((c) => c.status === 200 && c.time > refused!.time);
    expect(next!.time - refused!.time).toBeGreaterThanOrEqual(900);
    const about = (kind: string) =>
      t.slack
        .messages(kind === 'notice' ? 'C0CHANGECTL' : 'C0INC4211')
        .filter(
          (m) =>
            JSON.stringify(m.metadata).includes(hotfix.ulid) &&
            JSON.stringify(m.metadata).includes(`"${kind}"`),
        );
    expect(about('plan')).toHaveLength(1);
    expect(about('notice')).toHaveLength(1);
  });
});
