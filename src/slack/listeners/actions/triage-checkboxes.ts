import type {
  AllMiddlewareArgs,
  BlockAction,
  CheckboxesAction,
  SlackActionMiddlewareArgs,
} from '@slack/bolt';
import { act } from '../../../workflow/act.js';
import { readTriageOption, refusalReply } from '../../blocks/index.js';
import type { ListenerContext } from '../context.js';
import { STORE_DOWN_TEXT, failureText } from '../failures.js';

type Args = SlackActionMiddlewareArgs<BlockAction<CheckboxesAction>> & AllMiddlewareArgs;

/**
 * A tick (or untick) on the plan's triage checklist: ack at once, then record the ticked set; each changed item is
 * an audited event and the plan and notice are redrawn by the workflow. Someone who may not tick is told why.
 */
export const triageCheckboxes =
  (ctx: ListenerContext) =>
  async ({ ack, body, action, logger }: Args): Promise<void> => {
    await ack();
    const channel = body.channel?.id ?? body.container.channel_id ?? '';
    const tell = (text: string) => ctx.deps.chat.tellUser(channel, body.user.id, text).catch(() => undefined);
    if (!ctx.storeReady()) return void (await tell(STORE_DOWN_TEXT));
    try {
      // Every option names the hotfix; with none ticked, the checklist in the message does.
      const fromBlocks =
        action.selected_options.map((o) => readTriageOption(o.value)?.ulid).find(Boolean) ??
        ulidFromMessage(body.message?.['blocks']);
      if (!fromBlocks) return void (await tell('That checklist no longer points at a hotfix.'));
      const ticked = action.selected_options.flatMap((o) => {
        const item = readTriageOption(o.value)?.item;
        return item ? [item] : [];
      });
      const outcome = await act(ctx.deps, {
        userId: body.user.id,
        ref: { ulid: fromBlocks },
        command: { type: 'tick_triage', ticked },
      });
      if (!outcome.ok) await tell(refusalReply(outcome.refusal, outcome.hotfix).text);
    } catch (error) {
      logger.error({ err: error, action: action.action_id }, 'triage tick failed');
      await tell(failureText(error));
    }
  };

/** With every box unticked, Slack sends no option: the hotfix is read from the checklist in the message. */
function ulidFromMessage(blocks: unknown): string | undefined {
  const text = JSON.stringify(blocks ?? []);
  const value = /"value":"([0-9A-HJKMNP-TV-Z]{26}\.[a-z_]+)"/.exec(text)?.[1];
  return readTriageOption(value)?.ulid;
}
