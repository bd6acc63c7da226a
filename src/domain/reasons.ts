/**
 * Every reason the bot gives for refusing something, in one registry. Code is for machines (tests, metrics, audit);
 * the sentence next to it, built where the refusal happens, is for the person who has to act on it.
 */
export const Reason = {
  // Plan grammar and validation
  MissingPart: 'missing_part',
  UnknownService: 'unknown_service',
  DuplicateService: 'duplicate_service',
  BadTag: 'bad_tag',
  UnknownClient: 'unknown_client',
  UnknownEnv: 'unknown_env',
  BadSeverity: 'bad_severity',
  BadIncident: 'bad_incident',
  /** An `at=` that is no time, has passed or lies too far ahead. */
  BadWindow: 'bad_window',
  MixedMethods: 'mixed_methods',
  MethodUnavailable: 'method_unavailable',
  RecordSystemDisabled: 'record_system_disabled',
  NotAvailable: 'not_available',
  UnclosedQuote: 'unclosed_quote',
  UnknownOption: 'unknown_option',
  UnexpectedWord: 'unexpected_word',
  // State machine
  WrongState: 'wrong_state',
  AlreadyExists: 'already_exists',
  NotFound: 'not_found',
  // Who may act
  NotPlanner: 'not_planner',
  NotApprover: 'not_approver',
  SelfApproval: 'self_approval',
  AlreadyApproved: 'already_approved',
  BreakGlassNotAllowed: 'break_glass_not_allowed',
  NotOperator: 'not_operator',
  NotAdmin: 'not_admin',
  ReasonRequired: 'reason_required',
  // Plan versions and timing
  StalePlan: 'stale_plan',
  TriageIncomplete: 'triage_incomplete',
  PlanExpired: 'plan_expired',
  NotYetExpired: 'not_yet_expired',
  Frozen: 'frozen',
  // Locks
  LockHeld: 'lock_held',
  StaleFence: 'stale_fence',
  NotLockHolder: 'not_lock_holder',
  Paused: 'paused',
  NothingToRollBack: 'nothing_to_roll_back',
  /** A patch forward that no longer applies, or aims at another client or env than the hotfix it patches. */
  NotPatchable: 'not_patchable',
  // Change records
  NotHeld: 'not_held',
  // Slack
  ChannelUnavailable: 'channel_unavailable',
  // Source control (seed 003: hotfix branches; seed 001: CI before deploying)
  TagMissing: 'tag_missing',
  SourceHostTrouble: 'source_host_trouble',
  BadBranch: 'bad_branch',
  BranchExists: 'branch_exists',
  BranchDeployed: 'branch_deployed',
  CiRed: 'ci_red',
  CiPending: 'ci_pending',
  CiNone: 'ci_none',
  CiTimedOut: 'ci_timed_out',
} as const;

export type ReasonCode = (typeof Reason)[keyof typeof Reason];

/** Why something was not done, with the next step in `message`. */
export interface Refusal {
  code: ReasonCode;
  message: string;
}

/** Builds a refusal; kept tiny so every call site reads as `refuse(Reason.X, '...')`. */
export function refuse(code: ReasonCode, message: string): Refusal {
  return { code, message };
}
