/** The deploy part of the live status: its stages, where it runs, what it does and what it replaces. */
import type { KnownBlock } from '@slack/types';
import type { Hotfix, Stage } from '../../domain/hotfix.js';
import { versionsRead } from '../../domain/running-version.js';
import { fields, section, SLACK_LIMITS } from './block-kit.js';
import { STAGE_EMOJI } from './hotfix-summary.js';
import { revisionOf } from './notice-lines.js';
import { codeBlock, fitLines, inlineCode, truncate, typed } from './mrkdwn.js';

// Room in a section or field for lines under a heading.
const SECTION_BODY = SLACK_LIMITS.sectionText - 200;
const FIELD_BODY = SLACK_LIMITS.fieldText - 100;

// References the deploy methods record that say where the deploy runs, and how people call them.
const DEPLOY_REFS: Readonly<Record<string, string>> = {
  jenkinsQueueItem: 'Jenkins queue item',
  jenkinsBuild: 'Jenkins build',
  jenkinsBuildUrl: 'Jenkins build',
  ecsTaskDefinition: 'ECS task definition',
  ecsTask: 'ECS task',
  ecsService: 'ECS service',
  ecsLogUrl: 'full log in CloudWatch',
};

/** Room for the log excerpt in its own section. */
const LOG_BODY = SLACK_LIMITS.sectionText - 1000;

/** The stages one per line, the one running marked, and where the deploy runs when a method said so. */
export function stagesText(hotfix: Hotfix): string {
  const stages = hotfix.stages;
  const active = stages.findIndex((s) => s.status === 'running' || s.status === 'waiting');
  const current = active >= 0 ? active : stages.findIndex((s) => s.status === 'failed');
  const at = current >= 0 ? ` · at ${current + 1} of ${stages.length}` : '';
  const lines = stages.map((s, i) => stageLine(s, i === current));
  const where = deployRefs(hotfix);
  return `*Stages*${at}\n${fitLines(lines, SECTION_BODY - 500)}${where ? `\n:round_pushpin: ${where}` : ''}`;
}

function stageLine(stage: Stage, current: boolean): string {
  const name = typed(truncate(stage.name, 200));
  const took = stage.durationMs === undefined ? '' : ` in ${stageTime(stage.durationMs)}`;
  return `${STAGE_EMOJI[stage.status]} ${current ? `*${name}*` : name} — ${stage.status}${took}`;
}

/** A stage's length as Jenkins' stage view gives it: "300ms", "45s", "2m 5s", "1h 3m". */
export function stageTime(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))}ms`;
  const seconds = Math.round(Math.max(0, ms) / 1000);
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ${seconds % 60}s`;
  return `${Math.floor(minutes / 60)}h ${minutes % 60}m`;
}

function deployRefs(hotfix: Hotfix): string {
  const shown = Object.entries(DEPLOY_REFS).flatMap(([key, label]) => {
    const value = hotfix.refs[key];
    if (value === undefined || value === '') return [];
    // A URL becomes a link; anything else is shown as code, so it can neither link nor ping.
    if (/^https?:\/\/[^\s<>|]+$/.test(value) && value.length <= 500) return [`<${value}|${label}>`];
    return [`${label} ${inlineCode(typed(truncate(value, 200)))}`];
  });
  return shown.join(' · ');
}

/** What the deploy does and what ran before it (the rollback target), once preparing has recorded them. */
export function deployFields(hotfix: Hotfix): KnownBlock[] {
  const plan = hotfix.deployPlan ?? [];
  const before = Object.entries(versionsRead(hotfix) ?? {}).map(([service, version]) => {
    const target = hotfix.services.find((s) => s.service === service)?.tag;
    const to = target === undefined ? '' : ` → ${inlineCode(target)}`;
    return `• ${typed(service)} ${inlineCode(version)}${revisionOf(hotfix, service)}${to}`;
  });
  if (plan.length === 0 && before.length === 0) return [];
  const does = plan.map((line) => `• ${typed(truncate(line, 500))}`);
  return [
    fields([
      ['What the deploy does', does.length > 0 ? fitLines(does, FIELD_BODY) : undefined],
      ['Running before (rollback target)', before.length > 0 ? fitLines(before, FIELD_BODY) : undefined],
    ]),
  ];
}

/**
 * The deploy's log as a method keeps it in the refs (the run-once deployment service's CloudWatch log): every error
 * line kept, then the latest lines, already redacted by the method, cut to fit one section.
 */
export function logBlocks(hotfix: Hotfix): KnownBlock[] {
  const errors = hotfix.refs['ecsLogErrors'] ?? '';
  const latest = hotfix.refs['ecsLogLatest'] ?? '';
  if (!errors && !latest) return [];
  const text = [
    ...(errors ? ['-- error lines --', errors] : []),
    ...(latest ? ['-- latest lines --', latest] : []),
  ];
  return [section(`*Log*\n${codeBlock(text.join('\n'), LOG_BODY)}`)];
}
