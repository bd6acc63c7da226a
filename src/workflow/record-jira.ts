import type { Hotfix } from '../domain/hotfix.js';
import { ticketText } from '../domain/change-records.js';
import type { WorkflowDeps } from './deps.js';
import type { RecordOutcome } from './record-once.js';
import { recordOnce } from './record-once.js';
import { recordContextOf } from './record-context.js';

/** The Jira change ticket of a hotfix, created once (found again by the ULID label) and recorded on the hotfix. */
export async function recordJira(deps: WorkflowDeps, hotfix: Hotfix): Promise<RecordOutcome> {
  const tickets = deps.records.tickets;
  if (!tickets) throw new Error(`${hotfix.id}: Jira is not enabled`);
  return recordOnce(deps, hotfix, 'jira', async (current) => {
    const ticket = await tickets.ensure(
      current.ulid,
      ticketText(current, await recordContextOf(deps, current)),
    );
    return { id: ticket.key, url: ticket.url };
  });
}
