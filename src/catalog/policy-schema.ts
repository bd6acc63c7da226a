/** Schema for `policy`: who may do what, how many approvals, freezes, warnings and required records. */
import { z } from 'zod';
import { RECORD_KINDS, type EnvRecords } from '../domain/catalog.js';
import { expecting, foundExpected } from './messages.js';
import {
  audience,
  clockTime,
  isClockTime,
  isLocalDateTime,
  isMapping,
  localDateTime,
  text,
  weekday,
} from './primitives.js';

const severityError = expecting('a severity from 1 to 4');
const severity = z
  .int({ error: severityError })
  .min(1, { error: severityError })
  .max(4, { error: severityError });

const minutesError = expecting('a whole number of minutes');
const minutes = z.int({ error: minutesError }).min(1, { error: minutesError });

const approvalRule = z.strictObject({
  envs: z.array(text).min(1).exactOptional(),
  severities: z.array(severity).min(1).exactOptional(),
  required: z.int().min(1),
});

const freezeWindowBase = {
  name: text,
  clients: z.array(text).min(1).exactOptional(),
  envs: z.array(text).min(1).exactOptional(),
  override: z.enum(['forbidden', 'with-reason']),
};

type Endpoints = { from?: unknown; to?: unknown };

function endpoints(window: Endpoints, isValid: (value: string) => boolean): [string, string] | undefined {
  const { from, to } = window;
  if (typeof from !== 'string' || typeof to !== 'string' || !isValid(from) || !isValid(to)) return undefined;
  return [from, to];
}

function badTo(ctx: z.RefinementCtx, to: string, expected: string): void {
  ctx.addIssue({ code: 'custom', input: to, path: ['to'], message: foundExpected(to, expected) });
}

/** Mirrors src/domain/timing.ts: a date-only `to` includes that day, so only a backwards or empty window is wrong. */
function datesInOrder(window: Endpoints, ctx: z.RefinementCtx): void {
  const ends = endpoints(window, isLocalDateTime);
  if (!ends) return;
  const [from, to] = ends;
  const start = from.includes('T') ? from : `${from}T00:00`;
  const end = to.includes('T') ? to : `${to}T24:00`;
  if (start >= end) {
    const rule = 'a date-only to includes that whole day; a to with a time is exclusive';
    badTo(ctx, to, `a date or time after from ${from} (${rule})`);
  }
}

/** A weekly `to` before `from` runs past midnight (timing.ts), so only an equal pair describes no time at all. */
function timesDiffer(window: Endpoints, ctx: z.RefinementCtx): void {
  const ends = endpoints(window, isClockTime);
  if (ends && ends[0] === ends[1]) {
    badTo(ctx, ends[1], `a time other than from ${ends[0]} (the window would be empty)`);
  }
}

const datedWindow = z
  .strictObject({ kind: z.literal('dates'), ...freezeWindowBase, from: localDateTime, to: localDateTime })
  .superRefine(datesInOrder, { when: (payload) => isMapping(payload.value) });

const weeklyWindow = z
  .strictObject({
    kind: z.literal('weekly'),
    ...freezeWindowBase,
    days: z.array(weekday).min(1),
    from: clockTime,
    to: clockTime,
  })
  .superRefine(timesDiffer, { when: (payload) => isMapping(payload.value) });

const recordKinds = z.array(z.enum(RECORD_KINDS));

const severityRecords = z.strictObject({
  default: recordKinds.optional(),
  sev1: recordKinds.optional(),
  sev2: recordKinds.optional(),
  sev3: recordKinds.optional(),
  sev4: recordKinds.optional(),
});

/**
 * Per env: a list for every severity, or `sev1`..`sev4` and `default` (for the severities not named). Chosen by the
 * value's shape rather than a union, so a mistake inside either form is reported where it is (a union would only say
 * that neither form matched).
 */
const envRecords = z.custom<EnvRecords>().superRefine((value, ctx) => {
  const form = Array.isArray(value) ? recordKinds : severityRecords;
  const parsed = form.safeParse(value, { reportInput: true });
  if (parsed.success) return;
  // Re-raised without zod's sentence, so the catalog's own wording (messages.ts) is used, as everywhere else.
  // An unknown key names the keys that are known from the schema it came from, which the re-raise must carry.
  for (const { message: _default, ...issue } of parsed.error.issues)
    ctx.addIssue({ ...issue, ...(issue.code === 'unrecognized_keys' ? { inst: form } : {}) } as never);
});

const approvers = audience.refine((who) => who.users.length + who.groups.length > 0, {
  error:
    'found no users or groups, expected at least one approver, or no plan needing approval could proceed',
});

/** `policy`: the rules every plan is checked against. */
export const policySchema = z.strictObject({
  planners: audience,
  approvers,
  approvals: z.array(approvalRule).min(1),
  breakGlass: z.strictObject({ severities: z.array(severity), who: audience }),
  operators: audience,
  admins: audience,
  planExpiryMinutes: minutes,
  approvalReminderMinutes: minutes,
  directoryRefreshMinutes: minutes.default(10),
  freezeWindows: z.array(z.discriminatedUnion('kind', [datedWindow, weeklyWindow])).default([]),
  lateWeek: z.strictObject({ days: z.array(weekday).min(1), after: clockTime, endOfDay: clockTime }),
  records: z.record(z.string(), envRecords),
  autoRollback: z.record(z.string(), z.boolean()),
  processGuardWaitMinutes: z
    .record(z.string(), minutes.max(720, { error: expecting('at most 720 minutes') }))
    .optional(),
  triageBeforeApproval: z.array(z.string()).optional(),
});
