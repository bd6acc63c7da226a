/**
 * The lines the change-control notice is made of, ask first: what is asked of whom (or where the hotfix is now),
 * then the change (running version -> new version), target, severity, reason, incident, window, rollback target and
 * warnings. Each line says only what this version does (domain/capabilities.ts).
 */
import { ecsReturnsTo } from '../../domain/ecs-refs.js';
import { rollsBack } from '../../domain/rollback.js';
import { versionsRead } from '../../domain/running-version.js';
import { can } from '../../domain/capabilities.js';
import type { Hotfix } from '../../domain/hotfix.js';
import { isTerminal } from '../../domain/hotfix.js';
import { localWindowStart } from '../../domain/deploy-window.js';
import { describeAudience } from '../../domain/policy.js';
import { approvalsSummary, isRehearsal, reasonQuote, severityLabel, stateEmoji } from './hotfix-summary.js';
import { inlineCode, mention, slackDate, truncate, typed } from './mrkdwn.js';
import { triageCount } from './triage-checklist.js';

/** `Acme Corp PRODUCTION` or `Acme Corp staging`: the target in a headline. */
function where(hotfix: Hotfix): string {
  const name = hotfix.snapshot.client.displayName;
  return hotfix.snapshot.env.production ? `${name} PRODUCTION` : `${name} ${hotfix.env}`;
}

function sevWords(hotfix: Hotfix): string {
  return hotfix.severity === 1 ? 'SEV 1' : `Sev ${hotfix.severity}`;
}

/**
 * The first line: while planned, the ask and who is asked ("Approve a Sev 2 hotfix to Acme Corp PRODUCTION");
 * afterwards, where the hotfix is now and who must act, so the notice never reads older than the record.
 */
export function noticeHeadline(hotfix: Hotfix, supersededByLink?: string): string {
  const emoji = stateEmoji(hotfix.state);
  const target = where(hotfix);
  const kind = isRehearsal(hotfix) ? 'REHEARSAL' : 'hotfix';
  const since = slackDate(hotfix.stateSince.at);
  const owner = mention(hotfix.owner);
  switch (hotfix.state) {
    case 'planned':
      return `${emoji} *Approve a ${sevWords(hotfix)} ${kind} to ${target}* — ${describeAudience(hotfix.snapshot.policy.approvers)}`;
    case 'approved':
      if (hotfix.deployAt && !hotfix.times.queuedAt)
        return `${emoji} *Approved; deploys to ${target} when its window opens* ${slackDate(hotfix.deployAt)}`;
      return `${emoji} *Approved; waiting its turn for ${target}* since ${since}`;
    case 'queued':
      return `${emoji} *Approved; waiting its turn for ${target}* since ${since}`;
    case 'preparing':
    case 'deploying':
      return `${emoji} *Deploying to ${target}* since ${slackDate(hotfix.times.deployStartedAt ?? hotfix.stateSince.at)}`;
    case 'awaiting_input':
      return `${emoji} *Deploy to ${target} waits for a Proceed* since ${since} — ${owner} answers in the incident thread`;
    case 'verifying':
      return `${emoji} *Deployed to ${target}; verifying* since ${since}`;
    case 'completed':
      return `${emoji} *Completed on ${target}* ${since}: deployed and verified`;
    case 'failed':
      return `${emoji} *FAILED on ${target}* ${since}${failureText(hotfix)} — ${owner} decides next in the incident thread`;
    case 'rollback_queued':
      return `${emoji} *Rollback of ${target} waits its turn* since ${since}`;
    case 'rolling_back':
      return `${emoji} *Rolling back ${target}* since ${since}`;
    case 'rolled_back':
      return `${emoji} *Rolled back on ${target}* ${since}: the earlier versions run again`;
    case 'rollback_failed':
      return `${emoji} *Rollback FAILED on ${target}* ${since}${failureText(hotfix)} — versions may be mixed; ${owner} restores by hand`;
    case 'cancelled':
      return `${emoji} *Cancelled* ${since}${decidedBy(hotfix)}`;
    case 'rejected':
      return `${emoji} *Rejected* ${since}${decidedBy(hotfix)}`;
    case 'expired':
      return `${emoji} *Expired* ${since} with no decision; ${mention(hotfix.requester)} can plan it again`;
    case 'superseded':
      return `${emoji} *Superseded* ${since} by ${supersededByText(hotfix, supersededByLink)} (patch forward), which took over ${hotfix.client} ${hotfix.env}`;
    case 'resolved':
      return `${emoji} *Resolved by hand* ${since}${decidedBy(hotfix)}`;
  }
}

/** "HF-9", linked to its plan when the link is known. */
export function supersededByText(hotfix: Hotfix, link?: string): string {
  const id = hotfix.supersededBy ?? 'a newer hotfix';
  return link && hotfix.supersededBy ? `<${link}|${typed(id)}>` : typed(id);
}

/**
 * The line a patch-forward plan carries: which failed hotfix it replaces and what its approval does to it. Undefined
 * for any other plan.
 */
export function patchForwardLine(hotfix: Hotfix): string | undefined {
  const patched = hotfix.supersedes?.id;
  if (!patched) return undefined;
  const env = `${hotfix.client} ${hotfix.env}`;
  if (hotfix.state === 'planned')
    return `:fast_forward: *Patches forward ${typed(patched)}*, which failed: when this plan is approved, ${typed(patched)} is superseded and its lock on ${env} passes to ${hotfix.id}, so nothing else deploys in between. Rejected or cancelled, ${typed(patched)} stays failed and keeps ${env}.`;
  return `:fast_forward: Patches forward ${typed(patched)} (failed), which it superseded on approval, taking over ${env}.`;
}

function failureText(hotfix: Hotfix): string {
  return hotfix.failure ? `: ${typed(truncate(hotfix.failure.message, 300))}` : '';
}

function decidedBy(hotfix: Hotfix): string {
  const d = hotfix.decision;
  return d ? ` by ${mention(d.by)}: ${typed(truncate(d.reason, 500))}` : '';
}

/** One line per service: `running -> new` when the running version was really read, else only the new tag. */
export function changeLines(hotfix: Hotfix): string[] {
  return hotfix.services.map(({ service, tag }) => {
    const before = versionsRead(hotfix)?.[service];
    const from = before !== undefined ? `${inlineCode(before)} → ` : '→ ';
    return `*${typed(service)}* ${from}${inlineCode(tag)}${before === undefined ? runningNote(hotfix) : ''}`;
  });
}

function runningNote(hotfix: Hotfix): string {
  if (isRehearsal(hotfix)) return ' _(rehearsal: the running version is not read)_';
  return hotfix.versionsBefore
    ? ' _(running version not read)_'
    : ' _(running version is read before the deploy)_';
}

/** Client, env, severity and incident on one line. */
export function targetLine(hotfix: Hotfix): string {
  const env = hotfix.snapshot.env.production ? `${hotfix.env} :red_circle: *PRODUCTION*` : hotfix.env;
  const incident = hotfix.incident.key
    ? ` · incident ${inlineCode(hotfix.incident.key)}`
    : ' · no incident key';
  return `${hotfix.snapshot.client.displayName} (${inlineCode(hotfix.client)}) · ${env} · ${severityLabel(hotfix.severity)}${incident}`;
}

/** The reason, quoted, or a plain note that none was given. */
export function reasonLines(hotfix: Hotfix): string {
  return reasonQuote(hotfix.reason ? truncate(hotfix.reason, 500) : undefined) ?? '_No reason given._';
}

/**
 * When it happens: while planned, as soon as approved (or when its deploy window opens) and until when the plan
 * stands; afterwards what happened when.
 */
export function windowLine(hotfix: Hotfix): string {
  const window = hotfix.deployAt
    ? `the deploy window opens ${slackDate(hotfix.deployAt)} (${localWindowStart(hotfix.deployAt, hotfix.snapshot.client.timezone)})`
    : undefined;
  if (hotfix.state === 'planned')
    return window
      ? `:clock3: Deploys when ${window}, not before; approve by then: the plan expires ${slackDate(hotfix.expiresAt)}`
      : `:clock3: Deploys as soon as it is approved; the plan expires ${slackDate(hotfix.expiresAt)}`;
  const { times } = hotfix;
  const parts = [
    times.approvedAt ? `approved ${slackDate(times.approvedAt)}` : undefined,
    window && !times.deployStartedAt && !isTerminal(hotfix.state) ? window : undefined,
    times.deployStartedAt ? `deploy started ${slackDate(times.deployStartedAt)}` : undefined,
    times.endedAt ? `ended ${slackDate(times.endedAt)}` : undefined,
  ].filter((p): p is string => p !== undefined);
  return `:clock3: ${parts.length > 0 ? capitalised(parts.join(' · ')) : `Since ${slackDate(hotfix.stateSince.at)}`}`;
}

/**
 * The rollback target and how a rollback happens in this version: never a promise of a button that is not there. A
 * service whose running version was not read is named as such, and its rollback is by hand.
 */
export function rollbackLine(hotfix: Hotfix): string {
  const before = versionsRead(hotfix);
  // A rehearsal reads nothing outside: the versions it returns to are the ones it pretends run.
  const played = isRehearsal(hotfix) ? ' (played: a rehearsal changes nothing)' : '';
  const unread = before ? hotfix.services.map((s) => s.service).filter((s) => before[s] === undefined) : [];
  const shown = [
    ...Object.entries(before ?? {}).map(([s, v]) => `${typed(s)} ${inlineCode(v)}${revisionOf(hotfix, s)}`),
    ...unread.map((s) => `${typed(s)} _(running version not read)_`),
  ];
  const target = before
    ? `Rollback target${played}: ${shown.length > 0 ? shown.join(', ') : 'none recorded'}`
    : 'Rollback target: the versions running when the deploy starts';
  const together = hotfix.services.length > 1 ? ' (the services go back together)' : '';
  const auto = can('autoRollback') && hotfix.snapshot.policy.autoRollback[hotfix.env];
  const how =
    unread.length > 0
      ? `the running version of ${unread.map(typed).join(', ')} was not read, so a rollback is done by hand, following the runbook`
      : can('rollback') && rollsBack(hotfix)
        ? `${auto ? 'rolls back by itself if verification fails; ' : ''}once deployed (completed too), Rollback on this notice or its live status, or ${inlineCode(`/hotfix rollback ${hotfix.id}`)}`
        : hotfix.method === 'ecs-run-once'
          ? 'the deployment service rolls back what it can by itself; anything more is done by hand, following the runbook'
          : 'a rollback is done by hand, following the runbook';
  return `:leftwards_arrow_with_hook: ${target}${together}; ${how}`;
}

/** ` (task definition family:n)` after a version whose ECS revision the panic rollback returns to; else nothing. */
export function revisionOf(hotfix: Pick<Hotfix, 'refs'>, service: string): string {
  const revision = ecsReturnsTo(hotfix.refs, service);
  return revision ? ` (task definition ${inlineCode(revision)})` : '';
}

/** How much of the triage checklist is ticked on the plan. */
export function triageLine(hotfix: Hotfix): string {
  return `:ballot_box_with_check: Triage: ${triageCount(hotfix)} on the plan`;
}

/** The approvals line while planned: how many, who, and that the requester cannot be one of them. */
export function approvalsLine(hotfix: Hotfix): string {
  return `*Approvals:* ${approvalsSummary(hotfix)} · not ${mention(hotfix.requester)} · counts for plan v${hotfix.planVersion} only`;
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
