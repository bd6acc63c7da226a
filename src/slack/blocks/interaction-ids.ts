/**
 * The ids Slack sends back when someone clicks, submits or uses a shortcut. Listeners register on these constants
 * and slack-app.yml names the shortcut's, so a rename is one edit here (and one in the manifest).
 */
import type { Hotfix } from '../../domain/hotfix.js';

/** `callback_id`s of views and shortcuts. */
export const CALLBACK_IDS = {
  /** The plan form (plan-modal.ts). */
  planModal: 'hotfix_plan',
  /** The message shortcut "Plan a hotfix here" (slack-app.yml). */
  planHereShortcut: 'plan_hotfix_here',
} as const;

/** `action_id`s of buttons. */
export const ACTION_IDS = {
  approve: 'hotfix_approve',
  reject: 'hotfix_reject',
  /** An approver other than whoever broke glass confirms the break-glass approval afterwards (seed 001). */
  acknowledgeBreakGlass: 'hotfix_ack_break_glass',
} as const;

/** `block_id`s of action rows, so an update can replace the row it belongs to. */
export const ACTION_BLOCK_IDS = {
  decision: 'hotfix_decision',
  breakGlass: 'hotfix_break_glass',
} as const;

/** What a decision button carries: which hotfix, and the plan version the clicker was shown. */
export interface DecisionValue {
  ulid: string;
  planVersion: number;
}

/** The button value for a hotfix as it is now: an approval is tied to the plan version the approver saw. */
export function decisionValue(hotfix: Pick<Hotfix, 'ulid' | 'planVersion'>): string {
  const value: DecisionValue = { ulid: hotfix.ulid, planVersion: hotfix.planVersion };
  return JSON.stringify(value);
}

/** Reads a decision button's value back; undefined when it is not one this module wrote. */
export function readDecisionValue(value: string | undefined): DecisionValue | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value ?? '');
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const { ulid, planVersion } = parsed as Record<string, unknown>;
  if (typeof ulid !== 'string' || ulid === '') return undefined;
  if (typeof planVersion !== 'number' || !Number.isInteger(planVersion) || planVersion < 1) return undefined;
  return { ulid, planVersion };
}
