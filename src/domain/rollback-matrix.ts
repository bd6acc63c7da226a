/**
 * The rollback decision matrix of seed 004, as data. A failure is classified into a condition; the row says how bad it
 * is and what the runbook does about it. The bot shows the row next to the failure's buttons and, where the policy
 * allows auto-rollback, acts on `rollback_now` rows itself.
 */
export const ROLLBACK_CONDITIONS = [
  'smoke_test_failed',
  'migration_failed',
  'service_not_starting',
  'performance_degraded',
  'minor_log_errors',
  'queue_backlog',
  'partial_deploy',
  'unknown',
] as const;
export type RollbackCondition = (typeof ROLLBACK_CONDITIONS)[number];

export type RollbackAction =
  'rollback_now' | 'rollback_after_monitoring' | 'investigate' | 'monitor' | 'decide';

export interface RollbackRow {
  condition: RollbackCondition;
  /** The runbook's wording of the condition. */
  label: string;
  severity: 'critical' | 'high' | 'medium';
  action: RollbackAction;
  /** Minutes of watching before the rollback, when the action allows waiting. */
  withinMinutes: number;
  /** What a person should do, in the runbook's words. */
  advice: string;
}

/** Seed 004, "Rollback Decision Matrix", plus a row for failures the bot cannot classify. */
export const ROLLBACK_MATRIX: readonly RollbackRow[] = [
  row('smoke_test_failed', 'Smoke test fails', 'critical', 'rollback_now', 0, 'Immediate rollback.'),
  row(
    'migration_failed',
    'Database migration fails',
    'critical',
    'rollback_now',
    0,
    'Immediate rollback. Do not fix the schema by hand or start services; escalate to the database team.',
  ),
  row('service_not_starting', "Service won't start", 'critical', 'rollback_now', 0, 'Immediate rollback.'),
  row(
    'performance_degraded',
    'Performance > 2x slower',
    'high',
    'rollback_after_monitoring',
    10,
    'Roll back after 10 minutes of monitoring if it does not settle.',
  ),
  row(
    'minor_log_errors',
    'Minor errors in logs',
    'medium',
    'investigate',
    15,
    'Investigate; roll back if not resolved in 15 minutes.',
  ),
  row(
    'queue_backlog',
    'Queue backlog growing',
    'medium',
    'monitor',
    20,
    'Monitor; roll back if it is not catching up in 20 minutes.',
  ),
  row(
    'partial_deploy',
    'Single host deployment failed',
    'high',
    'rollback_now',
    0,
    'Roll back every host to keep versions consistent: never run mixed versions in production.',
  ),
  row(
    'unknown',
    'Failure not classified',
    'high',
    'decide',
    10,
    'If the cause is clear and fixable in under 10 minutes, fix and retry; if unclear, roll back.',
  ),
];

function row(
  condition: RollbackCondition,
  label: string,
  severity: RollbackRow['severity'],
  action: RollbackAction,
  withinMinutes: number,
  advice: string,
): RollbackRow {
  return { condition, label, severity, action, withinMinutes, advice };
}

/** True when the text names a condition of the matrix. */
export function isRollbackCondition(value: string | undefined): value is RollbackCondition {
  return (ROLLBACK_CONDITIONS as readonly string[]).includes(value ?? '');
}

/** The row for a failure; failures the deploy method could not classify get the `unknown` row. */
export function rollbackRowFor(condition: string | undefined): RollbackRow {
  const wanted = isRollbackCondition(condition) ? condition : 'unknown';
  const found = ROLLBACK_MATRIX.find((r) => r.condition === wanted);
  if (!found) throw new Error(`rollback matrix has no row for ${wanted}`);
  return found;
}

/** Whether the bot may roll back without a person: a critical `rollback_now` row and a policy that allows it. */
export function shouldAutoRollback(condition: string | undefined, autoRollbackAllowed: boolean): boolean {
  const chosen = rollbackRowFor(condition);
  return autoRollbackAllowed && chosen.action === 'rollback_now';
}
