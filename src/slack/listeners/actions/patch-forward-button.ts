import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { readHotfixValue, refusalReply } from '../../blocks/index.js';
import type { ListenerContext } from '../context.js';
import { STORE_DOWN_TEXT, failureText } from '../failures.js';
import { patchForwardForm } from '../views/patch-forward-form.js';

type Args = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;

/**
 * "Patch forward" on a failed hotfix's live status: ack, then open the plan form prefilled for the same client and
 * env, for whoever may retry the hotfix; anyone else is told why at once instead of filling in a form in vain.
 */
export const patchForwardButton =
  (ctx: ListenerContext) =>
  async ({ ack, body, action, client }: Args): Promise<void> => {
    await ack();
    const channel = body.channel?.id ?? body.container.channel_id ?? '';
    const tell = (text: string) => ctx.deps.chat.tellUser(channel, body.user.id, text).catch(() => undefined);
    if (!ctx.storeReady()) return void (await tell(STORE_DOWN_TEXT));
    try {
      const value = readHotfixValue(action.value);
      if (!value)
        return void (await tell(
          'That button no longer points at a hotfix. `/hotfix list` shows the active ones.',
        ));
      const form = await patchForwardForm(ctx, body.user.id, { ulid: value.ulid });
      if (!form.ok) return void (await tell(refusalReply(form.refusal).text));
      await client.views.open({ trigger_id: body.trigger_id, view: form.view });
    } catch (error) {
      ctx.deps.log.error(
        { err: error, action: action.action_id, user: body.user.id },
        'patch forward button failed',
      );
      await tell(failureText(error));
    }
  };
