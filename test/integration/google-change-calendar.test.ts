/**
 * The ChangeCalendar port against the Calendar emulator through @googleapis/calendar with a service account signing
 * its own tokens: one event per hotfix found again by its ULID, its end moved, stakeholders named rather than
 * invited, and failures as RecordSystemError saying whether to retry.
 */
import { generateKeyPairSync } from 'node:crypto';
import { auth, calendar } from '@googleapis/calendar';
import { eventText } from '../../src/domain/change-records.js';
import {
  GoogleChangeCalendar,
  serviceAccountAuth,
} from '../../src/adapters/google/google-change-calendar.js';
import { RecordSystemError } from '../../src/ports/record-errors.js';
import type { ChangeEventDraft } from '../../src/ports/change-calendar.js';
import {
  startGoogleCalendarEmulator,
  type GoogleCalendarEmulator,
} from '../emulators/google-calendar/index.js';
import { hotfixIn } from '../unit/domain/builders.js';

const CALENDAR = 'acme-prod-changes@group.calendar.google.com';
const EMAIL = 'hotfix-bot@acme-project.iam.gserviceaccount.com';
/** A service account's key pair, PEM-encoded as in a key file. */
function rsaPair(): { publicKey: string; privateKey: string } {
  return generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
}
const keys = rsaPair();
const hotfix = hotfixIn('deploying');

function draft(overrides: Partial<ChangeEventDraft> = {}): ChangeEventDraft {
  return {
    calendarId: CALENDAR,
    ulid: hotfix.ulid,
    text: eventText(hotfix, { ticketKey: 'CHG-1' }),
    start: '2026-11-17T15:00:00.000Z',
    end: '2026-11-17T16:00:00.000Z',
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

describe('Google change calendar', () => {
  let google: GoogleCalendarEmulator;
  let port: GoogleChangeCalendar;
  const sa = (privateKey = keys.privateKey) =>
    serviceAccountAuth({ client_email: EMAIL, private_key: privateKey });

  beforeEach(async () => {
    google = await startGoogleCalendarEmulator({
      calendars: [CALENDAR],
      serviceAccounts: [{ email: EMAIL, publicKey: keys.publicKey }],
    });
    port = new GoogleChangeCalendar({ rootUrl: google.rootUrl, auth: sa() });
  });
  afterEach(() => google.close());

  it('creates the event once, carrying the ULID and naming the stakeholders, and finds it again', async () => {
    const created = await port.ensure(draft());
    expect(created).toMatchObject({
      calendarId: CALENDAR,
      start: '2026-11-17T15:00:00.000Z',
      end: '2026-11-17T16:00:00.000Z',
    });
    const [event] = google.events(CALENDAR);
    expect(event?.['extendedProperties']).toEqual({ private: { ulid: hotfix.ulid } });
    expect(event?.['description']).toContain('Stakeholders: U0REQUESTER');
    expect(event?.['description']).toContain('Change ticket: CHG-1');
    expect(event?.['attendees']).toBeUndefined();

    expect(await port.findByUlid(CALENDAR, hotfix.ulid)).toEqual(created);
    expect(await port.ensure(draft())).toEqual(created);
    expect(google.events(CALENDAR)).toHaveLength(1);
    expect(await port.findByUlid(CALENDAR, '01JD0000000000000000000099')).toBeUndefined();
  });

  it('moves the end of the event, and refuses an end before its start without retrying', async () => {
    const created = await port.ensure(draft());
    const moved = await port.setEnd(CALENDAR, created.id, '2026-11-17T17:30:00.000Z');
    expect(moved.end).toBe('2026-11-17T17:30:00.000Z');
    expect(google.state.event(CALENDAR, created.id)['end']).toEqual({ dateTime: '2026-11-17T17:30:00.000Z' });
    const error = await caught(port.setEnd(CALENDAR, created.id, '2026-11-17T14:00:00.000Z'));
    expect(error).toMatchObject({ retryable: false, status: 400 });
    expect(error.message).toContain('The specified time range is empty.');
  });

  it('names a calendar that does not exist, not retryably', async () => {
    const error = await caught(port.ensure(draft({ calendarId: 'nobody@group.calendar.google.com' })));
    expect(error).toMatchObject({
      system: 'Google Calendar',
      retryable: false,
      status: 404,
      failure: 'not_found',
    });
    expect(error.message).toMatch(
      /^Google Calendar could not search calendar nobody@group\.calendar\.google\.com/,
    );
  });

  it('refuses attendees from a service account without domain-wide delegation, as Google does', async () => {
    const api = calendar({
      version: 'v3',
      auth: sa(),
      rootUrl: google.rootUrl,
      retry: false,
      fetchImplementation: fetch,
    });
    const answer = await api.events
      .insert({
        calendarId: CALENDAR,
        requestBody: {
          ...{ start: { dateTime: draft().start }, end: { dateTime: draft().end } },
          attendees: [{ email: 'tam@acme.example' }],
        },
      })
      .then(
        () => undefined,
        (e: unknown) => e as { response?: { status?: number } },
      );
    expect(answer?.response?.status).toBe(403);
    expect(google.events(CALENDAR)).toHaveLength(0);
  });

  it('accepts an OAuth2 client with preset credentials', async () => {
    const oauth = new auth.OAuth2();
    oauth.setCredentials({
      access_token: google.issueAccessToken('ops@acme.example'),
      expiry_date: Date.now() + 3_600_000,
    });
    const viaUser = new GoogleChangeCalendar({ rootUrl: google.rootUrl, auth: oauth });
    expect((await viaUser.ensure(draft())).id).toMatch(/^evt/);
  });

  it('says a key Google does not know was refused, without the key in the message', async () => {
    const stranger = rsaPair();
    const error = await caught(
      new GoogleChangeCalendar({ rootUrl: google.rootUrl, auth: sa(stranger.privateKey) }).ensure(draft()),
    );
    expect(error).toMatchObject({ retryable: false, status: 401 });
    expect(error.message).toContain('GOOGLE_APPLICATION_CREDENTIALS');
    expect(error.message).not.toContain('PRIVATE KEY');
  });

  it('surfaces 5xx, 429 with Retry-After and a stall as retryable', async () => {
    google.failNext(/\/events$/, { status: 503 });
    expect(await caught(port.findByUlid(CALENDAR, hotfix.ulid))).toMatchObject({
      retryable: true,
      status: 503,
    });
    google.failNext(/\/events$/, { status: 429, retryAfterSeconds: 4 });
    expect(await caught(port.findByUlid(CALENDAR, hotfix.ulid))).toMatchObject({
      retryable: true,
      status: 429,
      retryAfterSeconds: 4,
    });
    google.failNext(/\/events$/, { delayMs: 500 });
    const slow = new GoogleChangeCalendar({ rootUrl: google.rootUrl, auth: sa(), timeoutMs: 100 });
    const stalled = await caught(slow.findByUlid(CALENDAR, hotfix.ulid));
    expect(stalled.retryable).toBe(true);
  });
});
