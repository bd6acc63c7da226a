import type { ConnectionOptions } from 'bullmq';
import { Queue, Worker } from 'bullmq';
import type { Log } from '../ports/log.js';

/** The reconciler's own queue, so its schedule never waits behind step jobs. */
export const RECONCILE_QUEUE = 'hotfix-reconcile';

/**
 * Runs `reconcile` every `everyMs` through a BullMQ job scheduler: one schedule however many workers start, and a
 * missed tick (all workers down) simply runs when one comes back.
 */
export async function startReconciler(
  connection: ConnectionOptions,
  reconcile: () => Promise<number>,
  log: Log,
  options: { everyMs?: number; prefix?: string } = {},
): Promise<{ close(): Promise<void> }> {
  const prefix = options.prefix ? { prefix: options.prefix } : {};
  const queue = new Queue(RECONCILE_QUEUE, { connection, ...prefix });
  await queue.upsertJobScheduler(
    'reconcile',
    { every: options.everyMs ?? 5000 },
    { name: 'reconcile', opts: { removeOnComplete: true, removeOnFail: 100 } },
  );
  const worker = new Worker(RECONCILE_QUEUE, async () => reconcile(), {
    connection,
    ...prefix,
    concurrency: 1,
  });
  worker.on('error', (error) => log.error({ err: error }, 'reconciler error'));
  return {
    async close() {
      await worker.close();
      await queue.close();
    },
  };
}
