import type { AckFn, AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewResponseAction } from '@slack/bolt';
import type { PersonCommand } from '../../../domain/commands.js';
import { parsePlan } from '../../../domain/plan-grammar.js';
import { act } from '../../../workflow/act.js';
import {
  readDecisionMetadata,
  readReason,
  readRevision,
  refusalReply,
  reviseModalErrors,
} from '../../blocks/index.js';
import type { ListenerContext } from '../context.js';
import { STORE_DOWN_TEXT, failureText } from '../failures.js';
import { ackOnce } from '../ack-once.js';

type Args = SlackViewMiddlewareArgs & AllMiddlewareArgs;
type Metadata = NonNullable<ReturnType<typeof readDecisionMetadata>>;

/**
 * A decision form submitted. Problems a person can fix go back onto the form (`response_action: errors` on
 * `errorBlock`); anything else closes the form and is told as an ephemeral message where the button was.
 */
type FormResult = PersonCommand | { errors: Record<string, string> };

function decisionForm(
  ctx: ListenerContext,
  errorBlock: string,
  toCommand: (args: Args, meta: Metadata) => FormResult | Promise<FormResult>,
) {
  return async (args: Args): Promise<void> => {
    const { view, body } = args;
    const ack = ackOnce(args.ack as AckFn<ViewResponseAction>);
    const meta = readDecisionMetadata(view.private_metadata);
    // A form without inputs cannot show errors: close it and say why where the button was.
    const fail = async (text: string) => {
      if (errorBlock) return void (await ack({ response_action: 'errors', errors: { [errorBlock]: text } }));
      await ack();
      if (meta?.noticeChannel)
        await ctx.deps.chat.tellUser(meta.noticeChannel, body.user.id, text).catch(() => undefined);
    };
    if (!meta) return fail('This form lost track of its hotfix; close it and click the button again.');
    if (!ctx.storeReady()) return fail(STORE_DOWN_TEXT);
    try {
      const command = await toCommand(args, meta);
      if ('errors' in command) return void (await ack({ response_action: 'errors', errors: command.errors }));
      const outcome = await act(ctx.deps, { userId: body.user.id, ref: { ulid: meta.ulid }, command });
      if (outcome.ok) return void (await ack());
      await ack();
      if (meta.noticeChannel)
        await ctx.deps.chat.tellUser(
          meta.noticeChannel,
          body.user.id,
          refusalReply(outcome.refusal, outcome.hotfix).text,
        );
    } catch (error) {
      ctx.deps.log.error({ err: error, form: view.callback_id, user: body.user.id }, 'decision form failed');
      await fail(failureText(error));
    }
  };
}

/** The production approval, confirmed. */
export const approveConfirmed = (ctx: ListenerContext) =>
  decisionForm(ctx, '', (_args, meta) => ({ type: 'approve', planVersion: meta.planVersion }));

/** Break-glass: the requester approves alone, with a reason that goes on the record. */
export const breakGlassSubmitted = (ctx: ListenerContext) =>
  decisionForm(ctx, 'reason', ({ view }, meta) => {
    const reason = readReason(view.state.values);
    if (reason.length < 10)
      return {
        errors: {
          reason: 'Say why this cannot wait for an approver (at least a sentence); it goes on the record.',
        },
      };
    return { type: 'approve', planVersion: meta.planVersion, breakGlassReason: reason };
  });

/** Reject, with its reason. */
export const rejectSubmitted = (ctx: ListenerContext) =>
  decisionForm(ctx, 'reason', ({ view }, meta) => {
    const reason = readReason(view.state.values);
    if (reason === '') return { errors: { reason: 'Say why, so the requester knows what to change.' } };
    return { type: 'reject', reason, planVersion: meta.planVersion };
  });

/** A changed plan: parsed like any plan, for the same client and env (a new target is a new plan). */
export const reviseSubmitted = (ctx: ListenerContext) =>
  decisionForm(ctx, 'services', async ({ view }, meta) => {
    const hotfix = await ctx.deps.store.load(meta.ulid);
    if (!hotfix) return { errors: { services: 'This hotfix no longer exists.' } };
    const { text } = readRevision(view.state.values, { client: hotfix.client, env: hotfix.env });
    const parsed = parsePlan(text, ctx.deps.catalog);
    if (!parsed.ok) return { errors: reviseModalErrors(parsed.problems) };
    const { plan } = parsed;
    return {
      type: 'revise',
      services: plan.services.map((s) => ({ ...s, method: plan.method })),
      severity: plan.severity,
      ...(plan.reason !== undefined ? { reason: plan.reason } : {}),
      planVersion: meta.planVersion,
    };
  });

/** A rollback, confirmed with its reason. */
export const rollbackSubmitted = (ctx: ListenerContext) =>
  decisionForm(ctx, 'reason', ({ view }) => {
    const reason = readReason(view.state.values);
    if (reason.length === 0)
      return { errors: { reason: 'Say why; it goes on the record and in the thread.' } };
    return { type: 'rollback', reason };
  });

/** Resolved by hand, with what was done. */
export const resolveSubmitted = (ctx: ListenerContext) =>
  decisionForm(ctx, 'reason', ({ view }) => {
    const reason = readReason(view.state.values);
    if (reason.length < 10)
      return {
        errors: {
          reason: 'Say what was done and whether the environment is healthy; it goes on the record.',
        },
      };
    return { type: 'resolve', reason };
  });

/** The fix need not come back to the default branch, with why. */
export const forwardPortWaived = (ctx: ListenerContext) =>
  decisionForm(ctx, 'reason', ({ view }) => {
    const reason = readReason(view.state.values);
    if (reason.length < 5)
      return { errors: { reason: 'Say why the fix is not needed on main; it goes on the record.' } };
    return { type: 'waive_forward_port', reason };
  });
