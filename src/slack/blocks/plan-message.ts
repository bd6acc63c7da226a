/** The plan as posted in the incident thread: what will change, who is involved, and what is still open. */
import { recordsLine } from './record-replies.js';
import type { KnownBlock } from '@slack/types';
import { ACCEPTED_IN, stateLabel } from '../../domain/decide.js';
import type { Hotfix } from '../../domain/hotfix.js';
import { countedApprovals } from '../../domain/policy.js';
import { versionsRead } from '../../domain/running-version.js';
import {
  actions,
  button,
  context,
  fields,
  header,
  message,
  plain,
  section,
  SLACK_LIMITS,
  type SlackMessage,
} from './block-kit.js';
import {
  approvalsSummary,
  breakGlassLine,
  clientLabel,
  deployWindowLabel,
  envLabel,
  hotfixTitle,
  isRehearsal,
  methodLabel,
  reasonQuote,
  rehearsalBanner,
  servicesAndTags,
  severityLabel,
  stateEmoji,
  warningLines,
} from './hotfix-summary.js';
import { ACTION_BLOCK_IDS, ACTION_IDS, decisionValue } from './interaction-ids.js';
import { channelLink, fitLines, inlineCode, mention, mentions, slackDate, typed } from './mrkdwn.js';
import { triageCheckboxes, triageCount, triageLines, triageNotes } from './triage-checklist.js';
import { patchForwardLine, supersededByText } from './notice-lines.js';

// Room left in a section for its lines after a heading and a hint.
const SECTION_BODY = SLACK_LIMITS.sectionText - 200;

/** Options of planMessage. */
export interface PlanMessageOptions {
  /** Versions running now, by service, when the caller has looked them up (before `versionsBefore` is recorded). */
  versionsNow?: Record<string, string>;
  /** Permalink of the plan of the hotfix that superseded this one (patch forward). */
  supersededByLink?: string;
}

/** The plan posted in the incident thread. */
export function planMessage(hotfix: Hotfix, options: PlanMessageOptions = {}): SlackMessage {
  const versions = { ...options.versionsNow, ...versionsRead(hotfix) };
  const warnings = warningLines(hotfix);
  const glass = breakGlassLine(hotfix);
  const reason = reasonQuote(hotfix.reason);
  const patch = patchForwardLine(hotfix);
  const blocks: KnownBlock[] = [
    // The state leads: the plan is redrawn at every state change, and its first line must say where the hotfix is.
    header(`${stateEmoji(hotfix.state)} ${stateLabel(hotfix.state).toUpperCase()} · ${hotfixTitle(hotfix)}`),
    ...(isRehearsal(hotfix) ? [section(rehearsalBanner(hotfix))] : []),
    ...(hotfix.state === 'superseded'
      ? [
          section(
            `:fast_forward: *Superseded* ${slackDate(hotfix.stateSince.at)} by ${supersededByText(hotfix, options.supersededByLink)} (patch forward), which took over ${hotfix.client} ${hotfix.env}.`,
          ),
        ]
      : []),
    ...(patch ? [section(patch)] : []),
    section(`${severityLabel(hotfix.severity)}   plan v${hotfix.planVersion}`),
    ...(warnings.length > 0 ? [section(`*Before you go ahead*\n${fitLines(warnings, SECTION_BODY)}`)] : []),
    ...(glass ? [section(glass)] : []),
    planFields(hotfix),
    section(`*Services*\n${fitLines(serviceLines(hotfix, versions), SECTION_BODY)}`),
    ...(reason ? [section(`*Reason*\n${reason}`)] : []),
    section(approvalLine(hotfix)),
    ...recordsBlocks(hotfix),
    ...editBlocks(hotfix),
    ...triageBlocks(hotfix, versions),
    context(
      hotfix.state === 'planned'
        ? `Plan v${hotfix.planVersion} · expires ${slackDate(hotfix.expiresAt)} if nobody decides`
        : `Plan v${hotfix.planVersion} · ${stateLabel(hotfix.state)} since ${slackDate(hotfix.stateSince.at)}`,
      `${hotfix.id} · ${inlineCode(hotfix.ulid)}`,
    ),
  ];
  return message(fallback(hotfix), blocks);
}

function recordsBlocks(hotfix: Hotfix): KnownBlock[] {
  const line = recordsLine(hotfix);
  return line ? [section(line)] : [];
}

function planFields(hotfix: Hotfix): KnownBlock {
  return fields([
    ['Requester', mention(hotfix.requester)],
    ['Owner', mention(hotfix.owner)],
    ['Client', clientLabel(hotfix)],
    ['Env', envLabel(hotfix)],
    ['Deploy method', methodLabel(hotfix.method)],
    ['Incident', hotfix.incident.key ? inlineCode(hotfix.incident.key) : undefined],
    ['Deploy window', deployWindowLabel(hotfix)],
  ]);
}

/** One line per service: `current → target` when the running version is known, and who owns it. */
function serviceLines(hotfix: Hotfix, versions: Record<string, string>): string[] {
  return hotfix.services.map(({ service, tag }) => {
    const current = versions[service];
    const change =
      current === undefined
        ? `→ ${inlineCode(tag)} ${runningNote(hotfix)}`
        : `${inlineCode(current)} → ${inlineCode(tag)}`;
    const owners = hotfix.snapshot.services[service]?.owners ?? [];
    return `• *${typed(service)}* ${change} · owners ${mentions(owners, 'none listed')}`;
  });
}

/** Why no running version shows: not read yet, or never read (a rehearsal reads nothing outside). */
function runningNote(hotfix: Hotfix): string {
  if (isRehearsal(hotfix)) return '_(rehearsal: the running version is not read)_';
  return hotfix.versionsBefore
    ? '_(running version not read)_'
    : '_(running version is read before the deploy)_';
}

function approvalLine(hotfix: Hotfix): string {
  const where =
    hotfix.state === 'planned'
      ? ` · asked in ${channelLink(hotfix.snapshot.changeControl.id)}; someone other than ${mention(hotfix.requester)} must approve`
      : '';
  return `*Approvals:* ${approvalsSummary(hotfix)}${where}`;
}

/** "Edit plan" while the plan may still change; editing an approved plan asks first, as it undoes the approval. */
function editBlocks(hotfix: Hotfix): KnownBlock[] {
  if (!ACCEPTED_IN.revise.includes(hotfix.state)) return [];
  const confirm =
    hotfix.state === 'approved'
      ? {
          title: plain('Change an approved plan?', SLACK_LIMITS.confirmTitle),
          text: plain(
            `${hotfix.id} is approved. Editing it makes plan v${hotfix.planVersion + 1}: the approvals given so far no longer count and it waits for approval again.`,
            SLACK_LIMITS.confirmText,
          ),
          confirm: plain('Edit plan', SLACK_LIMITS.confirmButton),
          deny: plain('Keep it', SLACK_LIMITS.confirmButton),
        }
      : undefined;
  const edit = button(ACTION_IDS.reviseOpen, 'Edit plan', decisionValue(hotfix), undefined, confirm);
  return [actions(ACTION_BLOCK_IDS.plan, [edit])];
}

/** Checkboxes while the plan may still change (ticks are audited), lines once it is decided. */
function triageBlocks(hotfix: Hotfix, versions: Record<string, string>): KnownBlock[] {
  const heading = `*Triage checklist* (seed 003) · ${triageCount(hotfix)}`;
  if (!ACCEPTED_IN.tick_triage.includes(hotfix.state))
    return [section(`${heading}\n${fitLines(triageLines(hotfix, versions), SECTION_BODY)}`)];
  const who = `${mention(hotfix.requester)}${hotfix.owner !== hotfix.requester ? ` or ${mention(hotfix.owner)}` : ''}`;
  const notes = triageNotes(hotfix);
  return [
    section(`${heading}\n_${who} (or an operator) ticks what is true; each tick is recorded._`),
    triageCheckboxes(hotfix),
    ...(notes.length > 0 ? [section(fitLines(notes, SECTION_BODY))] : []),
  ];
}

function fallback(hotfix: Hotfix): string {
  const rehearsal = isRehearsal(hotfix) ? 'REHEARSAL ' : '';
  const sev = hotfix.severity === 1 ? 'SEV 1' : `Sev ${hotfix.severity}`;
  const target = `${hotfix.snapshot.client.displayName} ${hotfix.env}`;
  const approvals = `${countedApprovals(hotfix).length} of ${hotfix.approvalsRequired} approvals`;
  return `${rehearsal}${hotfix.id} plan: ${servicesAndTags(hotfix)} → ${target} (${sev}, ${stateLabel(hotfix.state)}, ${approvals})`;
}
