import type { Hotfix } from '../../../domain/hotfix.js';
import type { WorkflowDeps } from '../../../workflow/deps.js';

/**
 * The confirmation a planner sees: what happens next, and any staffing warning. `targetChecked` is true when a
 * worker checks the deploy target outside (the Jenkins job) before the plan is shown: the answer then says the plan
 * is recorded and being checked, never that it is planned, since the check may still cancel it.
 */
export function plannedText(hotfix: Hotfix, warnings: string[], targetChecked = false): string {
  const changeControl = `<#${hotfix.snapshot.changeControl.id}>`;
  const first = targetChecked
    ? `:hourglass_flowing_sand: ${hotfix.id} is recorded but not planned yet: I am checking ${checkedOutside(hotfix)}. If all is well, I post the plan in this channel (everything about it will go in its thread) and ask ${changeControl} for approval (${hotfix.approvalsRequired} needed); if not, I cancel it and tell you why here.`
    : `:white_check_mark: ${hotfix.id} is planned. I am posting it in this channel (everything about it will go in its thread) and asking ${changeControl} for approval (${hotfix.approvalsRequired} needed).`;
  return [first, ...warnings.map((w) => `:warning: ${w}`)].join('\n');
}

/** What the plan-time check of each method looks at, in the planner's words. */
function checkedOutside(hotfix: Hotfix): string {
  switch (hotfix.method) {
    case 'jenkins-multi-deploy': {
      const job = hotfix.snapshot.env.jenkins?.job;
      return job !== undefined
        ? `that Jenkins job \`${job}\` exists and declares every parameter I send`
        : 'the Jenkins job and every parameter I send';
    }
    case 'ecs-image':
      return 'that the ECS cluster and service this plan updates exist';
    case 'ecs-run-once':
      return "the deployment service's task definition and image, its log group, and what runs in the client's database (the deploy waits for it)";
    default:
      return 'what the deploy will use outside';
  }
}

/** Whether a worker checks this plan's deploy target outside before the plan is shown (DeployMethod.checkTarget). */
export function targetChecked(ctx: { deps: Pick<WorkflowDeps, 'methods'> }, hotfix: Hotfix): boolean {
  return ctx.deps.methods[hotfix.method]?.checkTarget !== undefined;
}
