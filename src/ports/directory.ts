/**
 * What the bot knows about Slack user groups and channels, kept in the store so that nothing on the way to a Slack
 * `ack()` calls Slack. Kept fresh by a job scheduler (every `policy.directoryRefreshMinutes`) and by Slack events.
 */

/** A user group as last seen: its members, or that Slack does not know it, or that it was never read. */
export interface GroupFacts {
  id: string;
  /** `missing`: Slack answered `no_such_subteam` (renamed or deleted); `unknown`: never read successfully yet. */
  state: 'known' | 'missing' | 'unknown';
  members: string[];
  /** When Slack last answered for this group. */
  checkedAt?: string;
}

/** A channel as last seen: whether the bot is in it, when it was created, its name. */
export interface ChannelFacts {
  id: string;
  /** `missing`: Slack does not know the channel (or the bot cannot see it). */
  state: 'member' | 'not_member' | 'missing';
  name?: string;
  createdAt?: string;
  archived?: boolean;
  checkedAt?: string;
}

/** What one `read` returns. */
export interface DirectoryFacts {
  groups: Map<string, GroupFacts>;
  channels: Map<string, ChannelFacts>;
}

/** A catalog reference Slack does not honour, for the start-up log and `/readyz`. */
export interface DirectoryProblem {
  kind: 'group' | 'channel';
  id: string;
  /** Where the catalog uses it, e.g. `policy.approvers`. */
  usedBy: string;
  problem: string;
}

/** The directory in the store. Reads are local and fast; writes come from the refresh job and Slack events. */
export interface Directory {
  /** Groups and channels in one round trip (a channel never heard of is absent from `channels`). */
  read(query: { groups: readonly string[]; channels: readonly string[] }): Promise<DirectoryFacts>;
  /** The facts of each group asked for (`unknown` for a group never read). */
  groups(ids: readonly string[]): Promise<Map<string, GroupFacts>>;
  /** Records a group read from Slack, or that Slack does not know it. */
  putGroup(facts: GroupFacts): Promise<void>;
  /** Applies a `subteam_members_changed` event; ignored for a group never read (the next refresh reads it whole). */
  changeMembers(groupId: string, added: readonly string[], removed: readonly string[]): Promise<void>;
  /** A channel's facts, or undefined when the bot has never heard of it. */
  channel(id: string): Promise<ChannelFacts | undefined>;
  /** Records a channel's facts (from a lookup or an event), merged over what was known. */
  putChannel(facts: Partial<ChannelFacts> & Pick<ChannelFacts, 'id'>): Promise<void>;
  /**
   * Records the complete list of channels the bot is in: channels known as members but absent from the list are
   * marked `not_member`.
   */
  replaceMemberships(channels: readonly ChannelFacts[], at: string): Promise<void>;
  /** When the bot's channel list was last read completely, if ever. */
  membershipsCheckedAt(): Promise<string | undefined>;
  /** The catalog references Slack did not honour at the last check. */
  problems(): Promise<DirectoryProblem[]>;
  /** Replaces the list of problems after a check of every catalog reference, and records when it finished. */
  putProblems(problems: readonly DirectoryProblem[], at: string): Promise<void>;
  /** When the last full check finished, if ever. */
  lastRefreshAt(): Promise<string | undefined>;
}

/** Where the directory's facts come from (Slack's Web API); called only by jobs, never before an ack. */
export interface DirectorySource {
  /** The members of a user group; throws ChatError `group_not_found` when Slack does not know it. */
  groupMembers(groupId: string): Promise<string[]>;
  /** A channel's facts as Slack gives them now (`missing` when Slack does not know it). */
  channel(id: string, at: Date): Promise<ChannelFacts>;
  /** Every channel the bot is a member of (public and private), all pages. */
  botChannels(at: Date): Promise<ChannelFacts[]>;
}

/** Asks the workers to read something into the directory soon (a job, so the asker never waits on Slack). */
export interface DirectoryRequests {
  /** Reads one channel's facts (a plan came from a channel the directory had not seen). */
  checkChannel(id: string): Promise<void>;
}
