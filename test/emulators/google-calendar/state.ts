/**
 * Calendars and their events as Calendar v3 returns them, with the checks Google makes: the calendar must exist
 * (404), start and end are required and the range must not be empty (400), a service account without domain-wide
 * delegation cannot invite attendees (403).
 */
import { HttpError, isObject, type Json, type JsonObject } from '../http-kit/server.js';
import type { Caller } from './auth.js';

/** Google's error envelope. */
export function googleError(code: number, reason: string, message: string): HttpError {
  return new HttpError(code, { error: { code, message, errors: [{ domain: 'calendar', reason, message }] } });
}

export interface CalendarEvent extends JsonObject {
  id: string;
}

function instant(value: Json | undefined): number | undefined {
  if (!isObject(value)) return undefined;
  const text =
    typeof value['dateTime'] === 'string'
      ? value['dateTime']
      : typeof value['date'] === 'string'
        ? value['date']
        : undefined;
  const ms = text === undefined ? NaN : Date.parse(text);
  return Number.isFinite(ms) ? ms : undefined;
}

function privateProps(event: JsonObject): JsonObject {
  const ext = event['extendedProperties'];
  return isObject(ext) && isObject(ext['private']) ? ext['private'] : {};
}

/** Calendars by id, each with its events. */
export class CalendarState {
  readonly calendars = new Map<string, Map<string, CalendarEvent>>();
  private nextId = 1;

  constructor(
    calendarIds: string[],
    private readonly now: () => Date,
  ) {
    for (const id of calendarIds) this.calendars.set(id, new Map());
  }

  private calendar(id: string): Map<string, CalendarEvent> {
    const calendar = this.calendars.get(id);
    if (!calendar) throw googleError(404, 'notFound', 'Not Found');
    return calendar;
  }

  event(calendarId: string, eventId: string): CalendarEvent {
    const event = this.calendar(calendarId).get(eventId);
    if (!event) throw googleError(404, 'notFound', 'Not Found');
    return event;
  }

  private check(event: JsonObject, caller: Caller): void {
    const start = instant(event['start']);
    const end = instant(event['end']);
    if (start === undefined) throw googleError(400, 'required', 'Missing start time.');
    if (end === undefined) throw googleError(400, 'required', 'Missing end time.');
    if (end <= start) throw googleError(400, 'timeRangeEmpty', 'The specified time range is empty.');
    const attendees = event['attendees'];
    if (Array.isArray(attendees) && attendees.length > 0 && caller.serviceAccount && !caller.delegation)
      throw googleError(
        403,
        'forbiddenForServiceAccounts',
        'Service accounts cannot invite attendees without Domain-Wide Delegation of Authority.',
      );
  }

  insert(calendarId: string, body: Json | undefined, caller: Caller): CalendarEvent {
    const calendar = this.calendar(calendarId);
    if (!isObject(body)) throw googleError(400, 'required', 'Missing event.');
    this.check(body, caller);
    const at = this.now().toISOString();
    const id = `evt${String(this.nextId++).padStart(6, '0')}`;
    const event: CalendarEvent = {
      ...body,
      kind: 'calendar#event',
      id,
      status: 'confirmed',
      htmlLink: `https://www.google.com/calendar/event?eid=${id}`,
      created: at,
      updated: at,
      organizer: { email: calendarId, self: true },
      creator: { email: caller.email },
    };
    calendar.set(id, event);
    return event;
  }

  patch(calendarId: string, eventId: string, body: Json | undefined, caller: Caller): CalendarEvent {
    const event = this.event(calendarId, eventId);
    if (!isObject(body)) throw googleError(400, 'required', 'Missing event.');
    const next: CalendarEvent = { ...event, ...body, id: event.id, updated: this.now().toISOString() };
    this.check(next, caller);
    this.calendar(calendarId).set(eventId, next);
    return next;
  }

  /** events.list: `privateExtendedProperty=key=value` filters (all must match); cancelled events are left out. */
  list(calendarId: string, filters: string[]): CalendarEvent[] {
    const wanted = filters.map((f) => {
      const at = f.indexOf('=');
      if (at <= 0) throw googleError(400, 'invalid', `Invalid privateExtendedProperty: ${f}`);
      return [f.slice(0, at), f.slice(at + 1)] as const;
    });
    return [...this.calendar(calendarId).values()].filter(
      (e) => e['status'] !== 'cancelled' && wanted.every(([k, v]) => privateProps(e)[k] === v),
    );
  }
}
