import type { Hotfix } from '../domain/hotfix.js';
import { lockKey } from '../domain/hotfix.js';
import type { DeployMethod } from '../ports/deploy-method.js';
import type { WorkflowDeps } from './deps.js';
import { afterTransition } from './next-jobs.js';
import { prepareTrouble } from './prepare-trouble.js';
import { BOT } from './system-actor.js';
import { transact } from './transact.js';
import { recordContextOf } from './record-context.js';

/**
 * Preparing: records the versions running now (the rollback source) and what the deploy will do, then starts the
 * deploy. The fence is checked first: a hotfix whose lock was taken away (an audited unlock) touches nothing. An
 * outside system that refuses or keeps failing meanwhile fails the hotfix with a readable message (prepare-trouble.ts).
 */
export async function prepare(deps: WorkflowDeps, hotfix: Hotfix): Promise<void> {
  const method = deps.methods[hotfix.method];
  if (!method) throw new Error(`${hotfix.id}: deploy method ${hotfix.method} is not available`);
  if (!(await holdsFence(deps, hotfix))) return;
  try {
    await prepareOnce(deps, hotfix, method);
  } catch (error) {
    await prepareTrouble(deps, hotfix.ulid, error);
  }
}

async function prepareOnce(deps: WorkflowDeps, hotfix: Hotfix, method: DeployMethod): Promise<void> {
  let current = hotfix;
  if (!current.versionsBefore) {
    // Services whose running version the method could not read are left out: shown as not read, never guessed.
    const versionsBefore = await method.currentVersions(current);
    // A method that can read the exact change from outside (images, settings that differ) says it; else describe().
    const deployPlan = method.plan
      ? await method.plan(current)
      : method.describe(current, method.previewsRecords ? await recordContextOf(deps, current) : undefined);
    const prepared = await transact(
      deps,
      { ulid: current.ulid },
      { type: 'prepare', versionsBefore, deployPlan },
      BOT,
    );
    if (!prepared.ok) return;
    current = prepared.hotfix;
  }
  const started = await transact(deps, { ulid: current.ulid }, { type: 'start_deploy' }, BOT);
  if (started.ok && started.events.length > 0) await afterTransition(deps, started.hotfix);
}

/** Whether the hotfix's fencing token is still the live one for its environment. */
export async function holdsFence(deps: WorkflowDeps, hotfix: Hotfix): Promise<boolean> {
  if (!hotfix.lock) return false;
  const current = await deps.locks.isCurrent(lockKey(hotfix), hotfix.ulid, hotfix.lock.token);
  if (!current)
    deps.log.warn({ hotfix: hotfix.id, fence: hotfix.lock.token }, 'fencing token is stale; not acting');
  return current;
}
