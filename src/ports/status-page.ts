/**
 * The public maintenance of a hotfix (Statuspage). Putting components under maintenance (at opening for a live one,
 * at `start` for a scheduled one) remembers each one's status just before, in the maintenance itself, so completing
 * restores what was there (a component in an incident stays in its incident) even after a crash.
 */
import type { RecordText } from '../domain/change-records.js';

/** Component statuses as Statuspage names them. */
export const COMPONENT_STATUSES = [
  'operational',
  'under_maintenance',
  'degraded_performance',
  'partial_outage',
  'major_outage',
] as const;
export type ComponentStatus = (typeof COMPONENT_STATUSES)[number];

/** A maintenance as the workflow needs it. */
export interface Maintenance {
  id: string;
  pageId: string;
  status: 'scheduled' | 'in_progress' | 'verifying' | 'completed';
  componentIds: string[];
  /** Each component's status before the maintenance, by component id (as of its creation until it starts). */
  previousStatuses: Record<string, ComponentStatus>;
  url?: string;
}

/** What to announce. `in_progress` starts now; `scheduled` waits for `start`, however late, never its window. */
export interface MaintenanceDraft {
  pageId: string;
  componentIds: string[];
  ulid: string;
  text: RecordText;
  /**
   * In progress from now (`from`, by the caller's clock; the adapter's when absent) until `until` (the booked
   * window), or scheduled for a later window.
   */
  window:
    | { mode: 'in_progress'; from?: string; until: string }
    | { mode: 'scheduled'; from: string; until: string };
}

/** Opens and completes maintenances; every failure is a RecordSystemError. */
export interface StatusPage {
  /** The maintenance carrying this hotfix ULID on that page, if one exists. */
  findByUlid(pageId: string, ulid: string): Promise<Maintenance | undefined>;
  /** Opens the maintenance unless one carrying the ULID exists; returns whichever it is. */
  ensureOpen(draft: MaintenanceDraft): Promise<Maintenance>;
  /** Moves the maintenance's scheduled end (Extend maintenance); a completed one is left as it is. */
  extend(pageId: string, maintenanceId: string, until: string): Promise<void>;
  /**
   * Starts a scheduled maintenance now: records each component's status, then puts them under maintenance. One
   * already started (or completed) is returned untouched, so two workers starting it at once do no harm.
   */
  start(pageId: string, maintenanceId: string): Promise<Maintenance>;
  /**
   * Completes it and puts each component back to the status it had before (already completed counts as done). One
   * that never started is called off without touching any component.
   */
  complete(maintenance: Maintenance): Promise<Maintenance>;
}
