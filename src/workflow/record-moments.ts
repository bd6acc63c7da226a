import { commentMarker } from '../domain/change-records.js';
import type { ChangeTicketSettings } from '../domain/catalog.js';
import type { Hotfix, HotfixState } from '../domain/hotfix.js';
import { isTerminal } from '../domain/hotfix.js';
import type { WorkflowDeps } from './deps.js';
import { extendRecords } from './extend-records.js';
import { startMaintenance } from './start-maintenance.js';
import { updateRecordOnce } from './update-record.js';
import { rewriteRecordTexts } from './record-texts.js';

const DEPLOYING: ReadonlySet<HotfixState> = new Set<HotfixState>([
  'deploying',
  'awaiting_input',
  'verifying',
]);

/**
 * The `sync_records` job: the ticket and the event follow a revised plan (record-texts.ts), a scheduled maintenance
 * starts with the deploy (start-maintenance.ts), and the change ticket
 * follows the deploy. When an attempt starts it is commented and moved
 * through the catalog's start transition (after the reopen transition for a retry), and when the deploy fails it is
 * commented and moved through the fail transition; each once per attempt. A Jira failure here is told in the thread
 * and left: the deploy never waits on its ticket, and finalize closes the ticket whatever its status.
 */
export async function syncRecords(deps: WorkflowDeps, ulid: string): Promise<void> {
  const loaded = await deps.store.load(ulid);
  if (!loaded) return;
  const hotfix = await startMaintenance(
    deps,
    await extendRecords(deps, await rewriteRecordTexts(deps, loaded)),
  );
  const settings = deps.catalog.changeTickets;
  if (!hotfix.refs['jiraKey'] || !settings || !deps.records.tickets) return;
  let current = await ticketStarted(deps, hotfix, settings);
  if (current.state === 'failed' && current.failure) {
    const message = current.failure.message;
    const step = `jira_failed_${current.attempts}`;
    current = await ticketMoment(deps, current, step, 'mark the failure on', async (key, marker) => {
      await deps.records.tickets?.comment(
        key,
        `${current.id}: the ${current.failure?.phase ?? 'deploy'} failed: ${message}`,
        marker,
      );
      await deps.records.tickets?.transition(key, settings.transitions.fail);
    });
  }
}

/** Moves the ticket to the start status for the current attempt, once; returns the record after it. */
export async function ticketStarted(
  deps: WorkflowDeps,
  hotfix: Hotfix,
  settings: ChangeTicketSettings,
): Promise<Hotfix> {
  const attempt = hotfix.attempts;
  const started =
    attempt > 0 && (DEPLOYING.has(hotfix.state) || hotfix.state === 'failed' || isTerminal(hotfix.state));
  if (!started || hotfix.times.deployStartedAt === undefined) return hotfix;
  const step = `jira_started_${attempt}`;
  return ticketMoment(deps, hotfix, step, "mark the deploy's start on", async (key, marker) => {
    const again = attempt > 1 ? ` (attempt ${attempt})` : '';
    await deps.records.tickets?.comment(
      key,
      `${hotfix.id}: the deploy to ${hotfix.client} ${hotfix.env} started${again}.`,
      marker,
    );
    if (attempt > 1 && settings.transitions.reopen)
      await deps.records.tickets?.transition(key, settings.transitions.reopen).catch(() => undefined);
    await deps.records.tickets?.transition(key, settings.transitions.start);
  });
}

/**
 * One comment-and-transition on the ticket, claimed so it happens once; a Jira refusal is logged, recorded and told
 * in the thread (people update the ticket by hand), never holding the deploy.
 */
async function ticketMoment(
  deps: WorkflowDeps,
  hotfix: Hotfix,
  step: string,
  /** What the moment does, for the thread: "mark the deploy's start on" (the ticket key follows). */
  what: string,
  /** The comment carries the marker, so a re-run after a crash finds it instead of adding a second. */
  effect: (key: string, marker: string) => Promise<void>,
): Promise<Hotfix> {
  const key = hotfix.refs['jiraKey'];
  if (!key) return hotfix;
  return updateRecordOnce(deps, hotfix, step, {
    record: 'jira',
    what: `${what} ${key}`,
    effect: async () => {
      await effect(key, commentMarker(hotfix.ulid, step));
      return 'done';
    },
  });
}
