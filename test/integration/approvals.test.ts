/**
 * Approvals through signed Slack interactions on the started bot: four eyes, break-glass, confirmation on
 * production, rejection with a reason, plan versions, expiry, reminders and freeze windows, with an injected clock.
 */
import type { JsonObject } from '../emulators/slack/index.js';
import { clickButton, sendSlashCommand, sendViewSubmission } from '../emulators/slack/index.js';
import type { HotfixCommand } from '../../src/domain/commands.js';
import { decideNew } from '../../src/domain/decide.js';
import type { Hotfix } from '../../src/domain/hotfix.js';
import { snapshotOf } from '../../src/domain/snapshot.js';
import { transact } from '../../src/workflow/transact.js';
import { openedFor as openedForIn, submitForm } from '../helpers/forms.js';
import type { TestBot } from '../helpers/test-bot.js';
import { SIGNING_SECRET, startTestBot, waitForRecord } from '../helpers/test-bot.js';

// Tuesday 17 November 2026, 10:05 in New York, unless a test moves it.
const TUESDAY_MORNING = Date.parse('2026-11-17T15:05:00Z');
let offset = 0;
const setClock = (iso: string | number) => {
  offset = (typeof iso === 'number' ? iso : Date.parse(iso)) - Date.now();
};
const advance = (minutes: number) => {
  offset += minutes * 60_000;
};

let t: TestBot;
beforeAll(async () => {
  t = await startTestBot(6, { clock: { now: () => new Date(Date.now() + offset) } });
});
afterAll(async () => t.stop());
beforeEach(() => setClock(TUESDAY_MORNING));

const opts = () => ({ emulator: t.slack });
const slash = (text: string, user = 'U0PRIYA') =>
  sendSlashCommand(t.eventsUrl, SIGNING_SECRET, { text, user_id: user, channel_id: 'C0INC4211' }, opts());
const blocksOf = (m: { blocks?: unknown } | undefined) => JSON.stringify(m?.blocks ?? []);
const payloadOf = (m: { metadata?: unknown }) =>
  (m.metadata as { event_payload?: JsonObject } | undefined)?.event_payload;

/** Plans, waits for the notice, and returns the record and where its notice is. */
async function plan(args: string, user = 'U0PRIYA'): Promise<{ hotfix: Hotfix; noticeTs: string }> {
  const response = await slash(`plan ${args}`, user);
  const id = /HF-\d+/.exec(JSON.stringify(response.body))?.[0];
  if (!id) throw new Error(`not planned: ${JSON.stringify(response.body)}`);
  const found = await t.bot.deps.store.findById(id);
  const hotfix = await waitForRecord(t.bot, found!.ulid, (h) => h.refs['noticeTs'] !== undefined);
  return { hotfix, noticeTs: hotfix.refs['noticeTs']! };
}

const click = (user: string, noticeTs: string, action_id: string) =>
  clickButton(t.eventsUrl, SIGNING_SECRET, { user, channel: 'C0CHANGECTL', ts: noticeTs, action_id }, opts());

const openedFor = (user: string, callbackId: string, hotfix: Hotfix) =>
  openedForIn(t.slack, user, callbackId, hotfix);
const submit = (user: string, callbackId: string, hotfix: Hotfix, values: JsonObject = {}) =>
  submitForm(t.slack, t.eventsUrl, { user, callbackId, hotfix, values });

const reason = (text: string): JsonObject => ({
  reason: { value: { type: 'plain_text_input', value: text } },
});
const notice = (ts: string) => t.slack.messages('C0CHANGECTL').find((m) => m.ts === ts);
const lastEphemeral = (user: string) => t.slack.ephemerals(user).at(-1)?.text ?? '';
const state = async (h: Hotfix) => (await t.bot.deps.store.load(h.ulid))?.state;
const threadReplies = (h: Hotfix) =>
  t.slack.messages('C0INC4211').find((m) => m.ts === h.refs['planTs'])?.replies ?? [];

/** A hotfix that holds `client`/`env` (deploying), driven through the real store and decisions. */
async function deployingOn(client: string, env: string): Promise<Hotfix> {
  const { deps } = t.bot;
  const now = deps.clock.now();
  const created = decideNew(
    {
      type: 'plan',
      id: await deps.store.nextId(),
      ulid: deps.newUlid(now),
      incident: { channel: 'C0INC4211', startedAt: now.toISOString() },
      client,
      env,
      severity: 3,
      method: 'jenkins-multi-deploy',
      services: [
        { service: 'decanting-service', tag: '24-02-05.619-hotfix.600', method: 'jenkins-multi-deploy' },
      ],
      snapshot: snapshotOf(deps.catalog, client, env, ['decanting-service']),
      triage: {},
    },
    { now, actor: { userId: 'U0DAVE', groups: [] } },
  );
  if (!created.ok) throw new Error(created.refusal.message);
  let h = await deps.store.create(created.events);
  const bot = { userId: 'system', groups: [] };
  const steps: [HotfixCommand, { userId: string; groups: string[] }][] = [
    [
      { type: 'approve', planVersion: 1 },
      { userId: 'U0CAROL', groups: ['S0APPROVERS'] },
    ],
    [{ type: 'queue' }, bot],
    [{ type: 'acquire_lock', lock: { token: 1 } }, bot],
    [{ type: 'prepare', versionsBefore: { 'decanting-service': '24-01-20.600' }, deployPlan: [] }, bot],
    [{ type: 'start_deploy' }, bot],
  ];
  for (const [command, actor] of steps) {
    const outcome = await transact(deps, { ulid: h.ulid }, command, actor);
    if (!outcome.ok) throw new Error(outcome.refusal.message);
    h = outcome.hotfix;
  }
  return h;
}

describe('four eyes', () => {
  it('approves a staging plan with one approver click, redraws the notice without buttons and tells the thread', async () => {
    const { hotfix, noticeTs } = await plan('runbook-drill@24-02-05.619-hotfix.627 acme staging');
    await click('U0BOB', noticeTs, 'hotfix_approve');
    const approved = await waitForRecord(t.bot, hotfix.ulid, (h) => h.times.approvedAt !== undefined);
    expect(approved.approvals).toMatchObject([{ by: 'U0BOB', planVersion: 1 }]);
    await t.slack.waitFor(() => !blocksOf(notice(noticeTs)).includes('hotfix_approve') || undefined, 5000);
    expect(blocksOf(notice(noticeTs))).toMatch(/[Aa]pproved/);
    await t.slack.waitFor(() => threadReplies(hotfix).find((r) => /approved/i.test(r.text)), 5000);
  });

  it('refuses the requester approving their own plan, and nothing changes', async () => {
    const { hotfix, noticeTs } = await plan('runbook-drill@24-02-05.619-hotfix.627 acme staging');
    await click('U0PRIYA', noticeTs, 'hotfix_approve');
    await t.slack.waitFor(
      () => /someone else must approve/.test(lastEphemeral('U0PRIYA')) || undefined,
      5000,
    );
    expect(await state(hotfix)).toBe('planned');
  });

  it('refuses someone who is not an approver and names who can', async () => {
    const { hotfix, noticeTs } = await plan('runbook-drill@24-02-05.619-hotfix.627 acme staging');
    await click('U0DAVE', noticeTs, 'hotfix_approve');
    await t.slack.waitFor(() => /Only .*can approve/.test(lastEphemeral('U0DAVE')) || undefined, 5000);
    expect(await state(hotfix)).toBe('planned');
  });

  it('asks for confirmation on production and needs two distinct approvers for a Sev 2', async () => {
    const { hotfix, noticeTs } = await plan('runbook-drill@24-02-05.619-hotfix.627 acme prod sev=2');
    await click('U0BOB', noticeTs, 'hotfix_approve');
    expect((await t.bot.deps.store.load(hotfix.ulid))?.approvals).toHaveLength(0); // nothing until confirmed
    expect((await submit('U0BOB', 'hotfix_approve_confirm', hotfix)).status).toBe(200);
    const once = await waitForRecord(t.bot, hotfix.ulid, (h) => h.approvals.length === 1);
    expect(once.state).toBe('planned');
    await t.slack.waitFor(() => blocksOf(notice(noticeTs)).includes('1 of 2') || undefined, 5000);
    expect(blocksOf(notice(noticeTs))).toContain('hotfix_approve');

    await click('U0CAROL', noticeTs, 'hotfix_approve');
    await submit('U0CAROL', 'hotfix_approve_confirm', hotfix);
    const approved = await waitForRecord(t.bot, hotfix.ulid, (h) => h.times.approvedAt !== undefined);
    expect(approved.approvals.map((a) => a.by)).toEqual(['U0BOB', 'U0CAROL']);
  });

  it('counts an approval only for the plan version the approver saw', async () => {
    const { hotfix, noticeTs } = await plan('runbook-drill@24-02-05.619-hotfix.627 acme prod sev=2');
    await click('U0BOB', noticeTs, 'hotfix_approve');
    const stale = await openedFor('U0BOB', 'hotfix_approve_confirm', hotfix);
    // The requester edits the plan while the approver's confirmation form is open.
    await clickButton(
      t.eventsUrl,
      SIGNING_SECRET,
      { user: 'U0PRIYA', channel: 'C0INC4211', ts: hotfix.refs['planTs']!, action_id: 'hotfix_revise_open' },
      opts(),
    );
    await submit('U0PRIYA', 'hotfix_revise', hotfix, {
      services: { value: { type: 'plain_text_input', value: 'runbook-drill@24-02-05.619-hotfix.628' } },
      severity: { value: { type: 'static_select', selected_option: { value: '2' } } },
    });
    await waitForRecord(t.bot, hotfix.ulid, (h) => h.planVersion === 2);
    await sendViewSubmission(
      t.eventsUrl,
      SIGNING_SECRET,
      {
        user: 'U0BOB',
        view: {
          id: stale.id,
          callback_id: 'hotfix_approve_confirm',
          private_metadata: String(stale.view['private_metadata']),
          state: { values: {} },
        },
      },
      opts(),
    );
    await t.slack.waitFor(
      () => /version 1; it is now version 2/.test(lastEphemeral('U0BOB')) || undefined,
      5000,
    );
    const after = await t.bot.deps.store.load(hotfix.ulid);
    expect(after).toMatchObject({ state: 'planned', planVersion: 2, approvals: [] });
    await t.slack.waitFor(() => blocksOf(notice(noticeTs)).includes('v2') || undefined, 5000);
  });
});

describe('break-glass', () => {
  it('lets the on-call requester approve a Sev 1 alone with a reason, loudly, and reminds until acknowledged', async () => {
    const { hotfix, noticeTs } = await plan('runbook-drill@24-02-05.619-hotfix.627 acme prod sev=1');
    await click('U0PRIYA', noticeTs, 'hotfix_approve');
    const tooShort = await submit('U0PRIYA', 'hotfix_break_glass', hotfix, reason('hurry'));
    expect(tooShort.body).toMatchObject({
      response_action: 'errors',
      errors: { reason: expect.any(String) },
    });
    await submit(
      'U0PRIYA',
      'hotfix_break_glass',
      hotfix,
      reason('checkout is down for every store; no approver answers the page'),
    );
    const approved = await waitForRecord(t.bot, hotfix.ulid, (h) => h.times.approvedAt !== undefined);
    expect(approved.breakGlass).toMatchObject({
      by: 'U0PRIYA',
      reason: expect.stringContaining('checkout is down'),
    });
    await t.slack.waitFor(() => /BREAK-GLASS/i.test(blocksOf(notice(noticeTs))) || undefined, 5000);

    advance(31);
    const reminder = await t.slack.waitFor(
      () => notice(noticeTs)?.replies?.find((r) => payloadOf(r)?.['kind'] === 'reminder'),
      8000,
    );
    expect(JSON.stringify(reminder)).toMatch(/break-glass/i);

    await click('U0BOB', noticeTs, 'hotfix_ack_break_glass');
    const acknowledged = await waitForRecord(
      t.bot,
      hotfix.ulid,
      (h) => h.breakGlass?.acknowledgedBy === 'U0BOB',
    );
    expect(acknowledged.breakGlass?.acknowledgedAt).toBeDefined();
  });
});

describe('reject', () => {
  it('asks for a reason, rejects, takes the buttons away and tells the requester in the thread', async () => {
    const { hotfix, noticeTs } = await plan('runbook-drill@24-02-05.619-hotfix.627 acme staging');
    await click('U0BOB', noticeTs, 'hotfix_reject');
    const empty = await submit('U0BOB', 'hotfix_reject_reason', hotfix, reason(''));
    expect(empty.body).toMatchObject({ response_action: 'errors' });
    await submit('U0BOB', 'hotfix_reject_reason', hotfix, reason('tag is not built from the release branch'));
    const rejected = await waitForRecord(t.bot, hotfix.ulid, (h) => h.state === 'rejected');
    expect(rejected.decision).toMatchObject({
      by: 'U0BOB',
      reason: 'tag is not built from the release branch',
    });
    await t.slack.waitFor(() => threadReplies(hotfix).find((r) => /reject/i.test(JSON.stringify(r))), 5000);
    expect(blocksOf(notice(noticeTs))).not.toContain('hotfix_approve');
  });
});

describe('reject of an older plan version', () => {
  it('refuses a reject whose form showed version 1 once the plan is at version 2, and the plan stays planned', async () => {
    const { hotfix, noticeTs } = await plan('runbook-drill@24-02-05.619-hotfix.627 acme staging');
    await click('U0BOB', noticeTs, 'hotfix_reject');
    await openedFor('U0BOB', 'hotfix_reject_reason', hotfix);
    // The requester edits the plan while the approver's reject form is open.
    await clickButton(
      t.eventsUrl,
      SIGNING_SECRET,
      { user: 'U0PRIYA', channel: 'C0INC4211', ts: hotfix.refs['planTs']!, action_id: 'hotfix_revise_open' },
      opts(),
    );
    await submit('U0PRIYA', 'hotfix_revise', hotfix, {
      services: { value: { type: 'plain_text_input', value: 'runbook-drill@24-02-05.619-hotfix.628' } },
      severity: { value: { type: 'static_select', selected_option: { value: '3' } } },
    });
    await waitForRecord(t.bot, hotfix.ulid, (h) => h.planVersion === 2);
    await submit('U0BOB', 'hotfix_reject_reason', hotfix, reason('wrong tag'));
    await t.slack.waitFor(
      () => /version 1; it is now version 2/.test(lastEphemeral('U0BOB')) || undefined,
      5000,
    );
    expect(await t.bot.deps.store.load(hotfix.ulid)).toMatchObject({ state: 'planned', planVersion: 2 });
  });
});

describe('the environment lock at approval', () => {
  it('says which hotfix holds the environment when an approval completes', async () => {
    const holder = await deployingOn('globex', 'staging');
    const { hotfix, noticeTs } = await plan('runbook-drill@24-02-05.619-hotfix.627 globex staging');
    await click('U0BOB', noticeTs, 'hotfix_approve');
    await waitForRecord(t.bot, hotfix.ulid, (h) => h.times.approvedAt !== undefined);
    const reply = await t.slack.waitFor(
      () => threadReplies(hotfix).find((r) => JSON.stringify(r).includes(holder.id)),
      5000,
    );
    expect(JSON.stringify(reply)).toMatch(/deploying/);
  });
});

describe('concurrent clicks', () => {
  it('turns a burst of approvals from two approvers, double clicks included, into one transition', async () => {
    const { hotfix, noticeTs } = await plan('runbook-drill@24-02-05.619-hotfix.627 acme staging');
    await Promise.all(
      ['U0BOB', 'U0CAROL', 'U0BOB', 'U0CAROL', 'U0BOB'].map((u) => click(u, noticeTs, 'hotfix_approve')),
    );
    await waitForRecord(t.bot, hotfix.ulid, (h) => h.times.approvedAt !== undefined);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const events = await t.bot.deps.store.events(hotfix.ulid);
    expect(events.filter((e) => e.type === 'approved')).toHaveLength(1);
    expect(events.filter((e) => e.type === 'approval_given')).toHaveLength(1);
  });
});

describe('expiry and reminders', () => {
  it('reminds the approver group while a plan waits, then expires it and updates the notice', async () => {
    const { hotfix, noticeTs } = await plan('runbook-drill@24-02-05.619-hotfix.627 acme staging');
    advance(31);
    const reminder = await t.slack.waitFor(
      () => notice(noticeTs)?.replies?.find((r) => payloadOf(r)?.['kind'] === 'reminder'),
      8000,
    );
    expect(JSON.stringify(reminder)).toContain('<!subteam^S0APPROVERS>');
    advance(240);
    await waitForRecord(t.bot, hotfix.ulid, (h) => h.state === 'expired');
    await t.slack.waitFor(() => /[Ee]xpired/.test(blocksOf(notice(noticeTs))) || undefined, 8000);
    expect(blocksOf(notice(noticeTs))).not.toContain('hotfix_approve');
  });
});

describe('timing guards', () => {
  it('refuses an approval once a freeze window has opened since the plan', async () => {
    setClock('2026-12-24T04:00:00Z'); // 23:00 on 23 December in New York, before the year-end freeze
    const { hotfix, noticeTs } = await plan(
      'runbook-drill@24-02-05.619-hotfix.627 acme prod sev=1',
      'U0DAVE',
    );
    setClock('2026-12-24T05:30:00Z'); // 00:30 on 24 December: frozen
    // The re-check happens at the click, so no confirmation form opens for an approval that would be refused.
    await click('U0BOB', noticeTs, 'hotfix_approve');
    await t.slack.waitFor(() => /frozen: year-end freeze/.test(lastEphemeral('U0BOB')) || undefined, 5000);
    expect(t.slack.views.some((v) => String(v.view['private_metadata']).includes(hotfix.ulid))).toBe(false);
    expect(await state(hotfix)).toBe('planned');
  });

  it('refuses a plan inside a freeze window unless an override reason is given, and records it', async () => {
    setClock('2026-12-25T15:00:00Z');
    const refused = await slash('plan runbook-drill@24-02-05.619-hotfix.627 acme prod');
    expect(JSON.stringify(refused.body)).toMatch(/frozen/);
    const { hotfix } = await plan(
      'runbook-drill@24-02-05.619-hotfix.627 acme prod override="orders lost every hour"',
    );
    expect(hotfix.freezeOverride).toMatchObject({
      window: 'year-end freeze',
      reason: 'orders lost every hour',
      by: 'U0PRIYA',
    });
  });

  it('warns on the plan and the notice late in the work week', async () => {
    setClock('2026-11-20T20:00:00Z'); // Friday 15:00 in New York
    const { hotfix, noticeTs } = await plan('runbook-drill@24-02-05.619-hotfix.627 acme staging');
    expect(hotfix.warnings.join(' ')).toMatch(/late in the work week/);
    const planMessage = t.slack.messages('C0INC4211').find((m) => m.ts === hotfix.refs['planTs']);
    expect(blocksOf(planMessage)).toMatch(/late in the work week/);
    expect(blocksOf(notice(noticeTs))).toMatch(/late in the work week/);
  });
});
