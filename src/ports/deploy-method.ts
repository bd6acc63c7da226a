import type { RecordContext } from '../domain/change-records.js';
import type { HealthResult, PlannedCheck, ProbeAnswer } from '../domain/health.js';
import type { Hotfix, Stage } from '../domain/hotfix.js';

/** Where a running deploy is, as its method sees it. */
export type DeployProgress = (
  | { status: 'running'; stages: Stage[] }
  /** Paused at an input step (Jenkins "Proceed"): a person must answer. */
  | { status: 'input'; stages: Stage[]; input: { id: string; message: string } }
  | { status: 'succeeded'; stages: Stage[] }
  | { status: 'failed'; stages: Stage[]; message: string; condition?: string }
  /**
   * Ended by an abort (a Jenkins build ABORTED, a queue item cancelled before it started). Once a cancel was asked
   * for, that is the cancel's end, never a failure; otherwise it fails the hotfix with `message` (what the deploy
   * said). `by`: who aborted it in the outside system, when it says.
   */
  | { status: 'aborted'; stages: Stage[]; message?: string; condition?: string; by?: string }
) & {
  /** References the method learned while following the deploy (the build a Jenkins queue item became), to record. */
  refs?: Record<string, string>;
  /**
   * What the method keeps between polls in the record's refs (a log cursor, the log lines shown), recorded with the
   * stages whenever it changes, so a re-run continues where the last poll stopped.
   */
  notes?: Record<string, string>;
};

/**
 * One way of deploying (jenkins-multi-deploy, ecs-image, ecs-run-once, rehearsal). Every call is safe to repeat: a
 * method finds what an earlier attempt started by the hotfix's ULID before starting anything.
 */
export interface DeployMethod {
  /** The versions running now, per service of the plan: the rollback source. */
  currentVersions(hotfix: Hotfix): Promise<Record<string, string>>;
  /**
   * What the deploy will do, in words a reviewer checks (job and parameters, images, task definitions). `context`
   * is given to a method that `previewsRecords`: the people's names and the thread link the records would carry.
   */
  describe(hotfix: Hotfix, context?: RecordContext): string[];
  /** The description shows the change records the deploy would create (a rehearsal creates none, but shows them). */
  previewsRecords?: boolean;
  /** Starts the deploy for the hotfix's current attempt, or finds the one an earlier attempt started. */
  start(hotfix: Hotfix): Promise<Record<string, string>>;
  /** Where the deploy is now. */
  poll(hotfix: Hotfix): Promise<DeployProgress>;
  /** Answers the pending input step. */
  answer(hotfix: Hotfix, inputId: string, proceed: boolean): Promise<void>;
  /** Stops the deploy; returns what was and was not undone, for the people in the thread. */
  abort(hotfix: Hotfix): Promise<string>;
  /**
   * The plan-time check of what the deploy will use outside (the Jenkins job and every parameter the bot sends): a
   * refusal a person can act on, or undefined when it is fine. An outside system that cannot be asked is a refusal,
   * never a pass. Trouble a later look may fix (5xx, resets) may be thrown instead, as an error with `retryable: true`
   * whose message is the refusal to give if it lasts: the check then looks again a few times before refusing. Runs in
   * a worker, never between a Slack request and its ack. Methods with nothing outside to check (rehearsal) leave it out.
   */
  checkTarget?(hotfix: Hotfix): Promise<string | undefined>;
  /**
   * Answers the health checks of one verify round its own way, one answer per check in order (a rehearsal plays its
   * script). Methods without it are checked over HTTP at the env's `healthUrls` by the bot's own client.
   */
  answerHealthChecks?(hotfix: Hotfix, checks: readonly PlannedCheck[], round: number): Promise<ProbeAnswer[]>;
  /**
   * The method's own checks of what runs, judged, added to every verify round beside the HTTP health checks (ECS:
   * the service's running tasks on the task-definition revision the hotfix deployed), so a mismatch fails the hotfix
   * with what was expected and what was seen. Throws only where a retry may help (throttling, 5xx).
   */
  checkRunning?(hotfix: Hotfix): Promise<HealthResult[]>;
  /**
   * What the deploy will do, read from the outside system while preparing (the exact image change, settings that
   * differ), when `describe` alone cannot say it. Preparing records this instead of `describe` when present.
   */
  plan?(hotfix: Hotfix): Promise<string[]>;
  /**
   * What a reviewer should see before approving, read from outside (ECS: the exact image change and a latest revision
   * whose settings differ). Recorded with a passed plan-time check and shown on the plan and the change-control notice.
   */
  preview?(hotfix: Hotfix): Promise<string[]>;
  /** The method's own way back to the versions captured while preparing (ECS: the panic rollback), when it has one. */
  rollback?: MethodRollback;
}

/**
 * A method's own rollback, for the rollback step to drive like a deploy: `start` once (it finds what an earlier run
 * started), then `poll` until it has succeeded or failed. Both are safe to repeat after a crash at any point.
 */
export interface MethodRollback {
  /** What the rollback will return to, per service, for the confirmation a person answers. */
  returnsTo(hotfix: Hotfix): Promise<Record<string, string>>;
  /** Starts returning the hotfix's services to the captured versions, or finds the return already started. */
  start(hotfix: Hotfix): Promise<Record<string, string>>;
  /** Where the rollback is; `succeeded` once the services run the captured versions and the clean-up is done. */
  poll(hotfix: Hotfix): Promise<DeployProgress>;
}

/** The deploy methods this installation can run, by name. A plan for any other method is refused. */
export type DeployMethods = Partial<Record<Hotfix['method'], DeployMethod>>;
