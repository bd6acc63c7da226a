import type { PlannedCheck, ProbeAnswer } from '../domain/health.js';
import type { Hotfix, Stage } from '../domain/hotfix.js';

/** Where a running deploy is, as its method sees it. */
export type DeployProgress = (
  | { status: 'running'; stages: Stage[] }
  /** Paused at an input step (Jenkins "Proceed"): a person must answer. */
  | { status: 'input'; stages: Stage[]; input: { id: string; message: string } }
  | { status: 'succeeded'; stages: Stage[] }
  | { status: 'failed'; stages: Stage[]; message: string; condition?: string }
  | { status: 'aborted'; stages: Stage[] }
) & {
  /** References the method learned while following the deploy (the build a Jenkins queue item became), to record. */
  refs?: Record<string, string>;
};

/**
 * One way of deploying (jenkins-multi-deploy, ecs-image, ecs-run-once, rehearsal). Every call is safe to repeat: a
 * method finds what an earlier attempt started by the hotfix's ULID before starting anything.
 */
export interface DeployMethod {
  /** The versions running now, per service of the plan: the rollback source. */
  currentVersions(hotfix: Hotfix): Promise<Record<string, string>>;
  /** What the deploy will do, in words a reviewer checks (job and parameters, images, task definitions). */
  describe(hotfix: Hotfix): string[];
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
   * never a pass. Runs in a worker, never between a Slack request and its ack. Methods with nothing outside to check
   * (rehearsal) leave it out.
   */
  checkTarget?(hotfix: Hotfix): Promise<string | undefined>;
  /**
   * Answers the health checks of one verify round its own way, one answer per check in order (a rehearsal plays its
   * script). Methods without it are checked over HTTP at the env's `healthUrls` by the bot's own client.
   */
  answerHealthChecks?(hotfix: Hotfix, checks: readonly PlannedCheck[], round: number): Promise<ProbeAnswer[]>;
  /**
   * A rollback of the method's own (an ECS panic rollback pointing the service back at its earlier task definition).
   * Without it, a rollback re-deploys the earlier versions through `start` and `poll`, as the attempt after the last.
   * `hotfix` is the rollback's view: the plan at the earlier versions.
   */
  rollBack?: {
    start(hotfix: Hotfix): Promise<Record<string, string>>;
    poll(hotfix: Hotfix): Promise<DeployProgress>;
  };
}

/** The deploy methods this installation can run, by name. A plan for any other method is refused. */
export type DeployMethods = Partial<Record<Hotfix['method'], DeployMethod>>;
