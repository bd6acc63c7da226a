/**
 * The buttons of the live status message: Proceed/Abort under the deploy's question, Cancel while the hotfix can still
 * be stopped, and the failure actions. Which buttons show follows the state table of the domain, so a button is
 * never offered for a click the domain would refuse for the state alone.
 */
import type { ActionsBlock, Button, ConfirmationDialog } from '@slack/types';
import { can } from '../../domain/capabilities.js';
import { ACCEPTED_IN } from '../../domain/decide.js';
import { failedBeforeDeploy, ROLLBACK_OFFERED_IN, rollbackOffered } from '../../domain/rollback.js';
import type { Hotfix, HotfixState } from '../../domain/hotfix.js';
import { actions, button, plain, SLACK_LIMITS } from './block-kit.js';
import { targetName } from './hotfix-summary.js';
import { ACTION_BLOCK_IDS, ACTION_IDS, hotfixValue, inputValue } from './interaction-ids.js';

/** States in which the live status offers Cancel (planned and approved are cancelled from the plan's thread). */
export const CANCELLABLE_STATES: readonly HotfixState[] = [
  'queued',
  'preparing',
  'deploying',
  'awaiting_input',
];

/**
 * A button offered on a hotfix that went wrong. Rollback and Patch forward join FAILURE_ACTIONS with their
 * capability; each entry names the states it shows in, which must be states the domain accepts its command in.
 */
export interface FailureAction {
  actionId: string;
  label: string;
  shownIn: readonly HotfixState[];
  style?: Button['style'];
  /** A dialog Slack shows before sending the click; undefined for none. */
  confirm?: (hotfix: Hotfix) => ConfirmationDialog | undefined;
  /** Whether this hotfix can take the action at all, beyond its state; absent means always. */
  offered?: (hotfix: Hotfix) => boolean;
}

/** The failure buttons, in the order they are shown. */
export const FAILURE_ACTIONS: readonly FailureAction[] = [
  {
    actionId: ACTION_IDS.rollback,
    label: 'Rollback',
    // Once deployed: while verifying, after a failure, and after completion (the rollback then queues for the lock).
    // The click opens a form that names what it returns to and asks why, so no confirm dialog.
    shownIn: ROLLBACK_OFFERED_IN,
    style: 'danger',
    offered: (h) => can('rollback') && rollbackOffered(h),
  },
  {
    actionId: ACTION_IDS.retry,
    label: 'Retry',
    // An approved hotfix held by its change records gets Retry on the reply naming the failure, not here.
    shownIn: ACCEPTED_IN.retry.filter((s) => s !== 'approved'),
    // A retry deploys: on production it is worth one more look.
    confirm: (h) => (h.snapshot.env.production ? retryDialog(h) : undefined),
  },
  {
    actionId: ACTION_IDS.patchForward,
    label: 'Patch forward',
    // Opens the plan form prefilled for the same client and env; the failed hotfix is superseded, and its lock
    // passes on, only once that plan is approved, so the form itself is the confirmation.
    shownIn: ACCEPTED_IN.supersede,
    offered: () => can('patchForward'),
  },
  {
    actionId: ACTION_IDS.resolve,
    label: 'Resolved manually',
    // After a failed rollback, resolving by hand is the only way out (DESIGN.md section 2). No confirm: the click
    // opens a form that says what resolving does and asks for the reason the domain requires.
    shownIn: ['failed', 'rollback_failed'],
  },
];

/** What a Retry does: prepares again when nothing was deployed yet, else deploys the same tags again. */
function retryDialog(hotfix: Hotfix): ConfirmationDialog {
  const fix = 'Make sure the cause of the failure is fixed.';
  if (hotfix.failure && failedBeforeDeploy(hotfix, hotfix.failure))
    return dialog(
      `Deploy ${hotfix.id}?`,
      `Nothing was deployed yet: ${hotfix.id} reads the running versions again, then deploys to ${targetName(hotfix)}. ${fix}`,
      'Retry',
      'Not yet',
    );
  return dialog(
    `Deploy ${hotfix.id} again?`,
    `Attempt ${hotfix.attempts + 1} deploys the same tags to ${targetName(hotfix)} again. ${fix}`,
    'Retry',
    'Not yet',
  );
}

/** Proceed and Abort for the question the deploy is waiting on; none once a cancel is under way. */
export function inputActions(hotfix: Hotfix): ActionsBlock | undefined {
  const input = hotfix.pendingInput;
  if (hotfix.state !== 'awaiting_input' || !input || hotfix.cancelRequest) return undefined;
  const value = inputValue({ ulid: hotfix.ulid, pendingInput: input });
  const confirm = hotfix.snapshot.env.production
    ? dialog(
        'Proceed on production?',
        // The consequence first: a long question is what gets cut to fit the dialog.
        `The deploy of ${hotfix.id} goes on to ${targetName(hotfix)}. It asks: "${input.message}"`,
        'Proceed',
        'Not yet',
      )
    : undefined;
  // Abort is the one way to stop here (Cancel is not offered beside it), so it asks first, like Cancel does.
  const abort = dialog(
    `Abort ${hotfix.id}?`,
    `The deploy stops here instead of going on to ${targetName(hotfix)}, and ${hotfix.id} is cancelled in your name; the thread then says what was and was not undone.`,
    'Abort deploy',
    'Keep waiting',
    'danger',
  );
  return actions(ACTION_BLOCK_IDS.input, [
    button(ACTION_IDS.inputProceed, 'Proceed', value, 'primary', confirm),
    button(ACTION_IDS.inputAbort, 'Abort', value, 'danger', abort),
  ]);
}

/**
 * Cancel, while the hotfix can still be stopped and nobody has asked yet. Not at a Proceed question: Abort is the
 * one way to stop there, so two buttons never mean the same thing.
 */
export function cancelActions(hotfix: Hotfix): ActionsBlock | undefined {
  if (!CANCELLABLE_STATES.includes(hotfix.state) || hotfix.cancelRequest) return undefined;
  if (inputActions(hotfix)) return undefined;
  const confirm = dialog(
    `Cancel ${hotfix.id}?`,
    cancelEffect(hotfix),
    'Cancel hotfix',
    'Keep going',
    'danger',
  );
  return actions(ACTION_BLOCK_IDS.cancel, [
    button(ACTION_IDS.cancel, 'Cancel', hotfixValue(hotfix), undefined, confirm),
  ]);
}

/** The failure buttons for the hotfix's state; undefined when none applies. */
export function failureActions(
  hotfix: Hotfix,
  offered: readonly FailureAction[] = FAILURE_ACTIONS,
): ActionsBlock | undefined {
  const shown = offered.filter((a) => a.shownIn.includes(hotfix.state) && (a.offered?.(hotfix) ?? true));
  if (shown.length === 0) return undefined;
  const value = hotfixValue(hotfix);
  return actions(
    ACTION_BLOCK_IDS.failure,
    shown.map((a) => button(a.actionId, a.label, value, a.style, a.confirm?.(hotfix))),
  );
}

/** What Cancel does from here, in the words of the dialog that asks first. */
function cancelEffect(hotfix: Hotfix): string {
  const env = `${hotfix.client} ${hotfix.env}`;
  switch (hotfix.state) {
    case 'queued':
      return `${hotfix.id} leaves the queue for ${env}. Nothing has been deployed.`;
    case 'preparing':
      return `${hotfix.id} stops before its deploy starts and releases ${env}. Nothing has been deployed.`;
    default:
      return `The running deploy to ${targetName(hotfix)} is aborted; the thread then says what was and was not undone.`;
  }
}

function dialog(
  title: string,
  text: string,
  confirm: string,
  deny: string,
  style?: ConfirmationDialog['style'],
): ConfirmationDialog {
  return {
    title: plain(title, SLACK_LIMITS.confirmTitle),
    text: plain(text, SLACK_LIMITS.confirmText),
    confirm: plain(confirm, SLACK_LIMITS.confirmButton),
    deny: plain(deny, SLACK_LIMITS.confirmButton),
    ...(style ? { style } : {}),
  };
}
