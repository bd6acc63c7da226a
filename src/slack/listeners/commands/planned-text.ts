import type { Hotfix } from '../../../domain/hotfix.js';

/** The confirmation a planner sees: what happens next, and any staffing warning. */
export function plannedText(hotfix: Hotfix, warnings: string[]): string {
  const lines = [
    `:white_check_mark: ${hotfix.id} is planned. I am posting it in this channel (everything about it will go in its thread) and asking <#${hotfix.snapshot.changeControl.id}> for approval (${hotfix.approvalsRequired} needed).`,
    ...warnings.map((w) => `:warning: ${w}`),
  ];
  return lines.join('\n');
}
