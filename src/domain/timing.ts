import type { FreezeWindow, LateWeekPolicy, Policy, Weekday } from './catalog.js';
import { WEEKDAYS } from './catalog.js';

/** A moment as a person in the client's time zone reads it. */
export interface LocalTime {
  weekday: Weekday;
  /** `YYYY-MM-DD` */
  date: string;
  /** `HH:MM`, 24-hour */
  time: string;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
/** The last answer per time zone: it holds for the whole minute (`formatToParts` costs tens of microseconds). */
const lastMinute = new Map<string, { minute: number; local: LocalTime }>();

/** The local weekday, date and time of `now` in `timezone` (an IANA name, validated by the catalog). */
export function localTime(now: Date, timezone: string): LocalTime {
  // Every zone's offset is a whole number of minutes, so the local minute changes exactly when the UTC minute does.
  const minute = Math.floor(now.getTime() / 60_000);
  const last = lastMinute.get(timezone);
  if (last?.minute === minute) return last.local;
  const local = formatLocal(now, timezone);
  lastMinute.set(timezone, { minute, local });
  return local;
}

function formatLocal(now: Date, timezone: string): LocalTime {
  let format = formatters.get(timezone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      weekday: 'short',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timezone, format);
  }
  // One formatting per call: formatToParts is the costly part, and each field is read from the same result.
  const parts = format.formatToParts(now);
  const part = (type: Intl.DateTimeFormatPartTypes): string =>
    parts.find((p) => p.type === type)?.value ?? '';
  const weekday = part('weekday').toLowerCase().slice(0, 3) as Weekday;
  return {
    weekday,
    date: `${part('year')}-${part('month')}-${part('day')}`,
    time: `${part('hour')}:${part('minute')}`,
  };
}

function previousDay(day: Weekday): Weekday {
  return WEEKDAYS[(WEEKDAYS.indexOf(day) + 6) % 7] ?? day;
}

function inWindow(window: FreezeWindow, local: LocalTime): boolean {
  if (window.kind === 'dates') {
    const stamp = `${local.date}T${local.time}`;
    const from = window.from.includes('T') ? window.from : `${window.from}T00:00`;
    const to = window.to.includes('T') ? window.to : `${window.to}T24:00`;
    return stamp >= from && stamp < to;
  }
  if (window.from <= window.to) {
    return window.days.includes(local.weekday) && local.time >= window.from && local.time < window.to;
  }
  const lateOnDay = window.days.includes(local.weekday) && local.time >= window.from;
  const earlyNextDay = window.days.includes(previousDay(local.weekday)) && local.time < window.to;
  return lateOnDay || earlyNextDay;
}

/** The freeze windows in force for this client and env at `now`, in the client's time zone. */
export function activeFreezes(
  policy: Policy,
  target: { client: string; env: string; timezone: string },
  now: Date,
): FreezeWindow[] {
  const local = localTime(now, target.timezone);
  return policy.freezeWindows.filter(
    (w) =>
      (!w.clients || w.clients.includes(target.client)) &&
      (!w.envs || w.envs.includes(target.env)) &&
      inWindow(w, local),
  );
}

/** A short description of a window for messages: "year-end freeze (2026-12-24 to 2027-01-02)". */
export function describeWindow(window: FreezeWindow): string {
  const when =
    window.kind === 'dates'
      ? `${window.from} to ${window.to}`
      : `${window.days.join('/')} ${window.from}-${window.to}`;
  return `${window.name} (${when})`;
}

const WEEKEND: readonly Weekday[] = ['sat', 'sun'];

/**
 * Seed 001's staffing warning: late in the work week, after the end of the working day, or at the weekend.
 * A warning, never a refusal: a Sev 1 at 5 p.m. on a Friday still has to ship. `at` is now, or the opening of the
 * plan's deploy window (`windowed`), which is then what the warning speaks of.
 */
export function staffingWarning(
  lateWeek: LateWeekPolicy,
  timezone: string,
  at: Date,
  windowed = false,
): string | undefined {
  const local = localTime(at, timezone);
  const clock = `${capitalised(local.weekday)} ${local.time} ${timezone}`;
  const when = windowed ? 'The deploy window opens' : 'It is';
  if (WEEKEND.includes(local.weekday)) {
    return `${when} ${windowed ? 'at ' : ''}the weekend (${clock}): coverage is thin. Make sure the owning team and the client's support are reachable.`;
  }
  if (lateWeek.days.includes(local.weekday) && local.time >= lateWeek.after) {
    return `${when} late in the work week (${clock}): if this can wait for a better-staffed day, it likely should.`;
  }
  if (local.time >= lateWeek.endOfDay) {
    return `${when} ${windowed ? 'after ' : ''}the end of the working day (${clock}): check who stays on to watch the deploy.`;
  }
  return undefined;
}

function capitalised(day: Weekday): string {
  return day.charAt(0).toUpperCase() + day.slice(1);
}

/** When a plan with no decision expires. */
export function planExpiry(policy: Policy, plannedAt: Date): Date {
  return new Date(plannedAt.getTime() + policy.planExpiryMinutes * 60_000);
}
