import { ROLLBACK_MATRIX, rollbackRowFor, shouldAutoRollback } from '../../../src/domain/rollback-matrix.js';

describe('the rollback decision matrix (seed 004)', () => {
  it.each([
    ['smoke_test_failed', 'critical', 'rollback_now'],
    ['migration_failed', 'critical', 'rollback_now'],
    ['service_not_starting', 'critical', 'rollback_now'],
    ['performance_degraded', 'high', 'rollback_after_monitoring'],
    ['minor_log_errors', 'medium', 'investigate'],
    ['queue_backlog', 'medium', 'monitor'],
    ['partial_deploy', 'high', 'rollback_now'],
  ])('%s is %s: %s', (condition, severity, action) => {
    expect(rollbackRowFor(condition)).toMatchObject({ condition, severity, action });
  });

  it('gives unclassified failures the "fix in 10 minutes or roll back" row', () => {
    expect(rollbackRowFor(undefined)).toMatchObject({
      condition: 'unknown',
      action: 'decide',
      withinMinutes: 10,
    });
    expect(rollbackRowFor('gremlins').condition).toBe('unknown');
  });

  it('keeps the waiting times of the runbook', () => {
    const minutes = Object.fromEntries(ROLLBACK_MATRIX.map((r) => [r.condition, r.withinMinutes]));
    expect(minutes).toMatchObject({ performance_degraded: 10, minor_log_errors: 15, queue_backlog: 20 });
  });

  it('rolls back by itself only for immediate-rollback rows and only where the policy allows', () => {
    expect(shouldAutoRollback('smoke_test_failed', true)).toBe(true);
    expect(shouldAutoRollback('smoke_test_failed', false)).toBe(false);
    expect(shouldAutoRollback('queue_backlog', true)).toBe(false);
    expect(shouldAutoRollback(undefined, true)).toBe(false);
  });
});
