import { notInChannelMessage, planModal, refusalMessage } from '../../blocks/index.js';
import { usageOf } from '../../../domain/command-grammar.js';
import { planHotfix } from '../../../workflow/plan-hotfix.js';
import type { ListenerContext } from '../context.js';
import type { Invocation, Reply, ReplyThen } from './reply.js';
import { ephemeral } from './reply.js';
import { modalContext } from '../views/modal-context.js';
import { plannedText, targetChecked } from './planned-text.js';

/** `/hotfix plan ...`: a complete plan is recorded; a plan with parts missing opens the form prefilled. */
export async function planCommand(
  ctx: ListenerContext,
  args: string,
  who: Invocation,
): Promise<Reply | ReplyThen> {
  const result = await planHotfix(ctx.deps, { userId: who.userId, channel: who.channel, text: args });
  switch (result.kind) {
    case 'planned':
      return {
        response_type: 'ephemeral',
        text: plannedText(result.hotfix, result.warnings, targetChecked(ctx, result.hotfix)),
      };
    case 'needs_form': {
      const view = planModal(
        { ...result.partial, problems: result.problems },
        modalContext(ctx.deps.catalog, who.channel),
      );
      // Opened after the ack: the trigger id lives 3 s from Slack's click, and the ack must not wait on Slack.
      return {
        reply: { response_type: 'ephemeral', text: 'Opening the plan form: fill in what is missing.' },
        afterAck: async () => void (await who.client.views.open({ trigger_id: who.triggerId, view })),
        ifThenFails: `I could not open the plan form, so nothing was planned. Type the whole plan instead: ${usageOf('plan')}`,
      };
    }
    case 'refused':
      return ephemeral(refusalMessage(result.problems, usageOf('plan')));
    case 'not_in_channel':
      return ephemeral(notInChannelMessage(result.channel));
  }
}
