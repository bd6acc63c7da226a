/**
 * Messages as Slack stores and returns them: thread bookkeeping, and the wire shape conversations.history,
 * conversations.replies and chat.* answer with.
 */
import type { SlackState } from './state.js';
import type { EmulatedMessage, JsonObject, MessageMetadata, MessageThread } from './types.js';
import { SlackFailure, isJsonObject } from './wire.js';

/** The replies of the thread rooted at `rootTs`, oldest first. */
export function repliesOf(state: SlackState, channel: string, rootTs: string): EmulatedMessage[] {
  return state
    .channelMessages(channel)
    .filter((m) => m.deleted !== true && m.thread_ts === rootTs && m.ts !== rootTs);
}

/** Roots of a channel with their replies, oldest first. */
export function threadsOf(state: SlackState, channel: string): MessageThread[] {
  return state
    .channelMessages(channel)
    .filter((m) => m.deleted !== true && (m.thread_ts === undefined || m.thread_ts === m.ts))
    .map((root) => ({
      ...structuredClone(root),
      replies: structuredClone(repliesOf(state, channel, root.ts)),
    }));
}

/** Adds a message in ts order; a reply marks its root as a thread root, as Slack does. */
export function storeMessage(state: SlackState, message: EmulatedMessage): EmulatedMessage {
  const list = state.channelMessages(message.channel);
  list.push(message);
  list.sort((a, b) => compareTs(a.ts, b.ts));
  if (message.thread_ts !== undefined && message.thread_ts !== message.ts) {
    const root = state.findMessage(message.channel, message.thread_ts);
    if (root) root.thread_ts = root.ts;
  }
  return message;
}

/** Orders Slack timestamps (`seconds.micro`) numerically. */
export function compareTs(a: string, b: string): number {
  const [as = '0', af = '0'] = a.split('.');
  const [bs = '0', bf = '0'] = b.split('.');
  return Number(as) - Number(bs) || Number(af.padEnd(6, '0')) - Number(bf.padEnd(6, '0'));
}

/** The thread root a `thread_ts` names; a reply's ts resolves to its root; anything else -> `thread_not_found`. */
export function resolveThread(state: SlackState, channel: string, threadTs: string): string {
  const target = state.findMessage(channel, threadTs);
  if (!target) throw new SlackFailure('thread_not_found');
  return target.thread_ts ?? target.ts;
}

/** Checks `metadata` the way chat.postMessage does. */
export function parseMetadata(value: unknown): MessageMetadata | undefined {
  if (value === undefined || value === '') return undefined;
  if (
    !isJsonObject(value) ||
    typeof value['event_type'] !== 'string' ||
    !isJsonObject(value['event_payload'])
  ) {
    throw new SlackFailure('invalid_metadata_format');
  }
  if (!/^[a-zA-Z0-9_]+$/.test(value['event_type'])) throw new SlackFailure('invalid_metadata_schema');
  return { event_type: value['event_type'], event_payload: value['event_payload'] };
}

/** A message as the Web API returns it. */
export function messageToWire(state: SlackState, m: EmulatedMessage, withMetadata: boolean): JsonObject {
  const { bot, team } = state.config;
  const wire: JsonObject = { type: 'message', ts: m.ts, text: m.text, team: team.id };
  if (m.user !== undefined) wire['user'] = m.user;
  if (m.bot_id !== undefined) {
    wire['bot_id'] = m.bot_id;
    wire['app_id'] = bot.appId;
    wire['bot_profile'] = { id: bot.botId, app_id: bot.appId, name: bot.name, team_id: team.id };
  }
  if (m.blocks !== undefined) wire['blocks'] = structuredClone(m.blocks);
  if (m.thread_ts !== undefined) wire['thread_ts'] = m.thread_ts;
  if (m.reply_broadcast === true) wire['subtype'] = 'thread_broadcast';
  if (withMetadata && m.metadata !== undefined) wire['metadata'] = structuredClone(m.metadata);
  const lastEdit = m.edits.at(-1);
  if (lastEdit) wire['edited'] = { user: m.user ?? bot.userId, ts: lastEdit.replacedAt };
  if (m.thread_ts === m.ts) {
    const replies = repliesOf(state, m.channel, m.ts);
    const users = [...new Set(replies.map((r) => r.user ?? ''))].filter((u) => u !== '');
    wire['reply_count'] = replies.length;
    wire['reply_users_count'] = users.length;
    wire['reply_users'] = users;
    const latest = replies.at(-1);
    if (latest) wire['latest_reply'] = latest.ts;
  }
  return wire;
}
