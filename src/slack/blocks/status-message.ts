/** `/hotfix status HF-n` (one hotfix in detail) and `/hotfix list` (every active hotfix, one line each). */
import { recordsLine } from './record-replies.js';
import { RECORD_REFS } from '../../domain/record-plan.js';
import type { KnownBlock } from '@slack/types';
import { stateLabel } from '../../domain/decide.js';
import { describeEvent } from '../../domain/describe-event.js';
import type { HotfixEvent } from '../../domain/events.js';
import type { Hotfix } from '../../domain/hotfix.js';
import { holdsEnvironment, isTerminal } from '../../domain/hotfix.js';
import { rollbackRowFor } from '../../domain/rollback-matrix.js';
import { context, fields, header, message, section, SLACK_LIMITS, type SlackMessage } from './block-kit.js';
import { outcomeLine } from './change-control-notice.js';
import {
  approvalsSummary,
  breakGlassLine,
  clientLabel,
  deployWindowLabel,
  envLabel,
  hotfixTitle,
  isRehearsal,
  rehearsalBanner,
  serviceNames,
  severityLabel,
  STAGE_EMOJI,
  stateBadge,
} from './hotfix-summary.js';
import { bullets, fitLines, inlineCode, mention, slackDate, truncate, typed, utcTime } from './mrkdwn.js';

/** How many audit events the status shows; the rest are in the record. */
export const RECENT_EVENTS = 5;

// Step bookkeeping and stage ticks would crowd out the decisions people look for; stages are shown on their own.
const QUIET_EVENTS: ReadonlySet<HotfixEvent['type']> = new Set([
  'step_intended',
  'step_recorded',
  'stages_updated',
]);

/** One hotfix: where it is and since when, who holds it, approvals, outside references and the latest events. */
export function statusMessage(hotfix: Hotfix, events: readonly HotfixEvent[] = []): SlackMessage {
  const glass = breakGlassLine(hotfix);
  const blocks: KnownBlock[] = [
    header(hotfixTitle(hotfix)),
    ...(isRehearsal(hotfix) ? [section(rehearsalBanner(hotfix))] : []),
    section(
      `${stateBadge(hotfix.state)} since ${slackDate(hotfix.stateSince.at)}   ${severityLabel(hotfix.severity)}`,
    ),
    ...(glass ? [section(glass)] : []),
    statusFields(hotfix),
    ...progressBlocks(hotfix),
    ...refsBlocks(hotfix),
    ...eventBlocks(events),
    context(`${hotfix.id} · plan v${hotfix.planVersion} · ${inlineCode(hotfix.ulid)}`),
  ];
  const text = `${isRehearsal(hotfix) ? 'REHEARSAL ' : ''}${hotfix.id} ${serviceNames(hotfix)} → ${hotfix.client} ${hotfix.env}: ${stateLabel(hotfix.state)} since ${utcTime(hotfix.stateSince.at)}, owner ${mention(hotfix.owner)}`;
  return message(text, blocks);
}

function statusFields(hotfix: Hotfix): KnownBlock {
  const lock = hotfix.lock
    ? `:lock: ${hotfix.client}/${hotfix.env} since ${slackDate(hotfix.lock.since)}`
    : holdsEnvironment(hotfix) && hotfix.supersedes
      ? `:lock: ${hotfix.client}/${hotfix.env}, taken over from ${typed(hotfix.supersedes.id)}`
      : undefined;
  return fields([
    ['Owner', mention(hotfix.owner)],
    ['Requested by', mention(hotfix.requester)],
    ['Client', clientLabel(hotfix)],
    ['Env', envLabel(hotfix)],
    ['Approvals', approvalsSummary(hotfix)],
    ['Holds the lock', lock],
    ['Incident', hotfix.incident.key ? inlineCode(hotfix.incident.key) : undefined],
    ['Deploy window', deployWindowLabel(hotfix)],
    ['Attempts', hotfix.attempts > 1 ? String(hotfix.attempts) : undefined],
  ]);
}

/** What is happening now: stages, a question waiting for an answer, a failure and the runbook's advice, the outcome. */
function progressBlocks(hotfix: Hotfix): KnownBlock[] {
  const lines: string[] = [];
  if (hotfix.stages.length > 0) {
    lines.push(
      `*Stages:* ${hotfix.stages.map((s) => `${STAGE_EMOJI[s.status]} ${typed(s.name)}`).join('  ')}`,
    );
  }
  if (hotfix.pendingInput)
    lines.push(`:raised_hand: *Waiting for input:* "${typed(hotfix.pendingInput.message)}"`);
  if (hotfix.cancelRequest) {
    lines.push(
      `:no_entry_sign: Cancel requested by ${mention(hotfix.cancelRequest.by)}: ${typed(truncate(hotfix.cancelRequest.reason, 500))}`,
    );
  }
  if (hotfix.failure) {
    const row = rollbackRowFor(hotfix.failure.condition);
    lines.push(
      `:x: *${hotfix.failure.phase} failed:* ${typed(truncate(hotfix.failure.message, 1000))}`,
      `Runbook: *${row.label}* (${row.severity}) — ${row.advice}`,
    );
  }
  if (hotfix.supersededBy) lines.push(`:fast_forward: Patched forward by ${hotfix.supersededBy}`);
  if (hotfix.state !== 'planned') lines.push(outcomeLine(hotfix));
  return lines.length > 0 ? [section(lines.join('\n'))] : [];
}

function refsBlocks(hotfix: Hotfix): KnownBlock[] {
  // The bot's own Slack message references are bookkeeping; people want the outside records (Jira, Jenkins...).
  // The change records get their own linked line; the rest (the Jenkins build...) are listed as they are.
  const recordRefs = new Set<string>(Object.values(RECORD_REFS).flatMap((r) => [r.id, r.url]));
  const refs = Object.entries(hotfix.refs).filter(
    ([k]) => !/^(plan|notice|status)(Channel|Ts)$/.test(k) && !recordRefs.has(k),
  );
  const records = recordsLine(hotfix);
  if (refs.length === 0 && !records) return [];
  const lines = [
    ...(records ? [`• ${records}`] : []),
    ...refs.map(([k, v]) => `• ${typed(k)}: ${typed(truncate(v, 500))}`),
  ];
  return [section(`*References*\n${fitLines(lines, SLACK_LIMITS.sectionText - 20)}`)];
}

function eventBlocks(events: readonly HotfixEvent[]): KnownBlock[] {
  const recent = events.filter((e) => !QUIET_EVENTS.has(e.type)).slice(-RECENT_EVENTS);
  if (recent.length === 0) return [];
  const lines = recent.map((e) => `${slackDate(e.at)} ${mention(e.by)} ${typed(describeEvent(e))}`);
  return [section(`*Latest*\n${bullets(lines)}`)];
}

/** `/hotfix list`: active hotfixes (terminal ones are left out), oldest first, one line each. */
export function listMessage(hotfixes: readonly Hotfix[]): SlackMessage {
  const active = hotfixes.filter((h) => !isTerminal(h.state)).sort((a, b) => idNumber(a.id) - idNumber(b.id));
  if (active.length === 0) return message('No active hotfixes.', [section('No active hotfixes.')]);
  const blocks: KnownBlock[] = [
    header(`Active hotfixes (${active.length})`),
    ...chunked(active.map(listLine)).map(section),
  ];
  const text = `${active.length} active hotfix${active.length === 1 ? '' : 'es'}: ${active
    .map((h) => `${h.id} ${stateLabel(h.state)}`)
    .join(', ')}`;
  return message(text, blocks);
}

function listLine(hotfix: Hotfix): string {
  const rehearsal = isRehearsal(hotfix) ? ':performing_arts: REHEARSAL ' : '';
  const lock = holdsEnvironment(hotfix) ? ' · :lock: holds the lock' : '';
  return `${rehearsal}*${hotfix.id}* ${typed(serviceNames(hotfix))} → ${hotfix.client} ${hotfix.env} · ${stateBadge(hotfix.state)} since ${slackDate(hotfix.stateSince.at)} · owner ${mention(hotfix.owner)}${lock}`;
}

function idNumber(id: string): number {
  const n = Number(/\d+/.exec(id)?.[0]);
  return Number.isFinite(n) ? n : Number.MAX_SAFE_INTEGER;
}

/** Lines grouped into section-sized pieces. */
function chunked(lines: readonly string[]): string[] {
  const chunks: string[] = [];
  let current = '';
  for (const line of lines) {
    const next = current ? `${current}\n${line}` : line;
    if (next.length > SLACK_LIMITS.sectionText && current) {
      chunks.push(current);
      current = line;
    } else current = next;
  }
  if (current) chunks.push(current);
  return chunks;
}
