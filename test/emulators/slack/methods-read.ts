/**
 * Read methods and membership: auth.test, conversations.*, users.info and usergroups.*. History and replies follow
 * Slack's paging and visibility rules (the bot reads only channels it is in; history omits thread replies).
 */
import { compareTs, messageToWire, repliesOf } from './messages.js';
import { channelArg, type MethodHandler } from './methods-chat.js';
import type { EmulatedMessage, JsonObject, SlackChannel } from './types.js';
import { SlackFailure, flag, integer, optionalString, requiredString } from './wire.js';

function channelToWire(channel: SlackChannel): JsonObject {
  return {
    id: channel.id,
    name: channel.name,
    name_normalized: channel.name,
    created: channel.created,
    is_channel: !channel.is_private,
    is_group: channel.is_private,
    is_private: channel.is_private,
    is_member: channel.is_member,
    is_archived: false,
    is_general: channel.name === 'general',
    topic: { value: '', creator: '', last_set: 0 },
    purpose: { value: '', creator: '', last_set: 0 },
  };
}

const encodeCursor = (ts: string): string => Buffer.from(`ts:${ts}`).toString('base64');
const decodeCursor = (cursor: string | undefined): string | undefined =>
  cursor === undefined ? undefined : /^ts:(.+)$/.exec(Buffer.from(cursor, 'base64').toString('utf8'))?.[1];

/** Filters by oldest/latest and pages by cursor, keeping the list's order; Slack's default page is 100. */
function page(args: JsonObject, ordered: EmulatedMessage[], newestFirst: boolean) {
  const oldest = optionalString(args, 'oldest');
  const latest = optionalString(args, 'latest');
  const inclusive = flag(args, 'inclusive');
  const inRange = (m: EmulatedMessage): boolean => {
    const fromOldest = oldest === undefined ? 1 : compareTs(m.ts, oldest);
    const toLatest = latest === undefined ? -1 : compareTs(m.ts, latest);
    return (inclusive ? fromOldest >= 0 : fromOldest > 0) && (inclusive ? toLatest <= 0 : toLatest < 0);
  };
  const after = decodeCursor(optionalString(args, 'cursor'));
  const beyondCursor = (m: EmulatedMessage): boolean =>
    after === undefined || (newestFirst ? compareTs(m.ts, after) < 0 : compareTs(m.ts, after) > 0);
  const candidates = ordered.filter((m) => inRange(m) && beyondCursor(m));
  const limit = Math.min(Math.max(integer(args, 'limit', 100), 1), 999);
  const items = candidates.slice(0, limit);
  const hasMore = candidates.length > items.length;
  const last = items.at(-1);
  return {
    items,
    has_more: hasMore,
    ...(hasMore && last ? { response_metadata: { next_cursor: encodeCursor(last.ts) } } : {}),
  };
}

const history: MethodHandler = (state, args) => {
  const channel = state.joinedChannel(channelArg(state, args)).id;
  const visible = state
    .channelMessages(channel)
    .filter(
      (m) =>
        m.deleted !== true &&
        (m.thread_ts === undefined || m.thread_ts === m.ts || m.reply_broadcast === true),
    )
    .reverse();
  const { items, ...paging } = page(args, visible, true);
  const withMetadata = flag(args, 'include_all_metadata');
  return { messages: items.map((m) => messageToWire(state, m, withMetadata)), pin_count: 0, ...paging };
};

const replies: MethodHandler = (state, args) => {
  const channel = state.joinedChannel(channelArg(state, args)).id;
  const target = state.findMessage(channel, requiredString(args, 'ts', 'thread_not_found'));
  if (!target) throw new SlackFailure('thread_not_found');
  const rootTs = target.thread_ts ?? target.ts;
  const root = state.findMessage(channel, rootTs);
  const thread = [...(root ? [root] : []), ...repliesOf(state, channel, rootTs)];
  const { items, ...paging } = page(args, thread, false);
  const withMetadata = flag(args, 'include_all_metadata');
  return { messages: items.map((m) => messageToWire(state, m, withMetadata)), ...paging };
};

const info: MethodHandler = (state, args) => ({
  channel: channelToWire(state.visibleChannel(channelArg(state, args))),
});

const join: MethodHandler = (state, args) => {
  const channel = state.visibleChannel(channelArg(state, args));
  if (channel.is_private && !channel.is_member)
    throw new SlackFailure('method_not_supported_for_channel_type');
  if (channel.is_member) {
    return {
      channel: channelToWire(channel),
      warning: 'already_in_channel',
      response_metadata: { warnings: ['already_in_channel'] },
    };
  }
  channel.is_member = true;
  return { channel: channelToWire(channel) };
};

const CONVERSATION_TYPES = ['public_channel', 'private_channel', 'mpim', 'im'];

/**
 * users.conversations: the channels the calling bot is a member of, `types` defaulting to public_channel only (as
 * Slack's does), paged by an opaque cursor, `limit` at most 999.
 */
const usersConversations: MethodHandler = (state, args) => {
  const types = (optionalString(args, 'types') ?? 'public_channel').split(',').map((t) => t.trim());
  if (types.some((t) => !CONVERSATION_TYPES.includes(t))) throw new SlackFailure('invalid_types');
  const limit = Math.min(Math.max(integer(args, 'limit', 100), 1), 999);
  const cursor = optionalString(args, 'cursor');
  const offset = cursor ? Number(/^offset:(\d+)$/.exec(Buffer.from(cursor, 'base64').toString())?.[1]) : 0;
  if (!Number.isInteger(offset)) throw new SlackFailure('invalid_cursor');
  const mine = [...state.channels.values()].filter(
    (c) => c.is_member && types.includes(c.is_private ? 'private_channel' : 'public_channel'),
  );
  const items = mine.slice(offset, offset + limit);
  const next = offset + items.length < mine.length ? offset + items.length : undefined;
  return {
    channels: items.map(channelToWire),
    response_metadata: {
      next_cursor: next === undefined ? '' : Buffer.from(`offset:${next}`).toString('base64'),
    },
  };
};

const usersInfo: MethodHandler = (state, args) => {
  const user = state.user(requiredString(args, 'user', 'user_not_found'));
  return {
    user: {
      id: user.id,
      team_id: state.config.team.id,
      name: user.name,
      real_name: user.real_name,
      deleted: false,
      is_bot: user.is_bot === true,
      tz: 'UTC',
      profile: { real_name: user.real_name, display_name: user.name, real_name_normalized: user.real_name },
    },
  };
};

const groupUsers: MethodHandler = (state, args) => {
  const group = state.userGroups.get(requiredString(args, 'usergroup', 'no_such_subteam'));
  if (!group) throw new SlackFailure('no_such_subteam');
  return { users: [...group.users] };
};

const groupList: MethodHandler = (state, args) => ({
  usergroups: [...state.userGroups.values()].map((g) => ({
    id: g.id,
    team_id: state.config.team.id,
    handle: g.handle,
    name: g.name ?? g.handle,
    user_count: g.users.length,
    ...(flag(args, 'include_users') ? { users: [...g.users] } : {}),
  })),
});

const authTest: MethodHandler = (state) => {
  const { bot, team } = state.config;
  return {
    url: `https://${team.domain}.slack.com/`,
    team: team.name,
    user: bot.name,
    team_id: team.id,
    user_id: bot.userId,
    bot_id: bot.botId,
    is_enterprise_install: false,
  };
};

/** The read and membership methods by name. */
export const readMethods: Record<string, MethodHandler> = {
  'auth.test': authTest,
  'conversations.info': info,
  'conversations.history': history,
  'conversations.replies': replies,
  'conversations.join': join,
  'users.info': usersInfo,
  'users.conversations': usersConversations,
  'usergroups.users.list': groupUsers,
  'usergroups.list': groupList,
};
