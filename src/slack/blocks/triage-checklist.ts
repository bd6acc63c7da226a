/**
 * Seed 003's triage, as a checklist on the plan: is this really a hotfix, and has the groundwork been done. While the
 * plan can still change, the items are checkboxes the requester (or an operator) ticks in place; afterwards they are
 * lines. Answers come from `hotfix.triage`; keys are matched loosely ("Tested non-prod" finds `tested_non_prod`).
 */
import type { ActionsBlock, Option } from '@slack/types';
import type { Hotfix } from '../../domain/hotfix.js';
import type { TriageKey } from '../../domain/triage.js';
import { TRIAGE_KEYS, tickedItems, triageKeyOf, triageRequired } from '../../domain/triage.js';
import { ours, truncate, typed } from './mrkdwn.js';

/** One item of the checklist: the key a triage answer is stored under, and how it reads. */
export interface TriageItem {
  key: TriageKey;
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

const keyOf = triageKeyOf;

/** `action_id` and `block_id` of the checkboxes on the plan. */
export const TRIAGE_ACTION_ID = 'hotfix_triage';

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
  const known = new Set<string>(TRIAGE_ITEMS.map((item) => item.key));
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

/** "2 of 6 ticked", with "required before approval" when the policy says so. */
export function triageCount(hotfix: Hotfix): string {
  const required = triageRequired(hotfix) ? ' (all are required before approval)' : '';
  return `${tickedItems(hotfix).length} of ${TRIAGE_KEYS.length} ticked${required}`;
}

/** An option's value: the hotfix and the item, so a tick finds its record without reading the message. */
function optionValue(hotfix: Hotfix, key: TriageKey): string {
  return `${hotfix.ulid}.${key}`;
}

/** The hotfix ULID and item a checkbox option stands for; undefined for anything else. */
export function readTriageOption(value: string | undefined): { ulid: string; item: string } | undefined {
  const match = /^([0-9A-HJKMNP-TV-Z]{26})\.([a-z_]+)$/.exec(value ?? '');
  return match?.[1] && match[2] ? { ulid: match[1], item: match[2] } : undefined;
}

/** The checklist as checkboxes, ticked where answered; a tick is recorded (and audited) as soon as it is made. */
export function triageCheckboxes(hotfix: Hotfix): ActionsBlock {
  const ticked = new Set<string>(tickedItems(hotfix));
  const options: Option[] = TRIAGE_ITEMS.map((item) => ({
    text: { type: 'mrkdwn', text: ours(item.label) },
    value: optionValue(hotfix, item.key),
  }));
  const initial = options.filter((_o, i) => ticked.has(TRIAGE_ITEMS[i]?.key ?? ''));
  return {
    type: 'actions',
    block_id: TRIAGE_ACTION_ID,
    elements: [
      {
        type: 'checkboxes',
        action_id: TRIAGE_ACTION_ID,
        options,
        ...(initial.length > 0 ? { initial_options: initial } : {}),
      },
    ],
  };
}

/** What people wrote beside the ticks (answers that say more than yes, and answers to no item), as note lines. */
export function triageNotes(hotfix: Hotfix): string[] {
  const labels = new Map<string, string>(TRIAGE_ITEMS.map((i) => [i.key, i.label]));
  return Object.entries(hotfix.triage).flatMap(([k, v]) => {
    const said = v.trim();
    if (said === '' || BARE_YES.test(said)) return [];
    const label = labels.get(keyOf(k));
    return [`:speech_balloon: ${label ? ours(label) : typed(k)}: _${typed(truncate(said, ANSWER_MAX))}_`];
  });
}
