/**
 * The refs an `ecs-image` hotfix keeps on its record, by service: the task-definition revision its deploy registered
 * and the revision that revision replaced (where a panic rollback returns). The deploy writes them; the rollback, the
 * verification and the confirmation a person answers read them from the record, without asking ECS.
 */

/** The ref holding the revision the hotfix's rollout uses, per service (recorded by the deploy's start). */
export const ecsRevisionRef = (service: string): string => `ecsRevision:${service}`;

/** The ref holding the revision the service ran before the hotfix (an ARN): what a panic rollback returns to. */
export const ecsRollbackToRef = (service: string): string => `ecsRollbackTo:${service}`;

/** `family:revision` of a task-definition ARN, as people and the ECS console name it. */
export function taskDefinitionName(arn: string): string {
  return arn.split('/').pop() ?? arn;
}

/** The revision the panic rollback returns `service` to, as `family:revision`, when the record holds it. */
export function ecsReturnsTo(refs: Readonly<Record<string, string>>, service: string): string | undefined {
  const arn = refs[ecsRollbackToRef(service)];
  return arn ? taskDefinitionName(arn) : undefined;
}
