import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { parseHotfixCommand } from '../../../domain/command-grammar.js';
import type { ValidCommand } from '../../../domain/command-grammar.js';
import { subcommandUnavailable } from '../../../domain/command-usage.js';
import { helpMessage, listMessage, refusalMessage, statusMessage } from '../../blocks/index.js';
import { activeHotfixes, hotfixStatus } from '../../../workflow/queries.js';
import { cancelHotfix } from '../../../workflow/cancel-hotfix.js';
import { act } from '../../../workflow/act.js';
import type { OverrideResult } from '../../../workflow/overrides.js';
import { pauseDeploys, resumeDeploys, unlockEnvironment } from '../../../workflow/overrides.js';
import type { Outcome } from '../../../workflow/transact.js';
import type { ListenerContext } from '../context.js';
import { STORE_DOWN_TEXT, failureText } from '../failures.js';
import { ackOnce } from '../ack-once.js';
import { planCommand } from './plan-command.js';
import type { Invocation, Reply, ReplyThen } from './reply.js';
import { ephemeral } from './reply.js';
import { rollbackFormFor } from '../rollback-form.js';
import { threadOf } from '../../../domain/hotfix.js';
import { patchForwardForm } from '../views/patch-forward-form.js';
import { planBranch, runBranch } from '../../../workflow/branch-command.js';

type Args = SlackCommandMiddlewareArgs & AllMiddlewareArgs;

/**
 * `/hotfix ...`: parse, then do the quick part (validate, record, enqueue) and answer in the ack, well within Slack's
 * 3 seconds. Every failure ends as a message to the person, never as silence.
 */
export function hotfixCommand(ctx: ListenerContext) {
  return async ({ command, ack: slackAck, client, respond }: Args): Promise<void> => {
    const ack = ackOnce(slackAck);
    const parsed = parseHotfixCommand(command.text);
    if (parsed.kind === 'invalid') return ack(ephemeral(refusalMessage(parsed.problems, parsed.usage)));
    if (parsed.kind === 'help') return ack(ephemeral(helpMessage()));
    if (!ctx.storeReady()) return ack({ response_type: 'ephemeral', text: STORE_DOWN_TEXT });
    try {
      const answer = await dispatch(ctx, parsed, {
        userId: command.user_id,
        channel: command.channel_id,
        triggerId: command.trigger_id,
        client,
      });
      if (!('afterAck' in answer)) return await ack(answer);
      await ack(answer.reply);
      await answer
        .afterAck(async (reply) => void (await respond(reply)))
        .catch(async (error: unknown) => {
          ctx.deps.log.error({ err: error, subcommand: parsed.kind }, 'follow-up after the ack failed');
          await respond({ response_type: 'ephemeral', text: answer.ifThenFails });
        });
    } catch (error) {
      ctx.deps.log.error(
        { err: error, subcommand: parsed.kind, user: command.user_id, channel: command.channel_id },
        'slash command failed',
      );
      await ack({ response_type: 'ephemeral', text: failureText(error) });
    }
  };
}

async function dispatch(
  ctx: ListenerContext,
  parsed: Exclude<ValidCommand, { kind: 'help' }>,
  who: Invocation,
): Promise<Reply | ReplyThen> {
  switch (parsed.kind) {
    case 'plan':
      return planCommand(ctx, parsed.args, who);
    case 'status': {
      if (parsed.id === undefined) return ephemeral(listMessage(await activeHotfixes(ctx.deps, who.channel)));
      const found = await hotfixStatus(ctx.deps, parsed.id);
      if (!found)
        return {
          response_type: 'ephemeral',
          text: `There is no hotfix ${parsed.id}. \`/hotfix list\` shows the active ones.`,
        };
      return ephemeral(statusMessage(found.hotfix, found.events));
    }
    case 'list':
      return ephemeral(listMessage(await activeHotfixes(ctx.deps)));
    case 'cancel': {
      const outcome = await cancelHotfix(ctx.deps, {
        userId: who.userId,
        id: parsed.id,
        reason: parsed.why,
      });
      if (!outcome.ok) return { response_type: 'ephemeral', text: `:no_entry: ${outcome.refusal.message}` };
      const pending = outcome.hotfix.state !== 'cancelled';
      return {
        response_type: 'ephemeral',
        text: pending
          ? `Cancelling ${parsed.id}: the deploy is being aborted.`
          : `${parsed.id} is cancelled.`,
      };
    }
    case 'retry':
      return said(
        await act(ctx.deps, { userId: who.userId, ref: { id: parsed.id }, command: { type: 'retry' } }),
        `${parsed.id} is deploying again.`,
      );
    case 'rollback':
      return rollbackForm(ctx, parsed.id, who);
    case 'patch':
      return patchForm(ctx, parsed.id, who);
    case 'resolve':
      return said(
        await act(ctx.deps, {
          userId: who.userId,
          ref: { id: parsed.id },
          command: { type: 'resolve', reason: parsed.why },
        }),
        `${parsed.id} is marked resolved.`,
      );
    case 'handoff':
      return said(
        await act(ctx.deps, {
          userId: who.userId,
          ref: { id: parsed.id },
          command: { type: 'handoff', to: parsed.to },
        }),
        `${parsed.id} now belongs to <@${parsed.to}>.`,
      );
    case 'unlock':
      return overridden(
        await unlockEnvironment(ctx.deps, {
          userId: who.userId,
          client: parsed.client,
          env: parsed.env,
          reason: parsed.why,
        }),
      );
    case 'not-needed':
      return said(
        await act(ctx.deps, {
          userId: who.userId,
          ref: { id: parsed.id },
          command: { type: 'waive_forward_port', reason: parsed.why },
        }),
        `The fix of ${parsed.id} is recorded as not needed on main; its forward-port reminders stop.`,
      );
    case 'branch':
      return branchCommand(ctx, parsed);
    case 'pause':
      return overridden(await pauseDeploys(ctx.deps, { userId: who.userId, reason: parsed.why }));
    case 'resume':
      return overridden(await resumeDeploys(ctx.deps, { userId: who.userId }));
    default:
      return { response_type: 'ephemeral', text: subcommandUnavailable(parsed.kind).message };
  }
}

/**
 * `/hotfix rollback HF-n`: the confirmation form (opened after the ack), which names what the rollback returns to and
 * any later hotfix it would undo; the rollback itself is decided when it is submitted. Whether this person may roll
 * this hotfix back now is checked first, from what Redis holds.
 */
async function rollbackForm(ctx: ListenerContext, id: string, who: Invocation): Promise<Reply | ReplyThen> {
  const hotfix = await ctx.deps.store.findById(id);
  if (!hotfix)
    return {
      response_type: 'ephemeral',
      text: `There is no hotfix ${id}. \`/hotfix list\` shows the active ones.`,
    };
  // Where a refusal on submit is told: the channel the command came from, by the hotfix's thread (a form's notice
  // reference is a pair of non-empty ids, or none).
  const thread = threadOf(hotfix);
  const from = thread ? { noticeChannel: who.channel, noticeTs: thread } : undefined;
  const view = await rollbackFormFor(ctx, hotfix, who.userId, from);
  if (typeof view === 'string') return { response_type: 'ephemeral', text: view };
  return {
    reply: { response_type: 'ephemeral', text: `Opening the rollback form for ${id}.` },
    afterAck: async () => void (await who.client.views.open({ trigger_id: who.triggerId, view })),
    ifThenFails: `I could not open the rollback form, so nothing was rolled back. Use the Rollback button on the live status of ${id}.`,
  };
}

/**
 * `/hotfix patch HF-n`: the plan form of a patch forward (opened after the ack), prefilled from the failed hotfix;
 * the failed hotfix is superseded only when the plan submitted from it is approved.
 */
async function patchForm(ctx: ListenerContext, id: string, who: Invocation): Promise<Reply | ReplyThen> {
  const form = await patchForwardForm(ctx, who.userId, { id });
  if (!form.ok) return { response_type: 'ephemeral', text: `:no_entry: ${form.refusal.message}` };
  return {
    reply: {
      response_type: 'ephemeral',
      text: `Opening the patch-forward plan for ${id}: change the tag to the fixed build and post it. It is planned in the incident thread of ${id}.`,
    },
    afterAck: async () => void (await who.client.views.open({ trigger_id: who.triggerId, view: form.view })),
    ifThenFails: `I could not open the plan form, so nothing was planned. Click *Patch forward* on the live status of ${id} instead.`,
  };
}

/**
 * `/hotfix branch`: what the records and the catalog can refuse is answered in the ack; GitHub is asked after it, and
 * the answer (the branch link, or why not) comes through the command's response_url.
 */
async function branchCommand(
  ctx: ListenerContext,
  parsed: Extract<ValidCommand, { kind: 'branch' }>,
): Promise<Reply | ReplyThen> {
  const planned = await planBranch(ctx.deps, parsed);
  if (!planned.ok) return { response_type: 'ephemeral', text: `:no_entry: ${planned.message}` };
  const { plan } = planned;
  return {
    reply: {
      response_type: 'ephemeral',
      text: `Creating ${plan.branch} in ${plan.repo} from ${plan.service} ${plan.runningTag} (running in ${plan.client} ${plan.env})…`,
    },
    afterAck: async (respond) => {
      const answer = await runBranch(ctx.deps, plan);
      await respond({ response_type: 'ephemeral', text: answer.text });
    },
    ifThenFails: `${plan.branch} could not be created because of an error in the bot; nothing was pushed. Try again in a minute.`,
  };
}

function said(outcome: Outcome, done: string): Reply {
  if (!outcome.ok) return { response_type: 'ephemeral', text: `:no_entry: ${outcome.refusal.message}` };
  return {
    response_type: 'ephemeral',
    text: outcome.events.length > 0 ? `:white_check_mark: ${done}` : 'Nothing to do: that is already so.',
  };
}

function overridden(result: OverrideResult): Reply {
  return {
    response_type: 'ephemeral',
    text: result.ok ? `:white_check_mark: ${result.message}` : `:no_entry: ${result.refusal.message}`,
  };
}
