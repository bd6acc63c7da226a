/**
 * A local Google Calendar v3 API on 127.0.0.1 for @googleapis/calendar (`rootUrl`): bearer tokens required (a
 * service account's self-signed JWT or an issued OAuth2 access token), calendars that exist or 404, events
 * insert/get/patch/list with `privateExtendedProperty` filters; faults on demand; every call recorded.
 */
import { randomBytes } from 'node:crypto';
import {
  HttpError,
  startHttpEmulator,
  type HttpEmulator,
  type WireRequest,
  type WireResponse,
} from '../http-kit/server.js';
import { GoogleAuthority, type Caller, type ServiceAccountSeed } from './auth.js';
import { CalendarState, googleError, type CalendarEvent } from './state.js';

/** How to start the emulator. */
export interface GoogleCalendarEmulatorOptions {
  calendars: string[];
  serviceAccounts?: ServiceAccountSeed[];
  now?: () => Date;
}

/** A running Calendar emulator. */
export interface GoogleCalendarEmulator extends HttpEmulator {
  /** `http://127.0.0.1:<port>/`: the client's `rootUrl`. */
  readonly rootUrl: string;
  readonly state: CalendarState;
  events(calendarId: string): CalendarEvent[];
  /** An OAuth2 access token for a (non service account) user, for `OAuth2Client.setCredentials`. */
  issueAccessToken(email: string): string;
}

function route(state: CalendarState, caller: Caller, req: WireRequest): WireResponse {
  const m = /^\/calendar\/v3\/calendars\/([^/]+)\/events(?:\/([^/]+))?$/.exec(req.path);
  const calendarId = m?.[1] ? decodeURIComponent(m[1]) : undefined;
  if (!calendarId) throw googleError(404, 'notFound', 'Not Found');
  const eventId = m?.[2] ? decodeURIComponent(m[2]) : undefined;
  if (!eventId && req.method === 'POST') {
    if (req.query.get('sendUpdates') === 'all' && caller.serviceAccount && !caller.delegation)
      throw googleError(
        403,
        'forbiddenForServiceAccounts',
        'Service accounts cannot send invitations without Domain-Wide Delegation of Authority.',
      );
    return { status: 200, body: state.insert(calendarId, req.body, caller) };
  }
  if (!eventId && req.method === 'GET') {
    const items = state.list(calendarId, req.query.getAll('privateExtendedProperty'));
    return { status: 200, body: { kind: 'calendar#events', summary: calendarId, items } };
  }
  if (eventId && req.method === 'GET') return { status: 200, body: state.event(calendarId, eventId) };
  if (eventId && req.method === 'PATCH')
    return { status: 200, body: state.patch(calendarId, eventId, req.body, caller) };
  throw googleError(404, 'notFound', 'Not Found');
}

/** Starts a Calendar emulator. */
export async function startGoogleCalendarEmulator(
  options: GoogleCalendarEmulatorOptions,
): Promise<GoogleCalendarEmulator> {
  const now = options.now ?? (() => new Date());
  const tokens = new Map<string, string>();
  const authority = new GoogleAuthority(options.serviceAccounts ?? [], tokens, now);
  const state = new CalendarState(options.calendars, now);
  const server = await startHttpEmulator((req) => {
    const caller = authority.caller(req.headers.authorization);
    if (!caller)
      throw new HttpError(401, {
        error: {
          code: 401,
          message: 'Request had invalid authentication credentials.',
          status: 'UNAUTHENTICATED',
        },
      });
    return route(state, caller, req);
  });
  return {
    ...server,
    get calls() {
      return server.calls;
    },
    rootUrl: `${server.url}/`,
    state,
    events: (calendarId) => [...(state.calendars.get(calendarId)?.values() ?? [])],
    issueAccessToken(email) {
      const token = `ya29.${randomBytes(12).toString('hex')}`;
      tokens.set(token, email);
      return token;
    },
  };
}
