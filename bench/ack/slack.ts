/**
 * The Slack emulator in a process of its own, so the work of answering the bot's Web API calls does not share an
 * event loop with the load generator. Prints `READY <api url> <bot token>`.
 */
import { startSlackEmulator } from '../../test/emulators/slack/index.js';

void startSlackEmulator().then((slack) => process.stdout.write(`READY ${slack.apiUrl} ${slack.token}\n`));
