import type { Hotfix } from '../domain/hotfix.js';
import type { WorkflowDeps } from './deps.js';

/** A link to the plan in the incident thread, for the records to point back at; none until the plan is posted. */
export async function threadLinkOf(deps: WorkflowDeps, hotfix: Hotfix): Promise<string | undefined> {
  const { planChannel, planTs } = hotfix.refs;
  if (!planChannel || !planTs) return undefined;
  return deps.chat.permalink({ channel: planChannel, ts: planTs }).catch(() => undefined);
}
