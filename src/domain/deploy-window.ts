/**
 * A plan's deploy window (`at=`): the moment, in the client's time zone, before which the deploy does not start.
 * Without one a hotfix deploys as soon as it is approved and its environment is free. With one, approval comes
 * first (the plan expires when its window opens), the change records are made for the window (a scheduled
 * Statuspage maintenance, seed 001), and the hotfix queues for its environment when the window opens.
 */
import type { Hotfix } from './hotfix.js';
import { Reason, refuse, type Refusal } from './reasons.js';
import { localTime } from './timing.js';
import { code } from './tokenize.js';

/** How far ahead a window may be: a plan further out is planned nearer the time, with the versions of then. */
export const MAX_WINDOW_AHEAD_DAYS = 14;

const TIME = /^([01]?\d|2[0-3]):([0-5]\d)$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ]([01]?\d|2[0-3]):([0-5]\d)$/;

/** How a window is written, for messages. */
export const WINDOW_FORMS =
  "`at=HH:MM` (the next such time) or `at=YYYY-MM-DDTHH:MM`, in the client's time zone";

/** True when the text has the shape of a window (`14:30`, `2026-12-02T02:00`); whether it is usable comes later. */
export function isWindowText(text: string): boolean {
  return TIME.test(text) || validDateTime(text);
}

function validDateTime(text: string): boolean {
  const match = DATE_TIME.exec(text);
  if (!match) return false;
  const [, y, m, d] = match.map(Number);
  const day = new Date(Date.UTC(y ?? 0, (m ?? 1) - 1, d ?? 1));
  return day.getUTCFullYear() === y && day.getUTCMonth() === (m ?? 1) - 1 && day.getUTCDate() === d;
}

/** The refusal for an `at=` whose value has no window's shape. */
export function badWindow(value: string): Refusal {
  const given = value === '' ? '`at=` has no value' : `${code(`at=${value}`)} is not a time`;
  return refuse(Reason.BadWindow, `${given}: write ${WINDOW_FORMS}.`);
}

/**
 * The instant a window written as `text` names for a client in `timezone`, seen at `now`: `HH:MM` is the next such
 * local time (today or tomorrow), a date and time is that local moment. Refused when it has passed or lies more
 * than MAX_WINDOW_AHEAD_DAYS ahead.
 */
export function resolveWindow(
  text: string,
  timezone: string,
  now: Date,
): { ok: true; at: Date } | { ok: false; refusal: Refusal } {
  const time = TIME.exec(text);
  const dateTime = validDateTime(text) ? DATE_TIME.exec(text) : null;
  if (!time && !dateTime) return { ok: false, refusal: badWindow(text) };
  let at: Date;
  if (time) {
    const hhmm = `${(time[1] ?? '').padStart(2, '0')}:${time[2] ?? ''}`;
    const today = localTime(now, timezone).date;
    at = zonedInstant(today, hhmm, timezone);
    if (at.getTime() <= now.getTime()) at = zonedInstant(nextDate(today), hhmm, timezone);
  } else {
    const [, y, m, d, h, min] = dateTime ?? [];
    at = zonedInstant(`${y}-${m}-${d}`, `${(h ?? '').padStart(2, '0')}:${min}`, timezone);
  }
  if (at.getTime() <= now.getTime()) {
    const local = localTime(now, timezone);
    return {
      ok: false,
      refusal: refuse(
        Reason.BadWindow,
        `${code(`at=${text}`)} has passed (it is ${local.date} ${local.time} in ${timezone}): give a time ahead, or leave \`at=\` out to deploy as soon as it is approved.`,
      ),
    };
  }
  if (at.getTime() - now.getTime() > MAX_WINDOW_AHEAD_DAYS * 86_400_000) {
    return {
      ok: false,
      refusal: refuse(
        Reason.BadWindow,
        `${code(`at=${text}`)} is more than ${MAX_WINDOW_AHEAD_DAYS} days away: plan it nearer the time, with the versions running then.`,
      ),
    };
  }
  return { ok: true, at };
}

function nextDate(date: string): string {
  const day = new Date(`${date}T00:00:00Z`);
  day.setUTCDate(day.getUTCDate() + 1);
  return day.toISOString().slice(0, 10);
}

/**
 * The instant at which the wall clock in `timezone` reads `date` `time`. In the hour a clock skips (spring forward)
 * it is the instant an hour later; in the hour it repeats, the first of the two.
 */
export function zonedInstant(date: string, time: string, timezone: string): Date {
  const wall = Date.parse(`${date}T${time}:00Z`);
  let guess = wall;
  // Two rounds settle every offset change there is: the offset at the guess, then at the corrected guess.
  for (let round = 0; round < 2; round += 1) guess = wall - offsetAt(new Date(guess), timezone);
  return new Date(guess);
}

/** How far the zone's wall clock is ahead of UTC at `instant`, in milliseconds. */
function offsetAt(instant: Date, timezone: string): number {
  const local = localTime(instant, timezone);
  const wall = Date.parse(`${local.date}T${local.time}:00Z`);
  return wall - Math.floor(instant.getTime() / 60_000) * 60_000;
}

/** The step recorded once an approved hotfix waits for its deploy window (its detail: when the window opens). */
export const WINDOW_WAIT = 'window_wait';

/** True while the hotfix has a deploy window that has not opened yet at `now`. */
export function beforeWindow(hotfix: Pick<Hotfix, 'deployAt'>, now: Date): boolean {
  return hotfix.deployAt !== undefined && now.getTime() < Date.parse(hotfix.deployAt);
}

/** The window's opening as the client's people read it: "Wed 2026-12-02 02:00 America/New_York". */
export function localWindowStart(deployAt: string, timezone: string): string {
  const local = localTime(new Date(deployAt), timezone);
  const day = local.weekday.charAt(0).toUpperCase() + local.weekday.slice(1);
  return `${day} ${local.date} ${local.time} ${timezone}`;
}
