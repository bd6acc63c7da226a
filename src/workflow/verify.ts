import type { Hotfix } from '../domain/hotfix.js';
import type { WorkflowDeps } from './deps.js';
import { afterTransition } from './next-jobs.js';
import { BOT } from './system-actor.js';
import { transact } from './transact.js';

/**
 * Verifying. A rehearsal has nothing to check, so it verifies at once; health checks, versions and the soak window
 * of the real methods arrive with them, and until then a real method stays here rather than claiming success.
 */
export async function verify(deps: WorkflowDeps, hotfix: Hotfix): Promise<void> {
  if (hotfix.method !== 'rehearsal') {
    deps.log.warn({ hotfix: hotfix.id, method: hotfix.method }, 'no verification for this method yet');
    return;
  }
  const outcome = await transact(deps, { ulid: hotfix.ulid }, { type: 'verify_succeeded' }, BOT);
  if (outcome.ok && outcome.events.length > 0) await afterTransition(deps, outcome.hotfix);
}
