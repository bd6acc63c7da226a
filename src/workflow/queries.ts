import type { HotfixEvent } from '../domain/events.js';
import type { Hotfix } from '../domain/hotfix.js';
import type { WorkflowDeps } from './deps.js';

/** One hotfix with its audit trail, for `/hotfix status HF-n`. */
export async function hotfixStatus(
  deps: Pick<WorkflowDeps, 'store'>,
  id: string,
): Promise<{ hotfix: Hotfix; events: HotfixEvent[] } | undefined> {
  const hotfix = await deps.store.findById(id);
  if (!hotfix) return undefined;
  return { hotfix, events: await deps.store.events(hotfix.ulid) };
}

/** The active hotfixes; with a channel, only those planned in it (for `/hotfix status` without an id). */
export async function activeHotfixes(deps: Pick<WorkflowDeps, 'store'>, channel?: string): Promise<Hotfix[]> {
  const active = await deps.store.listActive();
  return channel === undefined ? active : active.filter((h) => h.incident.channel === channel);
}
