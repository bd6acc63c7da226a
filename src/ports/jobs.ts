/** The workflow steps that run as jobs. Each is idempotent by the record (DESIGN.md section 7). */
export const STEPS = [
  'announce',
  'refresh_messages',
  'expire',
  'remind',
  'advance',
  'render_status',
  'open_records',
  'close_records',
  'sync_records',
  'source_deployment',
  'forward_port',
] as const;
export type StepName = (typeof STEPS)[number];

/** One job: which hotfix, which step, and an attempt key that makes a deliberate re-run a new job. */
export interface StepJob {
  ulid: string;
  step: StepName;
  /** Distinguishes deliberate re-runs of a step (a new plan version, a retry); `1` for the first. */
  attempt: string;
}

/** The queue as the workflow sees it. */
export interface Jobs {
  /** Enqueues a step; a job with the same (ulid, step, attempt) already waiting is not added twice. */
  enqueue(job: StepJob, options?: { delayMs?: number }): Promise<void>;
  /** Enqueues several steps in one round trip, each as `enqueue` would. */
  enqueueAll(jobs: readonly { job: StepJob; delayMs?: number }[]): Promise<void>;
  /** Whether a job for (ulid, step, attempt) is waiting, delayed or running. */
  isPending(job: StepJob): Promise<boolean>;
  /**
   * Runs `job` now and then every `everyMs` until unscheduled, under `name`: one schedule however often it is set
   * (setting it again keeps one schedule), surviving restarts, with no process waiting in between.
   */
  schedule(name: string, job: StepJob, everyMs: number): Promise<void>;
  /** Removes the schedule `name`, if there is one. */
  unschedule(name: string): Promise<void>;
}

/**
 * Thrown by a step that must wait before it can go on (Slack asked every writer to pause): the worker delays the
 * job by `delayMs` instead of failing it or sleeping, and the delay does not count as a failed attempt.
 */
export class RetryLater extends Error {
  constructor(
    readonly delayMs: number,
    message: string,
  ) {
    super(message);
    this.name = 'RetryLater';
  }
}
