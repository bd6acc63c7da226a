/** How a hotfix's parts read in every message, so the plan, the notice and the status say things the same way. */
import type { DeployMethod, RecordKind } from '../../domain/catalog.js';
import { requiredRecords } from '../../domain/catalog.js';
import { stateLabel } from '../../domain/decide.js';
import { localWindowStart } from '../../domain/deploy-window.js';
import type { Hotfix, HotfixState, Severity, Stage } from '../../domain/hotfix.js';
import { targetCheckStep } from '../../domain/hotfix.js';
import { sourceLines } from '../../domain/source-check.js';
import { approvalsStillNeeded, countedApprovals } from '../../domain/policy.js';
import { SLACK_LIMITS } from './block-kit.js';
import { inlineCode, mention, mentions, slackDate, truncate, typed } from './mrkdwn.js';

const STATE_EMOJI: Record<HotfixState, string> = {
  planned: ':memo:',
  approved: ':white_check_mark:',
  queued: ':hourglass_flowing_sand:',
  preparing: ':gear:',
  deploying: ':rocket:',
  awaiting_input: ':raised_hand:',
  verifying: ':mag:',
  completed: ':large_green_circle:',
  failed: ':x:',
  rollback_queued: ':hourglass_flowing_sand:',
  rolling_back: ':rewind:',
  rolled_back: ':leftwards_arrow_with_hook:',
  rollback_failed: ':boom:',
  cancelled: ':no_entry_sign:',
  rejected: ':no_entry:',
  expired: ':hourglass:',
  superseded: ':fast_forward:',
  resolved: ':wrench:',
};

/** A deploy stage's status as an emoji, the same in the status and the live status. */
export const STAGE_EMOJI: Readonly<Record<Stage['status'], string>> = {
  pending: ':white_circle:',
  running: ':arrows_counterclockwise:',
  succeeded: ':white_check_mark:',
  failed: ':x:',
  skipped: ':fast_forward:',
  waiting: ':raised_hand:',
};

const METHOD_LABEL: Record<DeployMethod, string> = {
  'jenkins-multi-deploy': 'Jenkins multi-deploy pipeline',
  'ecs-image': 'ECS task definition (new image)',
  'ecs-run-once': 'ECS one-shot deployment service',
  rehearsal: 'REHEARSAL (dry run, changes nothing)',
};

const RECORD_NAMES: Record<RecordKind, string> = {
  jira: 'Jira change ticket',
  calendar: 'change-calendar event',
  statuspage: 'Statuspage maintenance',
};

/** The change-control records this hotfix's env requires at its severity, as people call them; none for a rehearsal. */
export function recordNames(hotfix: Hotfix): string[] {
  if (hotfix.method === 'rehearsal') return [];
  return requiredRecords(hotfix.snapshot.policy, hotfix.env, hotfix.severity).map(
    (kind) => RECORD_NAMES[kind],
  );
}

/** Longest reason shown in a message; the full text stays on the record. */
export const REASON_MAX = 1000;

/** The state with its emoji, e.g. ":rocket: *deploying*". */
export function stateBadge(state: HotfixState): string {
  return `${stateEmoji(state)} *${stateLabel(state)}*`;
}

/** The state's emoji shortcode alone, e.g. ":rocket:". */
export function stateEmoji(state: HotfixState): string {
  return STATE_EMOJI[state];
}

/** Severity; Sev 1 is loud because it changes who may approve and how fast people must move. */
export function severityLabel(severity: Severity): string {
  switch (severity) {
    case 1:
      return ':rotating_light: *SEV 1*';
    case 2:
      return ':large_orange_circle: *Sev 2*';
    case 3:
      return ':large_yellow_circle: Sev 3';
    case 4:
      return ':white_circle: Sev 4';
  }
}

/** The deploy method as people know it. */
export function methodLabel(method: DeployMethod): string {
  return METHOD_LABEL[method];
}

/** True when the hotfix is a dry run. */
export function isRehearsal(hotfix: Pick<Hotfix, 'method'>): boolean {
  return hotfix.method === 'rehearsal';
}

/** The banner every message of a rehearsal carries, so nobody mistakes it for a real change. */
export function rehearsalBanner(hotfix: Hotfix): string {
  return `:performing_arts: *REHEARSAL* — a dry run: nothing is deployed to ${hotfix.snapshot.client.displayName} ${hotfix.env}.`;
}

/** Service names for a title: all of them while they fit, else a count. */
export function serviceNames(hotfix: Pick<Hotfix, 'services'>): string {
  const names = hotfix.services.map((s) => s.service).join(', ');
  return names.length <= 80 ? names : `${hotfix.services.length} services`;
}

/** `HF-7 · decanting-service → acme prod`: the one-line name of a hotfix. */
export function hotfixTitle(hotfix: Hotfix): string {
  return truncate(
    `${hotfix.id} · ${serviceNames(hotfix)} → ${hotfix.client} ${hotfix.env}`,
    SLACK_LIMITS.headerText,
  );
}

/** `decanting-service 24-02-05.619-hotfix.627, ...` for notification text: the first three, then a count. */
export function servicesAndTags(hotfix: Pick<Hotfix, 'services'>): string {
  const shown = hotfix.services.slice(0, 3).map((s) => `${s.service} ${s.tag}`);
  const more = hotfix.services.length - shown.length;
  return more > 0 ? `${shown.join(', ')} and ${more} more` : shown.join(', ');
}

/** The environment, marked when it is production. */
export function envLabel(hotfix: Hotfix): string {
  return hotfix.snapshot.env.production
    ? `${hotfix.env} · :red_circle: *PRODUCTION*`
    : `${hotfix.env} (non-production)`;
}

/** The client's display name with the catalog name people type. */
export function clientLabel(hotfix: Hotfix): string {
  return `${hotfix.snapshot.client.displayName} (${inlineCode(hotfix.client)})`;
}

/** `1 of 2 — <@U1>, 1 more needed`: approvals that count for the current plan version. */
export function approvalsSummary(hotfix: Hotfix): string {
  const counted = countedApprovals(hotfix);
  const who = counted.length > 0 ? ` — ${mentions(counted)}` : '';
  const still = approvalsStillNeeded(hotfix);
  const more = hotfix.state === 'planned' && still > 0 ? `, ${still} more needed` : '';
  return `${counted.length} of ${hotfix.approvalsRequired}${who}${more}`;
}

/** The loud break-glass line, with whether an approver has acknowledged it yet. */
export function breakGlassLine(hotfix: Hotfix): string | undefined {
  const glass = hotfix.breakGlass;
  if (!glass) return undefined;
  const ack = glass.acknowledgedBy
    ? `:white_check_mark: Acknowledged by ${mention(glass.acknowledgedBy)}.`
    : ':warning: *Not yet acknowledged* — an approver other than the one who broke glass must acknowledge it.';
  return `:rotating_light: *BREAK-GLASS approval by ${mention(glass.by)}*: ${typed(truncate(glass.reason, REASON_MAX))}\n${ack}`;
}

/** The reason as a quote, cut to REASON_MAX. */
export function reasonQuote(reason: string | undefined): string | undefined {
  if (reason === undefined || reason.trim() === '') return undefined;
  const shown = truncate(reason.trim(), REASON_MAX);
  return typed(shown)
    .split('\n')
    .map((line) => `> ${line}`)
    .join('\n');
}

/**
 * Staffing warnings, a freeze override and what the deploy method read before approval (the exact image change, a
 * revision whose settings differ): the things a reviewer must not miss.
 */
export function warningLines(hotfix: Hotfix): string[] {
  const preview = hotfix.steps[targetCheckStep(hotfix)]?.result?.detail?.split('\n') ?? [];
  // Read before approval: once the deploy has started it is history (processes running then may be long gone).
  const asOfPlan =
    preview.length > 0 && hotfix.times.deployStartedAt !== undefined
      ? [':clock3: _Read at plan time, before the deploy:_']
      : [];
  const lines = [
    ...asOfPlan,
    ...preview.map((line) => (line.startsWith(':warning:') ? typed(line) : `:mag: ${typed(line)}`)),
    // The tag and CI check and the change over the running version (or "waiting for CI"), as the bot wrote them.
    ...sourceLines(hotfix).map(withChangeLinks),
    ...hotfix.warnings.map((w) => `:warning: ${typed(w)}`),
  ];
  const freeze = hotfix.freezeOverride;
  if (freeze) {
    lines.push(
      `:snowflake: *Freeze "${typed(freeze.window)}" overridden* by ${mention(freeze.by)}: ${typed(truncate(freeze.reason, REASON_MAX))}`,
    );
  }
  return lines;
}

// The compare link the bot writes for the change over the running version (`<url|2 commits>`); nothing else is kept.
const CHANGE_LINK = /<https?:\/\/[^<>\s|]+\|\d+ commits?>/g;

/** A source line with its compare link live and everything else (check names, tags from GitHub) escaped. */
function withChangeLinks(line: string): string {
  let out = '';
  let last = 0;
  for (const match of line.matchAll(CHANGE_LINK)) {
    out += typed(line.slice(last, match.index)) + match[0];
    last = match.index + match[0].length;
  }
  return out + typed(line.slice(last));
}

/** The plan's deploy window for a field: "opens <date> (Wed 2026-12-02 02:00 America/New_York)"; none without. */
export function deployWindowLabel(hotfix: Hotfix): string | undefined {
  if (!hotfix.deployAt) return undefined;
  return `opens ${slackDate(hotfix.deployAt)} (${localWindowStart(hotfix.deployAt, hotfix.snapshot.client.timezone)})`;
}

/** The services as the plan grammar writes them: `decanting-service@24-02-05.619-hotfix.627,picking-service@1.2`. */
export function servicesGrammar(hotfix: Pick<Hotfix, 'services'>): string {
  return hotfix.services.map((s) => `${s.service}@${s.tag}`).join(',');
}

/**
 * The command that plans this hotfix again (without its reason, which a new plan should restate, and without its
 * deploy window, which may have passed).
 */
export function replanCommand(hotfix: Hotfix): string {
  return `/hotfix plan ${servicesGrammar(hotfix)} ${hotfix.client} ${hotfix.env} sev=${hotfix.severity}`;
}

/** When the current plan version was posted: the plan, or its latest revision. */
export function planVersionSince(hotfix: Hotfix): string {
  return hotfix.times.revisedAt ?? hotfix.times.plannedAt;
}

/** `Acme Corp PRODUCTION (prod)` or `Acme Corp staging`: the target as a question names it. */
export function targetName(hotfix: Hotfix): string {
  const name = hotfix.snapshot.client.displayName;
  return hotfix.snapshot.env.production ? `${name} PRODUCTION (${hotfix.env})` : `${name} ${hotfix.env}`;
}
