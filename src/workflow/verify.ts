import type { PlannedCheck, ProbeAnswer } from '../domain/health.js';
import { failureOf, healthStep, judge, recordedRounds, roundDueAt, verifyPlan } from '../domain/health.js';
import type { Hotfix } from '../domain/hotfix.js';
import type { WorkflowDeps } from './deps.js';
import { afterTransition } from './next-jobs.js';
import { holdsFence } from './prepare.js';
import { BOT } from './system-actor.js';
import { transact } from './transact.js';

/**
 * Verifying: the catalog's health checks of every service of the plan, one round at once and then re-checks through
 * the soak window. Each wait is a delayed job (this step runs again when the next round falls due), each round's
 * results go on the record once, and a failing check fails the hotfix with what was expected and what was seen. The
 * method's own checks of what runs (ECS: the tasks on the deployed revision) join every round. A plan whose services
 * have no health checks is verified by its deploy's success.
 */
export async function verify(deps: WorkflowDeps, hotfix: Hotfix): Promise<void> {
  if (!(await holdsFence(deps, hotfix))) return;
  const plan = verifyPlan(hotfix);
  const round = recordedRounds(hotfix).length;
  if (round >= plan.rounds) return conclude(deps, hotfix, { type: 'verify_succeeded' });
  const deployedAt = Date.parse(hotfix.times.deployedAt ?? hotfix.stateSince.at);
  const dueAt = roundDueAt(hotfix, deployedAt, plan, round);
  const wait = dueAt - deps.clock.now().getTime();
  if (wait > 0) return waitForRound(deps, hotfix, round, dueAt, wait);

  const answers = await healthAnswers(deps, hotfix, plan.checks, round);
  const running = (await deps.methods[hotfix.method]?.checkRunning?.(hotfix)) ?? [];
  const results = [...plan.checks.map((check, i) => judge(check, answers[i] ?? missing())), ...running];
  const step = healthStep(hotfix.attempts, round);
  const detail = JSON.stringify(results);
  const recorded = await transact(deps, { ulid: hotfix.ulid }, { type: 'record_result', step, detail }, BOT);
  if (!recorded.ok) throw new Error(recorded.refusal.message);
  // A concurrent run recorded this round first: its results stand, and it carries on from them.
  if (recorded.events.length === 0) return;
  const failed = results.some((r) => !r.ok);
  if (failed) {
    const message = failureOf(results, round, plan);
    deps.log.warn({ hotfix: hotfix.id, round, results }, 'health check failed');
    return conclude(deps, recorded.hotfix, {
      type: 'verify_failed',
      message,
      condition: 'smoke_test_failed',
    });
  }
  if (round + 1 >= plan.rounds) return conclude(deps, recorded.hotfix, { type: 'verify_succeeded' });
  await showRound(deps, recorded.hotfix, round);
  const nextDue = roundDueAt(recorded.hotfix, deployedAt, plan, round + 1);
  await waitForRound(deps, recorded.hotfix, round + 1, nextDue, nextDue - deps.clock.now().getTime());
}

/** A job that fires this little before its round is due waits under a job id of its own (see waitForRound). */
const EARLY_MS = 250;

/**
 * Looks again when round `round` falls due: one delayed job per round and due time, so every run that finds the
 * round not yet due (the reconciler's looks through a long soak window among them) schedules the same job instead
 * of one more. A job that fired a moment early is still running under that id, so it waits under another.
 */
async function waitForRound(
  deps: WorkflowDeps,
  hotfix: Hotfix,
  round: number,
  dueAt: number,
  waitMs: number,
): Promise<void> {
  const attempt = `verify-${hotfix.attempts}-${round}-${dueAt}${waitMs < EARLY_MS ? '-again' : ''}`;
  await deps.jobs.enqueue({ ulid: hotfix.ulid, step: 'advance', attempt }, { delayMs: Math.max(1, waitMs) });
}

/** The answers of one round: the method's own where it has them (a rehearsal), else the health URLs over HTTP. */
export async function healthAnswers(
  deps: WorkflowDeps,
  hotfix: Hotfix,
  checks: readonly PlannedCheck[],
  round: number,
): Promise<ProbeAnswer[]> {
  const method = deps.methods[hotfix.method];
  if (method?.answerHealthChecks) return method.answerHealthChecks(hotfix, checks, round);
  return Promise.all(
    checks.map(({ service, check }) => {
      const base = hotfix.snapshot.env.healthUrls[service];
      if (!base) {
        const where = `${hotfix.client} ${hotfix.env}`;
        return {
          kind: 'error',
          message: `no health URL for ${service} in ${where} (catalog healthUrls)`,
        } as const;
      }
      return deps.health.get(`${base.replace(/\/+$/, '')}${check.path}`, check.timeoutSeconds * 1000);
    }),
  );
}

function missing(): ProbeAnswer {
  return { kind: 'error', message: 'no answer from the deploy method' };
}

/** Redraws the live status with a passed round (no state changed, so no transition redraws it). */
async function showRound(deps: WorkflowDeps, hotfix: Hotfix, round: number): Promise<void> {
  const attempt = `health-${hotfix.attempts}-${round}`;
  await deps.jobs.enqueue({ ulid: hotfix.ulid, step: 'render_status', attempt });
}

async function conclude(
  deps: WorkflowDeps,
  hotfix: Hotfix,
  command: { type: 'verify_succeeded' } | { type: 'verify_failed'; message: string; condition: string },
): Promise<void> {
  const outcome = await transact(deps, { ulid: hotfix.ulid }, command, BOT);
  if (outcome.ok && outcome.events.length > 0) await afterTransition(deps, outcome.hotfix);
}
