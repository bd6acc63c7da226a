import type { WebClient } from '@slack/web-api';
import type { ChannelFacts, DirectorySource } from '../../ports/directory.js';
import { asChatError } from './slack-errors.js';

/** What conversations.info and users.conversations say about a channel, as far as the directory needs it. */
interface WireChannel {
  id?: string;
  name?: string;
  created?: number;
  is_member?: boolean;
  is_archived?: boolean;
}

function factsOf(channel: WireChannel, fallbackId: string, member: boolean, at: Date): ChannelFacts {
  return {
    id: channel.id ?? fallbackId,
    state: member ? 'member' : 'not_member',
    ...(channel.name ? { name: channel.name } : {}),
    ...(typeof channel.created === 'number'
      ? { createdAt: new Date(channel.created * 1000).toISOString() }
      : {}),
    archived: channel.is_archived === true,
    checkedAt: at.toISOString(),
  };
}

/** `DirectorySource` on Slack's Web API: usergroups.users.list, conversations.info and users.conversations. */
export class SlackDirectorySource implements DirectorySource {
  constructor(private readonly client: WebClient) {}

  /** The group's members; `group_not_found` when Slack answers `no_such_subteam`. */
  async groupMembers(groupId: string): Promise<string[]> {
    try {
      const result = await this.client.usergroups.users.list({ usergroup: groupId });
      return result.users ?? [];
    } catch (error) {
      throw asChatError(error);
    }
  }

  /** The channel's facts; `missing` when Slack does not know it. */
  async channel(id: string, at: Date): Promise<ChannelFacts> {
    try {
      const info = await this.client.conversations.info({ channel: id });
      const channel = (info.channel ?? {}) as WireChannel;
      return factsOf(channel, id, channel.is_member === true, at);
    } catch (error) {
      const failure = asChatError(error);
      if (failure.failure === 'channel_not_found')
        return { id, state: 'missing', checkedAt: at.toISOString() };
      throw failure;
    }
  }

  /** Every channel the bot is in, following the cursor to the last page. */
  async botChannels(at: Date): Promise<ChannelFacts[]> {
    const channels: ChannelFacts[] = [];
    let cursor: string | undefined;
    try {
      do {
        const page = await this.client.users.conversations({
          types: 'public_channel,private_channel',
          exclude_archived: true,
          limit: 200,
          ...(cursor ? { cursor } : {}),
        });
        for (const channel of (page.channels ?? []) as WireChannel[])
          if (channel.id) channels.push(factsOf(channel, channel.id, true, at));
        cursor = page.response_metadata?.next_cursor || undefined;
      } while (cursor);
    } catch (error) {
      throw asChatError(error);
    }
    return channels;
  }
}
