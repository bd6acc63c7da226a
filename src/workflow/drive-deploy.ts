import type { Hotfix } from '../domain/hotfix.js';
import type { DeployMethod, DeployProgress } from '../ports/deploy-method.js';
import type { WorkflowDeps } from './deps.js';
import { afterTransition, lookAgain } from './next-jobs.js';
import { holdsFence } from './prepare.js';
import { BOT } from './system-actor.js';
import { transact } from './transact.js';

/**
 * A running deploy: abort it when a cancel was asked for, start it once, pass on input answers once, and report its
 * progress into the record (stages, an input question, the outcome). Looks again after `pollMs` while it runs.
 */
export async function driveDeploy(deps: WorkflowDeps, hotfix: Hotfix): Promise<void> {
  const method = deps.methods[hotfix.method];
  if (!method) throw new Error(`${hotfix.id}: deploy method ${hotfix.method} is not available`);
  if (!(await holdsFence(deps, hotfix))) return;
  if (hotfix.cancelRequest) return abort(deps, hotfix, method);
  const current = await startOnce(deps, hotfix, method);
  await passOnAnswers(deps, current, method);
  const progress = await method.poll(current);
  const changed = await report(deps, current, progress);
  if (!changed && (progress.status === 'running' || progress.status === 'input')) {
    await lookAgain(deps, current, deps.timing.pollMs);
  }
}

async function startOnce(deps: WorkflowDeps, hotfix: Hotfix, method: DeployMethod): Promise<Hotfix> {
  const step = `start_${hotfix.attempts}`;
  if (hotfix.steps[step]?.result) return hotfix;
  const intent = await transact(
    deps,
    { ulid: hotfix.ulid },
    { type: 'record_intent', step, key: `${hotfix.ulid}.${step}` },
    BOT,
  );
  if (!intent.ok) throw new Error(intent.refusal.message);
  // `start` finds a deploy an earlier attempt started (by the ULID) before starting one.
  const refs = await method.start(intent.hotfix);
  const recorded = await transact(deps, { ulid: hotfix.ulid }, { type: 'record_result', step, refs }, BOT);
  if (!recorded.ok) throw new Error(recorded.refusal.message);
  return recorded.hotfix;
}

async function passOnAnswers(deps: WorkflowDeps, hotfix: Hotfix, method: DeployMethod): Promise<void> {
  for (const [inputId, answer] of Object.entries(hotfix.answers)) {
    const step = `answer_${hotfix.attempts}_${inputId}`;
    if (hotfix.steps[step]?.result) continue;
    await transact(
      deps,
      { ulid: hotfix.ulid },
      { type: 'record_intent', step, key: `${hotfix.ulid}.${step}` },
      BOT,
    );
    await method.answer(hotfix, inputId, answer.proceed);
    await transact(
      deps,
      { ulid: hotfix.ulid },
      { type: 'record_result', step, detail: answer.proceed ? 'proceed' : 'abort' },
      BOT,
    );
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
  if (JSON.stringify(progress.stages) !== JSON.stringify(current.stages))
    await apply({ type: 'update_stages', stages: progress.stages });
  if (progress.status === 'input' && current.state === 'deploying' && !current.answers[progress.input.id]) {
    await apply({ type: 'request_input', inputId: progress.input.id, message: progress.input.message });
  }
  if (progress.status === 'succeeded') await apply({ type: 'deploy_succeeded' });
  if (progress.status === 'failed') {
    await apply({
      type: 'deploy_failed',
      message: progress.message,
      ...(progress.condition ? { condition: progress.condition } : {}),
    });
  }
  if (progress.status === 'aborted')
    await apply({ type: 'deploy_failed', message: 'The deploy was aborted outside the bot.' });
  if (changed) await afterTransition(deps, current);
  return changed;
}

async function abort(deps: WorkflowDeps, hotfix: Hotfix, method: DeployMethod): Promise<void> {
  const undone = await method.abort(hotfix);
  const outcome = await transact(deps, { ulid: hotfix.ulid }, { type: 'deploy_aborted', undone }, BOT);
  if (outcome.ok && outcome.events.length > 0) await afterTransition(deps, outcome.hotfix);
}
