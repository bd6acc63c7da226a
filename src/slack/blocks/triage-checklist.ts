/**
 * Seed 003's triage, as a checklist on the plan: is this really a hotfix, and has the groundwork been done. Answers
 * come from `hotfix.triage`; keys are matched loosely ("Tested non-prod" finds `tested_non_prod`) because people and
 * forms spell them differently.
 */
import type { Hotfix } from '../../domain/hotfix.js';
import { ours, truncate, typed } from './mrkdwn.js';

/** One item of the checklist: the key a triage answer is stored under, and how it reads. */
export interface TriageItem {
  key: string;
  label: string;
}

/** The checklist of seed 003, in the order the runbook walks it. */
export const TRIAGE_ITEMS: readonly TriageItem[] = [
  {
    key: 'real_hotfix',
    label: "A real hotfix: production impact, no workaround, can't wait for the next release",
  },
  { key: 'production_version', label: 'Production version identified' },
  { key: 'branched_from_tag', label: 'Fix branched from the release tag as `hotfix/<ticket>`' },
  { key: 'tested_non_prod', label: 'Tested in a non-production environment first' },
  { key: 'rollback_plan', label: 'Rollback plan known' },
  { key: 'forward_port', label: 'Fix will be brought back to the main line' },
];

const ANSWER_MAX = 200;
const NO = /^(no|n|false|not yet|pending|todo|tbd|-)$/i;
const BARE_YES = /^(yes|y|true|done|ok|x)$/i;

function keyOf(text: string): string {
  return text
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_|_$/g, '');
}

function itemLine(item: TriageItem, answer: string | undefined): string {
  const label = ours(item.label);
  if (answer === undefined || answer.trim() === '') return `:white_large_square: ${label}`;
  const said = answer.trim();
  if (NO.test(said)) return `:x: ${label} — _${typed(said)}_`;
  return BARE_YES.test(said)
    ? `:white_check_mark: ${label}`
    : `:white_check_mark: ${label} — _${typed(truncate(said, ANSWER_MAX))}_`;
}

/** The running versions, which answer "production version identified" when nobody typed it. */
function versionsAnswer(hotfix: Hotfix, versions: Record<string, string>): string | undefined {
  const known = hotfix.services.flatMap((s) => {
    const v = versions[s.service];
    return v === undefined ? [] : [`${s.service} ${v}`];
  });
  return known.length > 0 ? `${known.join(', ')} (recorded by the bot)` : undefined;
}

/** The checklist lines, ticked where answered; answers under other keys follow as notes so none is lost. */
export function triageLines(hotfix: Hotfix, versions: Record<string, string> = {}): string[] {
  const answers = new Map(Object.entries(hotfix.triage).map(([k, v]) => [keyOf(k), v]));
  const lines = TRIAGE_ITEMS.map((item) => {
    const answer =
      answers.get(item.key) ??
      (item.key === 'production_version' ? versionsAnswer(hotfix, versions) : undefined);
    return itemLine(item, answer);
  });
  const known = new Set(TRIAGE_ITEMS.map((item) => item.key));
  const notes = Object.entries(hotfix.triage)
    .filter(([k]) => !known.has(keyOf(k)))
    .map(([k, v]) => `:speech_balloon: ${typed(k)}: _${typed(truncate(v, ANSWER_MAX))}_`);
  return [...lines, ...notes];
}

/** True when no checklist item has an answer yet. */
export function triageUnanswered(hotfix: Hotfix): boolean {
  const answered = new Set(Object.keys(hotfix.triage).map(keyOf));
  return TRIAGE_ITEMS.every((item) => !answered.has(item.key));
}
