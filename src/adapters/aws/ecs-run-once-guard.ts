/** The process guard as the run-once method asks it, and how its answer reads as a refusal at plan time. */
import type { ProcessCheck, ProcessGuard, ProcessGuardTarget } from '../../ports/process-guard.js';
import type { Redactor } from '../../redact.js';

/** The guard's answer; no guard configured in this installation is a failure, never a pass. */
export async function checkGuard(
  guard: ProcessGuard | undefined,
  target: ProcessGuardTarget,
): Promise<ProcessCheck> {
  if (!guard) return { kind: 'failed', message: 'the process guard is not available in this installation' };
  return guard.check(target);
}

/** A refusal a person can act on, or undefined when nothing is running. */
export function guardRefusal(
  check: ProcessCheck,
  redact: Redactor,
  nothing: 'planned' | 'deployed' = 'planned',
): string | undefined {
  if (check.kind === 'clear') return undefined;
  if (check.kind === 'failed')
    return `The process guard could not tell whether processes are running (${redact(check.message)}), so nothing was ${nothing}. Fix the database access, then try again.`;
  const rows = check.shown.map((row) => `• ${redact(row)}`).join('\n');
  const more = check.total > check.shown.length ? `\n…and ${check.total - check.shown.length} more` : '';
  return `${check.total} process${check.total === 1 ? ' is' : 'es are'} running in the client's database, and the deployment service only runs when none are (seed 000); nothing was ${nothing}. Wait for them to finish, then plan again.\n${rows}${more}`;
}
