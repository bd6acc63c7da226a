/**
 * Small schemas shared by the catalog sections: Slack ids, times, dates, names. Each carries its own wording so a
 * problem says what a valid value looks like, not just that the value was wrong.
 */
import { z } from 'zod';
import { WEEKDAYS } from '../domain/catalog.js';
import { expecting, foundExpected } from './messages.js';

/** A string matching `pattern`, described to people as `what` whatever went wrong. */
export function formatted(pattern: RegExp, what: string) {
  const error = expecting(what);
  return z.string({ error }).regex(pattern, { error });
}

/** A string with something in it. */
export const text = z.string().min(1, { error: expecting('a non-empty string') });

/** Slack channel id (public C..., private G...). Ids survive renames; names do not. */
export const channelId = formatted(/^[CG][A-Z0-9]{2,}$/, 'a Slack channel id like C0123ABCD');

/** Slack user id (U..., or W... on Enterprise Grid). */
export const userId = formatted(/^[UW][A-Z0-9]{2,}$/, 'a Slack user id like U0123ABCD');

/** Slack user group id. */
export const groupId = formatted(/^S[A-Z0-9]{2,}$/, 'a Slack user group id like S0123ABCD');

const HH_MM = /^([01]\d|2[0-3]):[0-5]\d$/;

/** True for a 24-hour `HH:MM`. */
export function isClockTime(value: string): boolean {
  return HH_MM.test(value);
}

/** Local wall-clock time `HH:MM`, 24-hour. */
export const clockTime = formatted(HH_MM, 'a time HH:MM like 14:00 (24-hour, quoted)');

/** A client-local date or date and time; kept as text because its meaning depends on the client's time zone. */
export const localDateTime = z
  .string({ error: expecting('a date YYYY-MM-DD or date and time YYYY-MM-DDTHH:MM') })
  .refine(isLocalDateTime, { error: expecting('a real date YYYY-MM-DD or date and time YYYY-MM-DDTHH:MM') });

/** `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM` naming a day that exists (no 2026-02-30). */
export function isLocalDateTime(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})(?:T([01]\d|2[0-3]):([0-5]\d))?$/.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** IANA time zone name, as Intl understands it (the freeze-window code relies on Intl). */
export const timeZone = z
  .string({ error: expecting('an IANA time zone like Europe/London') })
  .refine(isTimeZone, { error: expecting('an IANA time zone like Europe/London') });

function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

/** Three-letter lowercase weekday. */
export const weekday = z.enum(WEEKDAYS);

/** Absolute http(s) URL. */
export const httpUrl = z.url({
  protocol: /^https?$/,
  error: expecting('an http(s) URL like https://host.example.com'),
});

/** A Slack channel: the id is what the bot uses, the name is for people reading the catalog and messages. */
export const channelRef = z.strictObject({ id: channelId, name: text });

/** Users and user groups; either list may be left out. */
export const audience = z.strictObject({
  users: z.array(userId).default([]),
  groups: z.array(groupId).default([]),
});

const NAME = /^[a-z][a-z0-9-]*$/;

/**
 * A mapping whose keys are names people type in `/hotfix` commands (services, clients, envs). Each value gets its
 * key as `name`, so the YAML does not repeat it.
 */
export function namedRecord<T extends z.ZodType<object>>(value: T, what: string) {
  return z
    .record(z.string(), value)
    .superRefine(checkNames(what), { when: (payload) => isMapping(payload.value) })
    .transform((entries) => withNames(entries));
}

// Runs even when some entry is invalid, so a badly spelled name is reported in the same pass as everything else.
function checkNames(what: string) {
  return (entries: object, ctx: z.RefinementCtx) => {
    const names = Object.keys(entries);
    if (names.length === 0)
      ctx.addIssue({ code: 'custom', input: entries, message: foundExpected({}, `at least one ${what}`) });
    for (const name of names.filter((n) => !NAME.test(n))) {
      const expected = `a ${what} name of lowercase letters, digits and dashes, as typed in /hotfix commands`;
      ctx.addIssue({ code: 'custom', input: name, path: [name], message: foundExpected(name, expected) });
    }
  };
}

/** True for a YAML mapping (a plain object), false for lists, scalars and null. */
export function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function withNames<V extends object>(entries: Record<string, V>): Record<string, { name: string } & V> {
  return Object.fromEntries(Object.entries(entries).map(([name, value]) => [name, { name, ...value }]));
}
