import type { ConnectionOptions, JobsOptions } from 'bullmq';
import { Queue } from 'bullmq';
import type { Jobs, StepJob } from '../ports/jobs.js';
import { STEPS } from '../ports/jobs.js';

/** The queue every workflow step runs through. Names may not contain `:` (BullMQ). */
export const STEP_QUEUE = 'hotfix-steps';

/** BullMQ job ids may not contain `:` nor be integers; ULIDs and step names are safe with dots. */
export function jobIdOf(job: StepJob): string {
  return `${job.ulid}.${job.step}.${job.attempt}`;
}

/** Checks a job payload read back from Redis: it crossed a process boundary, so it is not trusted blindly. */
export function parseStepJob(data: unknown): StepJob {
  const value = data as Partial<StepJob> | null;
  if (
    !value ||
    typeof value.ulid !== 'string' ||
    typeof value.attempt !== 'string' ||
    !(STEPS as readonly string[]).includes(String(value.step))
  ) {
    throw new Error(`malformed step job: ${JSON.stringify(data)}`);
  }
  return { ulid: value.ulid, step: value.step as StepJob['step'], attempt: value.attempt };
}

const DEFAULTS: JobsOptions = {
  attempts: 6,
  backoff: { type: 'exponential', delay: 1000 },
  // Kept a while so a re-added id within the hour is a no-op; the record, not the id, makes steps idempotent.
  removeOnComplete: { age: 3600, count: 10_000 },
  removeOnFail: { age: 7 * 24 * 3600 },
};

/** `Jobs` on BullMQ. */
export class BullJobs implements Jobs {
  readonly queue: Queue;

  constructor(connection: ConnectionOptions, prefix?: string) {
    this.queue = new Queue(STEP_QUEUE, {
      connection,
      ...(prefix ? { prefix } : {}),
      defaultJobOptions: DEFAULTS,
    });
  }

  /** Adds the job unless one with the same id exists (BullMQ keeps the original). */
  async enqueue(job: StepJob, options: { delayMs?: number } = {}): Promise<void> {
    await this.queue.add(job.step, job, {
      jobId: jobIdOf(job),
      ...(options.delayMs ? { delay: options.delayMs } : {}),
    });
  }

  /** Adds several jobs in one round trip; each keeps the once-per-id rule. */
  async enqueueAll(jobs: readonly { job: StepJob; delayMs?: number }[]): Promise<void> {
    await this.queue.addBulk(
      jobs.map(({ job, delayMs }) => ({
        name: job.step,
        data: job,
        opts: { jobId: jobIdOf(job), ...(delayMs ? { delay: delayMs } : {}) },
      })),
    );
  }

  /** True while the job waits, is delayed, or runs. */
  async isPending(job: StepJob): Promise<boolean> {
    const state = await this.queue.getJobState(jobIdOf(job));
    return ['waiting', 'delayed', 'active', 'prioritized', 'waiting-children'].includes(state);
  }

  /** A BullMQ job scheduler; its jobs carry `job` as data, so workers run them as any other step. */
  async schedule(name: string, job: StepJob, everyMs: number): Promise<void> {
    // Upserting again would move its next run to now: a schedule already set is left as it is.
    const existing = await this.queue.getJobScheduler(name);
    if (existing && Number(existing.every) === everyMs) return;
    await this.queue.upsertJobScheduler(
      name,
      { every: everyMs },
      { name: job.step, data: job, opts: { removeOnComplete: true, removeOnFail: { age: 7 * 24 * 3600 } } },
    );
  }

  /** Removes the job scheduler and its next job. */
  async unschedule(name: string): Promise<void> {
    await this.queue.removeJobScheduler(name);
  }

  /** Closes the queue's connection. */
  async close(): Promise<void> {
    await this.queue.close();
  }
}
