/**
 * Seed 003's triage criteria as a checklist on the plan: is this really a hotfix, and has the groundwork been done.
 * The requester (or an operator) ticks items in place; each tick is an event on the audit trail, and the policy may
 * require every item before a production approval (`policy.triageBeforeApproval`).
 */
import type { Hotfix } from './hotfix.js';

/** The checklist items, in the order the runbook walks them. Labels live with the messages. */
export const TRIAGE_KEYS = [
  'real_hotfix',
  'production_version',
  'branched_from_tag',
  'tested_non_prod',
  'rollback_plan',
  'forward_port',
] as const;
export type TriageKey = (typeof TRIAGE_KEYS)[number];

const NO = /^(no|n|false|not yet|pending|todo|tbd|-)$/i;

/** The key an answer is stored under: "Tested non-prod" finds `tested_non_prod`. */
export function triageKeyOf(text: string): string {
  return text
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_|_$/g, '');
}

/** Whether an answer counts as ticked: present, and not a "no" in any of the ways people write one. */
export function isTicked(answer: string | undefined): boolean {
  return answer !== undefined && answer.trim() !== '' && !NO.test(answer.trim());
}

/** The checklist items ticked on this hotfix. */
export function tickedItems(hotfix: Pick<Hotfix, 'triage'>): TriageKey[] {
  const answers = new Map(Object.entries(hotfix.triage).map(([k, v]) => [triageKeyOf(k), v]));
  return TRIAGE_KEYS.filter((key) => isTicked(answers.get(key)));
}

/** Whether the policy asks for the whole checklist before this hotfix may be approved. */
export function triageRequired(hotfix: Pick<Hotfix, 'env' | 'snapshot'>): boolean {
  return hotfix.snapshot.policy.triageBeforeApproval?.includes(hotfix.env) ?? false;
}

/** One event per item whose tick changes when the ticked set becomes `ticked` (unknown keys are ignored). */
export function triageChanges(
  hotfix: Pick<Hotfix, 'triage'>,
  ticked: readonly string[],
): { item: TriageKey; ticked: boolean }[] {
  const before = new Set<string>(tickedItems(hotfix));
  const after = new Set(ticked);
  return TRIAGE_KEYS.filter((key) => before.has(key) !== after.has(key)).map((item) => ({
    item,
    ticked: after.has(item),
  }));
}
