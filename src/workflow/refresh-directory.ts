import { channelReferences, groupReferences } from '../domain/catalog-references.js';
import type { SlackReference } from '../domain/catalog-references.js';
import { ChatError } from '../ports/chat.js';
import type { ChannelFacts, DirectoryProblem } from '../ports/directory.js';
import type { WorkflowDeps } from './deps.js';

type Deps = Pick<WorkflowDeps, 'catalog' | 'directory' | 'directorySource' | 'clock' | 'log' | 'store'>;

/** What a refresh found: the catalog references Slack did not honour, and when to look again if Slack said wait. */
export interface RefreshOutcome {
  problems: DirectoryProblem[];
  /** Set when Slack rate-limited or failed a lookup: the facts it would have given are still the old ones. */
  retryAfterMs?: number;
}

/**
 * Reads every user group and channel the catalog names, and the list of channels the bot is in, from Slack into the
 * directory; records the references Slack does not honour (a missing group, a channel the bot is not in) for the log
 * and `/readyz`. A lookup Slack refuses for now keeps the old facts and asks to be retried.
 */
export async function refreshDirectory(
  deps: Deps,
  options: { unlessWithinMs?: number } = {},
): Promise<RefreshOutcome> {
  const now = deps.clock.now();
  if (options.unlessWithinMs !== undefined) {
    // Several workers starting together, or the scheduler's first run right after start-up's: read Slack once.
    const last = await deps.directory.lastRefreshAt();
    if (last && now.getTime() - Date.parse(last) < options.unlessWithinMs)
      return { problems: await deps.directory.problems() };
  }
  const problems: DirectoryProblem[] = [];
  let retryAfterMs: number | undefined;
  const later = (error: unknown): void => {
    const seconds = error instanceof ChatError ? (error.retryAfterSeconds ?? 30) : 30;
    retryAfterMs = Math.max(retryAfterMs ?? 0, seconds * 1000);
  };
  // Concurrently: a slow Slack costs one round trip, not one per group and channel.
  const groups = (await referencedGroups(deps)).map((group) =>
    refreshGroup(deps, group, now).catch((error: unknown) => {
      later(error);
      deps.log.warn({ err: error, group: group.id }, 'could not read a user group from Slack');
      return unanswered('group', group, error);
    }),
  );
  const channels = channelReferences(deps.catalog).map((channel) =>
    lookUpChannel(deps, channel, now).catch((error: unknown) => {
      later(error);
      deps.log.warn({ err: error, channel: channel.id }, 'could not read a channel from Slack');
      return unanswered('channel', channel, error);
    }),
  );
  const memberships = deps.directorySource
    .botChannels(now)
    .then((list) => deps.directory.replaceMemberships(list, now.toISOString()))
    .catch((error: unknown) => {
      later(error);
      deps.log.warn({ err: error }, 'could not list the channels the bot is in');
    });
  await memberships;
  for (const found of await Promise.all(groups)) if (found) problems.push(found);
  // Each channel's own lookup is written after the membership list, so the list never overwrites it.
  for (const found of await Promise.all(channels)) {
    if (!found) continue;
    if ('facts' in found) {
      await deps.directory.putChannel(found.facts);
      if (found.problem) problems.push(found.problem);
    } else problems.push(found);
  }
  await deps.directory.putProblems(problems, deps.clock.now().toISOString());
  for (const p of problems)
    deps.log.warn({ kind: p.kind, id: p.id, usedBy: p.usedBy }, `catalog reference: ${p.problem}`);
  return { problems, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
}

/**
 * The live catalog's groups, and those of every unfinished hotfix's own policy snapshot: a hotfix is decided by the
 * policy it was planned under, so its groups must stay known after a catalog change.
 */
async function referencedGroups(deps: Deps): Promise<SlackReference[]> {
  const byId = new Map(groupReferences(deps.catalog.policy).map((g) => [g.id, g]));
  for (const hotfix of await deps.store.listActive())
    for (const group of groupReferences(hotfix.snapshot.policy))
      if (!byId.has(group.id))
        byId.set(group.id, { ...group, usedBy: [`${hotfix.id}'s ${group.usedBy.join(', ')}`] });
  return [...byId.values()];
}

async function refreshGroup(deps: Deps, group: SlackReference, now: Date) {
  const checkedAt = now.toISOString();
  try {
    const members = await deps.directorySource.groupMembers(group.id);
    await deps.directory.putGroup({ id: group.id, state: 'known', members, checkedAt });
    return undefined;
  } catch (error) {
    if (!(error instanceof ChatError) || error.failure !== 'group_not_found') throw error;
    await deps.directory.putGroup({ id: group.id, state: 'missing', members: [], checkedAt });
    return problem(
      'group',
      group,
      'Slack does not know this user group (renamed or deleted?); it counts as empty',
    );
  }
}

async function lookUpChannel(deps: Deps, channel: SlackReference, now: Date) {
  const facts = await deps.directorySource.channel(channel.id, now);
  return { facts, problem: channelProblem(channel, facts) };
}

function channelProblem(channel: SlackReference, facts: ChannelFacts): DirectoryProblem | undefined {
  const label = `#${facts.name ?? channel.name ?? channel.id}`;
  if (facts.state === 'missing')
    return problem(
      'channel',
      channel,
      `Slack does not know channel ${channel.id} (${label}); nothing can be posted there`,
    );
  if (facts.archived) return problem('channel', channel, `${label} is archived; nothing can be posted there`);
  if (facts.state === 'not_member')
    return problem('channel', channel, `the bot is not in ${label}: type /invite @hotfix-bot there`);
  return undefined;
}

/** Reads one channel (a plan arrived from a channel the directory had never seen) so a retry finds it. */
export async function refreshOneChannel(deps: Deps, id: string): Promise<void> {
  await deps.directory.putChannel(await deps.directorySource.channel(id, deps.clock.now()));
}

function problem(kind: DirectoryProblem['kind'], ref: SlackReference, text: string): DirectoryProblem {
  return { kind, id: ref.id, usedBy: ref.usedBy.join(', '), problem: text };
}

function unanswered(kind: DirectoryProblem['kind'], ref: SlackReference, error: unknown): DirectoryProblem {
  const why = error instanceof ChatError && error.failure === 'rate_limited' ? 'rate-limited' : 'failed';
  return problem(kind, ref, `the Slack lookup ${why}; the last known facts stand until the retry`);
}
