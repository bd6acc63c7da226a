import { audienceOfRefusal, audiencesOf } from '../domain/catalog-references.js';
import type { Policy } from '../domain/catalog.js';
import type { Actor } from '../domain/commands.js';
import type { Refusal } from '../domain/reasons.js';
import type { Directory, GroupFacts } from '../ports/directory.js';

/** Every user group the policy mentions: the only groups whose membership matters. */
export function groupsOf(policy: Policy): string[] {
  return [...new Set(Object.values(audiencesOf(policy)).flatMap((a) => a.groups))];
}

/** An actor, and the policy groups whose membership could not be known (Slack does not know them, or never said). */
export interface ResolvedActor {
  actor: Actor;
  gaps: GroupFacts[];
}

/**
 * Turns a Slack user id into an Actor with the policy groups they belong to, from the directory in the store: a
 * lookup costs one Redis round trip and never a Slack call, so it is safe before an ack.
 */
export class ActorDirectory {
  constructor(private readonly directory: Directory) {}

  /** The actor for `userId`, with membership of the groups `policy` names. */
  async actor(userId: string, policy: Policy): Promise<Actor> {
    return (await this.resolve(userId, policy)).actor;
  }

  /** The actor, and which of the policy's groups count as empty because their members are not known. */
  async resolve(userId: string, policy: Policy): Promise<ResolvedActor> {
    return actorFrom(userId, await this.directory.groups(groupsOf(policy)));
  }
}

/** The actor among groups already read (the plan path reads groups and channels in one round trip). */
export function actorFrom(userId: string, facts: Map<string, GroupFacts>): ResolvedActor {
  const groups = [...facts.values()].filter((g) => g.members.includes(userId)).map((g) => g.id);
  const gaps = [...facts.values()].filter((g) => g.state !== 'known');
  return { actor: { userId, groups }, gaps };
}

/**
 * A "you may not" refusal, told also when the audience it is about names a group whose members are not known: the
 * person learns which group, why, and who can fix it, instead of a bare "you are not an approver".
 */
export function explainRefusal(refusal: Refusal, gaps: readonly GroupFacts[], policy: Policy): Refusal {
  const field = audienceOfRefusal(refusal.code);
  if (!field || gaps.length === 0) return refusal;
  const audience = audiencesOf(policy)[field];
  const unread = gaps.filter((g) => audience?.groups.includes(g.id));
  if (unread.length === 0) return refusal;
  const why = unread
    .map((g) =>
      g.state === 'missing'
        ? `<!subteam^${g.id}> (\`${g.id}\`) is not a user group Slack knows (renamed or deleted?)`
        : `Slack has not yet told me who is in <!subteam^${g.id}> (\`${g.id}\`); try again in a few minutes`,
    )
    .join('; ');
  return {
    ...refusal,
    message: `${refusal.message} Note: ${why}, so it counts as empty for \`${field}\`. ${whoCanFix(policy)}`,
  };
}

/** Who can correct the catalog, as a sentence. */
export function whoCanFix(policy: Policy): string {
  const admins = [
    ...policy.admins.users.map((u) => `<@${u}>`),
    ...policy.admins.groups.map((g) => `<!subteam^${g}>`),
  ];
  const names = admins.length > 0 ? admins.join(', ') : 'the hotfix-bot owners';
  return `The catalog's admins (${names}) can fix it in the catalog.`;
}
