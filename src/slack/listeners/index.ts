import type { App } from '@slack/bolt';
import type { ListenerContext } from './context.js';
import { hotfixCommand } from './commands/hotfix-command.js';
import { planHere } from './shortcuts/plan-here.js';
import { planSubmission } from './views/plan-submission.js';
import {
  acknowledgeBreakGlassButton,
  approveButton,
  rejectButton,
  reviseButton,
} from './actions/decision-buttons.js';
import {
  approveConfirmed,
  breakGlassSubmitted,
  rejectSubmitted,
  resolveSubmitted,
  rollbackSubmitted,
  reviseSubmitted,
  forwardPortWaived,
} from './views/decision-forms.js';
import {
  abortButton,
  cancelButton,
  proceedButton,
  resolveButton,
  rollbackButton,
  retryButton,
  waiveForwardPortButton,
  extendMaintenanceButton,
} from './actions/status-buttons.js';
import { FORWARD_PORT_WAIVER_CALLBACK_ID } from '../blocks/forward-port-modal.js';
import { RESOLVE_CALLBACK_ID } from '../blocks/resolve-modal.js';
import { ACTION_IDS, CALLBACK_IDS } from '../blocks/index.js';
import { ROLLBACK_CALLBACK_ID } from '../blocks/rollback-modal.js';
import { registerDirectoryEvents } from './events/directory-events.js';
import { TRIAGE_ACTION_ID } from '../blocks/triage-checklist.js';
import { triageCheckboxes } from './actions/triage-checkboxes.js';
import { patchForwardButton } from './actions/patch-forward-button.js';

/** The ids routed by the one action listener and the one view listener: every id in the tables must match. */
export const ROUTED_IDS = /^hotfix_/;

/** A listener of any kind; each route's own argument type is checked where it is defined. */
type Route = (args: never) => Promise<void>;

/** The buttons and forms this version answers, by `action_id` and `callback_id`. */
export function listenerRoutes(ctx: ListenerContext): {
  actions: ReadonlyMap<string, Route>;
  views: ReadonlyMap<string, Route>;
} {
  const actions = new Map<string, Route>([
    [ACTION_IDS.approve, approveButton(ctx)],
    [ACTION_IDS.reject, rejectButton(ctx)],
    [ACTION_IDS.acknowledgeBreakGlass, acknowledgeBreakGlassButton(ctx)],
    [ACTION_IDS.reviseOpen, reviseButton(ctx)],
    [ACTION_IDS.inputProceed, proceedButton(ctx)],
    [ACTION_IDS.inputAbort, abortButton(ctx)],
    [ACTION_IDS.cancel, cancelButton(ctx)],
    [ACTION_IDS.retry, retryButton(ctx)],
    [ACTION_IDS.resolve, resolveButton(ctx)],
    [ACTION_IDS.rollback, rollbackButton(ctx)],
    [ACTION_IDS.patchForward, patchForwardButton(ctx)],
    [ACTION_IDS.waiveForwardPort, waiveForwardPortButton(ctx)],
    [ACTION_IDS.extendMaintenance, extendMaintenanceButton(ctx)],
    [TRIAGE_ACTION_ID, triageCheckboxes(ctx)],
  ]);
  const views = new Map<string, Route>([
    [CALLBACK_IDS.planModal, planSubmission(ctx)],
    [CALLBACK_IDS.approveConfirm, approveConfirmed(ctx)],
    [CALLBACK_IDS.breakGlass, breakGlassSubmitted(ctx)],
    [CALLBACK_IDS.rejectReason, rejectSubmitted(ctx)],
    [CALLBACK_IDS.revise, reviseSubmitted(ctx)],
    [RESOLVE_CALLBACK_ID, resolveSubmitted(ctx)],
    [ROLLBACK_CALLBACK_ID, rollbackSubmitted(ctx)],
    [FORWARD_PORT_WAIVER_CALLBACK_ID, forwardPortWaived(ctx)],
  ]);
  return { actions, views };
}

/**
 * Every listener, registered in one place; the same for HTTP and Socket Mode. Buttons and forms are routed by id from
 * one Bolt listener each: Bolt runs every registered listener's matchers on every request, so thirty listeners cost
 * each request several times what one router does.
 */
export function registerListeners(app: App, ctx: ListenerContext): void {
  app.command('/hotfix', hotfixCommand(ctx));
  app.shortcut({ callback_id: CALLBACK_IDS.planHereShortcut, type: 'message_action' }, planHere(ctx));
  const { actions, views } = listenerRoutes(ctx);
  app.action({ type: 'block_actions', action_id: ROUTED_IDS }, async (args) => {
    const id = 'action_id' in args.action ? args.action.action_id : '';
    const route = actions.get(id);
    if (route) return route(args as never);
    // A button this version no longer has (an old message): acknowledged, so Slack shows no error, and logged.
    await args.ack();
    ctx.deps.log.warn(
      { action: id, user: args.body.user.id },
      'a click on a button this version does not have',
    );
  });
  app.view(ROUTED_IDS, async (args) => {
    const route = views.get(args.view.callback_id);
    if (route) return route(args as never);
    await args.ack();
    ctx.deps.log.warn({ view: args.view.callback_id }, 'a form this version does not have');
  });
  registerDirectoryEvents(app, ctx);
}
