/**
 * The notice in #announcements-change-control, modelled on seed 001's announcement, ask first: what is asked of whom,
 * then what changes where, why, when and how it would be undone. It carries the decision buttons while the plan waits
 * for approval and is redrawn at every state change, so its first line is always where the hotfix is now.
 */
import { recordsLine } from './record-replies.js';
import type { KnownBlock } from '@slack/types';
import { can } from '../../domain/capabilities.js';
import { stateLabel } from '../../domain/decide.js';
import { rollbackOffered } from '../../domain/rollback.js';
import type { Hotfix } from '../../domain/hotfix.js';
import { countedApprovals, describeAudience } from '../../domain/policy.js';
import { actions, button, context, message, section, SLACK_LIMITS, type SlackMessage } from './block-kit.js';
import {
  approvalsSummary,
  breakGlassLine,
  isRehearsal,
  planVersionSince,
  recordNames,
  rehearsalBanner,
  servicesAndTags,
  stateBadge,
  warningLines,
} from './hotfix-summary.js';
import { ACTION_BLOCK_IDS, ACTION_IDS, decisionValue, hotfixValue } from './interaction-ids.js';
import {
  channelLink,
  fitLines,
  inlineCode,
  mention,
  mentions,
  slackDate,
  truncate,
  typed,
} from './mrkdwn.js';
import {
  approvalsLine,
  changeLines,
  noticeHeadline,
  patchForwardLine,
  reasonLines,
  rollbackLine,
  targetLine,
  triageLine,
  windowLine,
} from './notice-lines.js';

/** Options of changeControlNotice. */
export interface ChangeControlNoticeOptions {
  /** Permalink of the plan in the incident thread; without it the notice links the incident channel. */
  planLink?: string;
  /** Permalink of the plan of the hotfix that superseded this one (patch forward). */
  supersededByLink?: string;
}

// Room for the change lines and warnings in one section, with the other lines beside them.
const BODY_MAX = SLACK_LIMITS.sectionText - 1200;

/**
 * The change-control notice for a hotfix in its current state: the ask (or where the hotfix is now) first, the
 * change in a few lines, then the buttons; owners, ids and records in the context line under them.
 */
export function changeControlNotice(hotfix: Hotfix, options: ChangeControlNoticeOptions = {}): SlackMessage {
  const glass = breakGlassLine(hotfix);
  const warnings = warningLines(hotfix);
  const patch = patchForwardLine(hotfix);
  const body = [
    ...(patch ? [patch] : []),
    fitLines(changeLines(hotfix), BODY_MAX),
    targetLine(hotfix),
    reasonLines(hotfix),
    windowLine(hotfix),
    rollbackLine(hotfix),
    ...(warnings.length > 0 ? [fitLines(warnings, BODY_MAX)] : []),
    ...(hotfix.state === 'planned' ? [triageLine(hotfix), approvalsLine(hotfix)] : []),
  ];
  const blocks: KnownBlock[] = [
    section(noticeHeadline(hotfix, options.supersededByLink)),
    ...planChangedBlocks(hotfix),
    ...(isRehearsal(hotfix) ? [section(rehearsalBanner(hotfix))] : []),
    ...(glass ? [section(glass)] : []),
    ...(hotfix.breakGlass && !hotfix.breakGlass.acknowledgedBy ? [acknowledgeRow(hotfix)] : []),
    section(body.join('\n')),
    ...decisionBlocks(hotfix),
    context(detailsLine(hotfix, options)),
  ];
  return message(fallback(hotfix), blocks);
}

/** A changed plan is said right under the ask: an approver who saw an earlier version must look again. */
function planChangedBlocks(hotfix: Hotfix): KnownBlock[] {
  if (hotfix.planVersion <= 1) return [];
  const changed = `:pencil2: *Plan changed to v${hotfix.planVersion}* at ${slackDate(planVersionSince(hotfix))}`;
  return hotfix.state === 'planned'
    ? [section(`${changed}: approvals given for earlier versions no longer count; please review again.`)]
    : [context(`${changed}; the approvals shown are for v${hotfix.planVersion}.`)];
}

/** Who and which records, for whoever needs them: one context line, not the reader's first screen. */
function detailsLine(hotfix: Hotfix, options: ChangeControlNoticeOptions): string {
  const owners = [
    ...new Set(hotfix.services.flatMap((s) => hotfix.snapshot.services[s.service]?.owners ?? [])),
  ];
  const who =
    hotfix.owner === hotfix.requester
      ? `requested by ${mention(hotfix.requester)}`
      : `requested by ${mention(hotfix.requester)}, owned by ${mention(hotfix.owner)}`;
  const kinds = recordNames(hotfix);
  const links = recordsLine(hotfix);
  const records = links
    ? ` · ${links}`
    : kinds.length === 0
      ? ''
      : ` · records on approval: ${kinds.join(', ')}`;
  const thread = options.planLink
    ? `<${options.planLink}|plan in the incident thread>`
    : `${channelLink(hotfix.incident.channel)}`;
  return `${hotfix.id} · plan v${hotfix.planVersion} · ${who} · service owners ${mentions(owners, 'none listed')}${records} · ${thread} · ${inlineCode(hotfix.ulid)}`;
}

/**
 * Buttons while the plan waits; afterwards a line saying how it was decided, under the same block id, with Rollback
 * beside the state once the hotfix has deployed (approvers and release managers watch here).
 */
function decisionBlocks(hotfix: Hotfix): KnownBlock[] {
  if (hotfix.state !== 'planned' && can('rollback') && rollbackOffered(hotfix)) {
    const rollback = button(ACTION_IDS.rollback, 'Rollback', hotfixValue(hotfix), 'danger');
    return [{ ...section(outcomeLine(hotfix)), accessory: rollback, block_id: ACTION_BLOCK_IDS.decision }];
  }
  if (hotfix.state !== 'planned') {
    return [{ ...context(outcomeLine(hotfix)), block_id: ACTION_BLOCK_IDS.decision }];
  }
  // One confirmation for production: the Approve button opens a form restating what is approved (decision-modals).
  const value = decisionValue(hotfix);
  return [
    actions(ACTION_BLOCK_IDS.decision, [
      button(ACTION_IDS.approve, 'Approve', value, 'primary'),
      button(ACTION_IDS.reject, 'Reject', value, 'danger'),
    ]),
  ];
}

function acknowledgeRow(hotfix: Hotfix): KnownBlock {
  return actions(ACTION_BLOCK_IDS.breakGlass, [
    button(ACTION_IDS.acknowledgeBreakGlass, 'Acknowledge break-glass', decisionValue(hotfix)),
  ]);
}

/** How the plan was decided, and where the hotfix is now. */
export function outcomeLine(hotfix: Hotfix): string {
  const decision = hotfix.decision;
  const why = decision ? `: ${typed(truncate(decision.reason, 500))}` : '';
  const by = decision ? ` by ${mention(decision.by)}` : '';
  switch (hotfix.state) {
    case 'planned':
      return `:memo: Waiting for approval (${approvalsSummary(hotfix)})`;
    case 'rejected':
      return `:no_entry: Rejected${by}${why}`;
    case 'expired':
      return `:hourglass: Expired ${slackDate(hotfix.stateSince.at)} with no decision; ${mention(hotfix.requester)} can plan it again.`;
    case 'cancelled':
      return `:no_entry_sign: Cancelled${by}${why}${hotfix.times.approvedAt ? ` (after ${approvedBy(hotfix)})` : ''}`;
    default:
      return `:white_check_mark: ${capitalised(approvedBy(hotfix))} · now ${stateBadge(hotfix.state)}`;
  }
}

function approvedBy(hotfix: Hotfix): string {
  const when = hotfix.times.approvedAt ? ` ${slackDate(hotfix.times.approvedAt)}` : '';
  if (hotfix.breakGlass)
    return `approved by :rotating_light: BREAK-GLASS (${mention(hotfix.breakGlass.by)})${when}`;
  return `approved by ${mentions(countedApprovals(hotfix))}${when}`;
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function fallback(hotfix: Hotfix): string {
  const rehearsal = isRehearsal(hotfix) ? 'REHEARSAL ' : '';
  const sev = hotfix.severity === 1 ? 'SEV 1' : `Sev ${hotfix.severity}`;
  const what = `${rehearsal}${hotfix.id} hotfix: ${servicesAndTags(hotfix)} to ${hotfix.snapshot.client.displayName} ${hotfix.env} (${sev})`;
  const glass = hotfix.breakGlass ? ` BREAK-GLASS approval by ${mention(hotfix.breakGlass.by)}.` : '';
  if (hotfix.state === 'planned') {
    const changed = hotfix.planVersion > 1 ? ` Plan changed to v${hotfix.planVersion}: review again.` : '';
    // The ask first: a notification shows only the start of this line.
    return `Approve ${what}? It needs approval from ${describeAudience(hotfix.snapshot.policy.approvers)}; requested by ${mention(hotfix.requester)}.${changed}`;
  }
  const failed =
    hotfix.failure && (hotfix.state === 'failed' || hotfix.state === 'rollback_failed')
      ? ` (${truncate(hotfix.failure.message, 200)})`
      : '';
  return `${what}: ${stateLabel(hotfix.state).toUpperCase()}${failed}.${glass}`;
}
