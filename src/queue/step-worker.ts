import type { ConnectionOptions } from 'bullmq';
import { Worker } from 'bullmq';
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
): Worker {
  const worker = new Worker(
    STEP_QUEUE,
    async (job) => {
      const step = parseStepJob(job.data);
      await handlers[step.step](step.ulid);
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
