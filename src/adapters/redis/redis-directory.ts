import type { Redis } from 'ioredis';
import type {
  ChannelFacts,
  Directory,
  DirectoryFacts,
  DirectoryProblem,
  GroupFacts,
} from '../../ports/directory.js';

/** Adds and removes members only while the group is `known`: an event for a group never read waits for the refresh. */
const CHANGE_MEMBERS = `
if redis.call('HGET', KEYS[1], 'state') ~= 'known' then return 0 end
local added = cjson.decode(ARGV[1])
local removed = cjson.decode(ARGV[2])
for _, user in ipairs(added) do redis.call('SADD', KEYS[2], user) end
for _, user in ipairs(removed) do redis.call('SREM', KEYS[2], user) end
return 1
`;

const CHANNEL_FIELDS = ['state', 'name', 'createdAt', 'archived', 'checkedAt'] as const;

/**
 * `Directory` on Redis. `<p>:dir:group:<id>` is a hash (state, checkedAt) beside the set `<p>:dir:group:<id>:members`;
 * `<p>:dir:channel:<id>` is a hash of the channel's facts; `<p>:dir:member-channels` the ids the bot is in.
 */
export class RedisDirectory implements Directory {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'hotfix',
  ) {}

  private groupKey(id: string): string {
    return `${this.prefix}:dir:group:${id}`;
  }

  private channelKey(id: string): string {
    return `${this.prefix}:dir:channel:${id}`;
  }

  /** Groups and channels in one pipeline. */
  async read(query: { groups: readonly string[]; channels: readonly string[] }): Promise<DirectoryFacts> {
    const facts: DirectoryFacts = { groups: new Map(), channels: new Map() };
    if (query.groups.length + query.channels.length === 0) return facts;
    const pipeline = this.redis.pipeline();
    for (const id of query.groups)
      pipeline.hgetall(this.groupKey(id)).smembers(`${this.groupKey(id)}:members`);
    for (const id of query.channels) pipeline.hgetall(this.channelKey(id));
    const replies = (await pipeline.exec()) ?? [];
    const reply = (i: number): unknown => {
      const [error, value] = replies[i] ?? [];
      if (error) throw error;
      return value;
    };
    query.groups.forEach((id, i) => {
      const fields = (reply(i * 2) ?? {}) as Record<string, string>;
      const state = fields.state === 'known' || fields.state === 'missing' ? fields.state : 'unknown';
      facts.groups.set(id, {
        id,
        state,
        members: state === 'known' ? ((reply(i * 2 + 1) as string[] | undefined) ?? []) : [],
        ...(fields.checkedAt ? { checkedAt: fields.checkedAt } : {}),
      });
    });
    query.channels.forEach((id, i) => {
      const fields = (reply(query.groups.length * 2 + i) ?? {}) as Record<string, string>;
      if (fields.state) facts.channels.set(id, channelFrom(id, fields));
    });
    return facts;
  }

  /** Each group's facts, read in one round trip. */
  async groups(ids: readonly string[]): Promise<Map<string, GroupFacts>> {
    return (await this.read({ groups: ids, channels: [] })).groups;
  }

  /** Replaces a group's facts in one transaction. */
  async putGroup(facts: GroupFacts): Promise<void> {
    const key = this.groupKey(facts.id);
    const tx = this.redis.multi().del(`${key}:members`);
    if (facts.members.length > 0) tx.sadd(`${key}:members`, ...facts.members);
    tx.hset(key, { state: facts.state, checkedAt: facts.checkedAt ?? '' });
    await tx.exec();
  }

  /** Applies one membership change event. */
  async changeMembers(groupId: string, added: readonly string[], removed: readonly string[]): Promise<void> {
    const key = this.groupKey(groupId);
    await this.redis.eval(
      CHANGE_MEMBERS,
      2,
      key,
      `${key}:members`,
      JSON.stringify(added),
      JSON.stringify(removed),
    );
  }

  /** A channel's facts. */
  async channel(id: string): Promise<ChannelFacts | undefined> {
    const fields = await this.redis.hgetall(this.channelKey(id));
    return fields.state ? channelFrom(id, fields) : undefined;
  }

  /** Merges facts over what was known; membership also goes into the member-channels set. */
  async putChannel(facts: Partial<ChannelFacts> & Pick<ChannelFacts, 'id'>): Promise<void> {
    const tx = this.redis.multi();
    this.writeChannel(tx, facts);
    await tx.exec();
  }

  /** Records the full list of the bot's channels, marking channels it left since as `not_member`. */
  async replaceMemberships(channels: readonly ChannelFacts[], at: string): Promise<void> {
    const setKey = `${this.prefix}:dir:member-channels`;
    const before = await this.redis.smembers(setKey);
    const now = new Set(channels.map((c) => c.id));
    const tx = this.redis.multi();
    for (const id of before)
      if (!now.has(id)) this.writeChannel(tx, { id, state: 'not_member', checkedAt: at });
    for (const channel of channels) this.writeChannel(tx, channel);
    tx.set(`${this.prefix}:dir:memberships-at`, at);
    await tx.exec();
  }

  /** When the channel list was last read whole. */
  async membershipsCheckedAt(): Promise<string | undefined> {
    return (await this.redis.get(`${this.prefix}:dir:memberships-at`)) ?? undefined;
  }

  /** The problems of the last check. */
  async problems(): Promise<DirectoryProblem[]> {
    const raw = await this.redis.get(`${this.prefix}:dir:problems`);
    return raw ? (JSON.parse(raw) as DirectoryProblem[]) : [];
  }

  /** Replaces the problems and stamps the check. */
  async putProblems(problems: readonly DirectoryProblem[], at: string): Promise<void> {
    await this.redis
      .multi()
      .set(`${this.prefix}:dir:problems`, JSON.stringify(problems))
      .set(`${this.prefix}:dir:refreshed-at`, at)
      .exec();
  }

  /** When the last full check finished. */
  async lastRefreshAt(): Promise<string | undefined> {
    return (await this.redis.get(`${this.prefix}:dir:refreshed-at`)) ?? undefined;
  }

  private writeChannel(
    tx: ReturnType<Redis['multi']>,
    facts: Partial<ChannelFacts> & Pick<ChannelFacts, 'id'>,
  ): void {
    const fields: Record<string, string> = {};
    for (const name of CHANNEL_FIELDS) {
      const value = facts[name];
      if (value !== undefined) fields[name] = String(value);
    }
    if (Object.keys(fields).length > 0) tx.hset(this.channelKey(facts.id), fields);
    const setKey = `${this.prefix}:dir:member-channels`;
    if (facts.state === 'member') tx.sadd(setKey, facts.id);
    else if (facts.state !== undefined) tx.srem(setKey, facts.id);
  }
}

function channelFrom(id: string, fields: Record<string, string>): ChannelFacts {
  const state = fields.state === 'member' || fields.state === 'missing' ? fields.state : 'not_member';
  return {
    id,
    state,
    ...(fields.name ? { name: fields.name } : {}),
    ...(fields.createdAt ? { createdAt: fields.createdAt } : {}),
    ...(fields.archived ? { archived: fields.archived === 'true' } : {}),
    ...(fields.checkedAt ? { checkedAt: fields.checkedAt } : {}),
  };
}
