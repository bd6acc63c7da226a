import type { Audience, Policy } from '../domain/catalog.js';
import type { Actor } from '../domain/commands.js';
import type { Chat } from '../ports/chat.js';
import type { Clock } from '../ports/clock.js';

/** Every user group the policy mentions: the only groups whose membership matters. */
export function groupsOf(policy: Policy): string[] {
  const audiences: Audience[] = [
    policy.planners,
    policy.approvers,
    policy.operators,
    policy.admins,
    policy.breakGlass.who,
  ];
  return [...new Set(audiences.flatMap((a) => a.groups))];
}

/**
 * Turns a Slack user id into an Actor with the policy groups they belong to. Group members are cached briefly
 * (`usergroups.users.list` is rate limited); the cache is only a speed-up, so several web processes may each keep one.
 */
export class ActorDirectory {
  private readonly cache = new Map<string, { members: string[]; until: number }>();

  constructor(
    private readonly chat: Chat,
    private readonly clock: Clock,
    private readonly ttlMs = 60_000,
  ) {}

  /** The actor for `userId`, with membership of the groups `policy` names. */
  async actor(userId: string, policy: Policy): Promise<Actor> {
    const groups = groupsOf(policy);
    const memberships = await Promise.all(
      groups.map(async (g) => ((await this.members(g)).includes(userId) ? g : undefined)),
    );
    return { userId, groups: memberships.filter((g): g is string => g !== undefined) };
  }

  private async members(group: string): Promise<string[]> {
    const now = this.clock.now().getTime();
    const cached = this.cache.get(group);
    if (cached && cached.until > now) return cached.members;
    const members = await this.chat.groupMembers(group);
    this.cache.set(group, { members, until: now + this.ttlMs });
    return members;
  }
}
