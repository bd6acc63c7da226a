/**
 * The live status: the one message per hotfix in its thread, updated in place from queued to the end (DESIGN.md
 * section 7). It is drawn from the record alone, and times are Slack date tokens the reader's client draws, so the
 * same record always gives the same message and time passing never needs an update.
 */
import { recordsLine } from './record-replies.js';
import type { KnownBlock } from '@slack/types';
import { stateLabel } from '../../domain/decide.js';
import type { Hotfix, HotfixState } from '../../domain/hotfix.js';
import { isTerminal } from '../../domain/hotfix.js';
import { can } from '../../domain/capabilities.js';
import { rollbackRowFor, type RollbackRow } from '../../domain/rollback-matrix.js';
import { cancelledMidDeploy, failedBeforeDeploy, rollbackTarget } from '../../domain/rollback.js';
import { context, header, message, section, type SlackMessage } from './block-kit.js';
import { outcomeLine } from './change-control-notice.js';
import {
  hotfixTitle,
  isRehearsal,
  REASON_MAX,
  reasonQuote,
  serviceNames,
  stateBadge,
  stateEmoji,
  targetName,
} from './hotfix-summary.js';
import { cancelActions, failureActions, inputActions } from './live-status-actions.js';
import { supersededByText } from './notice-lines.js';
import { deployFields, logBlocks, stagesText } from './live-status-deploy.js';
import { healthBlocks, verifyingLine } from './live-status-health.js';
import {
  duration,
  inlineCode,
  mention,
  slackDate,
  slackElapsed,
  truncate,
  typed,
  utcTime,
} from './mrkdwn.js';

// The render job fingerprints what this module draws; importing both from here keeps the pair together.
export { statusFingerprint } from './status-fingerprint.js';

/** What the record does not know but the live status shows: the queue and a pause, as the caller found them. */
export interface LiveStatusContext {
  /** The hotfix holding the (client, env) lock this one waits for. */
  queuedBehind?: { id: string; state: string; since: string };
  /** Place in the queue for the environment, 1 = next. */
  position?: number;
  /** `/hotfix pause` in force: who, why and since when. */
  paused?: { by: string; reason: string; at: string };
  /** Permalink of the plan of the hotfix that superseded this one (patch forward). */
  supersededByLink?: string;
}

// The states `cancel_requested` is recorded in; elsewhere a leftover request is history, not news.
const ABORTING: ReadonlySet<HotfixState> = new Set<HotfixState>(['deploying', 'awaiting_input']);

// States in which the current deploy attempt is under way.
const LIVE_ATTEMPT: ReadonlySet<HotfixState> = new Set<HotfixState>([
  'deploying',
  'awaiting_input',
  'verifying',
]);

const PHASE: Record<NonNullable<Hotfix['failure']>['phase'], string> = {
  deploy: 'Deploy',
  verify: 'Verification',
  rollback: 'Rollback',
};

const SEVERITY_EMOJI: Record<RollbackRow['severity'], string> = {
  critical: ':red_circle:',
  high: ':large_orange_circle:',
  medium: ':large_yellow_circle:',
};

/** The live status of a hotfix as its record stands. */
export function liveStatusMessage(hotfix: Hotfix, ctx: LiveStatusContext = {}): SlackMessage {
  const blocks: KnownBlock[] = [
    header(`${stateEmoji(hotfix.state)} ${isRehearsal(hotfix) ? 'REHEARSAL · ' : ''}${hotfixTitle(hotfix)}`),
    ...when(isRehearsal(hotfix), () => section(rehearsalLine(hotfix))),
    ...when(Boolean(ctx.paused) && !isTerminal(hotfix.state), () => section(pausedLine(hotfix, ctx))),
    section(nowLines(hotfix, ctx).join('\n')),
    ...when(recordsLine(hotfix) !== undefined, () => section(`:memo: ${recordsLine(hotfix) ?? ''}`)),
    ...when(hotfix.stages.length > 0, () => section(stagesText(hotfix))),
    ...logBlocks(hotfix),
    ...healthBlocks(hotfix),
    ...inputBlocks(hotfix),
    ...when(Boolean(hotfix.cancelRequest) && ABORTING.has(hotfix.state), () => section(cancelLine(hotfix))),
    ...failureBlocks(hotfix),
    ...deployFields(hotfix),
    ...optional(cancelActions(hotfix)),
    ...deployedActions(hotfix),
    liveContext(hotfix),
  ];
  return message(fallback(hotfix, ctx), blocks);
}

function rehearsalLine(hotfix: Hotfix): string {
  return `:performing_arts: *REHEARSAL: nothing outside is touched.* A dry run of the hotfix flow for ${typed(targetName(hotfix))}; no service is deployed.`;
}

function pausedLine(hotfix: Hotfix, { paused }: LiveStatusContext): string {
  if (!paused) return '';
  const effect =
    hotfix.state === 'queued'
      ? `${hotfix.id} stays queued until \`/hotfix resume\`.`
      : 'Hotfixes already holding their environment carry on; queued ones wait for `/hotfix resume`.';
  return `:double_vertical_bar: *Deploys are paused* by ${mention(paused.by)} since ${slackDate(paused.at)}: ${typed(truncate(paused.reason, REASON_MAX))}\n${effect}`;
}

/** Where the hotfix is now: the state and since when, the queue, the outcome, and how long the deploy has run. */
function nowLines(hotfix: Hotfix, ctx: LiveStatusContext): string[] {
  const since = `${stateBadge(hotfix.state)} since ${slackDate(hotfix.stateSince.at)}`;
  const attempt = hotfix.attempts > 1 ? ` · attempt ${hotfix.attempts}` : '';
  const lines: string[] = [];
  switch (hotfix.state) {
    case 'queued':
      lines.push(since, queueLine(hotfix, ctx));
      break;
    case 'preparing':
      lines.push(
        `${since}: recording the versions running now (the rollback target) and what the deploy will do.`,
      );
      break;
    case 'verifying':
      lines.push(`${since}${attempt}: ${verifyingLine(hotfix)}`);
      break;
    case 'rollback_queued':
      lines.push(
        `${since}: the rollback waits its turn for ${hotfix.client} ${hotfix.env} before putting back the rollback target below. Asked${decidedBy(hotfix)}.`,
        queueLine(hotfix, ctx),
      );
      break;
    case 'rolling_back':
      lines.push(`${since}: putting back the rollback target below. Asked${decidedBy(hotfix)}.`);
      break;
    default:
      lines.push(isTerminal(hotfix.state) ? outcome(hotfix, ctx) : `${since}${attempt}`);
  }
  const started = hotfix.times.deployStartedAt;
  if (started) {
    const { deployedAt } = hotfix.times;
    const took = deployedAt
      ? ` · deployed ${slackDate(deployedAt)} (took ${duration(Date.parse(deployedAt) - Date.parse(started))})`
      : '';
    // A retry is a new attempt: while it runs, how long this one has taken is what people watch.
    const attemptAt = hotfix.times.attemptStartedAt;
    const current =
      hotfix.attempts > 1 && attemptAt && LIVE_ATTEMPT.has(hotfix.state)
        ? ` · attempt ${hotfix.attempts} started ${slackElapsed(attemptAt)}`
        : '';
    lines.push(`:stopwatch: Deploy started ${slackElapsed(started)}${took}${current}`);
  }
  return lines;
}

function queueLine(hotfix: Hotfix, { queuedBehind, position }: LiveStatusContext): string {
  const env = `${hotfix.client} ${hotfix.env}`;
  const place = position === undefined ? '' : ` · ${position <= 1 ? 'next' : ordinal(position)} in line`;
  if (!queuedBehind) return `Waiting for ${env} to be free${place}.`;
  const holder = `*${typed(queuedBehind.id)}* (${typed(queuedBehind.state.replace(/_/g, ' '))} since ${slackDate(queuedBehind.since)})`;
  // A failed holder keeps the environment until a person decides, so the queue waits on people, not on a deploy.
  const stuck =
    queuedBehind.state === 'failed' ? ` It keeps ${env} until someone decides what to do with it.` : '';
  return `Queued behind ${holder} for ${env}${place}.${stuck}`;
}

/** The final word on a hotfix that has ended: what happened, who decided and why. */
function outcome(hotfix: Hotfix, ctx: LiveStatusContext): string {
  const at = slackDate(hotfix.stateSince.at);
  const failed = hotfix.failure
    ? `\n_After: ${PHASE[hotfix.failure.phase].toLowerCase()} failed: ${typed(truncate(hotfix.failure.message, 300))}_`
    : '';
  switch (hotfix.state) {
    case 'completed':
      return `${stateBadge('completed')} ${at}: deployed and verified.`;
    case 'cancelled':
    case 'resolved':
      return `${stateBadge(hotfix.state)} ${at}${decidedBy(hotfix)}.${failed}`;
    case 'rolled_back':
      return `${stateBadge('rolled_back')} ${at}: the rollback target below runs again. Rollback asked${decidedBy(hotfix)}.${failed}`;
    case 'superseded':
      return `${stateBadge('superseded')} ${at} by ${supersededByText(hotfix, ctx.supersededByLink)} (patch forward), which now holds ${hotfix.client} ${hotfix.env}.${failed}`;
    default:
      return outcomeLine(hotfix);
  }
}

function decidedBy(hotfix: Hotfix): string {
  const d = hotfix.decision;
  return d ? ` by ${mention(d.by)}: ${typed(truncate(d.reason, REASON_MAX))}` : '';
}

/** The question the deploy waits on, with Proceed and Abort under it. */
function inputBlocks(hotfix: Hotfix): KnownBlock[] {
  const input = hotfix.pendingInput;
  if (hotfix.state !== 'awaiting_input' || !input) return [];
  const buttons = inputActions(hotfix);
  const hint = buttons
    ? `\n*Proceed* goes on to ${typed(targetName(hotfix))}; *Abort* stops the deploy here and cancels ${hotfix.id}.`
    : '';
  const text = `:raised_hand: *The deploy is waiting for an answer*\n${reasonQuote(input.message) ?? ''}${hint}`;
  return [section(text), ...optional(buttons)];
}

function cancelLine(hotfix: Hotfix): string {
  const request = hotfix.cancelRequest;
  if (!request) return '';
  return `:no_entry_sign: Cancel requested by ${mention(request.by)} ${slackDate(request.at)}: ${typed(truncate(request.reason, REASON_MAX))}; aborting…`;
}

/** What went wrong, what the runbook says to do, and the buttons for it. */
function failureBlocks(hotfix: Hotfix): KnownBlock[] {
  const failure = hotfix.failure;
  if (!failure || (hotfix.state !== 'failed' && hotfix.state !== 'rollback_failed')) return [];
  const head = `:x: *${PHASE[failure.phase]} failed* ${slackDate(failure.at)}: ${typed(truncate(failure.message, REASON_MAX))}`;
  const env = `${hotfix.client} ${hotfix.env}`;
  let advice: string;
  if (hotfix.state === 'rollback_failed') {
    // The matrix judges a failed deploy; after a failed rollback there is nothing left to retry or roll back.
    advice = `Versions on ${typed(targetName(hotfix))} may now be mixed. Restore the rollback target below by hand following the runbook, then mark ${hotfix.id} resolved.`;
  } else if (failedBeforeDeploy(hotfix, failure)) {
    advice = `Nothing was deployed to ${typed(targetName(hotfix))}, so there is nothing to roll back. *Retry* prepares again (reads the running versions, then deploys); if ${hotfix.id} is not wanted any more, *Resolved manually* ends it and frees ${env}.`;
  } else {
    const row = rollbackRowFor(failure.condition);
    // Offered only once rollback is built (domain/capabilities.ts); until then the runbook's rollback is by hand.
    const rollback = !can('rollback')
      ? ' A rollback is done by hand in this version, following the runbook.'
      : hotfix.method === 'ecs-run-once'
        ? ' The deployment service rolls back what it can by itself (its log is above); anything more is done by hand, following the runbook.'
        : rollbackTarget(hotfix)
          ? ` Roll back with *Rollback* below or ${inlineCode(`/hotfix rollback ${hotfix.id}`)}.`
          : ' No earlier version of every service is recorded, so a rollback is done by hand, following the runbook.';
    advice = `*Runbook:* ${row.label} · ${SEVERITY_EMOJI[row.severity]} ${row.severity} — ${row.advice}${rollback}`;
  }
  const lock = `:lock: ${hotfix.id} keeps ${env} until someone decides, so nothing else deploys over it.`;
  return [section(`${head}\n${advice}\n${lock}`), ...optional(failureActions(hotfix))];
}

/**
 * Rollback while verifying, after completion and after a cancel that stopped a deploy under way (a failure shows its
 * buttons with what went wrong).
 */
function deployedActions(hotfix: Hotfix): KnownBlock[] {
  const deployed = hotfix.state === 'verifying' || hotfix.state === 'completed' || cancelledMidDeploy(hotfix);
  if (!deployed) return [];
  return optional(failureActions(hotfix));
}

function liveContext(hotfix: Hotfix): KnownBlock {
  const lock = hotfix.lock ? ` · :lock: lock #${hotfix.lock.token}` : '';
  return context(
    `${hotfix.id} · plan v${hotfix.planVersion} · owner ${mention(hotfix.owner)}${lock}`,
    inlineCode(hotfix.ulid),
  );
}

/** The notification text: readable alone, with plain UTC times because date tokens do not render there. */
function fallback(hotfix: Hotfix, ctx: LiveStatusContext): string {
  const name = `${isRehearsal(hotfix) ? 'REHEARSAL ' : ''}${hotfix.id} ${serviceNames(hotfix)} → ${hotfix.client} ${hotfix.env}`;
  let now = stateLabel(hotfix.state);
  if (hotfix.attempts > 1 && !isTerminal(hotfix.state)) now += ` (attempt ${hotfix.attempts})`;
  if ((hotfix.state === 'queued' || hotfix.state === 'rollback_queued') && ctx.queuedBehind)
    now += ` behind ${ctx.queuedBehind.id}`;
  if (hotfix.state === 'awaiting_input' && hotfix.pendingInput)
    now = `waiting for an answer: "${truncate(hotfix.pendingInput.message, 300)}"`;
  if ((hotfix.state === 'failed' || hotfix.state === 'rollback_failed') && hotfix.failure)
    now += `: ${truncate(hotfix.failure.message, 300)}`;
  if (isTerminal(hotfix.state) && hotfix.decision) now += ` by ${mention(hotfix.decision.by)}`;
  if (hotfix.cancelRequest && ABORTING.has(hotfix.state))
    now += `; cancel requested by ${mention(hotfix.cancelRequest.by)}, aborting`;
  if (ctx.paused && !isTerminal(hotfix.state)) now += '; deploys are paused';
  const started = hotfix.times.deployStartedAt
    ? `, deploy started ${utcTime(hotfix.times.deployStartedAt)}`
    : '';
  return `${name}: ${now}${started}`;
}

function ordinal(n: number): string {
  const teen = n % 100 >= 11 && n % 100 <= 13;
  const suffix = teen ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${suffix}`;
}

function when(condition: boolean, block: () => KnownBlock): KnownBlock[] {
  return condition ? [block()] : [];
}

function optional(block: KnownBlock | undefined): KnownBlock[] {
  return block ? [block] : [];
}
