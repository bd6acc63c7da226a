import type { Hotfix } from '../domain/hotfix.js';
import type { DeployMethod, DeployProgress } from '../ports/deploy-method.js';
import type { WorkflowDeps } from './deps.js';
import { afterTransition, lookAgain } from './next-jobs.js';
import { holdsFence } from './prepare.js';
import type { HeldClaim } from './claim-step.js';
import { claimStep } from './claim-step.js';
import { BOT } from './system-actor.js';
import { transact } from './transact.js';
import { outsideTrouble, troubleOver } from './outside-trouble.js';

/**
 * A running deploy: abort it when a cancel was asked for, start it once, pass on input answers once, and report its
 * progress into the record (stages, an input question, the outcome). Looks again after `pollMs` while it runs.
 * Concurrent runs (the reconciler's look beside the poll and a click's) start and answer at most once: each effect
 * is claimed first (see claim-step.ts). An outside system that refuses or keeps failing ends as a failed deploy with
 * a readable message (outside-trouble.ts).
 */
export async function driveDeploy(deps: WorkflowDeps, hotfix: Hotfix): Promise<void> {
  const method = deps.methods[hotfix.method];
  if (!method) throw new Error(`${hotfix.id}: deploy method ${hotfix.method} is not available`);
  if (!(await holdsFence(deps, hotfix))) return;
  try {
    await drive(deps, hotfix, method);
  } catch (error) {
    await outsideTrouble(deps, hotfix.ulid, error);
  }
}

async function drive(deps: WorkflowDeps, hotfix: Hotfix, method: DeployMethod): Promise<void> {
  if (hotfix.cancelRequest) return abort(deps, hotfix, method);
  const started = await startOnce(deps, hotfix, method);
  // Another run is starting the deploy or passing an answer on right now: it looks again after it; so do we.
  const current = started && (await passOnAnswers(deps, started, method));
  if (!current) return lookAgain(deps, hotfix, deps.timing.pollMs);
  const progress = await method.poll(current);
  await troubleOver(deps, current);
  const changed = await report(deps, current, progress);
  // An abort that ended nothing here was a cancel's (asked for while this look ran): the next look finishes it, in
  // case the run doing the abort dies before it records the cancel.
  const goesOn =
    progress.status === 'running' || progress.status === 'input' || progress.status === 'aborted';
  if (!changed && goesOn) await lookAgain(deps, current, deps.timing.pollMs);
}

/** Starts the attempt's deploy once: undefined while another live run is starting it. */
async function startOnce(
  deps: WorkflowDeps,
  hotfix: Hotfix,
  method: DeployMethod,
): Promise<Hotfix | undefined> {
  const step = `start_${hotfix.attempts}`;
  const claim = await claimStep(deps, hotfix, step);
  if (claim.kind !== 'mine') return claim.kind === 'done' ? claim.hotfix : undefined;
  // Even a claim taken over from a dead run calls `start`: the method finds what that run started by the ULID.
  const refs = await effect(claim, () => method.start(claim.hotfix));
  return result(deps, claim, { type: 'record_result', step, refs, ...attemptPlan(method, claim.hotfix) });
}

/**
 * What this attempt does, when it differs from the recorded plan (a retry's build carries a new run key). A plan read
 * from outside while preparing (`plan`) describes the change, not the attempt, and stands; so does a description
 * that previews the records with people's names, which only preparing looks up.
 */
function attemptPlan(method: DeployMethod, hotfix: Hotfix): { deployPlan?: string[] } {
  if (method.plan || method.previewsRecords) return {};
  const deployPlan = method.describe(hotfix);
  const same = JSON.stringify(deployPlan) === JSON.stringify(hotfix.deployPlan ?? []);
  return same ? {} : { deployPlan };
}

/** Passes each recorded answer on once: undefined while another live run is passing one on. */
async function passOnAnswers(
  deps: WorkflowDeps,
  hotfix: Hotfix,
  method: DeployMethod,
): Promise<Hotfix | undefined> {
  let current = hotfix;
  for (const [inputId, answer] of Object.entries(hotfix.answers)) {
    if (answer.outside) continue; // answered in the CI server itself: nothing to pass on
    const step = `answer_${hotfix.attempts}_${inputId}`;
    const claim = await claimStep(deps, current, step);
    if (claim.kind === 'busy') return undefined;
    if (claim.kind === 'done') {
      current = claim.hotfix;
      continue;
    }
    await effect(claim, () => method.answer(claim.hotfix, inputId, answer.proceed));
    const detail = answer.proceed ? 'proceed' : 'abort';
    current = await result(deps, claim, { type: 'record_result', step, detail });
  }
  return current;
}

/** Causes a claimed effect; on failure the claim's lease runs out, so the next run looks for it (by the ULID). */
async function effect<T>(claim: HeldClaim, cause: () => Promise<T>): Promise<T> {
  try {
    return await cause();
  } catch (error) {
    claim.abandon();
    throw error;
  }
}

async function result(
  deps: WorkflowDeps,
  claim: HeldClaim,
  command: Extract<Parameters<typeof transact>[2], { type: 'record_result' }>,
): Promise<Hotfix> {
  try {
    const recorded = await transact(deps, { ulid: claim.hotfix.ulid }, command, BOT);
    if (!recorded.ok) throw new Error(recorded.refusal.message);
    return recorded.hotfix;
  } finally {
    await claim.done();
  }
}

/** Writes what changed into the record; returns whether anything did (a transition schedules its own next look). */
async function report(deps: WorkflowDeps, hotfix: Hotfix, progress: DeployProgress): Promise<boolean> {
  let current = hotfix;
  let changed = false;
  const apply = async (command: Parameters<typeof transact>[2]) => {
    const outcome = await transact(deps, { ulid: current.ulid }, command, BOT);
    if (outcome.ok && outcome.events.length > 0) {
      current = outcome.hotfix;
      changed = true;
    }
  };
  // What the method learned about where the deploy runs (the Jenkins build), recorded once per attempt.
  if (progress.refs && Object.entries(progress.refs).some(([key, value]) => current.refs[key] !== value))
    await apply({ type: 'record_result', step: `located_${current.attempts}`, refs: progress.refs });
  // The deploy went on while the bot still asks its question: someone answered it in the CI server itself. Ended
  // by an abort while it asks: someone answered Abort there (the domain makes that a cancel, as Abort in Slack).
  const asked = current.state === 'awaiting_input' ? current.pendingInput : undefined;
  const goesOn =
    progress.status === 'running' ||
    progress.status === 'succeeded' ||
    (progress.status === 'input' && progress.input.id !== asked?.id);
  if (asked && goesOn) await apply({ type: 'note_input_answered_outside', inputId: asked.id, proceed: true });
  if (asked && progress.status === 'aborted') {
    const by = progress.by ? { by: progress.by } : {};
    await apply({ type: 'note_input_answered_outside', inputId: asked.id, proceed: false, ...by });
  }
  const notes = progress.notes ?? {};
  const noted = Object.entries(notes).some(([key, value]) => current.refs[key] !== value);
  if (noted || JSON.stringify(progress.stages) !== JSON.stringify(current.stages))
    await apply({ type: 'update_stages', stages: progress.stages, ...(noted ? { refs: notes } : {}) });
  if (progress.status === 'input' && current.state === 'deploying' && !current.answers[progress.input.id]) {
    await apply({ type: 'request_input', inputId: progress.input.id, message: progress.input.message });
  }
  if (progress.status === 'succeeded') await apply({ type: 'deploy_succeeded' });
  if (progress.status === 'failed' || progress.status === 'aborted') {
    // An abort fails the hotfix only when nobody asked for a cancel; the domain reads that on the record as it is
    // when this lands, not as this look began (a cancel may have come in meanwhile).
    await apply({
      type: 'deploy_failed',
      message: progress.message ?? 'The deploy was aborted outside the bot.',
      ...(progress.condition ? { condition: progress.condition } : {}),
      ...(progress.status === 'aborted' ? { aborted: true } : {}),
    });
  }
  if (changed) await afterTransition(deps, current);
  return changed;
}

/** Aborts the deploy once however many runs see the cancel request, then records the cancel with what was undone. */
async function abort(deps: WorkflowDeps, hotfix: Hotfix, method: DeployMethod): Promise<void> {
  const step = `abort_${hotfix.attempts}`;
  const claim = await claimStep(deps, hotfix, step);
  if (claim.kind === 'busy') return lookAgain(deps, hotfix, deps.timing.pollMs);
  let undone = claim.hotfix.steps[step]?.result?.detail ?? '';
  if (claim.kind === 'mine') {
    try {
      undone = await method.abort(claim.hotfix);
    } catch (error) {
      // An abort is safe to repeat (it finds the run again and looks before it acts): the next try need not wait for
      // this claim's lease to run out. outside-trouble.ts says in the thread that the abort cannot get through.
      await claim.releaseUnused();
      throw error;
    }
    await result(deps, claim, { type: 'record_result', step, detail: undone });
  }
  const outcome = await transact(deps, { ulid: hotfix.ulid }, { type: 'deploy_aborted', undone }, BOT);
  if (outcome.ok && outcome.events.length > 0) await afterTransition(deps, outcome.hotfix);
}
