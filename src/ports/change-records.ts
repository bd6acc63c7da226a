/**
 * The change-control systems this installation has enabled. Each is absent when its variables are (config.ts):
 * plans whose env requires it are refused at plan time, and nothing is created there.
 */
import type { RecordKind } from '../domain/catalog.js';
import type { ChangeCalendar } from './change-calendar.js';
import type { ChangeTickets } from './change-tickets.js';
import type { StatusPage } from './status-page.js';

/** The enabled systems, each behind its port. */
export interface ChangeRecordSystems {
  tickets?: ChangeTickets;
  calendar?: ChangeCalendar;
  statusPage?: StatusPage;
}

/** The record kinds the enabled systems can hold. */
export function enabledKinds(systems: ChangeRecordSystems): Set<RecordKind> {
  const kinds = new Set<RecordKind>();
  if (systems.tickets) kinds.add('jira');
  if (systems.calendar) kinds.add('calendar');
  if (systems.statusPage) kinds.add('statuspage');
  return kinds;
}
