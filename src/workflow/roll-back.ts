import type { HealthResult } from '../domain/health.js';
import { judge, verifyPlan } from '../domain/health.js';
import type { Hotfix, PlannedService } from '../domain/hotfix.js';
import { rollbackTarget, rollbackView } from '../domain/rollback.js';
import type { DeployMethod, DeployProgress } from '../ports/deploy-method.js';
import { claimStep } from './claim-step.js';
import type { WorkflowDeps } from './deps.js';
import { afterTransition, lookAgain } from './next-jobs.js';
import { holdsFence } from './prepare.js';
import { BOT } from './system-actor.js';
import { transact } from './transact.js';
import { healthAnswers } from './verify.js';

/** Steps of a rollback on the record: its deploy started, located, finished, and its health checked. */
const STARTED = 'rollback_start';
const LOCATED = 'rollback_located';
const DEPLOYED = 'rollback_deployed';
const HEALTH = 'rollback_health';

/**
 * Rolling back: every service of the plan back to the version it replaced, together (seed 004: never mixed
 * versions). The method's own rollback where it has one, else the earlier versions re-deployed through its start and
 * poll as the attempt after the last; started once however many runs overlap (claimed first, found again by the ULID
 * after a crash), its input steps answered Proceed (the rollback was confirmed when asked for), then verified by the
 * same health checks against the earlier versions. Ends `rolled_back` or `rollback_failed`, which keeps the lock.
 */
export async function rollBack(deps: WorkflowDeps, hotfix: Hotfix): Promise<void> {
  const method = deps.methods[hotfix.method];
  if (!method) throw new Error(`${hotfix.id}: deploy method ${hotfix.method} is not available`);
  if (!(await holdsFence(deps, hotfix))) return;
  const target = rollbackTarget(hotfix);
  if (!target) return conclude(deps, hotfix, 'no earlier version of every service is recorded to return to');
  if (hotfix.steps[DEPLOYED]?.result) return checkHealth(deps, hotfix, target);
  const started = await startOnce(deps, hotfix, method, target);
  if (!started) return lookAgain(deps, hotfix, deps.timing.pollMs);
  const view = rollbackView(started, target);
  const progress = method.rollback ? await method.rollback.poll(view) : await method.poll(view);
  const current = await located(deps, started, progress);
  switch (progress.status) {
    case 'running':
      return lookAgain(deps, current, deps.timing.pollMs);
    case 'input':
      await proceedOnce(deps, current, method, target, progress.input.id);
      return lookAgain(deps, current, deps.timing.pollMs);
    case 'failed':
      return conclude(deps, current, `the rollback deploy failed: ${progress.message}`);
    case 'aborted':
      return conclude(deps, current, 'the rollback deploy was aborted outside the bot');
    case 'succeeded': {
      const done = await transact(
        deps,
        { ulid: hotfix.ulid },
        { type: 'record_result', step: DEPLOYED },
        BOT,
      );
      if (!done.ok) throw new Error(done.refusal.message);
      return checkHealth(deps, done.hotfix, target);
    }
  }
}

/** Starts the rollback deploy once: undefined while another live run is starting it. */
async function startOnce(
  deps: WorkflowDeps,
  hotfix: Hotfix,
  method: DeployMethod,
  target: PlannedService[],
): Promise<Hotfix | undefined> {
  // Even a claim taken over from a dead run starts: the method finds what that run started by the ULID.
  const started = await once(deps, hotfix, STARTED, async (claimed) => {
    const view = rollbackView(claimed, target);
    const refs = method.rollback ? await method.rollback.start(view) : await method.start(view);
    return { refs };
  });
  if (started) await afterTransition(deps, started);
  return started;
}

/**
 * Causes a step's outside effect once however many runs overlap (see claim-step.ts), and records its result:
 * undefined while another live run holds the step.
 */
async function once(
  deps: WorkflowDeps,
  hotfix: Hotfix,
  step: string,
  cause: (claimed: Hotfix) => Promise<{ refs?: Record<string, string>; detail?: string }>,
): Promise<Hotfix | undefined> {
  const claim = await claimStep(deps, hotfix, step);
  if (claim.kind !== 'mine') return claim.kind === 'done' ? claim.hotfix : undefined;
  let result: { refs?: Record<string, string>; detail?: string };
  try {
    result = await cause(claim.hotfix);
  } catch (error) {
    claim.abandon(); // the outcome is unknown: the next run looks for the effect by the ULID
    throw error;
  }
  try {
    const command = { type: 'record_result' as const, step, ...result };
    const recorded = await transact(deps, { ulid: hotfix.ulid }, command, BOT);
    if (!recorded.ok) throw new Error(recorded.refusal.message);
    return recorded.hotfix;
  } finally {
    await claim.done();
  }
}

/**
 * Records where the rollback deploy runs (the Jenkins build it became) once, so the live status links it, and its
 * steps whenever they change, redrawn on the live status.
 */
async function located(deps: WorkflowDeps, hotfix: Hotfix, progress: DeployProgress): Promise<Hotfix> {
  let current = hotfix;
  const refs = progress.refs;
  if (refs && Object.entries(refs).some(([key, value]) => current.refs[key] !== value)) {
    const outcome = await transact(
      deps,
      { ulid: current.ulid },
      { type: 'record_result', step: LOCATED, refs },
      BOT,
    );
    if (outcome.ok) current = outcome.hotfix;
  }
  if (progress.stages.length === 0 || JSON.stringify(progress.stages) === JSON.stringify(current.stages))
    return current;
  const shown = await transact(
    deps,
    { ulid: current.ulid },
    { type: 'update_stages', stages: progress.stages },
    BOT,
  );
  if (!shown.ok || shown.events.length === 0) return current;
  const attempt = String(shown.hotfix.seq);
  await deps.jobs.enqueue({ ulid: shown.hotfix.ulid, step: 'render_status', attempt });
  return shown.hotfix;
}

/** Answers an input step of the rollback deploy Proceed, once. */
async function proceedOnce(
  deps: WorkflowDeps,
  hotfix: Hotfix,
  method: DeployMethod,
  target: PlannedService[],
  inputId: string,
): Promise<void> {
  await once(deps, hotfix, `rollback_answer_${inputId}`, async (claimed) => {
    await method.answer(rollbackView(claimed, target), inputId, true);
    return { detail: 'proceed' };
  });
}

/** One round of the plan's health checks against the earlier versions; recorded once. */
async function checkHealth(deps: WorkflowDeps, hotfix: Hotfix, target: PlannedService[]): Promise<void> {
  const view = rollbackView(hotfix, target);
  const plan = verifyPlan(view);
  if (plan.checks.length === 0) return succeed(deps, hotfix);
  const answers = await healthAnswers(deps, view, plan.checks, 0);
  const results = plan.checks.map((check, i) =>
    judge(check, answers[i] ?? { kind: 'error', message: 'no answer from the deploy method' }),
  );
  const detail = JSON.stringify(results);
  const recorded = await transact(
    deps,
    { ulid: hotfix.ulid },
    { type: 'record_result', step: HEALTH, detail },
    BOT,
  );
  if (!recorded.ok) throw new Error(recorded.refusal.message);
  if (recorded.events.length === 0) return; // a concurrent run recorded it first and carries on
  const failing = results.filter((r) => !r.ok);
  if (failing.length > 0)
    return conclude(deps, recorded.hotfix, `health check failed after the rollback: ${described(failing)}`);
  return succeed(deps, recorded.hotfix);
}

function described(failing: readonly HealthResult[]): string {
  return failing.map((r) => `${r.service} ${r.check}: expected ${r.expected}, saw ${r.seen}`).join('; ');
}

async function succeed(deps: WorkflowDeps, hotfix: Hotfix): Promise<void> {
  const outcome = await transact(deps, { ulid: hotfix.ulid }, { type: 'rollback_succeeded' }, BOT);
  if (outcome.ok && outcome.events.length > 0) await afterTransition(deps, outcome.hotfix);
}

async function conclude(deps: WorkflowDeps, hotfix: Hotfix, why: string): Promise<void> {
  const message = `Rollback of ${hotfix.id} failed: ${why}`;
  deps.log.warn({ hotfix: hotfix.id }, message);
  const outcome = await transact(deps, { ulid: hotfix.ulid }, { type: 'rollback_failed', message }, BOT);
  if (outcome.ok && outcome.events.length > 0) await afterTransition(deps, outcome.hotfix);
}
