/**
 * The Jenkins emulator's data model: jobs, queue items, builds and their scripts, faults and recorded calls. Wire
 * names (`parameterDefinitions`, `executable`, `durationMillis`) stay as Jenkins spells them where a test compares.
 */

/** A JSON object as it arrives on the wire, before anyone has checked its shape. */
export type JsonObject = { [key: string]: unknown };

/** How a scripted build plays out. Stages run in order, each `stageMs` long unless `stageDurations` says otherwise. */
export interface BuildScript {
  stages: string[];
  /** @defaultValue 1000 */
  stageMs?: number;
  stageDurations?: Record<string, number>;
  /** Pause at an input step before this stage (ids start upper-case, as Jenkins derives them). */
  input?: { before: string; id: string; message: string };
  /** This stage fails; the build result is FAILURE. */
  failAt?: string;
  /**
   * The pipeline sets `currentBuild.result = 'NOT_BUILT'` in this stage and stops after it (a deploy that found
   * nothing to do): later stages do not run; the build result is NOT_BUILT, which wfapi reports as NOT_EXECUTED.
   */
  notBuiltAt?: string;
  /** This stage ends UNSTABLE; later stages still run; the build result is UNSTABLE. */
  unstableAt?: string;
  /** The pipeline's execution exists this long after the build starts; until then wfapi says NOT_EXECUTED. */
  startupMs?: number;
  /** Lines written to the console when the failing, unstable or not-built stage ends. */
  failureLog?: string[];
}

/** A job: its folder path (`a/b`), declared parameters with defaults, and the script its next builds follow. */
export interface JobSpec {
  name: string;
  parameters: Record<string, string>;
  /** Script for builds that have none queued for them (see `scriptNextBuild`). */
  script?: BuildScript;
}

/** A recorded HTTP request and how the emulator answered. */
export interface RecordedCall {
  time: number;
  method: string;
  /** Path without the query string. */
  path: string;
  query: Record<string, string>;
  /** Form or query parameters of a POST. */
  form: Record<string, string>;
  /** Who was authenticated, or undefined for anonymous or refused credentials. */
  user: string | undefined;
  /** Whether a `Jenkins-Crumb` header came with the request. */
  crumb: boolean;
  status: number;
}

/** A fault injected on a path: a status, a slow answer, or a reset connection. */
export type Fault = { status: number; body?: string } | { delayMs: number } | 'reset';

/** A user: API tokens (exempt from crumbs, as in Jenkins 2.96+) and optionally a password (needs crumbs). */
export interface JenkinsUser {
  name: string;
  apiTokens: string[];
  password?: string;
}

/** A stage of a build as wfapi reports it. */
export interface StageRun {
  name: string;
  status: 'IN_PROGRESS' | 'PAUSED_PENDING_INPUT' | 'SUCCESS' | 'FAILED' | 'UNSTABLE' | 'ABORTED';
  startTimeMillis: number;
  durationMillis: number;
}

/** Build results as Jenkins reports them in `result` (null while running). */
export type BuildResult = 'SUCCESS' | 'FAILURE' | 'UNSTABLE' | 'ABORTED' | 'NOT_BUILT';

/** A build of a job. */
export interface EmulatedBuild {
  job: string;
  number: number;
  queueId: number;
  parameters: Record<string, string>;
  script: BuildScript;
  startedAt: number;
  /** Where the script is: index of the next stage to begin and when it may begin. */
  cursor: number;
  cursorAt: number;
  stages: StageRun[];
  pendingInput?: { id: string; message: string; since: number };
  answered?: { id: string; proceed: boolean; at: number; by: string };
  result: BuildResult | null;
  endedAt?: number;
  console: string;
  /** Set by `/stop`: the build ends ABORTED at this time. */
  stopAt?: number;
}

/** A queue item: waiting until `startsAt`, then left (with its build) until purged. */
export interface QueueItem {
  id: number;
  job: string;
  parameters: Record<string, string>;
  inQueueSince: number;
  startsAt: number;
  cancelled: boolean;
  /** Set when the item left the queue. */
  leftAt?: number;
  build?: number;
}
