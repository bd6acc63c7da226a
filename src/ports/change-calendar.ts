/**
 * The change calendar event of a hotfix (Google Calendar). The event carries the hotfix ULID as a private extended
 * property so a retry finds it again.
 */
import type { RecordText } from '../domain/change-records.js';

/** A calendar event as the workflow needs it. */
export interface ChangeEvent {
  id: string;
  calendarId: string;
  /** ISO 8601 instants. */
  start: string;
  end: string;
  url?: string;
}

/** What to put on the calendar. */
export interface ChangeEventDraft {
  calendarId: string;
  ulid: string;
  text: RecordText;
  start: string;
  end: string;
}

/** Creates, finds and stretches change events; every failure is a RecordSystemError. */
export interface ChangeCalendar {
  /** The event carrying this hotfix ULID on that calendar, if one exists. */
  findByUlid(calendarId: string, ulid: string): Promise<ChangeEvent | undefined>;
  /** Creates the event unless one carrying the ULID exists; returns whichever it is. */
  ensure(draft: ChangeEventDraft): Promise<ChangeEvent>;
  /** Rewrites the title and description (the plan was revised after the event was created). */
  updateText(calendarId: string, eventId: string, text: RecordText): Promise<void>;
  /** Moves the event's end (the deploy took longer or finished early). */
  setEnd(calendarId: string, eventId: string, end: string): Promise<ChangeEvent>;
}
