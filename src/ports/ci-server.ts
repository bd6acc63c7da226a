/**
 * The CI server a `jenkins-multi-deploy` hotfix runs on, as narrow as the deploy needs: check a job's parameters,
 * read what the last good builds deployed, trigger once, find what an earlier attempt triggered, follow the build.
 * Jobs are folder paths (`folder/job`). Every failure to reach the server is a CiServerError, never a quiet answer.
 */

/** Why a CI call failed, so the caller knows whether to try again. */
export const CI_ERROR_CODES = {
  /** Nothing answered (refused, reset, timed out). */
  unreachable: { retryable: true },
  /** The server answered 5xx or 429: busy, restarting. */
  unavailable: { retryable: true },
  /** The credentials were refused (401) or lack a permission (403). */
  unauthorized: { retryable: false },
  /** The job, build or queue item does not exist. */
  not_found: { retryable: false },
  /** Any other answer the adapter did not expect. */
  unexpected: { retryable: false },
} as const;
export type CiErrorCode = keyof typeof CI_ERROR_CODES;

/** A failed CI call: a reason code, whether a retry may help, and a sentence without secrets or URLs with them. */
export class CiServerError extends Error {
  readonly retryable: boolean;

  constructor(
    readonly code: CiErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'CiServerError';
    this.retryable = CI_ERROR_CODES[code].retryable;
  }
}

/** The plan-time check of a job: fine, or a refusal a person can act on. */
export type JobCheck =
  | { ok: true }
  | { ok: false; reason: 'job_missing' | 'parameter_missing'; message: string; missing: string[] };

/** A build's parameters, newest builds first. */
export interface BuildParameters {
  build: number;
  parameters: Record<string, string>;
}

/** Where a triggered run is: still queued, started as a build, or cancelled before it started. */
export type RunLocation =
  | { state: 'queued'; queueItem: number }
  | { state: 'started'; queueItem?: number; build: number; url: string }
  | { state: 'cancelled'; queueItem: number };

/** A stage as the CI server reports it (Jenkins wfapi statuses). */
export interface CiStage {
  name: string;
  status: string;
  durationMillis: number;
}

/** A build's overall status and stages. */
export interface CiBuildStages {
  /**
   * SUCCESS, FAILED, IN_PROGRESS, PAUSED_PENDING_INPUT, ABORTED, UNSTABLE, as wfapi says them; NOT_BUILT for a run
   * that ended so (wfapi says NOT_EXECUTED); NOT_EXECUTED for one that ended without running at all.
   */
  status: string;
  stages: CiStage[];
}

/** An input step waiting for a person. */
export interface CiInput {
  id: string;
  message: string;
}

/** The CI server port. */
export interface CiServer {
  /** Whether `job` exists and declares every parameter in `required`; unreachable throws. */
  checkJob(job: string, required: readonly string[]): Promise<JobCheck>;
  /**
   * Successful builds whose parameters include every `match` pair, newest first: among the builds the server lists
   * (Jenkins: the newest 100), or among the job's builds from index `range.from` up to `range.to` (newest is 0).
   */
  successfulBuilds(
    job: string,
    match: Record<string, string>,
    range?: { from: number; to: number },
  ): Promise<BuildParameters[]>;
  /** Queues a build with these parameters; returns the queue item. Never call it twice for one run key. */
  trigger(job: string, parameters: Record<string, string>): Promise<{ queueItem: number }>;
  /** The queued item or build whose parameter `name` equals `value` (the run key), if any. */
  findRun(job: string, name: string, value: string): Promise<RunLocation | undefined>;
  /** Where a queue item is now; undefined once the server has purged it. */
  resolveQueueItem(queueItem: number): Promise<RunLocation | undefined>;
  /** A build's status and stages. */
  stages(job: string, build: number): Promise<CiBuildStages>;
  /** Input steps the build is waiting on. */
  pendingInputs(job: string, build: number): Promise<CiInput[]>;
  /** Proceeds or aborts an input; 'not_pending' when it was already answered (or never asked). */
  answerInput(
    job: string,
    build: number,
    inputId: string,
    proceed: boolean,
  ): Promise<'answered' | 'not_pending'>;
  /** Asks the build to stop (it ends ABORTED). */
  stop(job: string, build: number): Promise<void>;
  /** Cancels a queue item that has not started. */
  cancelQueued(queueItem: number): Promise<void>;
  /** The last `lines` lines of the build's console, unredacted: the caller redacts before showing them. */
  consoleTail(job: string, build: number, lines: number): Promise<string[]>;
  /** A link people can open (no credentials in it). */
  buildUrl(job: string, build: number): string;
}
