/**
 * The StatusPage port against the Statuspage emulator over fetch: a maintenance is opened once per hotfix (found
 * again by its ULID), completing it restores each component's previous status (a component in an incident stays in
 * it), and failures come back as RecordSystemError saying whether to retry.
 */
import { maintenanceText } from '../../src/domain/change-records.js';
import { StatuspageStatusPage } from '../../src/adapters/statuspage/statuspage-status-page.js';
import { RecordSystemError } from '../../src/ports/record-errors.js';
import type { MaintenanceDraft } from '../../src/ports/status-page.js';
import { startStatuspageEmulator, type StatuspageEmulator } from '../emulators/statuspage/index.js';
import { hotfixIn } from '../unit/domain/builders.js';

const PAGE = 'acme0statuspg';
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

  beforeEach(async () => {
    sp = await startStatuspageEmulator({
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

  it('schedules a maintenance for a window without touching the components yet', async () => {
    const from = '2026-12-01T02:00:00.000Z';
    const until = '2026-12-01T04:00:00.000Z';
    const opened = await port.ensureOpen(draft({ window: { mode: 'scheduled', from, until } }));
    expect(opened.status).toBe('scheduled');
    const [incident] = sp.incidents(PAGE);
    expect(incident).toMatchObject({
      scheduled_for: from,
      scheduled_until: until,
      scheduled_auto_in_progress: true,
    });
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
