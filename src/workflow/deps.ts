import type { Catalog } from '../domain/catalog.js';
import type { Chat } from '../ports/chat.js';
import type { Clock } from '../ports/clock.js';
import type { HotfixStore } from '../ports/hotfix-store.js';
import type { Jobs } from '../ports/jobs.js';
import type { Log } from '../ports/log.js';
import type { ActorDirectory } from './actors.js';
import type { Controls } from '../ports/controls.js';
import type { Directory, DirectoryRequests, DirectorySource } from '../ports/directory.js';
import type { DeployMethods } from '../ports/deploy-method.js';
import type { HealthProbe } from '../ports/health-probe.js';
import type { Leases } from '../ports/leases.js';
import type { Locks } from '../ports/locks.js';
import type { Pacing } from '../ports/pacing.js';
import type { ChangeRecordSystems } from '../ports/change-records.js';
import type { SourceHost } from '../ports/source-host.js';

/** What every use case and step may use. Built once in main.ts; tests build it with real adapters and emulators. */
export interface WorkflowDeps {
  catalog: Catalog;
  store: HotfixStore;
  chat: Chat;
  jobs: Jobs;
  clock: Clock;
  actors: ActorDirectory;
  /** Slack groups and channels as last seen, read before acks instead of calling Slack. */
  directory: Directory;
  /** Where the directory's facts come from; called only from jobs. */
  directorySource: DirectorySource;
  /** Asks the workers to read a channel into the directory. */
  directoryRequests: DirectoryRequests;
  log: Log;
  /** Makes the ULID of a new hotfix; injectable so the demo is repeatable. */
  newUlid: (now: Date) => string;
  locks: Locks;
  /** Claims a live runner renews while it causes a step's outside effect. */
  leases: Leases;
  /** The deploy methods this installation can run; plans for others are refused. */
  methods: DeployMethods;
  /** Reads health URLs while verifying (never follows a redirect to another host). */
  health: HealthProbe;
  controls: Controls;
  pacing: Pacing;
  /** The change-control systems (Jira, Google Calendar, Statuspage) this installation has enabled. */
  records: ChangeRecordSystems;
  /** GitHub (tags, CI, compare, deployments, forward-port), when this installation has it enabled. */
  sourceHost?: SourceHost;
  timing: WorkflowTiming;
}

/** How often steps look again; tests and the demo shorten these. */
export interface WorkflowTiming {
  /** Between two looks at a running deploy. @defaultValue 5000 */
  pollMs: number;
  /** At most one status-message update per this many ms, except the final one. @defaultValue 3000 */
  statusEveryMs: number;
  /**
   * How long a step's claim outlives its runner: the runner renews it while it works, so a second runner takes the
   * step over only this long after the first stopped renewing (died). @defaultValue 30000
   */
  claimMs: number;
  /**
   * How long a running deploy's outside system (Jenkins) may keep failing (5xx, resets, timeouts; retried with
   * backoff meanwhile) before the deploy fails with a readable message and the next steps. @defaultValue 300000
   */
  outsideTroubleMs: number;
  /**
   * New messages per channel: a short burst, then one per this many ms (Slack allows about one post per second per
   * channel). @defaultValue 1000
   */
  postEveryMs: number;
  /** Between two looks at the CI of a plan held for it (and GitHub trouble's first retry). @defaultValue 30000 */
  sourceRecheckMs?: number;
  /** The first wait before the plan-time check of the deploy target looks again after trouble. @defaultValue 5000 */
  targetRecheckMs?: number;
  /**
   * Between two reminders to bring a completed hotfix's fix onto the default branch (the forward-port pull request
   * still open). @defaultValue 86400000 (a day)
   */
  forwardPortEveryMs: number;
}
