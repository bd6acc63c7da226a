/** CloudWatch Logs as the bot reads it: log groups of streams of events, and FilterLogEvents with paging. */
import { AwsError, optionalString, requiredString, type JsonObject } from './wire.js';

/** One log event as stored. */
export interface LogEventRecord {
  logStreamName: string;
  timestamp: number;
  message: string;
  ingestionTime: number;
  eventId: string;
}

/** Log groups by name. */
export class LogsState {
  readonly groups = new Map<string, LogEventRecord[]>();
  private sequence = 0;

  constructor(
    private readonly clock: () => number,
    private readonly pageSize: number,
  ) {}

  /** Creates a log group (idempotent). */
  createGroup(name: string): void {
    if (!this.groups.has(name)) this.groups.set(name, []);
  }

  /** Appends lines to a stream of a group at `timestamp` (default now). */
  put(group: string, stream: string, messages: string[], timestamp = this.clock()): void {
    this.createGroup(group);
    const events = this.groups.get(group) ?? [];
    for (const message of messages) {
      this.sequence += 1;
      events.push({
        logStreamName: stream,
        timestamp,
        message,
        ingestionTime: this.clock(),
        eventId: String(this.sequence).padStart(56, '0'),
      });
    }
    events.sort((a, b) => a.timestamp - b.timestamp || a.eventId.localeCompare(b.eventId));
  }

  /** FilterLogEvents: events in [startTime, endTime], oldest first, `limit` or the page size per page. */
  filter(body: JsonObject): JsonObject {
    const name = requiredString(body, 'logGroupName');
    const events = this.groups.get(name);
    if (!events)
      throw new AwsError(400, 'ResourceNotFoundException', 'The specified log group does not exist.');
    const start = typeof body['startTime'] === 'number' ? body['startTime'] : 0;
    const end = typeof body['endTime'] === 'number' ? body['endTime'] : Number.MAX_SAFE_INTEGER;
    const streams = Array.isArray(body['logStreamNames']) ? (body['logStreamNames'] as string[]) : undefined;
    const pattern = optionalString(body, 'filterPattern');
    const matching = events.filter(
      (e) =>
        e.timestamp >= start &&
        e.timestamp <= end &&
        (!streams || streams.includes(e.logStreamName)) &&
        (!pattern || e.message.includes(pattern.replace(/^"|"$/g, ''))),
    );
    const size = typeof body['limit'] === 'number' ? Math.min(body['limit'], this.pageSize) : this.pageSize;
    const token = optionalString(body, 'nextToken');
    const from = token === undefined ? 0 : Number(token.replace(/^page-/, ''));
    if (Number.isNaN(from))
      throw new AwsError(400, 'InvalidParameterException', 'The specified nextToken is invalid.');
    const slice = matching.slice(from, from + size);
    const more = from + size < matching.length;
    return {
      events: slice.map((e) => ({ ...e })),
      searchedLogStreams: [],
      ...(more ? { nextToken: `page-${from + size}` } : {}),
    };
  }
}
