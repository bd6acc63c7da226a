/**
 * What the incident thread is told about change records: that one exists (a Sev 1's records are created alongside
 * its deploy, so the thread says when each exists), that one could not be created, and at the end what was closed
 * and what was left open.
 */
import type { RecordKind } from '../domain/catalog.js';
import type { RecordLink } from '../domain/record-plan.js';
import type { RecordFailure } from './record-errors.js';

/** One thread reply about the records. */
export type RecordNote =
  | { kind: 'created'; link: RecordLink }
  | {
      kind: 'failed';
      record: RecordKind;
      failure: RecordFailure;
      message: string;
      /** The hotfix waits before it queues until someone clicks Retry (a required record, not Sev 1). */
      held: boolean;
      /**
       * Someone retried since (the message is redrawn without its Retry button): the record as it exists now, or
       * `again` when the retry did not create it either (a newer message says why).
       */
      retried?: { link: RecordLink } | 'again';
    }
  | {
      /** A change to a record that exists could not be made (the ticket not commented or moved); nothing waits on it. */
      kind: 'not_updated';
      record: RecordKind;
      /** What was to be done, e.g. `mark the deploy's start on CHG-12`. */
      what: string;
      failure: RecordFailure;
      message: string;
    }
  /** Someone extended the maintenance window: the records moved to `until`. */
  | { kind: 'extended'; until: string; extended: RecordLink[] }
  | {
      kind: 'closed';
      closed: { link: RecordLink; what: string }[];
      leftOpen: { link: RecordLink; why: string }[];
    };

const FAILURES: readonly RecordFailure[] = [
  'credentials',
  'not_found',
  'refused',
  'rate_limited',
  'unavailable',
];

/** A failure detail as recorded on the step (`<reason code>: <message>`), read back. */
export function parseFailureDetail(detail: string): { failure: RecordFailure; message: string } {
  const colon = detail.indexOf(': ');
  const code = colon > 0 ? detail.slice(0, colon) : '';
  const failure = (FAILURES as readonly string[]).includes(code) ? (code as RecordFailure) : 'refused';
  return { failure, message: colon > 0 && failure === code ? detail.slice(colon + 2) : detail };
}
