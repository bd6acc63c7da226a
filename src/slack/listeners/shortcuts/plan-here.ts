import type { AllMiddlewareArgs, MessageShortcut, SlackShortcutMiddlewareArgs } from '@slack/bolt';
import { planModal } from '../../blocks/index.js';
import type { ListenerContext } from '../context.js';
import { modalContext } from '../views/modal-context.js';

type Args = SlackShortcutMiddlewareArgs<MessageShortcut> & AllMiddlewareArgs;

/** "Plan a hotfix here" on a message: the plan form, attached to that message's thread (the incident thread). */
export function planHere(ctx: ListenerContext) {
  return async ({ shortcut, ack, client }: Args): Promise<void> => {
    await ack();
    const threadTs = shortcut.message.thread_ts ?? shortcut.message.ts;
    const context = modalContext(ctx.deps.catalog, shortcut.channel.id, threadTs);
    try {
      await client.views.open({
        trigger_id: shortcut.trigger_id,
        view: planModal({ missing: ['services', 'client', 'env'] }, context),
      });
    } catch (error) {
      ctx.deps.log.error({ err: error, user: shortcut.user.id }, 'could not open the plan form');
      await ctx.deps.chat
        .tellUser(
          shortcut.channel.id,
          shortcut.user.id,
          'I could not open the plan form. Use `/hotfix plan` in this channel instead.',
        )
        .catch(() => undefined);
    }
  };
}
