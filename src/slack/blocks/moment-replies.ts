/**
 * The replies for the moments that need a person (domain/moments.ts): a new message, mentions first, saying what
 * happened and what the mentioned people do next, with a notification text that reads alone at 2 a.m.
 */
import type { KnownBlock } from '@slack/types';
import { can } from '../../domain/capabilities.js';
import { localWindowStart } from '../../domain/deploy-window.js';
import type { Hotfix } from '../../domain/hotfix.js';
import { SYSTEM } from '../../domain/hotfix.js';
import type { Moment } from '../../domain/moments.js';
import { rollbackRowFor } from '../../domain/rollback-matrix.js';
import { failedBeforeDeploy, rollbackTarget } from '../../domain/rollback.js';
import { verifyPlan } from '../../domain/health.js';
import { countedApprovals } from '../../domain/policy.js';
import { actions, button, context, message, section, type SlackMessage } from './block-kit.js';
import { clientMomentMessage } from './client-replies.js';
import { isRehearsal, reasonQuote, targetName } from './hotfix-summary.js';
import { changeLines } from './notice-lines.js';
import { ACTION_BLOCK_IDS, ACTION_IDS, hotfixValue } from './interaction-ids.js';
import {
  channelLink,
  codeBlock,
  duration,
  fitLines,
  inlineCode,
  mentions,
  plural,
  slackDate,
  truncate,
  typed,
  utcTime,
} from './mrkdwn.js';

/** The most of a failure's log (a Jenkins console tail) shown in the thread: room to spare in a 3000-character section. */
const LOG_MAX = 2500;

/** The reply for one moment of a hotfix; in the client's prod-support channel, its client-safe post. */
export function momentMessage(
  hotfix: Hotfix,
  moment: Moment,
  options: { forwardPort?: boolean } = {},
): SlackMessage {
  if (moment.place === 'prod_support') return clientMomentMessage(hotfix, moment);
  const who = moment.mentions.length > 0 ? `${mentions(moment.mentions)} ` : '';
  const name = `${isRehearsal(hotfix) ? 'REHEARSAL ' : ''}${hotfix.id}`;
  const target = targetName(hotfix);
  const where = moment.place === 'thread' ? 'here' : 'in the incident thread';
  switch (moment.kind) {
    case 'input': {
      const question = moment.event.type === 'input_requested' ? moment.event.message : 'Proceed?';
      return message(
        `${who}${name} waits for your answer before it goes on to ${target}: "${truncate(question, 300)}"`,
        [
          section(
            `:raised_hand: ${who}*${name} waits for your answer* before it goes on to ${typed(target)}`,
          ),
          section(reasonQuote(question) ?? '> Proceed?'),
          context('Answer with *Proceed* or *Abort* on the live status message in this thread.'),
        ],
      );
    }
    case 'window_opened': {
      const opened = hotfix.deployAt ?? moment.event.at;
      const local = localWindowStart(opened, hotfix.snapshot.client.timezone);
      const line = (when: (iso: string) => string, b: string, to: string) =>
        `${who}${b}The deploy window of ${name} opened${b} ${when(opened)} (${local}): it queues for ${to} now and deploys when the environment is free.`;
      return message(line(utcTime, '', target), [
        section(`:alarm_clock: ${line(slackDate, '*', typed(target))}`),
        context('Its live status follows in this thread; `/hotfix cancel` still stops it.'),
      ]);
    }
    case 'failed':
      return failedMessage(hotfix, moment, { who, name, target, where });
    case 'rolled_back':
      return message(`${who}${name} was rolled back on ${target}: the earlier versions run again.`, [
        section(`:leftwards_arrow_with_hook: ${who}*${name} was rolled back on ${typed(target)}*`),
        section('The earlier versions run again. Check the service is healthy, then tell the client.'),
      ]);
    case 'completed':
      return completedMessage(hotfix, moment, { who, name, target }, options.forwardPort === true);
  }
}

interface Names {
  who: string;
  name: string;
  target: string;
  where?: string;
}

function failedMessage(hotfix: Hotfix, moment: Moment, { who, name, target, where }: Names): SlackMessage {
  const failure = hotfix.failure;
  // A multi-line failure is a sentence and a log (a Jenkins console tail): the sentence heads the reply, and the
  // thread gets the end of the log, where the error is, in a code block.
  const [sentence, ...logLines] = (failure?.message ?? '').split('\n');
  const what = failure ? truncate(sentence ?? '', 300) : 'the deploy failed';
  const log =
    moment.place === 'thread' && logLines.length > 0 ? codeBlock(logLines.join('\n'), LOG_MAX) : undefined;
  const rollbackFailed = moment.event.type === 'rollback_failed';
  const head = rollbackFailed
    ? `:boom: ${who}*${name}: the rollback FAILED on ${typed(target)}*`
    : `:x: ${who}*${name} FAILED on ${typed(target)}*`;
  const row = rollbackRowFor(failure?.condition);
  const auto = autoRollback(hotfix, moment);
  if (auto) return autoRollbackMessage(hotfix, moment, { who, name, target }, what, auto);
  // Judged by the failure this reply tells, not the record now: a Retry may have deployed since.
  const before = moment.event.type === 'failed' && failedBeforeDeploy(hotfix, moment.event.failure);
  const rollsBack = !before && can('rollback') && rollbackTarget(hotfix) !== undefined;
  const choices = [
    ...(rollsBack ? ['Rollback'] : []),
    'Retry',
    ...(can('patchForward') ? ['Patch forward'] : []),
  ];
  const options = `${choices.join(', ')} or Resolved manually`;
  const decide = `Decide ${where}: ${options} on the live status. ${hotfix.id} keeps ${hotfix.client} ${hotfix.env} locked until then.`;
  const next = rollbackFailed
    ? `Versions may be mixed. Restore the rollback target by hand following the runbook, then mark ${hotfix.id} resolved.`
    : before
      ? `Nothing was deployed, so there is nothing to roll back: Retry prepares again, then deploys.\n${decide}`
      : `*Runbook:* ${row.label} — ${row.advice}${rollsBack ? '' : ' A rollback is done by hand here.'}\n${decide}`;
  const blocks: KnownBlock[] = [
    section(`${head}\n${typed(what)}`),
    ...(log ? [section(log)] : []),
    section(next),
  ];
  // Seed 001: the window is not closed out while the problem is ongoing; people may need it longer.
  if (hotfix.refs['statuspageIncidentId'] || hotfix.refs['calendarEventId'])
    blocks.push(
      actions(ACTION_BLOCK_IDS.maintenance, [
        button(ACTION_IDS.extendMaintenance, 'Extend maintenance', hotfixValue(hotfix)),
      ]),
    );
  const text = `${who}${name} FAILED on ${target}: ${what}. Decide what next ${where}.`;
  return message(text, blocks);
}

/** The reason of the rollback the bot started itself in the same write as this failure, if it did. */
function autoRollback(hotfix: Hotfix, moment: Moment): string | undefined {
  const decision = hotfix.decision;
  if (moment.event.type !== 'failed' || !decision) return undefined;
  return decision.by === SYSTEM && decision.at === moment.event.at ? decision.reason : undefined;
}

/** A failed verify the policy rolls back by itself: what failed, that the rollback runs, and why, in one reply. */
function autoRollbackMessage(
  hotfix: Hotfix,
  moment: Moment,
  { who, name, target }: Names,
  what: string,
  reason: string,
): SlackMessage {
  const lock = `${hotfix.id} keeps ${hotfix.client} ${hotfix.env} until the earlier versions run and pass the same health checks; this thread hears how it ends.`;
  return message(`${who}${name} FAILED on ${target}: ${what}. Rolling back automatically.`, [
    section(`:x: ${who}*${name} FAILED on ${typed(target)}*
${typed(what)}`),
    section(`:rewind: *Rolling back automatically.* ${typed(truncate(reason, 500))}
${lock}`),
    ...(moment.place === 'thread'
      ? [context(`Audited as a rollback by hotfix-bot ${slackDate(moment.event.at)}.`)]
      : []),
  ]);
}

function completedMessage(
  hotfix: Hotfix,
  moment: Moment,
  { who, name, target }: Names,
  forwardPort: boolean,
): SlackMessage {
  const { deployStartedAt, completedAt } = hotfix.times;
  const took =
    deployStartedAt && completedAt
      ? ` in ${duration(Date.parse(completedAt) - Date.parse(deployStartedAt))}`
      : '';
  const next = isRehearsal(hotfix)
    ? 'A rehearsal changes nothing; nothing needs bringing back to the main line.'
    : forwardPort
      ? `Next: the fix comes back to the main line (seed 003), so the next release does not undo it: the bot checks the default branch and, where the fix is missing, opens the forward-port pull request in ${moment.place === 'thread' ? 'this' : 'the incident'} thread.`
      : `Next: bring the fix back to the main line (seed 003), so the next release does not undo it.`;
  // Change control gets the fuller record of seed 004's completion post: when, how long, verified how, by whom.
  const record = moment.place === 'change_control' ? [section(completionRecord(hotfix))] : [];
  return message(`${who}${name} completed on ${target}: deployed and verified${took}.`, [
    section(`:large_green_circle: ${who}*${name} completed on ${typed(target)}*${took}`),
    section(fitLines(changeLines(hotfix), 2000)),
    ...record,
    context(`${next} ${inlineCode(hotfix.ulid)}`),
  ]);
}

/** Start, duration, verification, approvers and links of a completed hotfix, one per line. */
function completionRecord(hotfix: Hotfix): string {
  const { deployStartedAt, completedAt } = hotfix.times;
  const lines: string[] = [];
  if (deployStartedAt) {
    const took = completedAt
      ? ` · took ${duration(Date.parse(completedAt) - Date.parse(deployStartedAt))}`
      : '';
    lines.push(`:clock3: Started ${slackDate(deployStartedAt)}${took}`);
  }
  lines.push(`:white_check_mark: Verification passed: ${verificationSummary(hotfix)}`);
  const approvers = hotfix.breakGlass ? [hotfix.breakGlass.by] : countedApprovals(hotfix);
  const glass = hotfix.breakGlass ? ' (break-glass)' : '';
  if (approvers.length > 0) lines.push(`:busts_in_silhouette: Approved by ${mentions(approvers)}${glass}`);
  const links = [`plan in ${channelLink(hotfix.incident.channel)}`];
  const build = hotfix.refs['jenkinsBuildUrl'];
  if (build && /^https?:\/\/[^\s<>|]+$/.test(build)) links.push(`<${build}|Jenkins build>`);
  lines.push(`:link: ${links.join(' · ')}`);
  return lines.join('\n');
}

function verificationSummary(hotfix: Hotfix): string {
  const plan = verifyPlan(hotfix);
  if (plan.rounds === 0) return 'the deploy succeeded (no health checks in the catalog for these services)';
  const checks = plural(plan.checks.length, 'health check');
  const soak =
    plan.soakMs > 0 ? ` through a ${duration(plan.soakMs)} soak window (${plan.rounds} rounds)` : '';
  return `${checks} at the new version${soak}${isRehearsal(hotfix) ? ', rehearsed' : ''}`;
}
