/**
 * The notice in #announcements-change-control, modelled on seed 001's announcement: what, client, env, when, why,
 * who, risk and rollback, and where to follow it. It carries the decision buttons while the plan waits for approval
 * and is updated in place with the outcome afterwards.
 */
import type { Button, KnownBlock } from '@slack/types';
import { stateLabel } from '../../domain/decide.js';
import type { Hotfix } from '../../domain/hotfix.js';
import { countedApprovals, describeAudience } from '../../domain/policy.js';
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
  envLabel,
  hotfixTitle,
  isRehearsal,
  planVersionSince,
  reasonQuote,
  recordNames,
  rehearsalBanner,
  servicesAndTags,
  severityLabel,
  stateBadge,
  warningLines,
} from './hotfix-summary.js';
import { ACTION_BLOCK_IDS, ACTION_IDS, decisionValue } from './interaction-ids.js';
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

/** Options of changeControlNotice. */
export interface ChangeControlNoticeOptions {
  /** Permalink of the plan in the incident thread; without it the notice links the incident channel. */
  planLink?: string;
}

/** The change-control notice for a hotfix in its current state. */
export function changeControlNotice(hotfix: Hotfix, options: ChangeControlNoticeOptions = {}): SlackMessage {
  const glass = breakGlassLine(hotfix);
  const warnings = warningLines(hotfix);
  const blocks: KnownBlock[] = [
    header(`Hotfix ${hotfixTitle(hotfix)}`),
    ...(isRehearsal(hotfix) ? [section(rehearsalBanner(hotfix))] : []),
    ...planChangedBlocks(hotfix),
    ...(glass ? [section(glass)] : []),
    ...(hotfix.breakGlass && !hotfix.breakGlass.acknowledgedBy ? [acknowledgeRow(hotfix)] : []),
    section(
      `${severityLabel(hotfix.severity)} hotfix for *${hotfix.snapshot.client.displayName} ${hotfix.env}*, requested by ${mention(hotfix.requester)} · ${stateBadge(hotfix.state)}`,
    ),
    ...(warnings.length > 0 ? [section(fitLines(warnings, SLACK_LIMITS.sectionText))] : []),
    noticeFields(hotfix, options),
    section(whyText(hotfix)),
    section(`*Risk and rollback*\n${riskText(hotfix)}`),
    ...decisionBlocks(hotfix),
    context(`${hotfix.id} · plan v${hotfix.planVersion} · ${inlineCode(hotfix.ulid)}`),
  ];
  return message(fallback(hotfix), blocks);
}

/** A changed plan is said first: an approver who saw an earlier version must look again before deciding. */
function planChangedBlocks(hotfix: Hotfix): KnownBlock[] {
  if (hotfix.planVersion <= 1) return [];
  const changed = `:pencil2: *Plan changed to v${hotfix.planVersion}* at ${slackDate(planVersionSince(hotfix))}`;
  return hotfix.state === 'planned'
    ? [section(`${changed}: approvals given for earlier versions no longer count; please review again.`)]
    : [context(`${changed}; the approvals shown are for v${hotfix.planVersion}.`)];
}

function noticeFields(hotfix: Hotfix, options: ChangeControlNoticeOptions): KnownBlock {
  const owners = [
    ...new Set(hotfix.services.flatMap((s) => hotfix.snapshot.services[s.service]?.owners ?? [])),
  ];
  const thread = options.planLink
    ? `<${options.planLink}|Plan in the incident thread>`
    : `${channelLink(hotfix.incident.channel)} (incident channel)`;
  return fields([
    [
      'What',
      fitLines(
        hotfix.services.map((s) => `${typed(s.service)} ${inlineCode(s.tag)}`),
        SLACK_LIMITS.fieldText - 100,
      ),
    ],
    ['Client', clientLabel(hotfix)],
    ['Env', envLabel(hotfix)],
    ['When', whenText(hotfix)],
    ['Who', `${whoDrives(hotfix)}\nService owners: ${mentions(owners, 'none listed')}`],
    ['Follow along', thread],
  ]);
}

function whoDrives(hotfix: Hotfix): string {
  return hotfix.owner === hotfix.requester
    ? `Requested and owned by ${mention(hotfix.requester)}`
    : `Requested by ${mention(hotfix.requester)}, owned by ${mention(hotfix.owner)}`;
}

function whenText(hotfix: Hotfix): string {
  const { times } = hotfix;
  switch (hotfix.state) {
    case 'planned':
      return `As soon as it is approved (the plan expires ${slackDate(hotfix.expiresAt)})`;
    case 'approved':
    case 'queued':
      return `Approved ${slackDate(times.approvedAt ?? hotfix.stateSince.at)}; next in line for ${hotfix.client}/${hotfix.env}`;
    case 'completed':
      return `Completed ${slackDate(times.completedAt ?? hotfix.stateSince.at)}`;
    default:
      if (times.endedAt) return `Ended ${slackDate(times.endedAt)}`;
      return times.deployStartedAt
        ? `Deploy started ${slackDate(times.deployStartedAt)}`
        : `In progress since ${slackDate(hotfix.stateSince.at)}`;
  }
}

function whyText(hotfix: Hotfix): string {
  const incident = hotfix.incident.key
    ? `Incident ${inlineCode(hotfix.incident.key)}`
    : 'No incident key given';
  const reason = reasonQuote(hotfix.reason) ?? '> _No reason given._';
  return `*Why*\n${incident}\n${reason}`;
}

function riskText(hotfix: Hotfix): string {
  const before = hotfix.versionsBefore;
  const target = before
    ? `Rollback target: ${Object.entries(before)
        .map(([s, v]) => `${typed(s)} ${inlineCode(v)}`)
        .join(', ')}.`
    : 'The running versions are recorded before the deploy starts and are the rollback target.';
  const auto = hotfix.snapshot.policy.autoRollback[hotfix.env]
    ? 'Rolls back by itself when verification fails.'
    : `Rollback is one click or ${inlineCode(`/hotfix rollback ${hotfix.id}`)}.`;
  const kinds = recordNames(hotfix);
  const records =
    kinds.length > 0
      ? `Change records this change needs: ${kinds.join(', ')} (this version of the bot does not open them; open them by hand as the runbook says).`
      : 'No change records are required for this env.';
  const services = hotfix.services.length > 1 ? ' The services deploy and roll back together.' : '';
  return `${target} ${auto}${services}\n${records}`;
}

/** Buttons while the plan waits; afterwards a line saying how it was decided, under the same block id. */
function decisionBlocks(hotfix: Hotfix): KnownBlock[] {
  if (hotfix.state !== 'planned') {
    return [{ ...context(outcomeLine(hotfix)), block_id: ACTION_BLOCK_IDS.decision }];
  }
  const approvers = describeAudience(hotfix.snapshot.policy.approvers);
  const ask = `*Approval needed from* ${approvers} · ${approvalsSummary(hotfix)}\nSomeone other than ${mention(hotfix.requester)} must approve; an approval counts only for plan v${hotfix.planVersion}, the version shown here.`;
  return [section(ask), actions(ACTION_BLOCK_IDS.decision, decisionButtons(hotfix))];
}

function decisionButtons(hotfix: Hotfix): Button[] {
  const value = decisionValue(hotfix);
  const target = `${hotfix.snapshot.client.displayName} ${hotfix.env}`;
  const confirm = hotfix.snapshot.env.production
    ? {
        title: plain('Approve a production change?', 100),
        text: plain(
          `${hotfix.id}: ${servicesAndTags(hotfix)} to ${target} (plan v${hotfix.planVersion}).`,
          300,
        ),
        confirm: plain('Approve', 30),
        deny: plain('Not yet', 30),
      }
    : undefined;
  return [
    button(ACTION_IDS.approve, 'Approve', value, 'primary', confirm),
    button(ACTION_IDS.reject, 'Reject', value, 'danger'),
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
    return `${what} needs approval from ${describeAudience(hotfix.snapshot.policy.approvers)}; requested by ${mention(hotfix.requester)}.${changed}`;
  }
  return `${what}: ${stateLabel(hotfix.state)}.${glass}`;
}
