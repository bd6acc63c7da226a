/**
 * People's names for the change records (Jira and the calendar know no Slack ids): asked of Slack's `users.info` once
 * per person for a while, since every record text names the same few people again.
 */
import { WebClient } from '@slack/web-api';
import { SlackChat } from '../../src/adapters/slack/slack-chat.js';
import { startSlackEmulator, type SlackEmulator } from '../emulators/slack/index.js';

let slack: SlackEmulator;
let now = Date.parse('2026-11-17T15:00:00Z');

beforeAll(async () => {
  slack = await startSlackEmulator();
});
afterAll(async () => {
  await slack.close();
});

const infoCalls = () => slack.calls.filter((c) => c.method === 'users.info').length;

describe('SlackChat.displayNames', () => {
  it('asks Slack once per person for ten minutes, then again', async () => {
    const chat = new SlackChat(
      new WebClient(slack.token, { slackApiUrl: slack.apiUrl }),
      () => new Date(now),
    );
    const before = infoCalls();
    expect(await chat.displayNames(['U0PRIYA', 'U0BOB', 'U0PRIYA'])).toEqual({
      U0PRIYA: 'Priya Raman',
      U0BOB: 'Bob Okafor',
    });
    expect(infoCalls() - before).toBe(2);
    now += 9 * 60_000;
    expect(await chat.displayNames(['U0BOB', 'U0PRIYA'])).toEqual({
      U0PRIYA: 'Priya Raman',
      U0BOB: 'Bob Okafor',
    });
    expect(infoCalls() - before).toBe(2);
    now += 2 * 60_000;
    await chat.displayNames(['U0BOB']);
    expect(infoCalls() - before).toBe(3);
  });

  it('leaves a person Slack cannot name out, and asks again next time', async () => {
    const chat = new SlackChat(
      new WebClient(slack.token, { slackApiUrl: slack.apiUrl }),
      () => new Date(now),
    );
    const before = infoCalls();
    expect(await chat.displayNames(['U0NOBODY'])).toEqual({});
    expect(await chat.displayNames(['U0NOBODY'])).toEqual({});
    expect(infoCalls() - before).toBe(2);
  });
});
