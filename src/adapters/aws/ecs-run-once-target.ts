/** What an `ecs-run-once` hotfix runs, read from its catalog snapshot, and the guard in front of it. */
import type { EcsRunOnceTarget } from '../../domain/catalog.js';
import type { Hotfix } from '../../domain/hotfix.js';
import type { ProcessGuardTarget } from '../../ports/process-guard.js';
import { logGroupOf } from './ecs-run-once-log.js';

/** A run that takes longer fails the hotfix, unless the catalog says otherwise. */
export const DEFAULT_RUN_MINUTES = 60;
/** How long a deploy waits for running processes to finish, unless the policy (or the env) says otherwise. */
export const DEFAULT_GUARD_WAIT_MINUTES = 30;

/** The deployment service of the hotfix's env, with its log group resolved. */
export interface RunOnceService {
  target: EcsRunOnceTarget;
  logGroup: string;
  timeoutMinutes: number;
}

/** The env's deployment service; a plan without one is a catalog error caught at start-up. */
export function runOnceOf(hotfix: Hotfix): RunOnceService {
  const target = hotfix.snapshot.env.ecsRunOnce;
  if (!target) throw new Error(`${hotfix.id}: the catalog names no ECS deployment service in ${hotfix.env}`);
  return {
    target,
    logGroup: logGroupOf(hotfix.client, hotfix.env, target.logGroup),
    timeoutMinutes: target.timeoutMinutes ?? DEFAULT_RUN_MINUTES,
  };
}

/** The process guard of the hotfix's env, when the catalog names one, and how long a deploy waits on it. */
export function guardOf(hotfix: Hotfix): { target: ProcessGuardTarget; waitMinutes: number } | undefined {
  const spec = hotfix.snapshot.env.processGuard;
  if (!spec) return undefined;
  return {
    target: {
      connectionVariable: spec.connectionEnv,
      ...(spec.table !== undefined ? { table: spec.table } : {}),
      ...(spec.query !== undefined ? { query: spec.query } : {}),
    },
    // The policy decides how long a deploy may wait; the env's own setting remains for catalogs written before it.
    waitMinutes:
      hotfix.snapshot.policy.processGuardWaitMinutes?.[hotfix.env] ??
      spec.waitMinutes ??
      DEFAULT_GUARD_WAIT_MINUTES,
  };
}

/** The task id at the end of a task ARN. */
export function taskId(arn: string): string {
  return arn.split('/').pop() ?? arn;
}
