/**
 * The ChangeCalendar port on Google Calendar through @googleapis/calendar. The event carries the hotfix ULID as a
 * private extended property, which events.list filters on, so a retry finds it. A service account cannot invite
 * people without domain-wide delegation, so the event names its stakeholders in the description instead.
 */
import { auth, calendar, type calendar_v3 } from '@googleapis/calendar';
import type { RecordText } from '../../domain/change-records.js';
import type { ChangeCalendar, ChangeEvent, ChangeEventDraft } from '../../ports/change-calendar.js';
import { asGoogleError } from './google-errors.js';

const SCOPE = 'https://www.googleapis.com/auth/calendar.events';

/** The client credentials the Calendar API accepts (a service-account JWT or an OAuth2 client). */
export type CalendarAuth = NonNullable<calendar_v3.Options['auth']>;

/** How to reach Google Calendar. */
export interface GoogleChangeCalendarOptions {
  /** `https://www.googleapis.com/`, or an emulator's. */
  rootUrl: string;
  auth: CalendarAuth;
  /** Milliseconds before a call counts as failed (and retryable). @defaultValue 10000 */
  timeoutMs?: number;
}

/**
 * Service-account credentials from a key file's JSON, signing their own scoped tokens: no call to Google's token
 * endpoint, which a rootUrl override cannot redirect.
 */
export function serviceAccountAuth(key: {
  client_email: string;
  private_key: string;
}): InstanceType<typeof auth.JWT> {
  const jwt = new auth.JWT({ email: key.client_email, key: key.private_key, scopes: [SCOPE] });
  jwt.useJWTAccessWithScope = true;
  return jwt;
}

function asEvent(calendarId: string, event: calendar_v3.Schema$Event): ChangeEvent {
  return {
    id: event.id ?? '',
    calendarId,
    start: event.start?.dateTime ?? event.start?.date ?? '',
    end: event.end?.dateTime ?? event.end?.date ?? '',
    ...(event.htmlLink ? { url: event.htmlLink } : {}),
  };
}

/** Google Calendar through @googleapis/calendar. */
export class GoogleChangeCalendar implements ChangeCalendar {
  private readonly api: calendar_v3.Calendar;

  constructor(options: GoogleChangeCalendarOptions) {
    this.api = calendar({
      version: 'v3',
      auth: options.auth,
      rootUrl: options.rootUrl,
      timeout: options.timeoutMs ?? 10_000,
      // The workflow retries a step with backoff; a hidden retry here would hold a worker past its timeout.
      retry: false,
      // Node's own fetch: gaxios would otherwise import node-fetch dynamically, which some runtimes (jest's VM) refuse.
      fetchImplementation: fetch,
    });
  }

  private async attempt<T>(what: string, call: () => Promise<{ data: T }>): Promise<T> {
    try {
      return (await call()).data;
    } catch (error) {
      throw asGoogleError(error, what);
    }
  }

  /** The event whose private property `ulid` is the hotfix ULID. */
  async findByUlid(calendarId: string, ulid: string): Promise<ChangeEvent | undefined> {
    const list = await this.attempt(`search calendar ${calendarId} for hotfix ${ulid}`, () =>
      this.api.events.list({ calendarId, privateExtendedProperty: [`ulid=${ulid}`], maxResults: 2 }),
    );
    const event = list.items?.[0];
    return event ? asEvent(calendarId, event) : undefined;
  }

  /** Creates the event unless one carrying the ULID exists. */
  async ensure(draft: ChangeEventDraft): Promise<ChangeEvent> {
    const existing = await this.findByUlid(draft.calendarId, draft.ulid);
    if (existing) return existing;
    const event = await this.attempt(`create the event of hotfix ${draft.ulid} on ${draft.calendarId}`, () =>
      this.api.events.insert({
        calendarId: draft.calendarId,
        requestBody: {
          summary: draft.text.title,
          description: draft.text.paragraphs.join('\n\n'),
          start: { dateTime: draft.start },
          end: { dateTime: draft.end },
          extendedProperties: { private: { ulid: draft.ulid } },
        },
      }),
    );
    return asEvent(draft.calendarId, event);
  }

  /** Rewrites the title and description as on insert. */
  async updateText(calendarId: string, eventId: string, text: RecordText): Promise<void> {
    await this.attempt(`update the text of event ${eventId} on ${calendarId}`, () =>
      this.api.events.patch({
        calendarId,
        eventId,
        requestBody: { summary: text.title, description: text.paragraphs.join('\n\n') },
      }),
    );
  }

  /** Moves the event's end. */
  async setEnd(calendarId: string, eventId: string, end: string): Promise<ChangeEvent> {
    const event = await this.attempt(`move the end of event ${eventId} on ${calendarId}`, () =>
      this.api.events.patch({ calendarId, eventId, requestBody: { end: { dateTime: end } } }),
    );
    return asEvent(calendarId, event);
  }
}
