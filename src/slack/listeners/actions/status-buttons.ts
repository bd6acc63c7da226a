import type { ModalView } from '@slack/types';
import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { PersonCommand } from '../../../domain/commands.js';
import type { Hotfix } from '../../../domain/hotfix.js';
import { act } from '../../../workflow/act.js';
import { readHotfixValue, readInputValue, refusalReply } from '../../blocks/index.js';
import { resolveModal } from '../../blocks/resolve-modal.js';
import type { NoticeRef } from '../../blocks/interaction-ids.js';
import { rollbackFormFor } from '../rollback-form.js';
import { forwardPortWaiverModal } from '../../blocks/forward-port-modal.js';
import type { ListenerContext } from '../context.js';
import { STORE_DOWN_TEXT, failureText } from '../failures.js';

type Args = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;

/** A form a button opens, or the sentence saying why this person cannot have it. */
type Form = (
  hotfix: Hotfix,
  from: NoticeRef,
  userId: string,
) => ModalView | string | Promise<ModalView | string>;

/** A button on the live status message: ack at once, decide, tell the clicker only when something was refused. */
function statusButton(
  ctx: ListenerContext,
  toCommand: (args: Args, hotfix: Hotfix) => PersonCommand | { form: Form } | undefined,
  read: (value: string | undefined) => { ulid: string } | undefined = readHotfixValue,
) {
  return async (args: Args): Promise<void> => {
    const { ack, body, action, client } = args;
    await ack();
    const channel = body.channel?.id ?? body.container.channel_id ?? '';
    const tell = (text: string) => ctx.deps.chat.tellUser(channel, body.user.id, text).catch(() => undefined);
    if (!ctx.storeReady()) return void (await tell(STORE_DOWN_TEXT));
    try {
      const value = read(action.value);
      const hotfix = value ? await ctx.deps.store.load(value.ulid) : undefined;
      if (!value || !hotfix)
        return void (await tell(
          'That button no longer points at a hotfix. `/hotfix list` shows the active ones.',
        ));
      const command = toCommand(args, hotfix);
      if (command && 'form' in command) {
        const from = { noticeChannel: channel, noticeTs: body.message?.ts ?? '' };
        const view = await command.form(hotfix, from, body.user.id);
        if (typeof view === 'string') return void (await tell(view));
        return void (await client.views.open({ trigger_id: body.trigger_id, view }));
      }
      if (!command) return;
      const outcome = await act(ctx.deps, { userId: body.user.id, ref: { ulid: hotfix.ulid }, command });
      if (!outcome.ok) await tell(refusalReply(outcome.refusal, outcome.hotfix).text);
    } catch (error) {
      ctx.deps.log.error(
        { err: error, action: action.action_id, user: body.user.id },
        'status button failed',
      );
      await tell(failureText(error));
    }
  };
}

const answer = (proceed: boolean) => (ctx: ListenerContext) =>
  statusButton(
    ctx,
    ({ action }) => {
      const input = readInputValue(action.value);
      return input ? { type: 'answer_input', inputId: input.inputId, proceed } : undefined;
    },
    readInputValue,
  );

/** Proceed at the deploy's input step. */
export const proceedButton = answer(true);
/** Abort at the deploy's input step: the deploy is aborted and the hotfix cancelled. */
export const abortButton = answer(false);
/** Cancel from the status message (Slack's confirm dialog has already asked). */
export const cancelButton = (ctx: ListenerContext) =>
  statusButton(ctx, () => ({
    type: 'cancel',
    // Who clicked is on the event; the reason says where, without naming them twice.
    reason: 'Cancel clicked on the live status message',
  }));
/** Extend maintenance: the maintenance window ends an hour from now (domain EXTENSION_MINUTES). */
export const extendMaintenanceButton = (ctx: ListenerContext) =>
  statusButton(ctx, () => ({ type: 'extend_maintenance' }));
/** Retry a failed deploy. */
export const retryButton = (ctx: ListenerContext) => statusButton(ctx, () => ({ type: 'retry' }));
/** Resolved manually: asks what was done first. */
export const resolveButton = (ctx: ListenerContext) => statusButton(ctx, () => ({ form: resolveModal }));
/**
 * Rollback (live status, failure reply, change-control notice): for people allowed to roll back, a confirmation naming
 * what it returns to and any later hotfix it would undo, and the reason.
 */
export const rollbackButton = (ctx: ListenerContext) =>
  statusButton(ctx, () => ({
    form: (hotfix, from, userId) => rollbackFormFor(ctx, hotfix, userId, from),
  }));
/** Not needed on main, on a forward-port reply: asks why first. */
export const waiveForwardPortButton = (ctx: ListenerContext) =>
  statusButton(ctx, () => ({ form: forwardPortWaiverModal }));
