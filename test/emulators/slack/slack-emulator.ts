/**
 * A local Slack: a node:http server on 127.0.0.1 speaking the Web API as @slack/web-api calls it, holding a
 * workspace with channels, messages, threads, ephemerals and modals, recording every call, and failing on demand.
 * Point Bolt at it with `clientOptions: { slackApiUrl: emulator.apiUrl }`; with an app token, Bolt's Socket Mode
 * connects to `emulator.socketMode`.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

import { describeCalls } from './call-log.js';
import { CallHooks, createRequestListener, type ObservedCall, type OnCallOptions } from './dispatch.js';
import { storeMessage, threadsOf } from './messages.js';
import { issueTrigger } from './methods-views.js';
import { RateLimiter, SLACK_RATE_TIERS } from './rate-limits.js';
import { issueResponseUrl } from './response-urls.js';
import { DEFAULT_APP_TOKEN, startSocketMode, type SocketModeEmulator } from './socket-mode.js';
import { SlackState } from './state.js';
import type {
  BotIdentity,
  EmulatedMessage,
  EphemeralMessage,
  Fault,
  InteractionOrigin,
  JsonObject,
  MessageThread,
  OpenedView,
  RateBudget,
  RecordedCall,
  ResponseUrlPost,
  SlackChannel,
  SlackUser,
  SlackUserGroup,
  TeamIdentity,
  WorkspaceSeed,
} from './types.js';
import { DEFAULT_BOT, DEFAULT_BOT_TOKEN, DEFAULT_TEAM, defaultWorkspace } from './workspace.js';

/** How to start the emulator. */
export interface SlackEmulatorOptions {
  /** The only bot token accepted. @defaultValue 'xoxb-test-token' */
  token?: string;
  /** The only app-level token `apps.connections.open` accepts. @defaultValue 'xapp-test-token' */
  appToken?: string;
  /** The workspace to start (and reset) with. @defaultValue defaultWorkspace() */
  workspace?: WorkspaceSeed;
  /** Who the bot is. @defaultValue DEFAULT_BOT */
  bot?: Partial<BotIdentity>;
  /** Which workspace this is. @defaultValue DEFAULT_TEAM */
  team?: Partial<TeamIdentity>;
  /** Slack's tier limits (true), or budgets by method replacing those tiers. @defaultValue false */
  rateLimits?: boolean | Record<string, RateBudget>;
  /** Milliseconds now, for message ts, trigger expiry and rate limits. @defaultValue Date.now */
  clock?: () => number;
  /** Added to every Web API call, to make Slack slow. @defaultValue 0 */
  latencyMs?: number;
}

/** A message a person writes, for setting the scene (an incident thread, a question). */
export interface PersonMessage {
  channel: string;
  user: string;
  text: string;
  thread_ts?: string;
  blocks?: JsonObject[];
}

/** A running Slack emulator and what a test can ask of it. */
export interface SlackEmulator {
  /** `http://127.0.0.1:<port>/`. */
  readonly url: string;
  /** `http://127.0.0.1:<port>/api/`: Bolt's `clientOptions.slackApiUrl`, WebClient's `slackApiUrl`. */
  readonly apiUrl: string;
  /** The accepted bot token. */
  readonly token: string;
  /** Socket Mode: the app's connection and the envelopes sent over it. */
  readonly socketMode: SocketModeEmulator;
  /** Who the bot is. */
  readonly bot: BotIdentity;
  /** Which workspace this is. */
  readonly team: TeamIdentity;
  /** Every Web API call so far, oldest first. */
  readonly calls: readonly RecordedCall[];
  /** Modals opened or pushed, with their latest view. */
  readonly views: readonly OpenedView[];
  /** The calls to one method. */
  callsTo(method: string): RecordedCall[];
  /** A channel's thread roots with their replies, oldest first (by id or name); copies, not live objects. */
  messages(channel: string): MessageThread[];
  /** Ephemeral messages, all or one user's, oldest first. */
  ephemerals(user?: string): EphemeralMessage[];
  /** Posts to response_urls, all or one url's (by id or the whole url), oldest first. */
  responses(id?: string): ResponseUrlPost[];
  /** The App Home a user sees, if the bot published one. */
  homeView(user: string): JsonObject | undefined;
  /** A channel by id or name. */
  channel(idOrName: string): SlackChannel | undefined;
  /** Every channel. */
  channels(): SlackChannel[];
  /** A user by id. */
  user(id: string): SlackUser | undefined;
  /** A user group by id. */
  userGroup(id: string): SlackUserGroup | undefined;
  /** Adds a channel (bot a member, public, created now unless given); lost on reset(). */
  addChannel(channel: Partial<SlackChannel> & { name: string }): SlackChannel;
  /** Adds a user; lost on reset(). */
  addUser(user: SlackUser): SlackUser;
  /** Adds a user group; lost on reset(). */
  addUserGroup(group: SlackUserGroup): SlackUserGroup;
  /** A message written by a person (not through the API, so not a bot write). */
  addMessage(message: PersonMessage): EmulatedMessage;
  /** A trigger id, as Slack sends with an interaction; valid once, for 3 s. */
  issueTriggerId(origin?: InteractionOrigin): string;
  /** A response_url for an interaction at `origin` (5 posts within 30 minutes). */
  newResponseUrl(origin?: InteractionOrigin): string;
  /** Makes the next `times` calls of `method` (or 'response_url') fail or stall. */
  failNext(method: string, fault: Fault, times?: number): void;
  /** Runs `action` when a Web API call matches (crash tests kill the caller there); returns the unsubscribe. */
  onCall(
    predicate: (call: ObservedCall) => boolean,
    action: () => void | Promise<void>,
    options?: OnCallOptions,
  ): () => void;
  /** Successful chat.postMessage and chat.update calls (ephemerals and response_url posts excluded). */
  writeCount(): number;
  /** Resolves with the predicate's value once it is truthy (polled every 10 ms); rejects showing recent calls. */
  waitFor<T>(
    predicate: (emulator: SlackEmulator) => T | undefined | null | false,
    timeoutMs?: number,
  ): Promise<T>;
  /** Back to the starting workspace with nothing recorded. */
  reset(): void;
  /** Stops the server. */
  close(): Promise<void>;
}

function rateBudgets(option: SlackEmulatorOptions['rateLimits']): Record<string, RateBudget> | undefined {
  if (option === undefined || option === false) return undefined;
  return option === true ? { ...SLACK_RATE_TIERS } : { ...SLACK_RATE_TIERS, ...option };
}

/** Starts a Slack emulator on 127.0.0.1 and an ephemeral port. */
export async function startSlackEmulator(options: SlackEmulatorOptions = {}): Promise<SlackEmulator> {
  const bot = { ...DEFAULT_BOT, ...options.bot };
  const team = { ...DEFAULT_TEAM, ...options.team };
  const token = options.token ?? DEFAULT_BOT_TOKEN;
  const state = new SlackState({
    token,
    bot,
    team,
    seed: options.workspace ?? defaultWorkspace(),
    clock: options.clock ?? Date.now,
  });
  const budgets = rateBudgets(options.rateLimits);
  const limiter = budgets === undefined ? undefined : new RateLimiter(budgets);
  const latencyMs = options.latencyMs ?? 0;
  const socketMode = await startSocketMode({
    state,
    appToken: options.appToken ?? DEFAULT_APP_TOKEN,
    appId: bot.appId,
    latencyMs,
    emulator: () => emulator,
  });
  const hooks = new CallHooks();
  const api = createRequestListener(state, { limiter, latencyMs, hooks });
  // The dispatcher checks every method against the bot token; apps.connections.open alone takes the app token.
  const server = createServer((req, res) =>
    socketMode.handles(req)
      ? void socketMode.connectionsOpen(req, res).catch(() => res.destroy())
      : api(req, res),
  );
  // Slack keeps idle connections open for about a minute, so clients reuse them; a short timeout here would make
  // every call a new connection (fetch drops a connection whose server hints at less than two seconds left).
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  }).catch(async (error: unknown) => {
    await socketMode.close();
    throw error;
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}/`;

  const emulator: SlackEmulator = {
    url,
    apiUrl: `${url}api/`,
    token,
    socketMode,
    bot,
    team,
    get calls() {
      return state.calls;
    },
    get views() {
      return state.views;
    },
    callsTo: (method) => state.calls.filter((c) => c.method === method),
    messages: (channel) => threadsOf(state, state.findChannel(channel)?.id ?? channel),
    ephemerals: (user) =>
      structuredClone(
        state.ephemerals.filter((e) => e.deleted !== true && (user === undefined || e.user === user)),
      ),
    responses: (id) =>
      structuredClone(
        state.responsePosts.filter(
          (p) => id === undefined || p.id === id || id.endsWith(`/response/${p.id}`),
        ),
      ),
    homeView: (user) => structuredClone(state.homeViews.get(user)),
    channel: (idOrName) => state.findChannel(idOrName),
    channels: () => [...state.channels.values()],
    user: (id) => state.users.get(id),
    userGroup: (id) => state.userGroups.get(id),
    addChannel(channel) {
      const added: SlackChannel = {
        id: channel.id ?? state.nextId('C'),
        created: Math.floor(state.now() / 1000),
        is_member: true,
        is_private: false,
        ...channel,
      };
      state.channels.set(added.id, added);
      state.channelMessages(added.id);
      return added;
    },
    addUser(user) {
      state.users.set(user.id, { ...user });
      return user;
    },
    addUserGroup(group) {
      state.userGroups.set(group.id, { ...group, users: [...group.users] });
      return group;
    },
    addMessage(message) {
      const channel = state.findChannel(message.channel);
      if (!channel) throw new Error(`addMessage: no channel ${message.channel}`);
      const stored: EmulatedMessage = {
        ...message,
        channel: channel.id,
        ts: state.nextTs(),
        edits: [],
        source: 'seed',
      };
      if (message.thread_ts !== undefined)
        stored.thread_ts = state.findMessage(channel.id, message.thread_ts)?.thread_ts ?? message.thread_ts;
      return structuredClone(storeMessage(state, stored));
    },
    issueTriggerId: (origin) => issueTrigger(state, origin),
    newResponseUrl: (origin) => issueResponseUrl(state, url, origin),
    failNext(method, fault, times = 1) {
      const queue = state.faults.get(method) ?? [];
      for (let i = 0; i < times; i += 1) queue.push(fault);
      state.faults.set(method, queue);
    },
    onCall: (predicate, action, onCallOptions) => hooks.add(predicate, action, onCallOptions),
    writeCount: () => state.writes,
    async waitFor(predicate, timeoutMs = 2000) {
      const deadline = Date.now() + timeoutMs;
      let lastError: unknown;
      for (;;) {
        try {
          const value = predicate(emulator);
          if (value !== undefined && value !== null && value !== false) return value;
        } catch (error) {
          lastError = error;
        }
        if (Date.now() >= deadline) {
          const why = lastError instanceof Error ? ` (the predicate last threw: ${lastError.message})` : '';
          throw new Error(
            `Slack emulator: condition not met within ${timeoutMs} ms${why}.\nRecent Slack calls:\n${describeCalls(state.calls.slice(-15))}`,
          );
        }
        await sleep(10);
      }
    },
    reset() {
      state.reset();
      limiter?.reset();
      hooks.clear();
    },
    async close() {
      await socketMode.close();
      await new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      });
    },
  };
  return emulator;
}
