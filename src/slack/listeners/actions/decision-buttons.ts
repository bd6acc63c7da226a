import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { PersonCommand } from '../../../domain/commands.js';
import type { Hotfix } from '../../../domain/hotfix.js';
import { Reason } from '../../../domain/reasons.js';
import type { Refusal } from '../../../domain/reasons.js';
import { act, breakGlassOffered, check } from '../../../workflow/act.js';
import {
  approveConfirmModal,
  breakGlassModal,
  readDecisionValue,
  refusalReply,
  rejectModal,
  revisePlanModal,
} from '../../blocks/index.js';
import type { ListenerContext } from '../context.js';
import { STORE_DOWN_TEXT, failureText } from '../failures.js';

type Args = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;

/** Where the click happened and who clicked. */
interface Click {
  user: string;
  channel: string;
  ts: string;
  triggerId: string;
  client: Args['client'];
}

/**
 * A decision button: ack at once, then check the person may act before opening any form, so "you can't" arrives
 * immediately and with who can. Every failure reaches the person who clicked.
 */
function decisionButton(
  ctx: ListenerContext,
  handle: (ctx: ListenerContext, h: Hotfix, planVersion: number, click: Click) => Promise<void>,
) {
  return async ({ ack, body, action, client }: Args): Promise<void> => {
    await ack();
    const channel = body.channel?.id ?? body.container.channel_id ?? '';
    const click: Click = {
      user: body.user.id,
      channel,
      ts: body.message?.ts ?? '',
      triggerId: body.trigger_id,
      client,
    };
    const tell = (text: string) => ctx.deps.chat.tellUser(channel, click.user, text).catch(() => undefined);
    if (!ctx.storeReady()) return void (await tell(STORE_DOWN_TEXT));
    try {
      const value = readDecisionValue(action.value);
      const hotfix = value ? await ctx.deps.store.load(value.ulid) : undefined;
      if (!value || !hotfix)
        return void (await tell(
          'That button no longer points at a hotfix. `/hotfix list` shows the active ones.',
        ));
      await handle(ctx, hotfix, value.planVersion, click);
    } catch (error) {
      ctx.deps.log.error(
        { err: error, action: action.action_id, user: body.user.id },
        'decision button failed',
      );
      await tell(failureText(error));
    }
  };
}

async function refuseTo(ctx: ListenerContext, click: Click, refusal: Refusal, hotfix: Hotfix): Promise<void> {
  await ctx.deps.chat.tellUser(click.channel, click.user, refusalReply(refusal, hotfix).text);
}

async function precheck(
  ctx: ListenerContext,
  hotfix: Hotfix,
  click: Click,
  command: PersonCommand,
): Promise<Refusal | undefined> {
  return check(ctx.deps, { userId: click.user, ref: { ulid: hotfix.ulid }, command, loaded: hotfix });
}

const where = (click: Click) => ({ noticeChannel: click.channel, noticeTs: click.ts });

/**
 * Approve: a confirmation form on production, at once elsewhere (the decision is its own check); the requester may
 * be offered break-glass.
 */
export const approveButton = (ctx: ListenerContext) =>
  decisionButton(ctx, async (c, hotfix, planVersion, click) => {
    const command = { type: 'approve' as const, planVersion };
    const ref = { ulid: hotfix.ulid };
    const production = hotfix.snapshot.env.production;
    const refusal = production
      ? await precheck(c, hotfix, click, command)
      : await approveNow(c, { userId: click.user, ref, command, loaded: hotfix });
    const glass = { userId: click.user, ref, planVersion };
    if (refusal?.code === Reason.SelfApproval && (await breakGlassOffered(c.deps, glass))) {
      return void (await click.client.views.open({
        trigger_id: click.triggerId,
        view: breakGlassModal(hotfix, where(click)),
      }));
    }
    if (refusal) return refuseTo(c, click, refusal, hotfix);
    if (production) {
      await click.client.views.open({
        trigger_id: click.triggerId,
        view: approveConfirmModal(hotfix, where(click)),
      });
    }
  });

async function approveNow(
  ctx: ListenerContext,
  action: Parameters<typeof act>[1],
): Promise<Refusal | undefined> {
  const outcome = await act(ctx.deps, action);
  return outcome.ok ? undefined : outcome.refusal;
}

/** Reject: asks for the reason first. */
export const rejectButton = (ctx: ListenerContext) =>
  decisionButton(ctx, async (c, hotfix, planVersion, click) => {
    const refusal = await precheck(c, hotfix, click, { type: 'reject', reason: 'check', planVersion });
    if (refusal) return refuseTo(c, click, refusal, hotfix);
    await click.client.views.open({ trigger_id: click.triggerId, view: rejectModal(hotfix, where(click)) });
  });

/** Acknowledge a break-glass approval afterwards (seed 001), by an approver other than whoever broke glass. */
export const acknowledgeBreakGlassButton = (ctx: ListenerContext) =>
  decisionButton(ctx, async (c, hotfix, _planVersion, click) => {
    const outcome = await act(c.deps, {
      userId: click.user,
      ref: { ulid: hotfix.ulid },
      command: { type: 'acknowledge_break_glass' },
      loaded: hotfix,
    });
    if (!outcome.ok) await refuseTo(c, click, outcome.refusal, hotfix);
  });

/** Edit plan: the requester (or an operator) changes services, tags, severity or reason; approvals start over. */
export const reviseButton = (ctx: ListenerContext) =>
  decisionButton(ctx, async (c, hotfix, planVersion, click) => {
    const refusal = await precheck(c, hotfix, click, {
      type: 'revise',
      services: hotfix.services,
      severity: hotfix.severity,
      planVersion,
    });
    if (refusal) return refuseTo(c, click, refusal, hotfix);
    await click.client.views.open({
      trigger_id: click.triggerId,
      view: revisePlanModal(hotfix, where(click)),
    });
  });
