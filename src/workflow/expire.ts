import type { WorkflowDeps } from './deps.js';
import { BOT } from './system-actor.js';
import { transact } from './transact.js';
import { afterTransition } from './next-jobs.js';

/**
 * Expires a plan nobody decided on in time. Runs as a job delayed to the expiry (and from the reconciler); a plan
 * decided meanwhile is left alone, and one not yet due is looked at again when it is.
 */
export async function expirePlan(deps: WorkflowDeps, ulid: string): Promise<void> {
  const hotfix = await deps.store.load(ulid);
  if (!hotfix || hotfix.state !== 'planned') return;
  const wait = Date.parse(hotfix.expiresAt) - deps.clock.now().getTime();
  if (wait > 0) {
    await deps.jobs.enqueue(
      { ulid, step: 'expire', attempt: `v${hotfix.planVersion}-${hotfix.expiresAt}-later` },
      { delayMs: wait },
    );
    return;
  }
  const outcome = await transact(deps, { ulid }, { type: 'expire' }, BOT);
  if (outcome.ok && outcome.events.length > 0) {
    await afterTransition(deps, outcome.hotfix);
    deps.log.info({ hotfix: hotfix.id }, 'plan expired with no decision');
  }
}
