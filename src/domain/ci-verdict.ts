/**
 * Whether a commit's CI lets a hotfix go (seed 001: "automated checks and build processes also need to run (CI,
 * etc.) before the fix can be deployed"). The source host reports each check in its own words; the adapter reduces
 * them to CiCheck, and this decides: any failed check makes it red, else any unfinished check makes it pending, else
 * green. A commit that reports no checks at all is `none`, never green: nothing proved the build passed.
 */

/** Where one check stands. */
export type CiCheckState = 'passed' | 'failed' | 'pending';

/** One CI check on a commit (a commit status context or a check run). */
export interface CiCheck {
  /** The status context or check-run name, as people see it on the commit. */
  name: string;
  state: CiCheckState;
  /** The page of the check (its log or build), when the host gave one. */
  url?: string;
  /** The host's own word for the outcome (`failure`, `timed_out`, `in_progress`...). */
  detail: string;
}

/** What the commit's CI says about deploying it. */
export type CiVerdict =
  | { kind: 'green'; passed: CiCheck[] }
  | { kind: 'red'; failed: CiCheck[]; pending: CiCheck[] }
  | { kind: 'pending'; pending: CiCheck[] }
  | { kind: 'none' };

/** The verdict for a commit's checks; a failure wins over anything still running. */
export function ciVerdict(checks: readonly CiCheck[]): CiVerdict {
  if (checks.length === 0) return { kind: 'none' };
  const failed = checks.filter((c) => c.state === 'failed');
  const pending = checks.filter((c) => c.state === 'pending');
  if (failed.length > 0) return { kind: 'red', failed, pending };
  if (pending.length > 0) return { kind: 'pending', pending };
  return { kind: 'green', passed: [...checks] };
}

function named(check: CiCheck): string {
  return check.url ? `${check.name} (${check.detail}): ${check.url}` : `${check.name} (${check.detail})`;
}

/** One sentence for people: what passed, what failed (with links) or what is still running. */
export function describeCiVerdict(verdict: CiVerdict, commit: string): string {
  const short = commit.slice(0, 7);
  switch (verdict.kind) {
    case 'green':
      return `CI is green on ${short}: ${verdict.passed.length} check${verdict.passed.length === 1 ? '' : 's'} passed.`;
    case 'red':
      return `CI failed on ${short}: ${verdict.failed.map(named).join('; ')}. Fix the build and tag again.`;
    case 'pending':
      return `CI is still running on ${short}: waiting for ${verdict.pending.map(named).join('; ')}.`;
    case 'none':
      return `No CI check has reported on ${short}, so nothing shows the build passed; run CI on the tag's commit.`;
  }
}
