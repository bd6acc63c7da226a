/**
 * The deploy machinery shared by every method, driven by the built-in rehearsal method on the started bot: the
 * (client, env) lock and its queue, preparing, the one live status message, input steps, finalize, cancel at every
 * stage and the night-shift overrides.
 */
import type { JsonObject } from '../emulators/slack/index.js';
import { clickButton, sendSlashCommand, sendViewSubmission } from '../emulators/slack/index.js';
import type { Hotfix } from '../../src/domain/hotfix.js';
import { lockKey } from '../../src/domain/hotfix.js';
import type { TestBot } from '../helpers/test-bot.js';
import { SIGNING_SECRET, startTestBot, waitForRecord } from '../helpers/test-bot.js';

let t: TestBot;
beforeAll(async () => {
  t = await startTestBot(7, {
    clock: { now: () => new Date(Date.parse('2026-11-17T15:05:00Z') + (Date.now() - started)) },
  });
});
const started = Date.now();
afterAll(async () => t.stop());

const opts = () => ({ emulator: t.slack });
const slash = (text: string, user = 'U0PRIYA') =>
  sendSlashCommand(t.eventsUrl, SIGNING_SECRET, { text, user_id: user, channel_id: 'C0INC4211' }, opts());
const textOf = (body: unknown) => String((body as { text?: unknown }).text ?? JSON.stringify(body));
const kindOf = (m: { metadata?: unknown }) =>
  (m.metadata as { event_payload?: JsonObject } | undefined)?.event_payload?.['kind'];

/** Plans on `target` and has bob approve it; returns the record once approved. */
async function approvedHotfix(service: string, target: string): Promise<Hotfix> {
  const planned = await slash(`plan ${service}@24-02-05.619-hotfix.627 ${target}`);
  const id = /HF-\d+/.exec(textOf(planned.body))?.[0];
  if (!id) throw new Error(`not planned: ${textOf(planned.body)}`);
  const found = await t.bot.deps.store.findById(id);
  const withNotice = await waitForRecord(t.bot, found!.ulid, (h) => h.refs['noticeTs'] !== undefined);
  await clickButton(
    t.eventsUrl,
    SIGNING_SECRET,
    { user: 'U0BOB', channel: 'C0CHANGECTL', ts: withNotice.refs['noticeTs']!, action_id: 'hotfix_approve' },
    opts(),
  );
  if (withNotice.snapshot.env.production) {
    // Production asks for confirmation first (a Sev 1 needs one approval).
    const form = await t.slack.waitFor((s) =>
      s.views.find((v) => String(v.view['private_metadata']).includes(withNotice.ulid)),
    );
    const view = {
      id: form.id,
      callback_id: 'hotfix_approve_confirm',
      private_metadata: String(form.view['private_metadata']),
      state: { values: {} },
    };
    await sendViewSubmission(t.eventsUrl, SIGNING_SECRET, { user: 'U0BOB', view }, opts());
  }
  return waitForRecord(t.bot, withNotice.ulid, (h) => h.times.approvedAt !== undefined);
}

const statusMessages = (h: Hotfix) =>
  (t.slack.messages('C0INC4211').find((m) => m.ts === h.refs['planTs'])?.replies ?? []).filter(
    (r) => kindOf(r) === 'status',
  );

async function statusShows(h: Hotfix, pattern: RegExp) {
  return t.slack.waitFor(() => {
    const current = statusMessages(h)[0];
    return current && pattern.test(JSON.stringify(current.blocks)) ? current : undefined;
  }, 8000);
}

/** Clicks a button on the status message once the message shows it (it is redrawn a moment after the record). */
const clickStatus = async (h: Hotfix, user: string, action_id: string) => {
  const message = await statusShows(h, new RegExp(action_id));
  return clickButton(
    t.eventsUrl,
    SIGNING_SECRET,
    { user, channel: 'C0INC4211', ts: message.ts, action_id },
    opts(),
  );
};

describe('a rehearsal hotfix from approval to completion', () => {
  it('queues, takes the lock, records the running versions, asks to proceed, completes and frees the lock', async () => {
    const hotfix = await approvedHotfix('runbook-drill', 'acme staging');
    const waiting = await waitForRecord(t.bot, hotfix.ulid, (h) => h.state === 'awaiting_input');
    expect(waiting.lock?.token).toBeGreaterThan(0);
    // A rehearsal pretends each service runs its catalog tagExample: the version its rollback returns to.
    expect(waiting.versionsBefore).toEqual({ 'runbook-drill': '24-02-05.619-hotfix.627' });
    expect(waiting.deployPlan?.join(' ')).toMatch(/REHEARSAL/);
    expect(await t.bot.deps.locks.holder(lockKey(hotfix))).toMatchObject({
      ulid: hotfix.ulid,
      token: waiting.lock?.token,
    });
    await statusShows(hotfix, /hotfix_input_proceed/);

    await clickStatus(hotfix, 'U0PRIYA', 'hotfix_input_proceed');
    const done = await waitForRecord(
      t.bot,
      hotfix.ulid,
      (h) => h.state === 'completed' && h.finalizedSeq !== undefined,
    );
    expect(done.answers['Proceed']).toMatchObject({ proceed: true, by: 'U0PRIYA' });
    expect(done.stages.every((s) => s.status === 'succeeded')).toBe(true);
    expect(await t.bot.deps.locks.holder(lockKey(hotfix))).toBeUndefined();
    const final = await statusShows(hotfix, /completed/i);
    // Nothing left to do on a completed hotfix but roll it back.
    expect(JSON.stringify(final.blocks).match(/"action_id":"[a-z_]+"/g)).toEqual([
      '"action_id":"hotfix_rollback"',
    ]);
    expect(statusMessages(hotfix)).toHaveLength(1);
  });
});

describe('the (client, env) queue', () => {
  it('runs two hotfixes for one environment one after the other, the second shown queued behind the first', async () => {
    const first = await approvedHotfix('runbook-drill', 'globex staging');
    const firstRunning = await waitForRecord(t.bot, first.ulid, (h) => h.state === 'awaiting_input');
    const second = await approvedHotfix('runbook-drill', 'globex staging');
    await waitForRecord(t.bot, second.ulid, (h) => h.state === 'queued');
    await statusShows(second, new RegExp(`behind \\*?${first.id}`));
    expect((await t.bot.deps.store.load(second.ulid))?.state).toBe('queued');

    await clickStatus(first, 'U0PRIYA', 'hotfix_input_proceed');
    await waitForRecord(t.bot, first.ulid, (h) => h.state === 'completed');
    const next = await waitForRecord(t.bot, second.ulid, (h) => h.state === 'awaiting_input');
    // A new fencing token: anything still acting on the first hotfix's token is refused.
    expect(next.lock!.token).toBeGreaterThan(firstRunning.lock!.token);
    await clickStatus(second, 'U0PRIYA', 'hotfix_input_proceed');
    await waitForRecord(t.bot, second.ulid, (h) => h.state === 'completed');
  });
});

describe('cancel at every stage', () => {
  it('cancels a queued hotfix cleanly and takes it out of the line', async () => {
    const holder = await approvedHotfix('runbook-drill', 'acme prod sev=1');
    await waitForRecord(t.bot, holder.ulid, (h) => h.state === 'awaiting_input');
    const queued = await approvedHotfix('runbook-drill', 'acme prod sev=1');
    await waitForRecord(t.bot, queued.ulid, (h) => h.state === 'queued');
    expect(textOf((await slash(`cancel ${queued.id} "not needed any more"`)).body)).toContain('is cancelled');
    await waitForRecord(t.bot, queued.ulid, (h) => h.state === 'cancelled');
    expect(await t.bot.deps.locks.waiting(lockKey(queued))).not.toContain(queued.ulid);

    // Cancelling the deploying one (at its Proceed question, where Abort is the button) asks the method to abort and
    // says what was undone.
    expect(textOf((await slash(`cancel ${holder.id} "wrong tag"`)).body)).toContain('being aborted');
    const cancelled = await waitForRecord(t.bot, holder.ulid, (h) => h.state === 'cancelled');
    const events = await t.bot.deps.store.events(holder.ulid);
    expect(events.find((e) => e.type === 'cancelled')).toMatchObject({
      reason: 'wrong tag',
      undone: expect.stringContaining('Rehearsal stopped'),
    });
    expect(cancelled.decision?.by).toBe('U0PRIYA');
    expect(cancelled.lock).toBeUndefined();
    expect(await t.bot.deps.locks.holder(lockKey(holder))).toBeUndefined();
  });

  it('aborts at the input step: the deploy stops and the hotfix is cancelled', async () => {
    const hotfix = await approvedHotfix('runbook-drill', 'globex prod sev=1');
    await waitForRecord(t.bot, hotfix.ulid, (h) => h.state === 'awaiting_input');
    await clickStatus(hotfix, 'U0PRIYA', 'hotfix_input_abort');
    await waitForRecord(t.bot, hotfix.ulid, (h) => h.state === 'cancelled');
  });
});

describe('failure and the overrides', () => {
  it('keeps the lock through a failure; retry, handoff and resolve; an admin unlock; pause and resume', async () => {
    const failing = await approvedHotfix('failing-drill', 'acme staging');
    await waitForRecord(t.bot, failing.ulid, (h) => h.state === 'awaiting_input');
    await clickStatus(failing, 'U0PRIYA', 'hotfix_input_proceed');
    const failed = await waitForRecord(t.bot, failing.ulid, (h) => h.state === 'failed');
    expect(failed.failure).toMatchObject({ phase: 'deploy', condition: 'smoke_test_failed' });
    expect(await t.bot.deps.locks.holder(lockKey(failing))).toMatchObject({ ulid: failing.ulid });
    await statusShows(failing, /hotfix_retry/);

    expect(textOf((await slash(`retry ${failing.id}`, 'U0DAVE')).body)).toMatch(/Only .* can retry/);
    expect(textOf((await slash(`retry ${failing.id}`)).body)).toContain('deploying again');
    await waitForRecord(t.bot, failing.ulid, (h) => h.attempts === 2 && h.state === 'awaiting_input');

    expect(textOf((await slash(`handoff ${failing.id} <@U0CAROL|carol>`)).body)).toContain('<@U0CAROL>');
    await waitForRecord(t.bot, failing.ulid, (h) => h.owner === 'U0CAROL');

    expect(textOf((await slash('unlock acme staging "stuck"', 'U0PRIYA')).body)).toMatch(
      /Only .* can unlock/,
    );
    expect(
      textOf(
        (await slash('unlock acme staging "Jenkins lost the build; env checked by hand"', 'U0RELMGR1')).body,
      ),
    ).toContain('unlocked');
    const unlocked = await waitForRecord(t.bot, failing.ulid, (h) => h.state === 'resolved');
    expect(unlocked.decision).toMatchObject({
      by: 'U0RELMGR1',
      reason: expect.stringContaining('Jenkins lost the build'),
    });
    expect((await t.bot.deps.controls.auditTrail()).at(-1)).toMatchObject({
      type: 'unlock',
      by: 'U0RELMGR1',
      target: 'acme/staging',
    });

    expect(textOf((await slash('pause "database failover in progress"', 'U0PRIYA')).body)).toMatch(
      /Only .* can pause/,
    );
    expect(textOf((await slash('pause "database failover in progress"', 'U0RELMGR1')).body)).toContain(
      'paused',
    );
    const held = await approvedHotfix('runbook-drill', 'acme staging');
    await waitForRecord(t.bot, held.ulid, (h) => h.state === 'queued');
    await statusShows(held, /paused/i);
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect((await t.bot.deps.store.load(held.ulid))?.state).toBe('queued');
    expect(textOf((await slash('resume', 'U0RELMGR1')).body)).toContain('resumed');
    await waitForRecord(t.bot, held.ulid, (h) => h.state === 'awaiting_input');
    expect(textOf((await slash(`resolve ${held.id} "practice run ended here"`)).body)).toContain('resolved');
    await waitForRecord(t.bot, held.ulid, (h) => h.state === 'resolved');
  });
});
