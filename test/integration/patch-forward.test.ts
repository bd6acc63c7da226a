/**
 * Patch forward through the started bot and the Slack emulator, with the rehearsal method scripted to fail
 * (`failing-drill`): a failed hotfix keeps its environment; "Patch forward" opens the plan form prefilled from it;
 * the plan submitted from it is approved as usual, and that approval supersedes the failed hotfix and passes its lock
 * to the new one in one write, ahead of a hotfix already waiting. A rejected or cancelled patch forward changes
 * nothing for the failed hotfix.
 */
import type { JsonObject } from '../emulators/slack/index.js';
import { clickButton, sendSlashCommand, sendViewSubmission } from '../emulators/slack/index.js';
import type { Hotfix } from '../../src/domain/hotfix.js';
import { lockKey } from '../../src/domain/hotfix.js';
import { openedFor, submitForm } from '../helpers/forms.js';
import type { TestBot } from '../helpers/test-bot.js';
import { SIGNING_SECRET, startTestBot, waitForRecord } from '../helpers/test-bot.js';

let t: TestBot;
const started = Date.now();
beforeAll(async () => {
  // A Tuesday morning in New York: no freeze window, no late-week warning.
  t = await startTestBot(11, {
    clock: { now: () => new Date(Date.parse('2026-11-17T15:05:00Z') + (Date.now() - started)) },
  });
});
afterAll(async () => t.stop());

const INCIDENT = 'C0INC4211';
const opts = () => ({ emulator: t.slack });
const slash = (text: string, user = 'U0PRIYA') =>
  sendSlashCommand(t.eventsUrl, SIGNING_SECRET, { text, user_id: user, channel_id: INCIDENT }, opts());
const textOf = (body: unknown) => String((body as { text?: unknown }).text ?? JSON.stringify(body));
const payloadOf = (m: { metadata?: unknown }) =>
  (m.metadata as { event_payload?: JsonObject } | undefined)?.event_payload;

/** Plans with a slash command and has bob approve it on the notice (staging: no confirmation form). */
async function approvedHotfix(args: string): Promise<Hotfix> {
  const planned = await slash(`plan ${args}`);
  const id = /HF-\d+/.exec(textOf(planned.body))?.[0];
  if (!id) throw new Error(`not planned: ${textOf(planned.body)}`);
  const found = await t.bot.deps.store.findById(id);
  const withNotice = await waitForRecord(t.bot, found!.ulid, (h) => h.refs['noticeTs'] !== undefined);
  await clickNotice(withNotice, 'U0BOB', 'hotfix_approve');
  return waitForRecord(t.bot, withNotice.ulid, (h) => h.times.approvedAt !== undefined);
}

const clickNotice = (h: Hotfix, user: string, action_id: string) =>
  clickButton(
    t.eventsUrl,
    SIGNING_SECRET,
    { user, channel: 'C0CHANGECTL', ts: h.refs['noticeTs']!, action_id },
    opts(),
  );

/** Every message of the incident channel, thread replies included. */
const incidentMessages = () => t.slack.messages(INCIDENT).flatMap((m) => [m, ...(m.replies ?? [])]);

/** The live status of `h` once it matches `pattern` (it is redrawn a moment after the record). */
async function statusShows(h: Hotfix, pattern: RegExp) {
  return t.slack.waitFor(() => {
    const status = incidentMessages().find(
      (m) => payloadOf(m)?.['kind'] === 'status' && payloadOf(m)?.['ulid'] === h.ulid,
    );
    return status && pattern.test(JSON.stringify(status.blocks)) ? status : undefined;
  }, 8000);
}

const clickStatus = async (h: Hotfix, user: string, action_id: string) => {
  const status = await statusShows(h, new RegExp(action_id));
  return clickButton(
    t.eventsUrl,
    SIGNING_SECRET,
    { user, channel: INCIDENT, ts: status.ts, action_id },
    opts(),
  );
};

/** A failing-drill hotfix on `target`, approved, proceeded at its question and failed at its smoke test. */
async function failedHotfix(target: string): Promise<Hotfix> {
  const hotfix = await approvedHotfix(`failing-drill@24-02-05.619-hotfix.627 ${target}`);
  await waitForRecord(t.bot, hotfix.ulid, (h) => h.state === 'awaiting_input');
  await clickStatus(hotfix, 'U0PRIYA', 'hotfix_input_proceed');
  return waitForRecord(t.bot, hotfix.ulid, (h) => h.state === 'failed');
}

/** What each input of a form starts with: its initial text or chosen option, by block id. */
function prefilled(view: JsonObject): Record<string, string> {
  const blocks = (view['blocks'] ?? []) as { block_id?: string; element?: JsonObject }[];
  const values: Record<string, string> = {};
  for (const block of blocks) {
    const element = block.element ?? {};
    const option = element['initial_option'] as { value?: string } | undefined;
    const value = (element['initial_value'] as string | undefined) ?? option?.value;
    if (block.block_id && value !== undefined) values[block.block_id] = value;
  }
  return values;
}

/** The plan form's inputs as Slack sends them back. */
function planValues(services: string, client: string, env: string): JsonObject {
  const text = (value: string) => ({ value: { type: 'plain_text_input', value } });
  const choice = (value: string) => ({ value: { type: 'static_select', selected_option: { value } } });
  return { services: text(services), client: choice(client), env: choice(env), severity: choice('3') };
}

/** Clicks Patch forward on the failed hotfix's status, submits the prefilled form with a new tag. */
async function patchForward(failed: Hotfix, tag: string): Promise<Hotfix> {
  await clickStatus(failed, 'U0PRIYA', 'hotfix_patch_forward');
  await openedFor(t.slack, 'U0PRIYA', 'hotfix_plan', failed);
  const response = await submitForm(t.slack, t.eventsUrl, {
    user: 'U0PRIYA',
    callbackId: 'hotfix_plan',
    hotfix: failed,
    values: planValues(`failing-drill@${tag}`, failed.client, failed.env),
  });
  expect(response.status).toBe(200);
  expect(response.body).toBeFalsy(); // accepted: no errors on the form
  // The plan is stored before the form's ack, so it is there once the submission is answered.
  const next = (await t.bot.deps.store.listByTarget(failed.client, failed.env)).find(
    (h) => h.supersedes?.ulid === failed.ulid && h.services[0]?.tag === tag,
  );
  if (!next) throw new Error(`no patch forward of ${failed.id} at ${tag}`);
  return waitForRecord(t.bot, next.ulid, (h) => h.refs['noticeTs'] !== undefined);
}

describe('patch forward', () => {
  it('opens the plan form prefilled, and only for whoever may retry the failed hotfix', async () => {
    const failed = await failedHotfix('globex staging');
    const status = await statusShows(failed, /hotfix_patch_forward/);
    expect(JSON.stringify(status.blocks)).toContain('Patch forward');

    await clickStatus(failed, 'U0DAVE', 'hotfix_patch_forward');
    const told = await t.slack.waitFor((s) =>
      s.ephemerals('U0DAVE').find((e) => e.text.includes(`patch forward ${failed.id}`)),
    );
    expect(told.text).toMatch(/Only .* can patch forward/);

    await clickStatus(failed, 'U0PRIYA', 'hotfix_patch_forward');
    const form = await openedFor(t.slack, 'U0PRIYA', 'hotfix_plan', failed);
    expect(JSON.stringify(form.view['title'])).toContain(`Patch forward ${failed.id}`);
    expect(prefilled(form.view)).toEqual({
      services: 'failing-drill@24-02-05.619-hotfix.627',
      client: 'globex',
      env: 'staging',
      severity: '3',
    });
    expect(JSON.parse(String(form.view['private_metadata']))).toMatchObject({
      channel: INCIDENT,
      threadTs: failed.refs['planTs'],
      supersedes: failed.ulid,
    });

    // Another client or env is refused on the form itself: the lock that passes is this environment's.
    const other = await submitForm(t.slack, t.eventsUrl, {
      user: 'U0PRIYA',
      callbackId: 'hotfix_plan',
      hotfix: failed,
      values: planValues('failing-drill@24-02-05.619-hotfix.628', 'acme', 'prod'),
    });
    expect(JSON.stringify(other.body)).toContain('deploys to globex staging');

    // The slash command opens the same form.
    const opened = t.slack.views.length;
    expect(textOf((await slash(`patch ${failed.id}`)).body)).toContain('Opening the patch-forward plan');
    const byCommand = await t.slack.waitFor((s) => s.views.slice(opened).find((v) => v.user === 'U0PRIYA'));
    expect(JSON.parse(String(byCommand.view['private_metadata']))).toMatchObject({ supersedes: failed.ulid });
    expect(textOf((await slash(`patch ${failed.id}`, 'U0DAVE')).body)).toMatch(/Only .* can patch forward/);
    // Nothing changed for the failed hotfix; resolved, it frees globex staging for the last test.
    expect((await t.bot.deps.store.load(failed.ulid))?.state).toBe('failed');
    await slash(`resolve ${failed.id} "form checks done"`);
    await waitForRecord(t.bot, failed.ulid, (h) => h.state === 'resolved');
  });

  it('supersedes the failed hotfix on approval and passes its lock to the new one, ahead of a waiter', async () => {
    const failed = await failedHotfix('acme staging');
    const key = lockKey(failed);
    const failedToken = failed.lock?.token ?? 0;
    expect(await t.bot.deps.locks.holder(key)).toEqual({ ulid: failed.ulid, token: failedToken });

    // Someone else is already waiting for acme staging.
    const waiter = await approvedHotfix('runbook-drill@24-02-05.619-hotfix.700 acme staging');
    await waitForRecord(t.bot, waiter.ulid, (h) => h.state === 'queued');

    const next = await patchForward(failed, '24-02-05.619-hotfix.628');
    expect(next).toMatchObject({ state: 'planned', supersedes: { ulid: failed.ulid, id: failed.id } });
    // Planned in the failed hotfix's thread, and its plan and notice say what it patches.
    expect(next.incident).toMatchObject({ channel: INCIDENT, threadTs: failed.refs['planTs'] });
    const notice = await t.slack.waitFor(() =>
      t.slack.messages('C0CHANGECTL').find((m) => m.ts === next.refs['noticeTs']),
    );
    expect(JSON.stringify(notice.blocks)).toContain(`Patches forward ${failed.id}`);
    // Until approved, the failed hotfix keeps its lock.
    expect((await t.bot.deps.store.load(failed.ulid))?.state).toBe('failed');

    await clickNotice(next, 'U0BOB', 'hotfix_approve');
    const superseded = await waitForRecord(t.bot, failed.ulid, (h) => h.state === 'superseded');
    expect(superseded.supersededBy).toBe(next.id);
    const events = await t.bot.deps.store.events(failed.ulid);
    expect(events.find((e) => e.type === 'superseded')).toMatchObject({
      by: 'U0PRIYA',
      supersededBy: next.id,
    });

    // The new hotfix runs holding the lock under the next fencing token; the waiter never had it.
    const running = await waitForRecord(t.bot, next.ulid, (h) => h.state === 'awaiting_input');
    expect(running.lock?.token).toBeGreaterThan(failedToken);
    expect(await t.bot.deps.locks.holder(key)).toEqual({ ulid: next.ulid, token: running.lock?.token });
    const stillWaiting = await t.bot.deps.store.load(waiter.ulid);
    expect(stillWaiting?.state).toBe('queued');
    expect((await t.bot.deps.store.events(waiter.ulid)).map((e) => e.type)).not.toContain('lock_acquired');
    expect(await t.bot.deps.locks.waiting(key)).toEqual([waiter.ulid]);

    // The failed hotfix is finalized, and its messages say who superseded it, linking there.
    await waitForRecord(t.bot, failed.ulid, (h) => (h.finalizedSeq ?? 0) >= h.stateSince.seq);
    const status = await statusShows(failed, /superseded/);
    expect(JSON.stringify(status.blocks)).toMatch(new RegExp(`by <https?://[^|]+\\|${next.id}>`));
    expect(JSON.stringify(status.blocks)).not.toContain('hotfix_patch_forward');
    const failedNotice = await t.slack.waitFor(() => {
      const m = t.slack.messages('C0CHANGECTL').find((n) => n.ts === failed.refs['noticeTs']);
      return m && /Superseded/.test(JSON.stringify(m.blocks)) ? m : undefined;
    });
    expect(JSON.stringify(failedNotice.blocks)).toContain(`|${next.id}>`);

    // Let the waiter go: the patch forward ends, the waiter takes the environment.
    expect(textOf((await slash(`cancel ${next.id} "test over"`)).body)).toContain(next.id);
    await waitForRecord(t.bot, waiter.ulid, (h) => h.state === 'awaiting_input');
    await slash(`cancel ${waiter.id} "test over"`);
    await waitForRecord(t.bot, waiter.ulid, (h) => h.state === 'cancelled');
  });

  it('leaves the failed hotfix failed and holding its lock when the patch forward is rejected or cancelled', async () => {
    const failed = await failedHotfix('globex staging');
    const key = lockKey(failed);
    const holder = { ulid: failed.ulid, token: failed.lock?.token };

    const rejected = await patchForward(failed, '24-02-05.619-hotfix.629');
    await clickNotice(rejected, 'U0BOB', 'hotfix_reject');
    const form = await openedFor(t.slack, 'U0BOB', 'hotfix_reject_reason', rejected);
    await sendViewSubmission(
      t.eventsUrl,
      SIGNING_SECRET,
      {
        user: 'U0BOB',
        view: {
          id: form.id,
          callback_id: 'hotfix_reject_reason',
          private_metadata: String(form.view['private_metadata']),
          state: {
            values: { reason: { value: { type: 'plain_text_input', value: 'fix is not built yet' } } },
          },
        },
      },
      opts(),
    );
    await waitForRecord(t.bot, rejected.ulid, (h) => h.state === 'rejected');

    const cancelled = await patchForward(failed, '24-02-05.619-hotfix.630');
    expect(textOf((await slash(`cancel ${cancelled.id} "wrong build"`)).body)).toContain('cancelled');
    await waitForRecord(t.bot, cancelled.ulid, (h) => h.state === 'cancelled');

    const after = await t.bot.deps.store.load(failed.ulid);
    expect(after).toMatchObject({ state: 'failed', lock: { token: holder.token } });
    expect(await t.bot.deps.locks.holder(key)).toEqual(holder);
    expect((await t.bot.deps.store.events(failed.ulid)).map((e) => e.type)).not.toContain('superseded');
    // It can still be patched forward (or retried, resolved) afterwards.
    await statusShows(failed, /hotfix_patch_forward/);
  });
});
