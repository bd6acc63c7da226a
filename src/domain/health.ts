/**
 * Verifying a deploy (seed 004, "Post-Deployment Verification"): the catalog's health checks of every service of the
 * plan, judged against the version the hotfix deployed, in rounds: one at once, then re-checks through the soak
 * window. Pure: the workflow fetches, this module judges and schedules.
 */
import type { HealthCheck } from './catalog.js';
import type { Hotfix } from './hotfix.js';

/** What one health check saw, judged: what was expected and what was seen, in words people read. */
export interface HealthResult {
  service: string;
  check: string;
  ok: boolean;
  expected: string;
  seen: string;
}

/** A health URL's answer as the probe got it, or why there was none (timeout, refused redirect, connection). */
export type ProbeAnswer =
  { kind: 'answer'; status: number; body: string } | { kind: 'error'; message: string };

/** One check to run: which service, at which version, with which catalog check. */
export interface PlannedCheck {
  service: string;
  /** The version the service must report: the target tag (the rollback's target, once rollback checks this way). */
  version: string;
  check: HealthCheck;
}

/** The checks of a hotfix and when their rounds fall. */
export interface VerifyPlan {
  checks: PlannedCheck[];
  /** Rounds in all: the first at once, then one every `everyMs` until the soak window has passed. */
  rounds: number;
  everyMs: number;
  soakMs: number;
}

/**
 * The checks and rounds of a hotfix, from its catalog snapshot. The soak window is the longest of its services';
 * re-checks come as often as the most watchful service asks. A plan without checks has no rounds: the deploy's
 * success is its verification.
 */
export function verifyPlan(hotfix: Pick<Hotfix, 'services' | 'snapshot'>): VerifyPlan {
  const checks = hotfix.services.flatMap((s) =>
    (hotfix.snapshot.services[s.service]?.healthChecks ?? []).map((check) => ({
      service: s.service,
      version: s.tag,
      check,
    })),
  );
  if (checks.length === 0) return { checks, rounds: 0, everyMs: 0, soakMs: 0 };
  const soaks = hotfix.services.flatMap((s) => {
    const soak = hotfix.snapshot.services[s.service]?.soak;
    return soak ? [soak] : [];
  });
  const soakMs = Math.max(0, ...soaks.map((s) => s.seconds * 1000));
  const everyMs = soaks.length > 0 ? Math.min(...soaks.map((s) => s.everySeconds * 1000)) : 0;
  const rounds = soakMs > 0 && everyMs > 0 ? Math.ceil(soakMs / everyMs) + 1 : 1;
  return { checks, rounds, everyMs, soakMs };
}

/**
 * When round `round` (0 = the first) falls due: the first at once after the deploy, each later one `everyMs` after
 * the one before it was recorded (so a late round never makes the next ones run back to back), and the last no
 * earlier than the end of the soak window.
 */
export function roundDueAt(
  hotfix: Pick<Hotfix, 'steps' | 'attempts'>,
  deployedAt: number,
  plan: VerifyPlan,
  round: number,
): number {
  if (round === 0) return deployedAt;
  const before = hotfix.steps[healthStep(hotfix.attempts, round - 1)]?.result?.at;
  const after = before === undefined ? deployedAt : Date.parse(before);
  const scheduled = deployedAt + Math.min(round * plan.everyMs, plan.soakMs);
  const last = round === plan.rounds - 1 ? deployedAt + plan.soakMs : 0;
  return Math.max(scheduled, after + plan.everyMs, last);
}

/** The step that records a round's results, per deploy attempt (a retry verifies again from the first round). */
export function healthStep(attempt: number, round: number): string {
  return `health_${attempt}_${round}`;
}

/** The recorded rounds of the current attempt, in order, up to the first missing one. */
export function recordedRounds(hotfix: Pick<Hotfix, 'steps' | 'attempts'>): HealthResult[][] {
  const rounds: HealthResult[][] = [];
  for (let round = 0; ; round++) {
    const detail = hotfix.steps[healthStep(hotfix.attempts, round)]?.result?.detail;
    if (detail === undefined) return rounds;
    rounds.push(parseRound(detail));
  }
}

function parseRound(detail: string): HealthResult[] {
  try {
    const parsed: unknown = JSON.parse(detail);
    return Array.isArray(parsed) ? (parsed as HealthResult[]) : [];
  } catch {
    return [];
  }
}

/** Judges one answer against the check: the status first, then the version field when the check names one. */
export function judge(planned: PlannedCheck, answer: ProbeAnswer): HealthResult {
  const { service, check, version } = planned;
  const wantsVersion = check.versionField !== undefined;
  const expected = `HTTP ${check.status}${wantsVersion ? `, ${check.versionField} ${version}` : ''}`;
  const base = { service, check: check.name, expected };
  if (answer.kind === 'error') return { ...base, ok: false, seen: answer.message };
  if (answer.status !== check.status) return { ...base, ok: false, seen: `HTTP ${answer.status}` };
  if (!check.versionField) return { ...base, ok: true, seen: `HTTP ${answer.status}` };
  const found = fieldOf(answer.body, check.versionField);
  const seen = `HTTP ${answer.status}, ${check.versionField} ${found ?? '(missing)'}`;
  return { ...base, ok: found === version, seen };
}

/** A field of a JSON body, by a dotted path (`build.version`), as text; undefined when absent or not JSON. */
function fieldOf(body: string, path: string): string | undefined {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return undefined;
  }
  for (const part of path.split('.')) {
    if (typeof value !== 'object' || value === null || !(part in value)) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
}

/** The failure of a round, for the record and the thread: each failing check with what was expected and seen. */
export function failureOf(results: readonly HealthResult[], round: number, plan: VerifyPlan): string {
  const when =
    round === 0 ? 'after the deploy' : `during the soak window (round ${round + 1} of ${plan.rounds})`;
  const failing = results
    .filter((r) => !r.ok)
    .map((r) => `${r.service} ${r.check}: expected ${r.expected}, saw ${r.seen}`);
  return `Health check failed ${when}: ${failing.join('; ')}`;
}
