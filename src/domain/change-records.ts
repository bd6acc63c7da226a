/**
 * What a hotfix writes into its change-control records (Jira ticket, calendar event, Statuspage maintenance), as
 * plain text: pure functions of the record, so a reviewer can read exactly what a reader of each system will see.
 * The ULID goes into each record because it is how a retry finds the record again.
 */
import { describeEvent } from './describe-event.js';
import type { HotfixEvent } from './events.js';
import type { Hotfix } from './hotfix.js';
import { SYSTEM } from './hotfix.js';
import { localWindowStart } from './deploy-window.js';
import { versionsRead } from './running-version.js';

/** A record's title and its body as paragraphs; adapters turn paragraphs into the system's format (ADF, HTML). */
export interface RecordText {
  title: string;
  paragraphs: string[];
}

/** Context the record alone does not hold: a link to the Slack thread, display names by Slack user id. */
export interface RecordContext {
  threadLink?: string;
  /** Display names by Slack user id; ids stay as they are when absent (Jira and Google know no Slack ids). */
  names?: Record<string, string>;
  /** The change ticket key, once there is one, so the calendar points at it. */
  ticketKey?: string;
}

/** The label (Jira) and reference every record carries: `hotfix-<ulid>`. */
export function ulidReference(ulid: string): string {
  return `hotfix-${ulid.toLowerCase()}`;
}

/**
 * The mark a ticket comment carries so the comment is found again, not added twice, after a crash between adding it
 * and recording it: the hotfix reference and the moment (`jira_started_1`, `timeline_12`), bracketed so one moment's
 * mark is never a prefix of another's.
 */
export function commentMarker(ulid: string, moment: string): string {
  return `[${ulidReference(ulid)} ${moment}]`;
}

function person(id: string, context: RecordContext): string {
  return context.names?.[id] ?? id;
}

/** Slack mentions (`<@U123>`) in an audit sentence, as names where known (Jira shows them as plain text). */
function namesFor(sentence: string, context: RecordContext): string {
  return sentence.replace(/<@([A-Z0-9]+)>/g, (_, id: string) => person(id, context));
}

function servicesLine(hotfix: Hotfix): string {
  return hotfix.services.map((s) => `${s.service} ${s.tag}`).join(', ');
}

/** "service: current -> target" per service; current is "unknown" until the deploy was prepared. */
export function versionLines(hotfix: Hotfix): string[] {
  return hotfix.services.map(
    (s) => `${s.service}: ${versionsRead(hotfix)?.[s.service] ?? 'unknown'} -> ${s.tag}`,
  );
}

/** Who approved the plan version that is being deployed, in the order they approved. */
export function approversOf(hotfix: Hotfix): string[] {
  return hotfix.approvals.filter((a) => a.planVersion === hotfix.planVersion).map((a) => a.by);
}

/** The deploy window's sentence, for a plan that has one (`at=`). */
function windowParagraphs(hotfix: Hotfix): string[] {
  if (!hotfix.deployAt) return [];
  const utc = `${hotfix.deployAt.slice(0, 16).replace('T', ' ')} UTC`;
  return [
    `Deploy window opens ${localWindowStart(hotfix.deployAt, hotfix.snapshot.client.timezone)} (${utc}).`,
  ];
}

function clientName(hotfix: Hotfix): string {
  const display = hotfix.snapshot.client.displayName;
  return display === hotfix.client ? display : `${display} (${hotfix.client})`;
}

/** The change ticket: summary and description. */
export function ticketText(hotfix: Hotfix, context: RecordContext = {}): RecordText {
  const approvers = approversOf(hotfix).map((id) => person(id, context));
  const paragraphs = [
    `Hotfix ${hotfix.id} for ${clientName(hotfix)} ${hotfix.env}, severity ${hotfix.severity}.`,
    `Services (current -> target): ${versionLines(hotfix).join('; ')}.`,
    ...windowParagraphs(hotfix),
    `Requested by ${person(hotfix.requester, context)}.`,
    `Approved by ${approvers.length > 0 ? approvers.join(', ') : 'nobody yet'}.`,
  ];
  if (hotfix.reason) paragraphs.push(`Reason: ${hotfix.reason}`);
  if (hotfix.incident.key) paragraphs.push(`Incident: ${hotfix.incident.key}`);
  if (context.threadLink) paragraphs.push(`Slack thread: ${context.threadLink}`);
  paragraphs.push(`Reference: ${ulidReference(hotfix.ulid)}`);
  return {
    title: `Hotfix ${hotfix.id}: ${servicesLine(hotfix)} to ${hotfix.client} ${hotfix.env} (sev ${hotfix.severity})`,
    paragraphs,
  };
}

/**
 * People who should know about the change: requester, owner, approvers, the client's TAM and the services' owners,
 * each once. A service account cannot invite them, so the event names them instead.
 */
export function stakeholdersOf(hotfix: Hotfix): string[] {
  const owners = hotfix.services.flatMap((s) => hotfix.snapshot.services[s.service]?.owners ?? []);
  const tam = hotfix.snapshot.client.tam;
  const all = [hotfix.requester, hotfix.owner, ...approversOf(hotfix), ...(tam ? [tam] : []), ...owners];
  return [...new Set(all)];
}

/** The change calendar event: title and description naming the stakeholders. */
export function eventText(hotfix: Hotfix, context: RecordContext = {}): RecordText {
  const paragraphs = [
    `Hotfix ${hotfix.id} for ${clientName(hotfix)} ${hotfix.env}, severity ${hotfix.severity}.`,
    `Services (current -> target): ${versionLines(hotfix).join('; ')}.`,
    ...windowParagraphs(hotfix),
    `Stakeholders: ${stakeholdersOf(hotfix)
      .map((id) => person(id, context))
      .join(', ')}.`,
  ];
  if (context.ticketKey) paragraphs.push(`Change ticket: ${context.ticketKey}`);
  if (hotfix.incident.key) paragraphs.push(`Incident: ${hotfix.incident.key}`);
  if (context.threadLink) paragraphs.push(`Slack thread: ${context.threadLink}`);
  paragraphs.push(`Reference: ${ulidReference(hotfix.ulid)}`);
  return {
    title: `Hotfix ${hotfix.id}: ${servicesLine(hotfix)} (${hotfix.client} ${hotfix.env})`,
    paragraphs,
  };
}

/**
 * The calendar event of a hotfix that ended before its deploy window opened: the window stays on the calendar,
 * marked called off, so whoever planned around it sees why nothing happened.
 */
export function calledOffText(hotfix: Hotfix, text: RecordText): RecordText {
  const ended = hotfix.state.replace(/_/g, ' ');
  return {
    title: `Called off: ${text.title}`,
    paragraphs: [
      `Called off: ${hotfix.id} ended ${ended} before its deploy window opened; nothing was deployed.`,
      ...text.paragraphs,
    ],
  };
}

/**
 * The public maintenance: customers read it, so it names the client's services and nothing internal (no people,
 * no reason, no incident key); the reference lets a retry find it by searching.
 */
export function maintenanceText(hotfix: Hotfix): RecordText {
  const services = hotfix.services.map((s) => s.service).join(', ');
  return {
    title: `Maintenance: update of ${services}`,
    paragraphs: [
      `${hotfix.deployAt ? 'We will deploy' : 'We are deploying'} an update to ${services} for ${hotfix.snapshot.client.displayName}` +
        `${hotfix.deployAt ? ' in this window' : ''}. Service may be briefly affected while it rolls out.`,
      `Reference: ${ulidReference(hotfix.ulid)}`,
    ],
  };
}

/** Bookkeeping events the change record leaves out of its timeline. */
const UNTOLD: ReadonlySet<HotfixEvent['type']> = new Set<HotfixEvent['type']>([
  'step_intended',
  'step_recorded',
  'stages_updated',
  'triage_ticked',
  'finalized',
]);

function minutes(from: string, to: string): string {
  const total = Math.max(0, Math.round((Date.parse(to) - Date.parse(from)) / 60_000));
  return total < 60 ? `${total} min` : `${Math.floor(total / 60)} h ${total % 60} min`;
}

/**
 * The change record's account of the hotfix from its audit trail (seed 004, "Track in Change Ticket"): every
 * decision and outcome with who and when, the deploy's duration, and the deviations (freeze override, break-glass).
 */
export function timelineText(
  hotfix: Hotfix,
  events: readonly HotfixEvent[],
  context: RecordContext = {},
): string {
  const lines = [`Timeline of ${hotfix.id} (UTC), from the bot's audit trail:`];
  for (const e of events) {
    if (UNTOLD.has(e.type)) continue;
    const who = e.by === SYSTEM ? 'hotfix-bot' : person(e.by, context);
    lines.push(`${e.at.replace('T', ' ').slice(0, 19)} ${who}: ${namesFor(describeEvent(e), context)}`);
  }
  const { deployStartedAt, endedAt } = hotfix.times;
  if (deployStartedAt && endedAt) lines.push(`Deploy to end: ${minutes(deployStartedAt, endedAt)}.`);
  if (hotfix.attempts > 1) lines.push(`Deploy attempts: ${hotfix.attempts}.`);
  const deviations: string[] = [];
  if (hotfix.freezeOverride)
    deviations.push(
      `freeze "${hotfix.freezeOverride.window}" overridden by ${person(hotfix.freezeOverride.by, context)}: ${hotfix.freezeOverride.reason}`,
    );
  if (hotfix.breakGlass)
    deviations.push(
      `break-glass approval by ${person(hotfix.breakGlass.by, context)}: ${hotfix.breakGlass.reason}`,
    );
  lines.push(deviations.length > 0 ? `Deviations: ${deviations.join('; ')}.` : 'Deviations: none.');
  lines.push(`Ended ${hotfix.state.replace(/_/g, ' ')}.`);
  return lines.join('\n');
}
