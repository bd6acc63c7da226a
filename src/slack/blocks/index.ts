/** Pure Block Kit builders: records in, `{ text, blocks }` or a view out. No I/O and no clock reads. */
export { SLACK_LIMITS, type SlackMessage } from './block-kit.js';
export { planMessage, type PlanMessageOptions } from './plan-message.js';
export {
  changeControlNotice,
  outcomeLine,
  type ChangeControlNoticeOptions,
} from './change-control-notice.js';
export { helpMessage, notInChannelMessage, refusalMessage } from './help-message.js';
export { listMessage, statusMessage, RECENT_EVENTS } from './status-message.js';
export { liveStatusMessage, type LiveStatusContext } from './live-status.js';
export { statusFingerprint } from './status-fingerprint.js';
export {
  CANCELLABLE_STATES,
  FAILURE_ACTIONS,
  cancelActions,
  failureActions,
  inputActions,
  type FailureAction,
} from './live-status-actions.js';
export {
  MODAL_REASON_MAX,
  PLAN_MODAL_ACTION_ID,
  PLAN_MODAL_BLOCKS,
  modalErrors,
  planModal,
  readPlanModal,
  type PlanModalBlockId,
  type PlanModalContext,
  type PlanModalMetadata,
  type PlanModalPrefill,
  type SubmittedInput,
  type SubmittedValues,
} from './plan-modal.js';
export { blockForProblem } from './plan-modal-fields.js';
export {
  ACTION_BLOCK_IDS,
  ACTION_IDS,
  CALLBACK_IDS,
  REASON_BLOCK_ID,
  decisionMetadata,
  decisionValue,
  hotfixValue,
  inputValue,
  readDecisionMetadata,
  readDecisionValue,
  readHotfixValue,
  readInputValue,
  type DecisionMetadata,
  type DecisionValue,
  type HotfixValue,
  type InputValue,
  type NoticeRef,
} from './interaction-ids.js';
export { INPUT_ACTION_ID } from './modal-kit.js';
export {
  BREAK_GLASS_REASON_MIN,
  approveConfirmModal,
  breakGlassModal,
  readReason,
  rejectModal,
  type DecisionModalContext,
} from './decision-modals.js';
export {
  REVISE_MODAL_BLOCKS,
  readRevision,
  reviseModalErrors,
  revisePlanModal,
  type RevisionTarget,
} from './revise-modal.js';
export {
  approvalContextLine,
  decisionReply,
  type DecisionReplyOptions,
  type LockHolder,
} from './decision-replies.js';
export { reminderMessage, type ReminderKind } from './reminders.js';
export { refusalReply } from './refusal-reply.js';
export {
  TRIAGE_ACTION_ID,
  TRIAGE_ITEMS,
  readTriageOption,
  triageCheckboxes,
  type TriageItem,
} from './triage-checklist.js';
export { momentMessage } from './moment-replies.js';
