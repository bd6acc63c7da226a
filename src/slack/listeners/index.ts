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
} from './views/decision-forms.js';
import {
  abortButton,
  cancelButton,
  proceedButton,
  resolveButton,
  rollbackButton,
  retryButton,
} from './actions/status-buttons.js';
import { RESOLVE_CALLBACK_ID } from '../blocks/resolve-modal.js';
import { ROLLBACK_CALLBACK_ID } from '../blocks/rollback-modal.js';
import { registerDirectoryEvents } from './events/directory-events.js';
import { TRIAGE_ACTION_ID } from '../blocks/triage-checklist.js';
import { triageCheckboxes } from './actions/triage-checkboxes.js';

/** Every listener, registered in one place; the same for HTTP and Socket Mode. */
export function registerListeners(app: App, ctx: ListenerContext): void {
  app.command('/hotfix', hotfixCommand(ctx));
  app.shortcut({ callback_id: 'plan_hotfix_here', type: 'message_action' }, planHere(ctx));
  app.view('hotfix_plan', planSubmission(ctx));
  app.action('hotfix_approve', approveButton(ctx));
  app.action('hotfix_reject', rejectButton(ctx));
  app.action('hotfix_ack_break_glass', acknowledgeBreakGlassButton(ctx));
  app.action('hotfix_revise_open', reviseButton(ctx));
  app.view('hotfix_approve_confirm', approveConfirmed(ctx));
  app.view('hotfix_break_glass', breakGlassSubmitted(ctx));
  app.view('hotfix_reject_reason', rejectSubmitted(ctx));
  app.view('hotfix_revise', reviseSubmitted(ctx));
  app.action('hotfix_input_proceed', proceedButton(ctx));
  app.action('hotfix_input_abort', abortButton(ctx));
  app.action('hotfix_cancel', cancelButton(ctx));
  app.action('hotfix_retry', retryButton(ctx));
  app.action('hotfix_resolve', resolveButton(ctx));
  app.view(RESOLVE_CALLBACK_ID, resolveSubmitted(ctx));
  app.action('hotfix_rollback', rollbackButton(ctx));
  app.view(ROLLBACK_CALLBACK_ID, rollbackSubmitted(ctx));
  registerDirectoryEvents(app, ctx);
  app.action(TRIAGE_ACTION_ID, triageCheckboxes(ctx));
}
