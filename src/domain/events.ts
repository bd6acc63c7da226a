import type { PlanCommand } from './commands.js';
import type { Approval, Failure, PlannedService, Severity, Stage } from './hotfix.js';

/** What every event carries for the audit trail: when, who (Slack user id or `system`), and the plan version. */
export interface Envelope {
  at: string;
  by: string;
  planVersion: number;
}

/** Everything a new hotfix record starts with: the plan as asked for, and what deciding it worked out. */
export interface PlannedFacts extends Omit<PlanCommand, 'type' | 'freezeOverrideReason' | 'window'> {
  requester: string;
  /** When the deploy window opens (ISO): the deploy does not start before it. */
  deployAt?: string;
  approvalsRequired: number;
  expiresAt: string;
  warnings: string[];
  freezeOverride?: { window: string; reason: string };
}

/** The facts an event adds, by type. */
export type EventBody =
  | { type: 'planned'; facts: PlannedFacts }
  | {
      type: 'plan_revised';
      services: PlannedService[];
      severity: Severity;
      reason?: string;
      approvalsRequired: number;
      expiresAt: string;
      warnings: string[];
    }
  | { type: 'approval_given'; approval: Approval }
  | { type: 'approved' }
  | { type: 'break_glass_acknowledged' }
  | { type: 'triage_ticked'; item: string; ticked: boolean }
  | { type: 'rejected'; reason: string }
  | { type: 'expired' }
  | { type: 'cancel_requested'; reason: string }
  | { type: 'cancelled'; reason: string; undone?: string }
  | { type: 'queued' }
  | { type: 'lock_acquired'; token: number }
  | { type: 'prepared'; versionsBefore: Record<string, string>; deployPlan: string[] }
  /** A hotfix that failed while preparing prepares again (reads the running versions) before it deploys. */
  | { type: 'prepare_retried' }
  | { type: 'deploy_started'; attempt: number }
  | { type: 'stages_updated'; stages: Stage[]; refs?: Record<string, string> }
  | { type: 'input_requested'; inputId: string; message: string }
  /**
   * `outside`: answered in the CI server itself, not through the bot (nothing is passed on); `answeredBy`: who, as
   * the CI server names them, when it says.
   */
  | { type: 'input_answered'; inputId: string; proceed: boolean; outside?: true; answeredBy?: string }
  | { type: 'deployed' }
  | { type: 'verified' }
  | { type: 'failed'; failure: Failure }
  | { type: 'rollback_started'; reason: string }
  | { type: 'rolled_back' }
  | { type: 'rollback_failed'; message: string }
  | { type: 'superseded'; supersededBy: string }
  | { type: 'resolved'; reason: string }
  | { type: 'handed_off'; from: string; to: string }
  | { type: 'unlocked'; reason: string }
  | { type: 'step_intended'; step: string; key: string }
  | {
      type: 'step_recorded';
      step: string;
      detail?: string;
      refs?: Record<string, string>;
      /** What the attempt whose start this records does, when it differs from what preparing recorded. */
      deployPlan?: string[];
    }
  | { type: 'records_retried'; round: number }
  /** Someone recorded that the fix need not come back to the default branch (seed 003), and why. */
  | { type: 'forward_port_waived'; reason: string }
  /** The maintenance window (Statuspage maintenance, calendar event) now ends at `until` (ISO instant). */
  | { type: 'maintenance_extended'; until: string }
  | { type: 'finalized'; terminalSeq: number };

/** One entry of the audit trail. */
export type HotfixEvent = Envelope & EventBody;

/** The type names of every event. */
export type HotfixEventType = EventBody['type'];
