import type { RecordContext } from '../domain/change-records.js';
import { stakeholdersOf } from '../domain/change-records.js';
import type { HotfixEvent } from '../domain/events.js';
import type { Hotfix } from '../domain/hotfix.js';
import { SYSTEM } from '../domain/hotfix.js';
import type { WorkflowDeps } from './deps.js';

/** A link to the plan in the incident thread, for the records to point back at; none until the plan is posted. */
export async function threadLinkOf(deps: WorkflowDeps, hotfix: Hotfix): Promise<string | undefined> {
  const { planChannel, planTs } = hotfix.refs;
  if (!planChannel || !planTs) return undefined;
  return deps.chat.permalink({ channel: planChannel, ts: planTs }).catch(() => undefined);
}

/**
 * What the records' text needs beyond the record: the thread link, people's names instead of Slack ids (Jira and the
 * calendar know no Slack ids), for everyone the records name and whoever acted in `events`; and the ticket key.
 */
export async function recordContextOf(
  deps: WorkflowDeps,
  hotfix: Hotfix,
  events: readonly HotfixEvent[] = [],
): Promise<RecordContext> {
  const threadLink = await threadLinkOf(deps, hotfix);
  const people = [...stakeholdersOf(hotfix), ...events.map((e) => e.by)].filter((id) => id !== SYSTEM);
  const names = await deps.chat.displayNames(people).catch(() => ({}));
  const ticketKey = hotfix.refs['jiraKey'];
  return { names, ...(threadLink ? { threadLink } : {}), ...(ticketKey ? { ticketKey } : {}) };
}
