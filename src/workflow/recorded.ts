/**
 * A person's request whose write was committed, but whose follow-ups (the jobs that redraw messages and move the
 * hotfix on) could not all be enqueued. The reconciler enqueues what is due from the record alone, so the follow-up
 * still arrives; the person must hear that, not "nothing was done", or they repeat what already happened.
 */
export class RecordedError extends Error {
  constructor(
    /** What was recorded, in words for the person ("HF-7 was approved"). */
    readonly recorded: string,
    override readonly cause: unknown,
  ) {
    super(
      `${recorded}; enqueueing its follow-up failed: ${cause instanceof Error ? cause.message : String(cause)}`,
    );
    this.name = 'RecordedError';
  }
}

/** Runs the follow-ups of a committed write; a failure among them becomes a RecordedError naming what was recorded. */
export async function afterCommit(recorded: string, followUps: () => Promise<void>): Promise<void> {
  try {
    await followUps();
  } catch (error) {
    throw new RecordedError(recorded, error);
  }
}
