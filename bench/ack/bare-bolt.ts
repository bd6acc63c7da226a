/**
 * The floor the bot's acks are compared with: a Bolt app with Bolt's own HTTP receiver and signature check whose
 * listeners only ack. Prints `READY <port>`.
 */
import { App } from '@slack/bolt';

async function run(): Promise<void> {
  const app = new App({
    token: 'xoxb-bench-bare',
    signingSecret: process.env.BENCH_SIGNING_SECRET ?? '',
    botId: 'B0BARE',
    botUserId: 'U0BARE',
  });
  app.command('/hotfix', async ({ ack }) => ack({ response_type: 'ephemeral', text: 'ok' }));
  app.action(/.*/, async ({ ack }) => ack());
  const server = (await app.start(0)) as unknown as { address(): { port: number } };
  process.stdout.write(`READY ${server.address().port}\n`);
}

void run();
