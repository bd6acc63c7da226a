import type { ChannelRef, ClientSpec, DeployMethod, EnvSpec, Policy, ServiceSpec } from './catalog.js';

/** Every state of DESIGN.md section 2, in the order a hotfix usually meets them. */
export const STATES = [
  'planned',
  'approved',
  'queued',
  'preparing',
  'deploying',
  'awaiting_input',
  'verifying',
  'completed',
  'failed',
  'rollback_queued',
  'rolling_back',
  'rolled_back',
  'rollback_failed',
  'cancelled',
  'rejected',
  'expired',
  'superseded',
  'resolved',
] as const;
export type HotfixState = (typeof STATES)[number];

/**
 * States after which nothing more happens by itself. Entering one runs `finalize`. `completed` is the one terminal
 * state that may be left again, by a rollback.
 */
export const TERMINAL_STATES: ReadonlySet<HotfixState> = new Set<HotfixState>([
  'completed',
  'rolled_back',
  'cancelled',
  'rejected',
  'expired',
  'superseded',
  'resolved',
]);

/**
 * States in which the hotfix holds its (client, env) lock. `failed` keeps it: a deploy in between would be undone
 * by this hotfix's rollback.
 */
export const LOCK_STATES: ReadonlySet<HotfixState> = new Set<HotfixState>([
  'preparing',
  'deploying',
  'awaiting_input',
  'verifying',
  'failed',
  'rolling_back',
  'rollback_failed',
]);

/**
 * States in which a hotfix may wait in its environment's queue. Any other state leaves the queue in the same write
 * that enters it, and the queue refuses a late join: a finished or revised plan never blocks the line.
 * `rollback_queued`: a completed hotfix whose rollback waits to take the lock again.
 */
export const WAITING_STATES: ReadonlySet<HotfixState> = new Set<HotfixState>([
  'approved',
  'queued',
  'rollback_queued',
]);

/** Waiting states in which the lock is granted when its turn comes (an approved hotfix first opens its records). */
export const GRANTABLE_STATES: ReadonlySet<HotfixState> = new Set<HotfixState>(['queued', 'rollback_queued']);

/** Sev 1 is the worst; 3 is the default when a plan names none. */
export type Severity = 1 | 2 | 3 | 4;
export const DEFAULT_SEVERITY: Severity = 3;

/** The bot itself, as the actor of system events. */
export const SYSTEM = 'system';

/** One service of a plan: what to deploy and how. */
export interface PlannedService {
  service: string;
  tag: string;
  method: DeployMethod;
}

/** The catalog entries this hotfix uses, frozen at plan time: a catalog change never alters an in-flight hotfix. */
export interface CatalogSnapshot {
  services: Record<string, ServiceSpec>;
  client: Omit<ClientSpec, 'envs'>;
  env: EnvSpec;
  policy: Policy;
  changeControl: ChannelRef;
}

/** Where the hotfix was asked for. Incident start (for MTTR) is the channel's creation unless an incident says so. */
export interface IncidentRef {
  channel: string;
  threadTs?: string;
  key?: string;
  startedAt: string;
}

/** An approval counts only for the plan version the approver saw. */
export interface Approval {
  by: string;
  at: string;
  planVersion: number;
  breakGlass?: { reason: string };
}

/** A deploy stage as the deploy method reports it (Jenkins stage, ECS step, rehearsal stage). */
export interface Stage {
  name: string;
  status: 'pending' | 'running' | 'succeeded' | 'failed' | 'skipped' | 'waiting';
  /**
   * How long the stage took, once it ended, when the method knows (Jenkins does). A running stage has none, so time
   * passing alone never redraws the live status.
   */
  durationMs?: number;
}

/** Progress of one workflow step: the intent is written before the outside call, the result after it. */
export interface StepProgress {
  intent?: { key: string; at: string };
  result?: { at: string; detail?: string };
}

/** The failed hotfix a patch-forward plan replaces, by ULID (for the store) and `HF-<n>` (for people). */
export interface PatchedHotfix {
  ulid: string;
  id: string;
}

/** Why the hotfix failed, and the rollback-matrix condition when one could be told. */
export interface Failure {
  at: string;
  phase: 'deploy' | 'verify' | 'rollback';
  message: string;
  condition?: string;
}

/** The hotfix record: the fold of its events. */
export interface Hotfix {
  /** `HF-<n>`, shown to people. */
  id: string;
  /** Used for idempotency keys and in outside systems. */
  ulid: string;
  /** Number of events folded in; the store's compare-and-set version. */
  seq: number;
  state: HotfixState;
  /** When the current state was entered: the event's sequence number and time ("queued since 10:42"). */
  stateSince: { seq: number; at: string };
  requester: string;
  /** Who drives the hotfix now; starts as the requester, changes with a handoff. */
  owner: string;
  incident: IncidentRef;
  client: string;
  env: string;
  severity: Severity;
  method: DeployMethod;
  services: PlannedService[];
  reason?: string;
  /** When the plan's deploy window opens (`at=`): approved before it, the hotfix queues for its lock then. */
  deployAt?: string;
  planVersion: number;
  snapshot: CatalogSnapshot;
  triage: Record<string, string>;
  approvals: Approval[];
  approvalsRequired: number;
  breakGlass?: { by: string; at: string; reason: string; acknowledgedBy?: string; acknowledgedAt?: string };
  freezeOverride?: { window: string; reason: string; by: string };
  warnings: string[];
  expiresAt: string;
  decision?: { by: string; at: string; reason: string };
  /** The versions running before the deploy: the rollback source. */
  versionsBefore?: Record<string, string>;
  /** What the deploy will do (parameters, images), recorded while preparing and again as a later attempt starts. */
  deployPlan?: string[];
  lock?: { token: number; since: string };
  cancelRequest?: { by: string; at: string; reason: string };
  stages: Stage[];
  pendingInput?: { id: string; message: string };
  /** Answers to input steps, by input id: who answered, how and when (the deploy method passes them on). */
  /** `outside`: answered in the CI server itself; there is nothing for the bot to pass on. */
  answers: Record<string, { proceed: boolean; by: string; at: string; outside?: true }>;
  attempts: number;
  failure?: Failure;
  /** Where someone extended the maintenance window to (Extend maintenance); the records are moved there. */
  maintenanceUntil?: string;
  refs: Record<string, string>;
  steps: Record<string, StepProgress>;
  supersededBy?: string;
  /** The failed hotfix this one patches forward: on approval it is superseded and its lock passes to this one. */
  supersedes?: PatchedHotfix;
  /** Who recorded that the fix need not come back to the default branch, when and why (seed 003). */
  forwardPortWaiver?: { by: string; at: string; reason: string };
  times: {
    plannedAt: string;
    /** When the current plan version was made, once the plan has been revised. */
    revisedAt?: string;
    approvedAt?: string;
    queuedAt?: string;
    deployStartedAt?: string;
    /** When the current deploy attempt started (a retry starts a new one). */
    attemptStartedAt?: string;
    deployedAt?: string;
    completedAt?: string;
    endedAt?: string;
  };
  /** Rounds of attempts at creating the change records: a Retry after a required one failed starts the next. */
  recordRound?: number;
  /** Sequence number of the terminal event whose finalize step has run. */
  finalizedSeq?: number;
}

/** True when the state is terminal (see TERMINAL_STATES). */
export function isTerminal(state: HotfixState): boolean {
  return TERMINAL_STATES.has(state);
}

/** True when a hotfix in this state holds its environment's lock. */
export function holdsLock(state: HotfixState): boolean {
  return LOCK_STATES.has(state);
}

/**
 * True when the hotfix holds its environment now: in a lock state, or a patch forward approved (or queued) after it
 * took over the failed hotfix's lock, before its own deploy starts.
 */
export function holdsEnvironment(hotfix: Pick<Hotfix, 'state' | 'supersedes'>): boolean {
  if (holdsLock(hotfix.state)) return true;
  return hotfix.supersedes !== undefined && (hotfix.state === 'approved' || hotfix.state === 'queued');
}

/** The key of the lock a hotfix needs. */
export function lockKey(hotfix: Pick<Hotfix, 'client' | 'env'>): string {
  return `${hotfix.client}/${hotfix.env}`;
}

/** The thread everything about this hotfix goes to: the incident thread it was planned in, else its plan message. */
export function threadOf(hotfix: Pick<Hotfix, 'incident' | 'refs'>): string | undefined {
  return hotfix.incident.threadTs ?? hotfix.refs['planTs'];
}

/**
 * The step that records the plan-time check of this plan version passed: once recorded, a re-run never checks (or
 * cancels) that version again; a revision is a new plan version, checked again before approvers are shown it. Its
 * detail holds the deploy method's preview, one line each, which the plan and the notice show.
 */
export function targetCheckStep(hotfix: Pick<Hotfix, 'planVersion'>): string {
  return hotfix.planVersion > 1 ? `check_target_v${hotfix.planVersion}` : 'check_target';
}
