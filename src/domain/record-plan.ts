/**
 * Which change-control records a hotfix gets and where each one stands, read from the record alone. A record is
 * required where `policy.records` names it for the env and severity; a system the installation has enabled and the env is set up
 * for gets its record too, as an optional one. A rehearsal gets none: it touches nothing outside. Seed 001's Sev 1
 * exception: a Sev 1 hotfix's records never hold its deploy back.
 */
import type { EnvSpec, Policy, RecordKind } from './catalog.js';
import { RECORD_KINDS, requiredRecords } from './catalog.js';
import type { DeployMethod } from './catalog.js';
import type { Hotfix } from './hotfix.js';
import type { Refusal } from './reasons.js';
import { Reason, refuse } from './reasons.js';

/** One record a hotfix gets. */
export interface PlannedRecord {
  kind: RecordKind;
  /** A required record that cannot be created holds the hotfix (except at Sev 1). */
  required: boolean;
}

/** The systems as people name them in messages. */
export const RECORD_SYSTEMS: Readonly<Record<RecordKind, string>> = {
  jira: 'Jira',
  calendar: 'Google Calendar',
  statuspage: 'Statuspage',
};

/** The records as people call them. */
export const RECORD_LABELS: Readonly<Record<RecordKind, string>> = {
  jira: 'Jira change ticket',
  calendar: 'change-calendar event',
  statuspage: 'Statuspage maintenance',
};

/** The env's own setting a record needs (the calendar, the Statuspage page); Jira needs none per env. */
function envSetUpFor(kind: RecordKind, env: EnvSpec): boolean {
  if (kind === 'calendar') return env.calendarId !== undefined;
  if (kind === 'statuspage') return env.statuspage !== undefined;
  return true;
}

/** What deciding the records of a hotfix reads. */
export interface RecordScope {
  env: EnvSpec;
  envName: string;
  method: DeployMethod;
  policy: Policy;
  severity: number;
}

/** The records a hotfix in `scope` gets, given the systems this installation has enabled. */
export function plannedRecords(scope: RecordScope, enabled: ReadonlySet<RecordKind>): PlannedRecord[] {
  if (scope.method === 'rehearsal') return [];
  const required = requiredRecords(scope.policy, scope.envName, scope.severity);
  return RECORD_KINDS.filter(
    (kind) => required.includes(kind) || (enabled.has(kind) && envSetUpFor(kind, scope.env)),
  ).map((kind) => ({ kind, required: required.includes(kind) }));
}

/**
 * The records a rehearsal would get if it were a real deploy: it shows them as a step of the drill (with what would
 * go in each) and creates none.
 */
export function rehearsedRecords(hotfix: Hotfix, enabled: ReadonlySet<RecordKind>): PlannedRecord[] {
  if (hotfix.method !== 'rehearsal') return [];
  const scope = {
    env: hotfix.snapshot.env,
    envName: hotfix.env,
    policy: hotfix.snapshot.policy,
    severity: hotfix.severity,
  };
  return plannedRecords({ ...scope, method: 'jenkins-multi-deploy' }, enabled);
}

/** The records of this hotfix (see plannedRecords). */
export function recordsOf(hotfix: Hotfix, enabled: ReadonlySet<RecordKind>): PlannedRecord[] {
  return plannedRecords(
    {
      env: hotfix.snapshot.env,
      envName: hotfix.env,
      method: hotfix.method,
      policy: hotfix.snapshot.policy,
      severity: hotfix.severity,
    },
    enabled,
  );
}

/**
 * A plan whose env (at its severity) requires a record from a system this installation has not enabled is refused at plan time: it
 * could be approved but never deploy.
 */
export function recordsUnavailable(
  scope: RecordScope,
  enabled: ReadonlySet<RecordKind>,
): Refusal | undefined {
  const missing = plannedRecords(scope, enabled).filter((r) => r.required && !enabled.has(r.kind));
  if (missing.length === 0) return undefined;
  const systems = missing.map((r) => RECORD_SYSTEMS[r.kind]).join(' and ');
  const labels = missing.map((r) => RECORD_LABELS[r.kind]).join(', ');
  return refuse(
    Reason.RecordSystemDisabled,
    `${scope.envName} requires a ${labels} at severity ${scope.severity} (policy.records.${scope.envName}), but ${systems} ${missing.length > 1 ? 'are' : 'is'} not configured in this installation, so nothing was planned. Ask an admin to set its variables (see the README, Configuration), or plan a rehearsal to practise.`,
  );
}

/** The step that creates a record; its result carries the record's references. */
export function createStep(kind: RecordKind): string {
  return `record_${kind}`;
}

/** The step recording that creating a record failed in a round of attempts (a Retry starts the next round). */
export function failedStep(kind: RecordKind, round: number): string {
  return `record_${kind}_failed_${round}`;
}

/** The step that closes a record once the hotfix ended in the terminal state entered at `terminalSeq`. */
export function closeStep(kind: RecordKind, terminalSeq: number): string {
  return `close_${kind}_${terminalSeq}`;
}

/** References a created record leaves on the hotfix. */
export const RECORD_REFS = {
  jira: { id: 'jiraKey', url: 'jiraUrl' },
  calendar: { id: 'calendarEventId', url: 'calendarUrl' },
  statuspage: { id: 'statuspageIncidentId', url: 'statuspageUrl' },
} as const satisfies Record<RecordKind, { id: string; url: string }>;

/** Whether the record exists (its creation was recorded). */
export function created(hotfix: Hotfix, kind: RecordKind): boolean {
  return hotfix.steps[createStep(kind)]?.result !== undefined;
}

/** Why creating the record failed in the current round, if it did. */
export function failureOf(hotfix: Hotfix, kind: RecordKind): string | undefined {
  if (created(hotfix, kind)) return undefined;
  return hotfix.steps[failedStep(kind, hotfix.recordRound ?? 0)]?.result?.detail;
}

/** Records may hold this hotfix before it queues: every severity but Sev 1. */
export function recordsHoldDeploy(hotfix: Pick<Hotfix, 'severity'>): boolean {
  return hotfix.severity !== 1;
}

/**
 * The required records whose creation failed in this round: while any is, a hotfix whose records may hold it stays
 * approved, held, until someone clicks Retry. Empty means not held.
 */
export function heldBy(hotfix: Hotfix): RecordKind[] {
  if (hotfix.state !== 'approved' || !recordsHoldDeploy(hotfix)) return [];
  const required =
    hotfix.method === 'rehearsal' ? [] : requiredRecords(hotfix.snapshot.policy, hotfix.env, hotfix.severity);
  return required.filter((kind) => failureOf(hotfix, kind) !== undefined);
}

/** A link to one record for people, when it exists. */
export interface RecordLink {
  kind: RecordKind;
  label: string;
  /** `CHG-12`, the event or maintenance id. */
  id: string;
  url?: string;
}

/** Links to every record the hotfix has, in a fixed order. */
export function recordLinks(hotfix: Hotfix): RecordLink[] {
  return RECORD_KINDS.flatMap((kind) => {
    const id = hotfix.refs[RECORD_REFS[kind].id];
    if (!id) return [];
    const url = hotfix.refs[RECORD_REFS[kind].url];
    return [{ kind, label: RECORD_LABELS[kind], id, ...(url ? { url } : {}) }];
  });
}
