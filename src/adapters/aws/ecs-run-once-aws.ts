/**
 * The AWS calls the `ecs-run-once` method makes beyond `Containers`: the deployment service's desired count, its
 * tasks (running and stopped, with their exit codes) and its CloudWatch log read with FilterLogEvents from a cursor.
 * Failures are ContainersErrors, so the method tells a throttled call (retried) from a refused one.
 */
import { FilterLogEventsCommand, type CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import {
  DescribeTasksCommand,
  ListTasksCommand,
  UpdateServiceCommand,
  type ECSClient,
} from '@aws-sdk/client-ecs';
import { asContainersError } from './aws-errors.js';

/** One task of the deployment service. */
export interface RunOnceTask {
  arn: string;
  /** Epoch milliseconds ECS created the task. */
  createdAt: number;
  lastStatus: string;
  /** The container's exit code, once it stopped. */
  exitCode?: number;
  stoppedReason?: string;
}

/** One log event. */
export interface LogLine {
  timestamp: number;
  eventId: string;
  message: string;
}

/** Pages of FilterLogEvents read per poll at most: a chatty log is caught up over a few polls. */
const MAX_PAGES = 10;

/** The deployment service's tasks and log on the real SDK clients. */
export class EcsRunOnceAws {
  constructor(
    private readonly ecs: ECSClient,
    private readonly logs: CloudWatchLogsClient,
  ) {}

  /** Sets the service's desired count. */
  async setDesiredCount(cluster: string, service: string, desiredCount: number): Promise<void> {
    await call(`setting ${service}'s desired count to ${desiredCount}`, () =>
      this.ecs.send(new UpdateServiceCommand({ cluster, service, desiredCount })),
    );
  }

  /** The service's tasks created at or after `sinceMs`, running and stopped, oldest first. */
  async tasksSince(cluster: string, service: string, sinceMs: number): Promise<RunOnceTask[]> {
    const doing = `listing the tasks of ${service}`;
    const arns: string[] = [];
    for (const desiredStatus of ['RUNNING', 'STOPPED'] as const) {
      const listed = await call(doing, () =>
        this.ecs.send(new ListTasksCommand({ cluster, serviceName: service, desiredStatus })),
      );
      arns.push(...(listed.taskArns ?? []));
    }
    if (arns.length === 0) return [];
    const described = await call(doing, () =>
      this.ecs.send(new DescribeTasksCommand({ cluster, tasks: arns.slice(0, 100) })),
    );
    return (described.tasks ?? [])
      .map((t) => {
        const exitCode = t.containers?.find((c) => c.exitCode !== undefined)?.exitCode;
        return {
          arn: t.taskArn ?? '',
          createdAt: t.createdAt?.getTime() ?? 0,
          lastStatus: t.lastStatus ?? 'UNKNOWN',
          ...(exitCode !== undefined ? { exitCode } : {}),
          ...(t.stoppedReason ? { stoppedReason: t.stoppedReason } : {}),
        };
      })
      .filter((t) => t.createdAt >= sinceMs)
      .sort((a, b) => a.createdAt - b.createdAt);
  }

  /** Whether the log group exists (a missing one is a not_found ContainersError naming it); reads one event at most. */
  async checkLogGroup(logGroupName: string, startTime: number): Promise<void> {
    await call(`reading the log group ${logGroupName}`, () =>
      this.logs.send(new FilterLogEventsCommand({ logGroupName, limit: 1, startTime })),
    );
  }

  /** The log group's events from `startTime` (inclusive), oldest first, at most MAX_PAGES pages. */
  async logSince(logGroupName: string, startTime: number): Promise<LogLine[]> {
    const lines: LogLine[] = [];
    let nextToken: string | undefined;
    for (let page = 0; page < MAX_PAGES; page += 1) {
      const answer = await call(`reading the log group ${logGroupName}`, () =>
        this.logs.send(
          new FilterLogEventsCommand({ logGroupName, startTime, ...(nextToken ? { nextToken } : {}) }),
        ),
      );
      for (const e of answer.events ?? [])
        lines.push({ timestamp: e.timestamp ?? 0, eventId: e.eventId ?? '', message: e.message ?? '' });
      nextToken = answer.nextToken;
      if (!nextToken) break;
    }
    return lines;
  }
}

async function call<T>(doing: string, send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (error) {
    throw asContainersError(error, doing);
  }
}
