/**
 * The StatusPage port against the Statuspage emulator over fetch: a maintenance is opened once per hotfix (found
 * again by its ULID), a scheduled one waits for the bot to start it (however late, whoever starts it, however often),
 * completing it restores each component's status from just before it went under maintenance (a component in an
 * incident stays in it) or, if it never started, touches none, and failures come back as RecordSystemError saying
 * whether to retry.
 */
import { maintenanceText } from '../../src/domain/change-records.js';
import { StatuspageStatusPage } from '../../src/adapters/statuspage/statuspage-status-page.js';
import { RecordSystemError } from '../../src/ports/record-errors.js';
import type { MaintenanceDraft } from '../../src/ports/status-page.js';
import { startStatuspageEmulator, type StatuspageEmulator } from '../emulators/statuspage/index.js';
import { hotfixIn } from '../unit/domain/builders.js';

const PAGE = 'acme0statuspg';
const HOUR = 3600_000;
const hotfix = hotfixIn('deploying');

function draft(overrides: Partial<MaintenanceDraft> = {}): MaintenanceDraft {
  return {
    pageId: PAGE,
    componentIds: ['acmecmpdecant', 'acmecmpagent'],
    ulid: hotfix.ulid,
    text: maintenanceText(hotfix),
    window: { mode: 'in_progress', until: new Date(Date.now() + 3600_000).toISOString() },
    ...overrides,
  };
}

/** A window opening two hours from now, two hours long. */
function scheduledWindow(): { mode: 'scheduled'; from: string; until: string } {
  const from = new Date(Date.now() + 2 * HOUR).toISOString();
  return { mode: 'scheduled', from, until: new Date(Date.now() + 4 * HOUR).toISOString() };
}

async function caught(promise: Promise<unknown>): Promise<RecordSystemError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof RecordSystemError) return error;
    throw error;
  }
  throw new Error('expected a RecordSystemError');
}

describe('Statuspage maintenances', () => {
  let sp: StatuspageEmulator;
  let port: StatuspageStatusPage;
  /** How far the emulator's clock is ahead of the real one. */
  let aheadMs: number;

  beforeEach(async () => {
    aheadMs = 0;
    sp = await startStatuspageEmulator({
      now: () => new Date(Date.now() + aheadMs),
      pages: [
        {
          id: PAGE,
          components: [
            { id: 'acmecmpdecant', status: 'operational' },
            // Already in an incident before the hotfix: completing must not claim it is fine.
            { id: 'acmecmpagent', status: 'partial_outage' },
          ],
        },
      ],
    });
    port = new StatuspageStatusPage({ apiUrl: sp.apiUrl, apiKey: sp.apiKey });
  });
  afterEach(() => sp.close());

  it('opens an in-progress maintenance once and finds it again by the hotfix ULID', async () => {
    const opened = await port.ensureOpen(draft());
    expect(opened.status).toBe('in_progress');
    expect(sp.component('acmecmpdecant')?.status).toBe('under_maintenance');
    expect(sp.component('acmecmpagent')?.status).toBe('under_maintenance');
    expect(opened.previousStatuses).toEqual({ acmecmpdecant: 'operational', acmecmpagent: 'partial_outage' });

    const again = await port.ensureOpen(draft());
    expect(again.id).toBe(opened.id);
    expect(sp.incidents(PAGE)).toHaveLength(1);
    expect(await port.findByUlid(PAGE, '01JD0000000000000000000099')).toBeUndefined();
  });

  it("starts a live maintenance at the caller's now, whatever the clock it runs on", async () => {
    // A caller on a clock behind this machine's (the demo's scene): its window is still a valid one.
    const from = '2026-01-05T15:05:00.000Z';
    const until = '2026-01-05T16:05:00.000Z';
    await port.ensureOpen(draft({ window: { mode: 'in_progress', from, until } }));
    expect(sp.incidents(PAGE)[0]).toMatchObject({
      status: 'in_progress',
      scheduled_for: from,
      scheduled_until: until,
    });
  });

  it('completes the maintenance restoring each component to its status before, not to operational', async () => {
    const opened = await port.ensureOpen(draft());
    // A retry in another worker knows only what it finds: the statuses come from the maintenance itself.
    const found = await port.findByUlid(PAGE, hotfix.ulid);
    expect(found?.previousStatuses).toEqual(opened.previousStatuses);
    const done = await port.complete({ ...opened, previousStatuses: {} });
    expect(done.status).toBe('completed');
    expect(sp.component('acmecmpdecant')?.status).toBe('operational');
    expect(sp.component('acmecmpagent')?.status).toBe('partial_outage');
    const again = await port.complete(opened);
    expect(again.status).toBe('completed');
    expect(sp.calls.filter((c) => c.method === 'PATCH')).toHaveLength(1);
  });

  it('moves the scheduled end of an open maintenance, and leaves a completed one alone', async () => {
    const opened = await port.ensureOpen(draft());
    const until = new Date(Date.now() + 3 * 3600_000).toISOString();
    await port.extend(PAGE, opened.id, until);
    expect(sp.incidents(PAGE)[0]).toMatchObject({
      status: 'in_progress',
      scheduled_until: until,
      scheduled_auto_completed: false,
    });
    // Statuspage refuses an end before the start.
    const error = await caught(port.extend(PAGE, opened.id, '2020-01-01T00:00:00.000Z'));
    expect(error.retryable).toBe(false);
    await port.complete(opened);
    await port.extend(PAGE, opened.id, new Date(Date.now() + 5 * 3600_000).toISOString());
    expect(sp.incidents(PAGE)[0]?.scheduled_until).toBe(until);
  });

  it('schedules a maintenance that Statuspage never starts or ends by itself, leaving the components alone', async () => {
    const window = scheduledWindow();
    const opened = await port.ensureOpen(draft({ window }));
    expect(opened.status).toBe('scheduled');
    expect(sp.incidents(PAGE)[0]).toMatchObject({
      scheduled_for: window.from,
      scheduled_until: window.until,
      scheduled_auto_in_progress: false,
      auto_transition_to_maintenance_state: false,
      scheduled_auto_completed: false,
      auto_transition_to_operational_state: false,
    });
    // The window opens and closes while the environment is still busy: nothing moves until the bot starts it.
    aheadMs = 5 * HOUR;
    expect((await port.findByUlid(PAGE, hotfix.ulid))?.status).toBe('scheduled');
    expect(sp.component('acmecmpdecant')?.status).toBe('operational');
    expect(sp.component('acmecmpagent')?.status).toBe('partial_outage');
  });

  it('is started and ended by Statuspage at its window when created with its own automation on', async () => {
    // What the bot's flags turn off: the emulator does it on its clock, as Statuspage does.
    const window = scheduledWindow();
    const { id } = sp.state.create(PAGE, {
      name: 'Database upgrade',
      status: 'scheduled',
      scheduled_for: window.from,
      scheduled_until: window.until,
      scheduled_auto_in_progress: true,
      scheduled_auto_completed: true,
      component_ids: ['acmecmpagent'],
    });
    aheadMs = 3 * HOUR;
    expect(sp.incidents(PAGE)[0]).toMatchObject({ id, status: 'in_progress' });
    expect(sp.component('acmecmpagent')?.status).toBe('under_maintenance');
    aheadMs = 5 * HOUR;
    expect(sp.incidents(PAGE)[0]).toMatchObject({ id, status: 'completed' });
    // Statuspage's reset: the outage it had before is forgotten.
    expect(sp.component('acmecmpagent')?.status).toBe('operational');
  });

  it('starts a scheduled maintenance late, recording the statuses of that moment, which completion restores', async () => {
    const opened = await port.ensureOpen(draft({ window: scheduledWindow() }));
    // Between approval and the deploy: the agent recovered, decanting slowed down.
    sp.state.setComponentStatus(PAGE, 'acmecmpagent', 'operational');
    sp.state.setComponentStatus(PAGE, 'acmecmpdecant', 'degraded_performance');
    aheadMs = 3 * HOUR;

    const started = await port.start(PAGE, opened.id);
    expect(started).toMatchObject({ id: opened.id, status: 'in_progress' });
    expect(started.previousStatuses).toEqual({
      acmecmpdecant: 'degraded_performance',
      acmecmpagent: 'operational',
    });
    expect(sp.component('acmecmpdecant')?.status).toBe('under_maintenance');
    expect(sp.component('acmecmpagent')?.status).toBe('under_maintenance');
    expect(sp.incidents(PAGE)[0]?.incident_updates.at(-1)).toMatchObject({
      status: 'in_progress',
      body: 'The deploy has started.',
    });
    // Still found by its ULID, by a worker that knows only the page.
    expect((await port.findByUlid(PAGE, hotfix.ulid))?.previousStatuses).toEqual(started.previousStatuses);

    // The caller may hold the maintenance as it was opened: the statuses recorded at start win.
    await port.complete(opened);
    expect(sp.component('acmecmpdecant')?.status).toBe('degraded_performance');
    expect(sp.component('acmecmpagent')?.status).toBe('operational');
  });

  it('starts a maintenance once, however often it is asked, and says when Statuspage refuses', async () => {
    const opened = await port.ensureOpen(draft({ window: scheduledWindow() }));
    sp.failNext(/\/incidents\/[^/]+$/, { status: 503 }, 1, 'PATCH');
    const refused = await caught(port.start(PAGE, opened.id));
    expect(refused).toMatchObject({ system: 'Statuspage', retryable: true, status: 503 });
    expect(sp.incidents(PAGE)[0]?.status).toBe('scheduled');

    const first = await port.start(PAGE, opened.id);
    const again = await port.start(PAGE, opened.id);
    expect(again).toEqual(first);
    const starts = sp.calls.filter((c) => c.method === 'PATCH' && c.status === 200);
    expect(starts).toHaveLength(1);
    expect(sp.incidents(PAGE)[0]?.incident_updates.map((u) => u.status)).toEqual([
      'scheduled',
      'in_progress',
    ]);
  });

  it('starts once when two workers start it together, never recording under_maintenance as before', async () => {
    const opened = await port.ensureOpen(draft({ window: scheduledWindow() }));
    // One worker reads the components late, after the other has already started the maintenance.
    sp.failNext(/\/components$/, { delayMs: 300 }, 1, 'GET');
    const [a, b] = await Promise.all([port.start(PAGE, opened.id), port.start(PAGE, opened.id)]);
    expect([a.status, b.status]).toEqual(['in_progress', 'in_progress']);
    expect(sp.incidents(PAGE)).toHaveLength(1);
    expect(sp.calls.filter((c) => c.method === 'PATCH')).toHaveLength(1);
    expect(sp.incidents(PAGE)[0]?.metadata).toEqual({
      hotfix: {
        ulid: hotfix.ulid,
        previous_acmecmpdecant: 'operational',
        previous_acmecmpagent: 'partial_outage',
      },
    });
    await port.complete(opened);
    expect(sp.component('acmecmpdecant')?.status).toBe('operational');
    expect(sp.component('acmecmpagent')?.status).toBe('partial_outage');
  });

  it('calls off a maintenance that never started without touching a component that changed since', async () => {
    const opened = await port.ensureOpen(draft({ window: scheduledWindow() }));
    sp.state.setComponentStatus(PAGE, 'acmecmpagent', 'major_outage');

    const done = await port.complete(opened);
    expect(done.status).toBe('completed');
    expect(sp.component('acmecmpagent')?.status).toBe('major_outage');
    expect(sp.component('acmecmpdecant')?.status).toBe('operational');
    const [patch] = sp.calls.filter((c) => c.method === 'PATCH');
    expect(patch?.body).toEqual({ incident: { status: 'completed', body: expect.any(String) } });
    expect(sp.incidents(PAGE)[0]?.incident_updates.at(-1)?.body).toMatch(/called off.*nothing was changed/);
    // A late start finds it completed and leaves it so.
    expect((await port.start(PAGE, opened.id)).status).toBe('completed');
    expect(sp.component('acmecmpagent')?.status).toBe('major_outage');
  });

  it('keeps the metadata others wrote, and the ULID, when it starts a maintenance', async () => {
    const opened = await port.ensureOpen(draft({ window: scheduledWindow() }));
    // Metadata sent in a PATCH replaces what the incident had (the emulator's reading of the API reference).
    const incident = sp.incidents(PAGE)[0]!;
    sp.state.update(PAGE, incident.id, { metadata: { jira: { issue: 'OPS-7' } } });
    expect(incident.metadata).toEqual({ jira: { issue: 'OPS-7' } });
    sp.state.update(PAGE, incident.id, {
      metadata: { jira: { issue: 'OPS-7' }, hotfix: { ulid: hotfix.ulid } },
    });

    await port.start(PAGE, opened.id);
    expect(sp.incidents(PAGE)[0]?.metadata).toEqual({
      jira: { issue: 'OPS-7' },
      hotfix: {
        ulid: hotfix.ulid,
        previous_acmecmpdecant: 'operational',
        previous_acmecmpagent: 'partial_outage',
      },
    });
    // Completing sends no metadata, and so keeps it: the completed maintenance is still found by its ULID.
    await port.complete(opened);
    expect((await port.findByUlid(PAGE, hotfix.ulid))?.status).toBe('completed');
  });

  it('is refused, as Statuspage refuses, a window ending before it starts or a realtime status', async () => {
    const from = new Date(Date.now() + 4 * HOUR).toISOString();
    const until = new Date(Date.now() + 2 * HOUR).toISOString();
    const backwards = await caught(port.ensureOpen(draft({ window: { mode: 'scheduled', from, until } })));
    expect(backwards).toMatchObject({ retryable: false, status: 422 });
    expect(backwards.message).toContain('Scheduled until must be after scheduled for');
    expect(sp.incidents(PAGE)).toHaveLength(0);

    const opened = await port.ensureOpen(draft({ window: scheduledWindow() }));
    const response = await fetch(`${sp.apiUrl}/pages/${PAGE}/incidents/${opened.id}`, {
      method: 'PATCH',
      headers: { authorization: `OAuth ${sp.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        incident: { status: 'resolved', components: { acmecmpdecant: 'under_maintenance' } },
      }),
    });
    expect(response.status).toBe(422);
    // Refused whole: not even the component moved.
    expect(sp.incidents(PAGE)[0]?.status).toBe('scheduled');
    expect(sp.component('acmecmpdecant')?.status).toBe('operational');
  });

  it('refuses, not retryably, a component the page does not have', async () => {
    const error = await caught(port.ensureOpen(draft({ componentIds: ['acmecmpgone'] })));
    expect(error.retryable).toBe(false);
    expect(error.message).toBe('Statuspage page acme0statuspg has no component acmecmpgone');
    expect(sp.incidents(PAGE)).toHaveLength(0);
  });

  it('says a bad key was refused, without retrying and without the key in the message', async () => {
    const bad = new StatuspageStatusPage({ apiUrl: sp.apiUrl, apiKey: 'sp-wrong-secret' });
    const error = await caught(bad.ensureOpen(draft()));
    expect(error).toMatchObject({
      system: 'Statuspage',
      retryable: false,
      status: 401,
      failure: 'credentials',
    });
    expect(error.message).toMatch(
      /^Statuspage could not search page acme0statuspg .*API key was not accepted/,
    );
    expect(error.message).not.toContain('sp-wrong-secret');
  });

  it.each([429, 420] as const)(
    'surfaces a %i over the per-key limit as retryable with its Retry-After',
    async (limitStatus) => {
      await sp.close();
      sp = await startStatuspageEmulator({
        pages: [{ id: PAGE, components: [] }],
        perMinute: 2,
        limitStatus,
      });
      port = new StatuspageStatusPage({ apiUrl: sp.apiUrl, apiKey: sp.apiKey });
      await port.findByUlid(PAGE, hotfix.ulid);
      await port.findByUlid(PAGE, hotfix.ulid);
      const error = await caught(port.findByUlid(PAGE, hotfix.ulid));
      expect(error).toMatchObject({ retryable: true, status: limitStatus, failure: 'rate_limited' });
      expect(error.retryAfterSeconds).toBeGreaterThanOrEqual(59);
      expect(error.message).toContain('rate limit');
    },
  );

  it('surfaces a 5xx and a stall past the timeout as retryable', async () => {
    sp.failNext(/\/incidents$/, { status: 503 });
    const outage = await caught(port.findByUlid(PAGE, hotfix.ulid));
    expect(outage).toMatchObject({ retryable: true, status: 503 });
    const slow = new StatuspageStatusPage({ apiUrl: sp.apiUrl, apiKey: sp.apiKey, timeoutMs: 100 });
    sp.failNext(/\/incidents$/, { delayMs: 500 });
    const stalled = await caught(slow.findByUlid(PAGE, hotfix.ulid));
    expect(stalled.retryable).toBe(true);
    expect(stalled.message).toContain('no answer within 100 ms');
  });
});
