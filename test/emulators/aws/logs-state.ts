/**
 * CloudWatch Logs as the bot reads it: log groups of streams of events; FilterLogEvents with paging, DescribeLogStreams
 * and GetLogEvents with their forward and backward tokens.
 */
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

  /** DescribeLogStreams: a group's streams by name, or by last event time (which takes no name prefix). */
  describeStreams(body: JsonObject): JsonObject {
    const events = this.eventsOf(body);
    const prefix = optionalString(body, 'logStreamNamePrefix');
    const orderBy = optionalString(body, 'orderBy') ?? 'LogStreamName';
    if (orderBy !== 'LogStreamName' && orderBy !== 'LastEventTime')
      throw new AwsError(400, 'InvalidParameterException', 'orderBy must be LogStreamName or LastEventTime.');
    if (orderBy === 'LastEventTime' && prefix !== undefined)
      throw new AwsError(
        400,
        'InvalidParameterException',
        'Cannot order by LastEventTime with a logStreamNamePrefix.',
      );
    const streams = new Map<string, LogEventRecord[]>();
    for (const e of events) streams.set(e.logStreamName, [...(streams.get(e.logStreamName) ?? []), e]);
    const described = [...streams.entries()]
      .filter(([name]) => prefix === undefined || name.startsWith(prefix))
      .map(([name, list]) => ({
        logStreamName: name,
        creationTime: list[0]?.ingestionTime ?? 0,
        firstEventTimestamp: list[0]?.timestamp ?? 0,
        lastEventTimestamp: list[list.length - 1]?.timestamp ?? 0,
        lastIngestionTime: Math.max(...list.map((e) => e.ingestionTime)),
      }))
      .sort((a, b) =>
        orderBy === 'LastEventTime'
          ? a.lastEventTimestamp - b.lastEventTimestamp
          : a.logStreamName.localeCompare(b.logStreamName),
      );
    if (body['descending'] === true) described.reverse();
    const size = typeof body['limit'] === 'number' ? Math.min(body['limit'], 50) : 50;
    const from = this.tokenIndex(optionalString(body, 'nextToken'), 'n/');
    const more = from + size < described.length;
    return {
      logStreams: described.slice(from, from + size),
      ...(more ? { nextToken: `n/${from + size}` } : {}),
    };
  }

  /**
   * GetLogEvents: one stream's events in [startTime, endTime], from the head or (by default) the newest page, with a
   * forward token that comes back unchanged once there is nothing newer.
   */
  getEvents(body: JsonObject): JsonObject {
    const stream = requiredString(body, 'logStreamName');
    const start = typeof body['startTime'] === 'number' ? body['startTime'] : 0;
    const end = typeof body['endTime'] === 'number' ? body['endTime'] : Number.MAX_SAFE_INTEGER;
    const events = this.eventsOf(body).filter(
      (e) => e.logStreamName === stream && e.timestamp >= start && e.timestamp < end,
    );
    if (events.length === 0 && !this.eventsOf(body).some((e) => e.logStreamName === stream))
      throw new AwsError(400, 'ResourceNotFoundException', 'The specified log stream does not exist.');
    const size = typeof body['limit'] === 'number' ? Math.min(body['limit'], 10_000) : 10_000;
    const token = optionalString(body, 'nextToken');
    const backward = token?.startsWith('b/') ?? false;
    let from: number;
    if (token === undefined) from = body['startFromHead'] === true ? 0 : Math.max(0, events.length - size);
    else from = backward ? Math.max(0, this.tokenIndex(token, 'b/') - size) : this.tokenIndex(token, 'f/');
    const to = backward ? this.tokenIndex(token, 'b/') : Math.min(events.length, from + size);
    return {
      events: events.slice(from, to).map((e) => ({
        timestamp: e.timestamp,
        message: e.message,
        ingestionTime: e.ingestionTime,
      })),
      nextForwardToken: `f/${to}`,
      nextBackwardToken: `b/${from}`,
    };
  }

  private eventsOf(body: JsonObject): LogEventRecord[] {
    const name = optionalString(body, 'logGroupName') ?? optionalString(body, 'logGroupIdentifier');
    const events = name === undefined ? undefined : this.groups.get(name.split(':log-group:').pop() ?? name);
    if (!events)
      throw new AwsError(400, 'ResourceNotFoundException', 'The specified log group does not exist.');
    return events;
  }

  private tokenIndex(token: string | undefined, prefix: string): number {
    if (token === undefined) return 0;
    const index = token.startsWith(prefix) ? Number(token.slice(prefix.length)) : Number.NaN;
    if (!Number.isInteger(index) || index < 0)
      throw new AwsError(400, 'InvalidParameterException', 'The specified nextToken is invalid.');
    return index;
  }
}
