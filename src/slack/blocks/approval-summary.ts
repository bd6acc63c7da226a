/**
 * What an approval covers, restated in the forms that record a decision: the approver confirms the services and
 * tags, target, severity and plan version they saw, not a button they clicked on a notice that may have changed.
 */
import type { KnownBlock } from '@slack/types';
import type { Hotfix } from '../../domain/hotfix.js';
import { approvalsStillNeeded, countedApprovals } from '../../domain/policy.js';
import { context, fields, header, section, SLACK_LIMITS } from './block-kit.js';
import {
  clientLabel,
  envLabel,
  isRehearsal,
  methodLabel,
  planVersionSince,
  reasonQuote,
  rehearsalBanner,
  severityLabel,
  targetName,
  warningLines,
} from './hotfix-summary.js';
import { fitLines, inlineCode, mention, mentions, slackDate, typed } from './mrkdwn.js';
import { patchForwardLine } from './notice-lines.js';

// Room left in a section for its lines after a heading.
const SECTION_BODY = SLACK_LIMITS.sectionText - 100;

/** "Approve HF-7 for Acme Corp PRODUCTION (prod)?" */
export function approveQuestion(hotfix: Hotfix): string {
  return `Approve ${hotfix.id} for ${targetName(hotfix)}?`;
}

/** The plan version, and when it changed when it is not the first. */
export function planVersionText(hotfix: Hotfix): string {
  if (hotfix.planVersion === 1) return 'v1';
  return `v${hotfix.planVersion} (changed ${slackDate(planVersionSince(hotfix))})`;
}

/** Everything an approval covers: the question, services with tags, target, severity, version, who, why, warnings. */
export function approvalRestatement(
  hotfix: Hotfix,
  question: string = approveQuestion(hotfix),
): KnownBlock[] {
  const warnings = warningLines(hotfix);
  const reason = reasonQuote(hotfix.reason) ?? '> _No reason given._';
  const together = hotfix.services.length > 1 ? ' (deployed and rolled back together)' : '';
  const services = hotfix.services.map((s) => `• *${typed(s.service)}* → ${inlineCode(s.tag)}`);
  const patch = patchForwardLine(hotfix);
  return [
    header(question),
    ...(isRehearsal(hotfix) ? [section(rehearsalBanner(hotfix))] : []),
    ...(patch ? [section(patch)] : []),
    section(`*Services${together}*\n${fitLines(services, SECTION_BODY)}`),
    fields([
      ['Client', clientLabel(hotfix)],
      ['Env', envLabel(hotfix)],
      ['Severity', severityLabel(hotfix.severity)],
      ['Plan version', planVersionText(hotfix)],
      ['Requester', mention(hotfix.requester)],
      ['Deploy method', methodLabel(hotfix.method)],
      ['Incident', hotfix.incident.key ? inlineCode(hotfix.incident.key) : undefined],
    ]),
    section(`*Reason*\n${reason}`),
    ...(warnings.length > 0 ? [section(`*Before you approve*\n${fitLines(warnings, SECTION_BODY)}`)] : []),
  ];
}

/** Where approvals stand and what one more does: "1 of 2 so far (<@A>); yours makes 2 of 2 and HF-7 is approved." */
export function approvalEffect(hotfix: Hotfix): string {
  const counted = countedApprovals(hotfix);
  const sofar = `${counted.length} of ${hotfix.approvalsRequired} so far${counted.length > 0 ? ` (${mentions(counted)})` : ''}`;
  const after = counted.length + 1;
  const effect =
    approvalsStillNeeded(hotfix) <= 1
      ? `yours makes ${after} of ${hotfix.approvalsRequired}: ${hotfix.id} is then approved and ${hotfix.supersedes ? `takes over ${hotfix.supersedes.id}'s lock on` : hotfix.deployAt ? `queues, when its deploy window opens ${slackDate(hotfix.deployAt)}, for` : 'queues for'} ${hotfix.client} ${hotfix.env}.`
      : `yours makes ${after} of ${hotfix.approvalsRequired}; ${approvalsStillNeeded(hotfix) - 1} more needed after you.`;
  return `*Approvals:* ${sofar}; ${effect}`;
}

/** The small print under a decision form: a decision counts only for the version shown. */
export function versionNote(hotfix: Hotfix): KnownBlock {
  return context(
    `${hotfix.id} · plan v${hotfix.planVersion} · your decision counts for this version only: if the plan changes before you submit, you will be asked to review it again.`,
  );
}
