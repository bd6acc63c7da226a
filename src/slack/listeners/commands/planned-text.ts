import type { Hotfix } from '../../../domain/hotfix.js';
import type { WorkflowDeps } from '../../../workflow/deps.js';

/**
 * The confirmation a planner sees: what happens next, and any staffing warning. `targetChecked` is true when a
 * worker checks the deploy target outside (the Jenkins job) before the plan is shown: the answer then says the plan
 * is recorded and being checked, never that it is planned, since the check may still cancel it.
 */
export function plannedText(hotfix: Hotfix, warnings: string[], targetChecked = false): string {
  const changeControl = `<#${hotfix.snapshot.changeControl.id}>`;
  const job = hotfix.snapshot.env.jenkins?.job;
  const first =
    targetChecked && job !== undefined
      ? `:hourglass_flowing_sand: ${hotfix.id} is recorded but not planned yet: I am checking that Jenkins job \`${job}\` exists and declares every parameter I send. If it does, I post the plan in this channel (everything about it will go in its thread) and ask ${changeControl} for approval (${hotfix.approvalsRequired} needed); if not, I cancel it and tell you why here.`
      : `:white_check_mark: ${hotfix.id} is planned. I am posting it in this channel (everything about it will go in its thread) and asking ${changeControl} for approval (${hotfix.approvalsRequired} needed).`;
  return [first, ...warnings.map((w) => `:warning: ${w}`)].join('\n');
}

/** Whether a worker checks this plan's deploy target outside before the plan is shown (DeployMethod.checkTarget). */
export function targetChecked(ctx: { deps: Pick<WorkflowDeps, 'methods'> }, hotfix: Hotfix): boolean {
  return ctx.deps.methods[hotfix.method]?.checkTarget !== undefined;
}
