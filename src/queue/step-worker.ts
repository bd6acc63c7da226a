import type { ConnectionOptions } from 'bullmq';
import { DelayedError, Worker } from 'bullmq';
import { ChatError } from '../ports/chat.js';
import { RetryLater } from '../ports/jobs.js';
import type { Log } from '../ports/log.js';
import type { StepName } from '../ports/jobs.js';
import { STEP_QUEUE, parseStepJob } from './step-queue.js';

/** One function per step; each is a workflow step taking the hotfix ULID. */
export type StepHandlers = Record<StepName, (ulid: string) => Promise<void>>;

/** Worker timings; tests shorten them so crash recovery is fast. */
export interface WorkerTimings {
  concurrency?: number;
  lockDuration?: number;
  stalledInterval?: number;
}

/** A thin worker: parse the job, call the step, let BullMQ retry with backoff when it throws. */
export function createStepWorker(
  connection: ConnectionOptions,
  handlers: StepHandlers,
  log: Log,
  timings: WorkerTimings = {},
  prefix?: string,
  onRateLimited: (ms: number) => Promise<void> = async () => undefined,
): Worker {
  const worker = new Worker(
    STEP_QUEUE,
    async (job, token) => {
      const step = parseStepJob(job.data);
      try {
        await handlers[step.step](step.ulid);
      } catch (error) {
        const delayMs = await waitFor(error, onRateLimited);
        if (delayMs === undefined) throw error;
        // Waiting is a delayed job, never a sleep: the worker is free for other hotfixes meanwhile.
        await job.moveToDelayed(Date.now() + delayMs, token);
        throw new DelayedError();
      }
    },
    {
      connection,
      ...(prefix ? { prefix } : {}),
      concurrency: timings.concurrency ?? 10,
      lockDuration: timings.lockDuration ?? 30_000,
      stalledInterval: timings.stalledInterval ?? 30_000,
    },
  );
  worker.on('failed', (job, error) => {
    log.error({ job: job?.id, attempts: job?.attemptsMade, err: error }, 'step failed');
  });
  worker.on('error', (error) => log.error({ err: error }, 'worker error'));
  return worker;
}

/** How long a step that failed this way should wait, or undefined for a real failure (retried with backoff). */
async function waitFor(
  error: unknown,
  onRateLimited: (ms: number) => Promise<void>,
): Promise<number | undefined> {
  if (error instanceof RetryLater) return error.delayMs;
  if (error instanceof ChatError && error.failure === 'rate_limited') {
    const ms = (error.retryAfterSeconds ?? 1) * 1000;
    // Every writer waits, not only this job: Slack's limit is per app, and the next write would be refused too.
    await onRateLimited(ms);
    return ms;
  }
  return undefined;
}
