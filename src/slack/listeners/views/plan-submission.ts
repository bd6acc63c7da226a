import type { AckFn, AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewResponseAction } from '@slack/bolt';
import { modalErrors, readPlanModal } from '../../blocks/index.js';
import { planHotfix } from '../../../workflow/plan-hotfix.js';
import type { ListenerContext } from '../context.js';
import { STORE_DOWN_TEXT, failureText } from '../failures.js';
import { ackOnce } from '../ack-once.js';
import { plannedText, targetChecked } from '../commands/planned-text.js';

type Args = SlackViewMiddlewareArgs & AllMiddlewareArgs;

/** Where the form was opened from, carried in `private_metadata`. */
interface FormOrigin {
  channel: string;
  threadTs?: string;
  /** A patch forward: the ULID of the failed hotfix the plan replaces. */
  supersedes?: string;
}

function originOf(metadata: string): FormOrigin | undefined {
  try {
    const value = JSON.parse(metadata) as Partial<Record<keyof FormOrigin, unknown>>;
    if (typeof value.channel !== 'string') return undefined;
    return {
      channel: value.channel,
      ...(typeof value.threadTs === 'string' ? { threadTs: value.threadTs } : {}),
      ...(typeof value.supersedes === 'string' && value.supersedes !== ''
        ? { supersedes: value.supersedes }
        : {}),
    };
  } catch {
    return undefined;
  }
}

/**
 * The plan form submitted: the same parser as the slash command checks it; problems go back onto the form's fields
 * (`response_action: errors`) so nothing typed is lost.
 */
export function planSubmission(ctx: ListenerContext) {
  return async ({ ack: slackAck, view, body }: Args): Promise<void> => {
    const ack = ackOnce(slackAck as AckFn<ViewResponseAction>);
    const origin = originOf(view.private_metadata);
    if (!origin)
      return ack({
        response_action: 'errors',
        errors: { services: 'This form lost track of its channel; close it and run /hotfix plan again.' },
      });
    if (!ctx.storeReady()) return ack({ response_action: 'errors', errors: { services: STORE_DOWN_TEXT } });
    try {
      const { text } = readPlanModal(view.state.values);
      const result = await planHotfix(ctx.deps, { userId: body.user.id, ...origin, text });
      if (result.kind === 'planned') {
        await ack();
        await ctx.deps.chat.tellUser(
          origin.channel,
          body.user.id,
          plannedText(result.hotfix, result.warnings, targetChecked(ctx, result.hotfix)),
        );
        return;
      }
      if (result.kind === 'not_in_channel') {
        return ack({
          response_action: 'errors',
          errors: {
            services: `I am not in <#${origin.channel}>: type /invite @hotfix-bot there, then submit again.`,
          },
        });
      }
      return ack({ response_action: 'errors', errors: modalErrors(result.problems) });
    } catch (error) {
      ctx.deps.log.error({ err: error, user: body.user.id }, 'plan form failed');
      await ack({ response_action: 'errors', errors: { services: failureText(error) } });
    }
  };
}
