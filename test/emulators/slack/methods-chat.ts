/**
 * chat.* methods, with Slack's rules: the bot must be in the channel, a thread must exist, blocks must pass Block
 * Kit's limits, and only the bot's own messages can be edited.
 */
import { messageBlocks } from './block-rules.js';
import { messageToWire, parseMetadata, resolveThread, storeMessage } from './messages.js';
import type { SlackState } from './state.js';
import type { EmulatedMessage, JsonObject } from './types.js';
import { SlackFailure, flag, optionalString, requiredString } from './wire.js';

/** A Web API method: arguments in, the `ok: true` body out, or a thrown SlackFailure. */
export type MethodHandler = (state: SlackState, args: JsonObject) => JsonObject;

const MAX_TEXT = 40_000;

/** The channel an argument names: an id, or a `#name` as chat.postMessage also accepts. */
export function channelArg(state: SlackState, args: JsonObject, key = 'channel'): string {
  const value = requiredString(args, key, 'channel_not_found');
  return state.findChannel(value)?.id ?? value;
}

function content(args: JsonObject): { text: string; blocks?: JsonObject[] } {
  const blocks = messageBlocks(args);
  const text = optionalString(args, 'text') ?? '';
  if (text === '' && blocks === undefined && args['attachments'] === undefined)
    throw new SlackFailure('no_text');
  if (text.length > MAX_TEXT) throw new SlackFailure('msg_too_long');
  return blocks === undefined ? { text } : { text, blocks };
}

const postMessage: MethodHandler = (state, args) => {
  const channel = state.joinedChannel(channelArg(state, args)).id;
  const body = content(args);
  const metadata = parseMetadata(args['metadata']);
  const threadArg = optionalString(args, 'thread_ts');
  const threadTs = threadArg === undefined ? undefined : resolveThread(state, channel, threadArg);
  const { bot } = state.config;
  const message: EmulatedMessage = {
    channel,
    ts: state.nextTs(),
    user: bot.userId,
    bot_id: bot.botId,
    ...body,
    edits: [],
    source: 'api',
  };
  if (threadTs !== undefined) message.thread_ts = threadTs;
  if (threadTs !== undefined && flag(args, 'reply_broadcast')) message.reply_broadcast = true;
  if (metadata !== undefined) message.metadata = metadata;
  storeMessage(state, message);
  state.writes += 1;
  return { channel, ts: message.ts, message: messageToWire(state, message, true) };
};

const update: MethodHandler = (state, args) => {
  const channel = state.visibleChannel(channelArg(state, args)).id;
  const message = state.findMessage(channel, requiredString(args, 'ts', 'message_not_found'));
  if (!message) throw new SlackFailure('message_not_found');
  if (message.bot_id !== state.config.bot.botId) throw new SlackFailure('cant_update_message');
  const blocks = messageBlocks(args);
  const text = optionalString(args, 'text');
  if (text === undefined && blocks === undefined && args['attachments'] === undefined)
    throw new SlackFailure('no_text');
  if (text !== undefined && text.length > MAX_TEXT) throw new SlackFailure('msg_too_long');
  const metadata = parseMetadata(args['metadata']);
  const previous = { text: message.text, replacedAt: state.nextTs() };
  message.edits.push(message.blocks === undefined ? previous : { ...previous, blocks: message.blocks });
  // Slack keeps whichever of text and blocks the update leaves out.
  if (text !== undefined) message.text = text;
  if (blocks !== undefined) message.blocks = blocks;
  if (metadata !== undefined) message.metadata = metadata;
  state.writes += 1;
  return { channel, ts: message.ts, text: message.text, message: messageToWire(state, message, true) };
};

const postEphemeral: MethodHandler = (state, args) => {
  const channel = state.joinedChannel(channelArg(state, args)).id;
  const user = state.user(requiredString(args, 'user', 'user_not_found')).id;
  const body = content(args);
  const ts = state.nextTs();
  const threadTs = optionalString(args, 'thread_ts');
  state.ephemerals.push({
    channel,
    user,
    ts,
    ...body,
    ...(threadTs !== undefined ? { thread_ts: threadTs } : {}),
    replaced: 0,
    source: 'api',
  });
  return { message_ts: ts };
};

const getPermalink: MethodHandler = (state, args) => {
  const channel = state.visibleChannel(channelArg(state, args)).id;
  const message = state.findMessage(channel, requiredString(args, 'message_ts', 'message_not_found'));
  if (!message) throw new SlackFailure('message_not_found');
  const base = `https://${state.config.team.domain}.slack.com/archives/${channel}/p${message.ts.replace('.', '')}`;
  const isReply = message.thread_ts !== undefined && message.thread_ts !== message.ts;
  return {
    channel,
    permalink: isReply ? `${base}?thread_ts=${message.thread_ts}&cid=${channel}` : base,
  };
};

const deleteMessage: MethodHandler = (state, args) => {
  const channel = state.visibleChannel(channelArg(state, args)).id;
  const message = state.findMessage(channel, requiredString(args, 'ts', 'message_not_found'));
  if (!message) throw new SlackFailure('message_not_found');
  if (message.bot_id !== state.config.bot.botId) throw new SlackFailure('cant_delete_message');
  message.deleted = true;
  return { channel, ts: message.ts };
};

/** The chat.* methods by name. */
export const chatMethods: Record<string, MethodHandler> = {
  'chat.postMessage': postMessage,
  'chat.update': update,
  'chat.postEphemeral': postEphemeral,
  'chat.getPermalink': getPermalink,
  'chat.delete': deleteMessage,
};
