import type { ConnectionOptions } from 'bullmq';
import { Queue, Worker } from 'bullmq';
import type { DirectoryRequests } from '../ports/directory.js';
import type { Log } from '../ports/log.js';

/** The directory's own queue, so a slow or rate-limited Slack never delays hotfix steps. */
export const DIRECTORY_QUEUE = 'hotfix-directory';

/** What the refresher runs: the whole directory, or one channel. */
export interface DirectoryWork {
  /** `scheduled`: the job scheduler's run (skippable when a read just happened), not a retry. */
  refresh(scheduled: boolean): Promise<{ retryAfterMs?: number }>;
  channel(id: string): Promise<void>;
}

/** Channel ids are Slack ids (letters and digits); anything else in a job is refused. */
const CHANNEL_ID = /^[A-Z0-9]{2,}$/;

/**
 * Refreshes the directory every `everyMs` through a BullMQ job scheduler, and again after a
 * rate-limited lookup (when Slack says); one-channel checks run as their own jobs.
 */
export async function startDirectoryRefresher(
  connection: ConnectionOptions,
  work: DirectoryWork,
  log: Log,
  options: { everyMs: number; prefix?: string },
): Promise<{ close(): Promise<void> }> {
  const prefix = options.prefix ? { prefix: options.prefix } : {};
  const queue = new Queue(DIRECTORY_QUEUE, { connection, ...prefix });
  const opts = { removeOnComplete: true, removeOnFail: 100 };
  await queue.upsertJobScheduler('directory', { every: options.everyMs }, { name: 'refresh', opts });
  const worker = new Worker(
    DIRECTORY_QUEUE,
    async (job) => {
      if (job.name === 'channel') {
        const id = String((job.data as { channel?: unknown }).channel);
        if (CHANNEL_ID.test(id)) await work.channel(id);
        return;
      }
      const outcome = await work.refresh(job.id !== 'retry');
      if (outcome.retryAfterMs !== undefined)
        await queue.add('refresh', {}, { ...opts, jobId: 'retry', delay: outcome.retryAfterMs });
    },
    { connection, ...prefix, concurrency: 1 },
  );
  worker.on('failed', (job, error) => log.warn({ job: job?.name, err: error }, 'directory refresh failed'));
  worker.on('error', (error) => log.error({ err: error }, 'directory refresher error'));
  return {
    async close() {
      await worker.close();
      await queue.close();
    },
  };
}

/** `DirectoryRequests` on the directory queue. */
export class BullDirectoryRequests implements DirectoryRequests {
  private readonly queue: Queue;

  constructor(connection: ConnectionOptions, prefix?: string) {
    this.queue = new Queue(DIRECTORY_QUEUE, { connection, ...(prefix ? { prefix } : {}) });
  }

  /** Queues one channel check; several asks for the same channel within a few seconds make one job. */
  async checkChannel(id: string): Promise<void> {
    await this.queue.add(
      'channel',
      { channel: id },
      { jobId: `channel-${id}`, removeOnComplete: true, removeOnFail: 100 },
    );
  }

  /** Closes the queue's connection. */
  async close(): Promise<void> {
    await this.queue.close();
  }
}
