/**
 * The deployment service's CloudWatch log as the live status shows it, kept in the hotfix's refs between polls: a
 * cursor (the last timestamp read and the event ids seen at it, so the next FilterLogEvents starts there and no line
 * is taken twice), every error line, the latest lines and the service's own rollback lines, each redacted and cut.
 */
import type { Redactor } from '../../redact.js';
import type { LogLine } from './ecs-run-once-aws.js';

/** The refs the tail lives in (the live status reads LOG_REFS.latest, .errors and .url). */
export const LOG_REFS = {
  cursor: 'ecsLogCursor',
  latest: 'ecsLogLatest',
  errors: 'ecsLogErrors',
  rollback: 'ecsLogRollback',
  url: 'ecsLogUrl',
} as const;

/** Latest lines kept. */
export const LATEST_LINES = 8;
/** Error and rollback lines kept (the newest), each list. */
export const KEPT_LINES = 15;
/** Characters of one line kept. */
export const LINE_CHARS = 300;

const ERROR_LINE = /\b(error|fatal|exception|failed|failure)\b/i;
const ROLLBACK_LINE = /\broll(?:ing|ed)?[ -]?back\b/i;

/** Where the tail is: the attempt it belongs to, the last timestamp read and the ids read at that timestamp. */
export interface LogCursor {
  attempt: number;
  timestamp: number;
  ids: string[];
}

/** The tail kept between polls. */
export interface LogTail {
  cursor: LogCursor;
  latest: string[];
  errors: string[];
  rollback: string[];
}

/** seed 000's log group name, unless the catalog names another. */
export function logGroupOf(client: string, env: string, configured: string | undefined): string {
  return configured ?? `/ecs/${env}-deployment-${client}`;
}

/** The CloudWatch console page of the log group. */
export function consoleUrl(region: string, group: string): string {
  // The console's own escaping of a log group in its fragment: '/' -> '$252F'.
  const escaped = encodeURIComponent(group).replace(/%/g, '$25');
  return `https://${region}.console.aws.amazon.com/cloudwatch/home?region=${region}#logsV2:log-groups/log-group/${escaped}`;
}

/** The tail the refs hold for this attempt, or an empty one starting at `sinceMs`. */
export function tailFrom(refs: Record<string, string>, attempt: number, sinceMs: number): LogTail {
  const cursor = parseCursor(refs[LOG_REFS.cursor]);
  if (!cursor || cursor.attempt !== attempt)
    return { cursor: { attempt, timestamp: sinceMs, ids: [] }, latest: [], errors: [], rollback: [] };
  const lines = (key: string) => (refs[key] ? (refs[key] ?? '').split('\n') : []);
  return {
    cursor,
    latest: lines(LOG_REFS.latest),
    errors: lines(LOG_REFS.errors),
    rollback: lines(LOG_REFS.rollback),
  };
}

/** The events of `read` not taken yet (a read starts at the cursor's timestamp, so it repeats the ids seen there). */
export function unread(tail: LogTail, read: readonly LogLine[]): LogLine[] {
  const seen = new Set(tail.cursor.ids);
  return read.filter(
    (e) =>
      e.timestamp > tail.cursor.timestamp || (e.timestamp === tail.cursor.timestamp && !seen.has(e.eventId)),
  );
}

/** The tail with `fresh` (unread events, oldest first) taken in. */
export function takeIn(tail: LogTail, fresh: readonly LogLine[], redact: Redactor): LogTail {
  if (fresh.length === 0) return tail;
  const shown = fresh.map((e) => cut(redact(e.message.replace(/\s+$/, '').replace(/\n/g, ' '))));
  const last = fresh[fresh.length - 1]?.timestamp ?? tail.cursor.timestamp;
  const idsAtLast = fresh.filter((e) => e.timestamp === last).map((e) => e.eventId);
  const ids = last === tail.cursor.timestamp ? [...tail.cursor.ids, ...idsAtLast] : idsAtLast;
  return {
    cursor: { attempt: tail.cursor.attempt, timestamp: last, ids },
    latest: [...tail.latest, ...shown].slice(-LATEST_LINES),
    errors: [...tail.errors, ...shown.filter((l) => ERROR_LINE.test(l))].slice(-KEPT_LINES),
    rollback: [...tail.rollback, ...shown.filter((l) => ROLLBACK_LINE.test(l))].slice(-KEPT_LINES),
  };
}

/** The refs that hold the tail. */
export function tailRefs(tail: LogTail): Record<string, string> {
  const { attempt, timestamp, ids } = tail.cursor;
  return {
    [LOG_REFS.cursor]: `${attempt}|${timestamp}|${ids.join(',')}`,
    [LOG_REFS.latest]: tail.latest.join('\n'),
    [LOG_REFS.errors]: tail.errors.join('\n'),
    [LOG_REFS.rollback]: tail.rollback.join('\n'),
  };
}

function parseCursor(value: string | undefined): LogCursor | undefined {
  const [attempt, timestamp, ids] = (value ?? '').split('|');
  if (attempt === undefined || timestamp === undefined || ids === undefined) return undefined;
  const cursor = { attempt: Number(attempt), timestamp: Number(timestamp), ids: ids ? ids.split(',') : [] };
  return Number.isFinite(cursor.attempt) && Number.isFinite(cursor.timestamp) ? cursor : undefined;
}

function cut(line: string): string {
  return line.length <= LINE_CHARS ? line : `${line.slice(0, LINE_CHARS - 1)}…`;
}
