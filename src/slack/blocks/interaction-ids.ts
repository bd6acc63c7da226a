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
  /** An approver confirms exactly what they approve (decision-modals.ts). */
  approveConfirm: 'hotfix_approve_confirm',
  /** The requester approves their own Sev 1 alone, with a reason (decision-modals.ts). */
  breakGlass: 'hotfix_break_glass',
  /** An approver says why they reject (decision-modals.ts). */
  rejectReason: 'hotfix_reject_reason',
  /** The requester changes services, tags, severity or reason (revise-modal.ts). */
  revise: 'hotfix_revise',
} as const;

/** `action_id`s of buttons. */
export const ACTION_IDS = {
  approve: 'hotfix_approve',
  reject: 'hotfix_reject',
  /** An approver other than whoever broke glass confirms the break-glass approval afterwards (seed 001). */
  acknowledgeBreakGlass: 'hotfix_ack_break_glass',
  /** "Edit plan" on the plan message: opens the revise form. */
  reviseOpen: 'hotfix_revise_open',
  /** Answers the deploy's pending question (Jenkins "Proceed") with yes; the value is an InputValue. */
  inputProceed: 'hotfix_input_proceed',
  /** Answers the deploy's pending question with no, which cancels the hotfix; the value is an InputValue. */
  inputAbort: 'hotfix_input_abort',
  /** Cancel on the live status, while queued, preparing, deploying or awaiting input; the value is a HotfixValue. */
  cancel: 'hotfix_cancel',
  /** Retry a failed deploy (live status); the value is a HotfixValue. */
  retry: 'hotfix_retry',
  /** "Resolved manually" on a failed hotfix (live status); the value is a HotfixValue. */
  resolve: 'hotfix_resolve',
  /** Extend maintenance on a failure reply: the Statuspage maintenance and calendar event end later; a HotfixValue. */
  extendMaintenance: 'hotfix_extend_maintenance',
  /**
   * Rollback of a deployed hotfix (live status, change-control notice): opens the confirmation form; the value is a
   * HotfixValue.
   */
  rollback: 'hotfix_rollback',
  /** Patch forward of a failed hotfix (live status): opens the plan form prefilled; the value is a HotfixValue. */
  patchForward: 'hotfix_patch_forward',
  /** "Not needed on main" on a forward-port reply: opens the reason form; the value is a HotfixValue. */
  waiveForwardPort: 'hotfix_forward_port_waive',
} as const;

/** `block_id`s of action rows, so an update can replace the row it belongs to. */
export const ACTION_BLOCK_IDS = {
  decision: 'hotfix_decision',
  breakGlass: 'hotfix_break_glass',
  /** The row of buttons on the plan message in the incident thread. */
  plan: 'hotfix_plan_actions',
  /** Proceed/Abort under the deploy's question on the live status. */
  input: 'hotfix_input_actions',
  /** Cancel on the live status. */
  cancel: 'hotfix_cancel_actions',
  /** Rollback, Retry, Patch forward and Resolved manually on a failed hotfix's live status. */
  failure: 'hotfix_failure_actions',
  /** Extend maintenance on the reply saying a hotfix failed. */
  maintenance: 'hotfix_maintenance_actions',
  /** Retry on the reply saying a required change record could not be created. */
  records: 'hotfix_records_actions',
  /** "Not needed on main" under a forward-port reply. */
  forwardPort: 'hotfix_forward_port_actions',
} as const;

/** `block_id` of the reason input in the break-glass and reject forms (its `action_id` is `value`). */
export const REASON_BLOCK_ID = 'reason';

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
  const fields = jsonObject(value);
  return fields ? decisionOf(fields) : undefined;
}

/** What Cancel, Retry and Resolved manually carry: which hotfix. The domain re-checks the state at the click. */
export interface HotfixValue {
  ulid: string;
}

/** The button value naming a hotfix. */
export function hotfixValue(hotfix: Pick<Hotfix, 'ulid'>): string {
  const value: HotfixValue = { ulid: hotfix.ulid };
  return JSON.stringify(value);
}

/** Reads a hotfix button's value back; undefined when it is not one this module wrote. */
export function readHotfixValue(value: string | undefined): HotfixValue | undefined {
  const ulid = jsonObject(value)?.['ulid'];
  return isId(ulid) ? { ulid } : undefined;
}

/**
 * What Proceed and Abort carry: the hotfix and the question they answer, so a click on a question that was already
 * answered or replaced is refused instead of answering the next one.
 */
export interface InputValue {
  ulid: string;
  inputId: string;
}

// Deploy methods name their questions (a Jenkins input id is free text); anything longer was not written here.
const MAX_INPUT_ID = 500;

/** The Proceed/Abort value for the question the hotfix is waiting on. */
export function inputValue(
  hotfix: Pick<Hotfix, 'ulid'> & { pendingInput: Pick<NonNullable<Hotfix['pendingInput']>, 'id'> },
): string {
  const value: InputValue = { ulid: hotfix.ulid, inputId: hotfix.pendingInput.id };
  return JSON.stringify(value);
}

/** Reads a Proceed/Abort value back; undefined unless it is exactly what inputValue wrote. */
export function readInputValue(value: string | undefined): InputValue | undefined {
  const fields = jsonObject(value);
  const ulid = fields?.['ulid'];
  const inputId = fields?.['inputId'];
  if (!isId(ulid) || typeof inputId !== 'string' || inputId === '' || inputId.length > MAX_INPUT_ID)
    return undefined;
  return { ulid, inputId };
}

/**
 * What a decision form carries in `private_metadata`: the decision value, and the notice the click came from (so
 * the submission can redraw it and reply in its thread). The revise form carries the decision value alone.
 */
export interface DecisionMetadata extends DecisionValue {
  noticeChannel?: string;
  noticeTs?: string;
}

/** Where a decision form was opened from: the change-control notice. */
export interface NoticeRef {
  noticeChannel: string;
  noticeTs: string;
}

/** The `private_metadata` of a decision form for a hotfix as it is now. */
export function decisionMetadata(
  hotfix: Pick<Hotfix, 'ulid' | 'planVersion'>,
  notice?: NoticeRef,
): DecisionMetadata {
  const value: DecisionMetadata = { ulid: hotfix.ulid, planVersion: hotfix.planVersion };
  if (notice) {
    value.noticeChannel = notice.noticeChannel;
    value.noticeTs = notice.noticeTs;
  }
  return value;
}

/**
 * Reads a decision form's `private_metadata` back (a trust boundary: it round-trips through the client). Undefined
 * unless it is exactly what decisionMetadata wrote: the notice comes as a pair of non-empty strings or not at all.
 */
export function readDecisionMetadata(privateMetadata: string): DecisionMetadata | undefined {
  const fields = jsonObject(privateMetadata);
  const decision = fields ? decisionOf(fields) : undefined;
  if (!fields || !decision) return undefined;
  const { noticeChannel, noticeTs } = fields;
  if (noticeChannel === undefined && noticeTs === undefined) return decision;
  if (!isId(noticeChannel) || !isId(noticeTs)) return undefined;
  return { ...decision, noticeChannel, noticeTs };
}

// Slack ids and timestamps are short; anything longer was not written by this module.
const MAX_ID = 100;

function isId(value: unknown): value is string {
  return typeof value === 'string' && value !== '' && value.length <= MAX_ID;
}

function jsonObject(text: string | undefined): Record<string, unknown> | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text ?? '');
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
  return parsed as Record<string, unknown>;
}

function decisionOf(fields: Record<string, unknown>): DecisionValue | undefined {
  const { ulid, planVersion } = fields;
  if (!isId(ulid)) return undefined;
  if (typeof planVersion !== 'number' || !Number.isInteger(planVersion) || planVersion < 1) return undefined;
  return { ulid, planVersion };
}
