/**
 * The Slack emulator's mutable state and the lookups every method needs. Lookups throw the error Slack would answer,
 * so a method handler reads as a list of Slack's own rules.
 */
import type {
  BotIdentity,
  EmulatedMessage,
  EphemeralMessage,
  Fault,
  InteractionOrigin,
  JsonObject,
  OpenedView,
  RecordedCall,
  ResponseUrlPost,
  SlackChannel,
  SlackUser,
  SlackUserGroup,
  TeamIdentity,
  WorkspaceSeed,
} from './types.js';
import { SlackFailure } from './wire.js';

/** A trigger id the emulator handed out with an interaction. */
export interface IssuedTrigger {
  issuedAt: number;
  used: boolean;
  user?: string;
  channel?: string;
}

/** A response_url the emulator handed out with an interaction. */
export interface IssuedResponseUrl {
  createdAt: number;
  uses: number;
  origin: InteractionOrigin;
}

/** Settings fixed for the emulator's lifetime. */
export interface StateConfig {
  token: string;
  bot: BotIdentity;
  team: TeamIdentity;
  seed: WorkspaceSeed;
  clock: () => number;
}

/** Everything the emulator knows; `reset()` returns it to the seed. */
export class SlackState {
  users = new Map<string, SlackUser>();
  userGroups = new Map<string, SlackUserGroup>();
  channels = new Map<string, SlackChannel>();
  /** Per channel, every message (roots and replies) in ts order. */
  messages = new Map<string, EmulatedMessage[]>();
  ephemerals: EphemeralMessage[] = [];
  responseUrls = new Map<string, IssuedResponseUrl>();
  responsePosts: ResponseUrlPost[] = [];
  views: OpenedView[] = [];
  /** App Home views by user (views.publish). */
  homeViews = new Map<string, JsonObject>();
  triggers = new Map<string, IssuedTrigger>();
  calls: RecordedCall[] = [];
  faults = new Map<string, Fault[]>();
  writes = 0;
  private lastSecond = 0;
  private lastSequence = 0;
  private counter = 0;

  constructor(readonly config: StateConfig) {
    this.reset();
  }

  /** Back to the seed workspace: no messages, calls, faults, views or issued ids. */
  reset(): void {
    const seed = structuredClone(this.config.seed);
    this.users = new Map(seed.users.map((u) => [u.id, u]));
    this.userGroups = new Map(seed.userGroups.map((g) => [g.id, g]));
    this.channels = new Map(seed.channels.map((c) => [c.id, c]));
    this.messages = new Map(seed.channels.map((c) => [c.id, []]));
    this.ephemerals = [];
    this.responseUrls.clear();
    this.responsePosts = [];
    this.views = [];
    this.homeViews.clear();
    this.triggers.clear();
    this.calls = [];
    this.faults.clear();
    this.writes = 0;
    // A test that resets also rewinds its clock; ts and ids restart so its transcript does not depend on order.
    this.lastSecond = 0;
    this.lastSequence = 0;
    this.counter = 0;
  }

  /** Milliseconds on the emulator's clock. */
  now(): number {
    return this.config.clock();
  }

  /**
   * A new message ts: `<unix seconds>.<6 digits>`, strictly increasing across the workspace (Slack's are unique per
   * channel; one sequence keeps ephemerals, responses and modals in order with messages for the transcript).
   */
  nextTs(): string {
    const second = Math.floor(this.now() / 1000);
    if (second > this.lastSecond) {
      this.lastSecond = second;
      this.lastSequence = 100;
    } else {
      this.lastSequence += 100;
      if (this.lastSequence > 999_999) {
        this.lastSecond += 1;
        this.lastSequence = 100;
      }
    }
    return `${this.lastSecond}.${String(this.lastSequence).padStart(6, '0')}`;
  }

  /** A short unique id with a Slack-like prefix (V for views, T for triggers...). */
  nextId(prefix: string): string {
    this.counter += 1;
    return `${prefix}${String(this.counter).padStart(8, '0')}`;
  }

  /** A channel by id, else by name (with or without `#`). */
  findChannel(idOrName: string): SlackChannel | undefined {
    const byId = this.channels.get(idOrName);
    if (byId) return byId;
    const name = idOrName.replace(/^#/, '');
    return [...this.channels.values()].find((c) => c.name === name);
  }

  /** A channel the bot can see; private channels it is not in do not exist for it, as in Slack. */
  visibleChannel(id: string): SlackChannel {
    const channel = this.channels.get(id);
    if (!channel || (channel.is_private && !channel.is_member)) throw new SlackFailure('channel_not_found');
    return channel;
  }

  /** A channel the bot can see and is a member of. */
  joinedChannel(id: string): SlackChannel {
    const channel = this.visibleChannel(id);
    if (!channel.is_member) throw new SlackFailure('not_in_channel');
    return channel;
  }

  /** The channel's messages, in ts order (created on first use for channels added later). */
  channelMessages(channel: string): EmulatedMessage[] {
    let list = this.messages.get(channel);
    if (!list) {
      list = [];
      this.messages.set(channel, list);
    }
    return list;
  }

  /** A live (not deleted) message by channel and ts. */
  findMessage(channel: string, ts: string): EmulatedMessage | undefined {
    return this.channelMessages(channel).find((m) => m.ts === ts && m.deleted !== true);
  }

  /** A user, or `user_not_found`. */
  user(id: string): SlackUser {
    const user = this.users.get(id);
    if (!user) throw new SlackFailure('user_not_found');
    return user;
  }

  /** Name for display: the user's handle, or the id when unknown. */
  userName(id: string): string {
    if (id === this.config.bot.userId) return this.config.bot.name;
    return this.users.get(id)?.name ?? id;
  }
}
