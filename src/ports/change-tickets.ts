/**
 * The change ticket of a hotfix (Jira). Every ticket carries the hotfix ULID so a retry finds the one an earlier
 * attempt created instead of opening a second.
 */
import type { RecordText } from '../domain/change-records.js';

/** A change ticket as the workflow needs it. */
export interface ChangeTicket {
  /** `CHG-42`. */
  key: string;
  /** Browse URL for people. */
  url: string;
  /** Workflow status name, e.g. `In Progress`. */
  status: string;
}

/** Creates, finds, comments on and moves change tickets; every failure is a RecordSystemError. */
export interface ChangeTickets {
  /** The ticket carrying this hotfix ULID, if one exists. */
  findByUlid(ulid: string): Promise<ChangeTicket | undefined>;
  /** Creates the ticket unless one carrying the ULID exists; returns whichever it is. */
  ensure(ulid: string, text: RecordText): Promise<ChangeTicket>;
  /** Rewrites the summary and description (the plan was revised after the ticket was created). */
  updateText(key: string, text: RecordText): Promise<void>;
  /**
   * Adds a comment ending with `marker`, unless a comment carrying `marker` is there already (an earlier attempt
   * added it but died before recording it).
   */
  comment(key: string, text: string, marker: string): Promise<void>;
  /**
   * Moves the ticket through the transition called `name` (case-insensitive), looked up among those available from
   * its current status. Already in a status of that name counts as done. Refused (not retryable) otherwise.
   */
  transition(key: string, name: string): Promise<ChangeTicket>;
}
