import type { DeployMethod } from './catalog.js';
import type {
  CatalogSnapshot,
  IncidentRef,
  PatchedHotfix,
  PlannedService,
  Severity,
  Stage,
} from './hotfix.js';

/** Who is acting: a Slack user and the user groups they belong to (resolved by the caller), or the bot itself. */
export interface Actor {
  userId: string;
  groups: string[];
}

/** What `decide` needs besides the record and the command. Time always comes in; the domain never reads a clock. */
export interface DecisionContext {
  now: Date;
  actor: Actor;
  /** True while `/hotfix pause` is in force: no new deploy starts. */
  paused?: boolean;
}

/** The lock as the caller found it when asking for it: the fencing token granted and whoever held it before. */
export interface LockGrant {
  token: number;
  /** The hotfix id holding the lock now, if any other; a grant with a holder is refused. */
  heldBy?: string;
}

/** A new plan, already parsed and checked against the catalog by the plan grammar. */
export interface PlanCommand {
  type: 'plan';
  id: string;
  ulid: string;
  incident: IncidentRef;
  client: string;
  env: string;
  severity: Severity;
  method: DeployMethod;
  services: PlannedService[];
  reason?: string;
  snapshot: CatalogSnapshot;
  triage: Record<string, string>;
  /** Given by a planner who accepts an overridable freeze window. */
  freezeOverrideReason?: string;
  /** The deploy window as written (`at=14:30`), turned into `deployAt` in the client's time zone by decidePlan. */
  window?: string;
  /** A patch forward: the failed hotfix this plan replaces (checked with patchForwardProblem before deciding). */
  supersedes?: PatchedHotfix;
}

/** Commands people give (through Slack). */
export type PersonCommand =
  /** `planVersion`: the version the person was shown; a newer plan refuses it (as approvals are). */
  | { type: 'revise'; services: PlannedService[]; severity: Severity; reason?: string; planVersion?: number }
  | { type: 'approve'; planVersion: number; breakGlassReason?: string }
  | { type: 'reject'; reason: string; planVersion?: number }
  | { type: 'acknowledge_break_glass' }
  /** The triage items ticked now (the whole set, as Slack's checkboxes send it). */
  | { type: 'tick_triage'; ticked: string[] }
  | { type: 'cancel'; reason: string }
  | { type: 'answer_input'; inputId: string; proceed: boolean }
  | { type: 'retry' }
  /** Stretch the open maintenance window (Statuspage, change calendar) while the problem is ongoing (seed 001). */
  | { type: 'extend_maintenance' }
  /** From a completed hotfix the rollback first queues for the lock it released (state `rollback_queued`). */
  | { type: 'rollback'; reason: string }
  | { type: 'supersede'; supersededBy: string }
  | { type: 'resolve'; reason: string }
  | { type: 'handoff'; to: string }
  | { type: 'unlock'; reason: string }
  /** The fix of a completed hotfix need not come back to the default branch; the reason goes on the record. */
  | { type: 'waive_forward_port'; reason: string };

/** Commands the workflow gives as steps complete. */
export type SystemCommand =
  | { type: 'expire' }
  | { type: 'queue' }
  | { type: 'acquire_lock'; lock: LockGrant }
  | { type: 'prepare'; versionsBefore: Record<string, string>; deployPlan: string[] }
  | { type: 'start_deploy' }
  | { type: 'update_stages'; stages: Stage[]; refs?: Record<string, string> }
  | { type: 'request_input'; inputId: string; message: string }
  /**
   * The deploy went on (or ended) without the bot passing an answer on: someone answered in the CI server itself.
   * `by`: who, as the CI server names them, when it says. An Abort there cancels the hotfix, as Abort in Slack does.
   */
  | { type: 'note_input_answered_outside'; inputId: string; proceed: boolean; by?: string }
  | { type: 'deploy_succeeded' }
  /**
   * The deploy ended badly. `aborted`: it ended by an abort (a build ABORTED, a queue item cancelled), which after a
   * cancel request is the cancel's end, recorded by the abort step as `deploy_aborted`, and never a failure.
   */
  | { type: 'deploy_failed'; message: string; condition?: string; aborted?: boolean }
  | { type: 'deploy_aborted'; undone: string }
  | { type: 'verify_succeeded' }
  | { type: 'verify_failed'; message: string; condition?: string }
  | { type: 'rollback_succeeded' }
  | { type: 'rollback_failed'; message: string }
  /**
   * Claims a step before its outside effect. The first claim stands; `replaces` takes over a claim whose runner is
   * presumed dead (or which was released), and only if that claim is still the one named, so two runners taking
   * over the same stale claim cannot both win.
   */
  | { type: 'record_intent'; step: string; key: string; replaces?: string }
  /** A step's outcome; a deploy attempt's start also records what that attempt does (`deployPlan`). */
  | {
      type: 'record_result';
      step: string;
      detail?: string;
      refs?: Record<string, string>;
      deployPlan?: string[];
    }
  | { type: 'finalize' };

/** Every command on an existing hotfix. */
export type HotfixCommand = PersonCommand | SystemCommand;
export type HotfixCommandType = HotfixCommand['type'];
