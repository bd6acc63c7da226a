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
local raw = redis.call('GET', KEYS[1])
if not raw then return 0 end
local group = cjson.decode(raw)
if group.state ~= 'known' then return 0 end
local members = {}
for _, user in ipairs(group.members or {}) do members[user] = true end
for _, user in ipairs(cjson.decode(ARGV[1])) do members[user] = true end
for _, user in ipairs(cjson.decode(ARGV[2])) do members[user] = nil end
local list = {}
for user in pairs(members) do table.insert(list, user) end
table.sort(list)
group.members = list
redis.call('SET', KEYS[1], cjson.encode(group))
return 1
`;

/** Merges the given fields over a channel's stored facts (a lookup or an event may know only some of them). */
const MERGE_CHANNEL = `
local raw = redis.call('GET', KEYS[1])
local facts = raw and cjson.decode(raw) or {}
for field, value in pairs(cjson.decode(ARGV[1])) do facts[field] = value end
redis.call('SET', KEYS[1], cjson.encode(facts))
if ARGV[2] == 'member' then redis.call('SADD', KEYS[2], ARGV[3]) end
if ARGV[2] == 'not_member' or ARGV[2] == 'missing' then redis.call('SREM', KEYS[2], ARGV[3]) end
return 1
`;

const MAX_PARSED_GROUPS = 500;

/** A list read back from Lua's cjson, which writes an empty list as `{}`. */
const listOf = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];

/**
 * `Directory` on Redis, one JSON value per group (`<p>:dir:group:<id>`) and per channel (`<p>:dir:channel:<id>`), so
 * everything a request needs comes back from one MGET; `<p>:dir:member-channels` is the set of channels the bot is in.
 */
export class RedisDirectory implements Directory {
  /**
   * The last group facts parsed per group, with the stored text they came from: a group read on every request is
   * parsed again only when it changed (a big group's member list is the costly part of a read).
   */
  private readonly parsedGroups = new Map<string, { raw: string | null; facts: GroupFacts }>();

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

  private get membersKey(): string {
    return `${this.prefix}:dir:member-channels`;
  }

  /** Groups and channels in one MGET. */
  async read(query: { groups: readonly string[]; channels: readonly string[] }): Promise<DirectoryFacts> {
    const facts: DirectoryFacts = { groups: new Map(), channels: new Map() };
    const keys = [
      ...query.groups.map((id) => this.groupKey(id)),
      ...query.channels.map((id) => this.channelKey(id)),
    ];
    if (keys.length === 0) return facts;
    const values = await this.redis.mget(...keys);
    query.groups.forEach((id, i) => facts.groups.set(id, this.group(id, values[i] ?? null)));
    query.channels.forEach((id, i) => {
      const channel = channelFrom(id, values[query.groups.length + i] ?? null);
      if (channel) facts.channels.set(id, channel);
    });
    return facts;
  }

  private group(id: string, raw: string | null): GroupFacts {
    const last = this.parsedGroups.get(id);
    if (last && last.raw === raw) return last.facts;
    const facts = groupFrom(id, raw);
    // Catalog groups and the groups of active hotfixes' snapshots: a handful, but never let it grow without bound.
    if (this.parsedGroups.size >= MAX_PARSED_GROUPS) this.parsedGroups.clear();
    this.parsedGroups.set(id, { raw, facts });
    return facts;
  }

  /** Each group's facts. */
  async groups(ids: readonly string[]): Promise<Map<string, GroupFacts>> {
    return (await this.read({ groups: ids, channels: [] })).groups;
  }

  /** Replaces a group's facts. */
  async putGroup(facts: GroupFacts): Promise<void> {
    const { id: _id, ...stored } = facts;
    await this.redis.set(this.groupKey(facts.id), JSON.stringify(stored));
  }

  /** Applies one membership change event, atomically. */
  async changeMembers(groupId: string, added: readonly string[], removed: readonly string[]): Promise<void> {
    await this.redis.eval(
      CHANGE_MEMBERS,
      1,
      this.groupKey(groupId),
      JSON.stringify(added),
      JSON.stringify(removed),
    );
  }

  /** A channel's facts. */
  async channel(id: string): Promise<ChannelFacts | undefined> {
    return channelFrom(id, await this.redis.get(this.channelKey(id)));
  }

  /** Merges facts over what was known; membership also goes into the member-channels set. */
  async putChannel(facts: Partial<ChannelFacts> & Pick<ChannelFacts, 'id'>): Promise<void> {
    await (this.mergeChannel(this.redis, facts) as Promise<unknown>);
  }

  /** Records the full list of the bot's channels, marking channels it left since as `not_member`. */
  async replaceMemberships(channels: readonly ChannelFacts[], at: string): Promise<void> {
    const before = await this.redis.smembers(this.membersKey);
    const now = new Set(channels.map((c) => c.id));
    const tx = this.redis.multi();
    for (const id of before)
      if (!now.has(id)) this.mergeChannel(tx, { id, state: 'not_member', checkedAt: at });
    for (const channel of channels) this.mergeChannel(tx, channel);
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

  private mergeChannel(
    target: Redis | ReturnType<Redis['multi']>,
    facts: Partial<ChannelFacts> & Pick<ChannelFacts, 'id'>,
  ): unknown {
    const { id, ...fields } = facts;
    const args = [
      this.channelKey(id),
      this.membersKey,
      JSON.stringify(fields),
      fields.state ?? '',
      id,
    ] as const;
    return target.eval(MERGE_CHANNEL, 2, ...args);
  }
}

function groupFrom(id: string, raw: string | null): GroupFacts {
  const stored = raw ? (JSON.parse(raw) as { state?: unknown; members?: unknown; checkedAt?: unknown }) : {};
  const state = stored.state === 'known' || stored.state === 'missing' ? stored.state : 'unknown';
  return {
    id,
    state,
    members: state === 'known' ? listOf(stored.members) : [],
    ...(typeof stored.checkedAt === 'string' && stored.checkedAt ? { checkedAt: stored.checkedAt } : {}),
  };
}

function channelFrom(id: string, raw: string | null): ChannelFacts | undefined {
  if (!raw) return undefined;
  const stored = JSON.parse(raw) as Record<string, unknown>;
  if (typeof stored.state !== 'string') return undefined;
  const state = stored.state === 'member' || stored.state === 'missing' ? stored.state : 'not_member';
  const text = (field: string) => (typeof stored[field] === 'string' ? (stored[field] as string) : undefined);
  const name = text('name');
  const createdAt = text('createdAt');
  const checkedAt = text('checkedAt');
  return {
    id,
    state,
    ...(name ? { name } : {}),
    ...(createdAt ? { createdAt } : {}),
    ...(typeof stored.archived === 'boolean' ? { archived: stored.archived } : {}),
    ...(checkedAt ? { checkedAt } : {}),
  };
}
