/**
 * The messages people act on, on the started bot: the plan and the change-control notice follow every state change,
 * the moments that need a person are new replies mentioning who must act (in the incident thread, and in change
 * control for failures and completions), and an abort at a Proceed question is credited to whoever clicked.
 */
import type { JsonObject } from '../emulators/slack/index.js';
import { clickButton, sendBlockAction, sendSlashCommand } from '../emulators/slack/index.js';
import type { Subcommand } from '../../src/domain/command-usage.js';
import { OFFERED_SUBCOMMANDS, SUBCOMMANDS } from '../../src/domain/command-usage.js';
import type { Hotfix } from '../../src/domain/hotfix.js';
import type { TestBot } from '../helpers/test-bot.js';
import { SIGNING_SECRET, startTestBot, waitForRecord } from '../helpers/test-bot.js';

let t: TestBot;
const started = Date.now();
beforeAll(async () => {
  t = await startTestBot(15, {
    clock: { now: () => new Date(Date.parse('2026-11-17T15:05:00Z') + (Date.now() - started)) },
  });
});
afterAll(async () => t.stop());

const opts = () => ({ emulator: t.slack });
const INCIDENT = 'C0INC4211';
const CHANGE_CONTROL = 'C0CHANGECTL';
const slash = (text: string, user = 'U0PRIYA') =>
  sendSlashCommand(t.eventsUrl, SIGNING_SECRET, { text, user_id: user, channel_id: INCIDENT }, opts());
const textOf = (body: unknown) => String((body as { text?: unknown }).text ?? JSON.stringify(body));
const payloadOf = (m: { metadata?: unknown }) =>
  (m.metadata as { event_payload?: JsonObject } | undefined)?.event_payload ?? {};

interface Seen {
  ts: string;
  text: string;
  blocks?: unknown;
  metadata?: unknown;
  reply_broadcast?: boolean;
}

const rootOf = (channel: string, ts: string | undefined) =>
  t.slack.messages(channel).find((m) => m.ts === ts) as (Seen & { replies?: Seen[] }) | undefined;
const firstBlockText = (m: Seen | undefined) => {
  const first = (m?.blocks as { text?: { text?: string } }[] | undefined)?.[0];
  return first?.text?.text ?? '';
};
/** Replies of a kind the bot posted for moments (keys `moment_n` in the thread, `cc_moment_n` in change control). */
const momentReplies = (channel: string, rootTs: string | undefined, prefix: string) =>
  (rootOf(channel, rootTs)?.replies ?? []).filter((r) =>
    String(payloadOf(r)['key'] ?? '').startsWith(prefix),
  );

async function approved(service: string, target: string): Promise<Hotfix> {
  const planned = await slash(`plan ${service}@24-02-05.619-hotfix.627 ${target}`);
  const id = /HF-\d+/.exec(textOf(planned.body))?.[0];
  if (!id) throw new Error(`not planned: ${textOf(planned.body)}`);
  const found = await t.bot.deps.store.findById(id);
  const withNotice = await waitForRecord(t.bot, found!.ulid, (h) => h.refs['noticeTs'] !== undefined);
  await clickButton(
    t.eventsUrl,
    SIGNING_SECRET,
    { user: 'U0BOB', channel: CHANGE_CONTROL, ts: withNotice.refs['noticeTs']!, action_id: 'hotfix_approve' },
    opts(),
  );
  return waitForRecord(t.bot, withNotice.ulid, (h) => h.times.approvedAt !== undefined);
}

async function clickOnStatus(h: Hotfix, user: string, action_id: string) {
  const status = await t.slack.waitFor(() =>
    (rootOf(INCIDENT, h.refs['planTs'])?.replies ?? []).find(
      (r) => payloadOf(r)['kind'] === 'status' && JSON.stringify(r.blocks).includes(action_id),
    ),
  );
  await clickButton(
    t.eventsUrl,
    SIGNING_SECRET,
    { user, channel: INCIDENT, ts: status.ts, action_id },
    opts(),
  );
}

const waitForText = (get: () => string, pattern: RegExp) =>
  t.slack.waitFor(() => (pattern.test(get()) ? get() : undefined), 8000);

describe('a failing rehearsal', () => {
  it('asks for Proceed with a mention, then announces the failure in the thread and in change control, the notice current at every step', async () => {
    const hotfix = await approved('failing-drill', 'acme staging');
    const notice = () => firstBlockText(rootOf(CHANGE_CONTROL, hotfix.refs['noticeTs']));
    const plan = () => firstBlockText(rootOf(INCIDENT, hotfix.refs['planTs']));

    await waitForRecord(t.bot, hotfix.ulid, (h) => h.state === 'awaiting_input');
    const ask = await t.slack.waitFor(() => momentReplies(INCIDENT, hotfix.refs['planTs'], 'moment_')[0]);
    // A new message, not an edit, naming the owner who must answer.
    expect(ask.text).toContain('<@U0PRIYA>');
    expect(ask.text).toMatch(/waits for your answer/);
    await waitForText(notice, /waits for a Proceed/);
    await waitForText(plan, /AWAITING INPUT/);

    await clickOnStatus(hotfix, 'U0PRIYA', 'hotfix_input_proceed');
    await waitForRecord(t.bot, hotfix.ulid, (h) => h.state === 'failed');
    expect(await waitForText(notice, /FAILED on Acme Corp staging/)).toContain('Smoke test');
    await waitForText(plan, /FAILED/);

    const failed = await t.slack.waitFor(() => momentReplies(INCIDENT, hotfix.refs['planTs'], 'moment_')[1]);
    // The owner, the service's owner and the client's TAM (seed 001: reach out to the TAM at once).
    for (const who of ['<@U0PRIYA>', '<@U0DECANT1>', '<@U0TAMACME>']) expect(failed.text).toContain(who);
    expect(failed.text).toContain('FAILED');
    const announced = await t.slack.waitFor(
      () => momentReplies(CHANGE_CONTROL, hotfix.refs['noticeTs'], 'cc_moment_')[0],
    );
    expect(announced.reply_broadcast).toBe(true);
    expect(announced.text).toContain('<@U0BOB>');
    // Nobody is mentioned twice for one moment.
    const mentioned = [...`${failed.text} ${announced.text}`.matchAll(/<@(U[A-Z0-9]+)>/g)].map((m) => m[1]);
    expect(new Set(mentioned).size).toBe(mentioned.length);

    // A rerun of the redraw posts nothing twice.
    await t.bot.deps.jobs.enqueue({ ulid: hotfix.ulid, step: 'refresh_messages', attempt: 'again' });
    await new Promise((r) => setTimeout(r, 500));
    expect(momentReplies(INCIDENT, hotfix.refs['planTs'], 'moment_')).toHaveLength(2);
    expect(momentReplies(CHANGE_CONTROL, hotfix.refs['noticeTs'], 'cc_moment_')).toHaveLength(1);

    expect(textOf((await slash(`resolve ${hotfix.id} "fixed the smoke test by hand"`)).body)).toContain(
      'resolved',
    );
    await waitForText(notice, /Resolved by hand/);
  });
});

describe('a rehearsal that completes', () => {
  it('tells the thread and change control, and the plan no longer says it expires', async () => {
    const hotfix = await approved('runbook-drill', 'globex staging');
    await waitForRecord(t.bot, hotfix.ulid, (h) => h.state === 'awaiting_input');
    await clickOnStatus(hotfix, 'U0PRIYA', 'hotfix_input_proceed');
    await waitForRecord(t.bot, hotfix.ulid, (h) => h.state === 'completed' && h.finalizedSeq !== undefined);
    const done = await t.slack.waitFor(() =>
      momentReplies(INCIDENT, hotfix.refs['planTs'], 'moment_').find((r) => /completed/.test(r.text)),
    );
    expect(done.text).toContain('<@U0TAMGLOBEX>');
    await t.slack.waitFor(() =>
      momentReplies(CHANGE_CONTROL, hotfix.refs['noticeTs'], 'cc_moment_').find((r) =>
        /completed/.test(r.text),
      ),
    );
    const plan = await waitForText(
      () => JSON.stringify(rootOf(INCIDENT, hotfix.refs['planTs'])?.blocks ?? ''),
      /COMPLETED/,
    );
    expect(plan).not.toContain('if nobody decides');
    expect(firstBlockText(rootOf(CHANGE_CONTROL, hotfix.refs['noticeTs']))).toMatch(/Completed on Globex/);
  });
});

describe('stopping at a Proceed question', () => {
  it('credits the abort to the person who clicked, not to the bot', async () => {
    const hotfix = await approved('runbook-drill', 'acme staging');
    await waitForRecord(t.bot, hotfix.ulid, (h) => h.state === 'awaiting_input');
    await clickOnStatus(hotfix, 'U0PRIYA', 'hotfix_input_abort');
    const cancelled = await waitForRecord(t.bot, hotfix.ulid, (h) => h.state === 'cancelled');
    expect(cancelled.decision?.by).toBe('U0PRIYA');
    await t.slack.waitFor(() =>
      (rootOf(INCIDENT, hotfix.refs['planTs'])?.replies ?? []).find((r) =>
        /was cancelled\* by <@U0PRIYA>/.test(JSON.stringify(r.blocks ?? r.text)),
      ),
    );
    await waitForText(
      () => firstBlockText(rootOf(CHANGE_CONTROL, hotfix.refs['noticeTs'])),
      /Cancelled.* by <@U0PRIYA>/,
    );
  });
});

describe('/hotfix help offers only what answers', () => {
  // One sample per subcommand: a new subcommand must add one here, so help can never list a dead command.
  const SAMPLES: Record<Subcommand, string> = {
    help: 'help',
    plan: 'plan runbook-drill@24-02-05.619-hotfix.627 globex staging reason="help check"',
    status: 'status',
    list: 'list',
    cancel: 'cancel HF-999 "checking the grammar"',
    rollback: 'rollback HF-999',
    retry: 'retry HF-999',
    patch: 'patch HF-999',
    resolve: 'resolve HF-999 "checking the grammar"',
    handoff: 'handoff HF-999 <@U0BOB>',
    unlock: 'unlock acme staging "checking the grammar"',
    pause: 'pause "checking the grammar"',
    resume: 'resume',
    branch: 'branch decanting-service HOCS-1234',
    'not-needed': 'not-needed HF-999 "checking the grammar"',
    stats: 'stats acme 30',
  };

  it.each(SUBCOMMANDS)('%s: listed in help exactly when it does not answer "not available"', async (sub) => {
    const help = textOf((await slash('help')).body) + JSON.stringify((await slash('help')).body);
    const answer = JSON.stringify((await slash(SAMPLES[sub], 'U0DAVE')).body);
    const listed = help.includes(`/hotfix ${sub}`);
    expect({ sub, listed, unavailable: /not available/.test(answer) }).toEqual({
      sub,
      listed: OFFERED_SUBCOMMANDS.includes(sub),
      unavailable: !OFFERED_SUBCOMMANDS.includes(sub),
    });
  });
});

describe('a button this version does not have', () => {
  it('is acknowledged at once, so the clicker sees no error', async () => {
    const started = Date.now();
    const response = await sendBlockAction(
      t.eventsUrl,
      SIGNING_SECRET,
      {
        user: 'U0PRIYA',
        channel: INCIDENT,
        message: { ts: '1700000000.000100' },
        actions: [{ action_id: 'hotfix_retired_button', type: 'button', value: '{}' }],
      },
      opts(),
    );
    expect(response.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(2000);
  });
});

describe('the triage checklist on the plan', () => {
  const tick = (h: Hotfix, user: string, items: string[]) =>
    sendBlockAction(
      t.eventsUrl,
      SIGNING_SECRET,
      {
        user,
        channel: INCIDENT,
        message: { ts: h.refs['planTs']! },
        actions: [
          {
            action_id: 'hotfix_triage',
            type: 'checkboxes',
            selected_options: items.map((item) => ({
              text: { type: 'mrkdwn', text: item },
              value: `${h.ulid}.${item}`,
            })),
          },
        ],
      },
      opts(),
    );

  it('is ticked in place by the requester, each tick audited, and the notice counts the ticks', async () => {
    const planned = await slash(
      'plan runbook-drill@24-02-05.619-hotfix.627 acme staging reason="triage check"',
    );
    const id = /HF-\d+/.exec(textOf(planned.body))?.[0];
    const found = await t.bot.deps.store.findById(id ?? '');
    const h = await waitForRecord(t.bot, found!.ulid, (r) => r.refs['noticeTs'] !== undefined);
    const plan = rootOf(INCIDENT, h.refs['planTs']);
    expect(JSON.stringify(plan?.blocks)).toContain('"type":"checkboxes"');

    await tick(h, 'U0PRIYA', ['real_hotfix', 'rollback_plan']);
    await waitForRecord(t.bot, h.ulid, (r) => Object.keys(r.triage).length === 2);
    const events = await t.bot.deps.store.events(h.ulid);
    expect(
      events.filter((e) => e.type === 'triage_ticked').map((e) => [e.by, 'item' in e && e.item]),
    ).toEqual([
      ['U0PRIYA', 'real_hotfix'],
      ['U0PRIYA', 'rollback_plan'],
    ]);
    await waitForText(
      () => JSON.stringify(rootOf(CHANGE_CONTROL, h.refs['noticeTs'])?.blocks ?? ''),
      /Triage: 2 of 6 ticked/,
    );
    await waitForText(
      () => JSON.stringify(rootOf(INCIDENT, h.refs['planTs'])?.blocks ?? ''),
      /initial_options/,
    );

    // Someone who may not tick is told so, and nothing changes.
    await tick(h, 'U0DAVE', []);
    await t.slack.waitFor(() => t.slack.ephemerals('U0DAVE').find((e) => /tick the triage/.test(e.text)));
    expect(Object.keys((await t.bot.deps.store.load(h.ulid))!.triage)).toHaveLength(2);
  });
});
