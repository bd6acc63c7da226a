import type { App } from '@slack/bolt';
import type { ListenerContext } from './context.js';
import { hotfixCommand } from './commands/hotfix-command.js';
import { planHere } from './shortcuts/plan-here.js';
import { planSubmission } from './views/plan-submission.js';

/** Every listener, registered in one place; the same for HTTP and Socket Mode. */
export function registerListeners(app: App, ctx: ListenerContext): void {
  app.command('/hotfix', hotfixCommand(ctx));
  app.shortcut({ callback_id: 'plan_hotfix_here', type: 'message_action' }, planHere(ctx));
  app.view('hotfix_plan', planSubmission(ctx));
}
