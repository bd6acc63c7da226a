/**
 * The Slack emulator's data model: what the workspace holds and what the emulator records. Field names follow
 * Slack's wire names (snake_case) so a test can compare a recorded value with what the Web API returned.
 */

/** A JSON object as it arrives on the wire, before anyone has checked its shape. */
export type JsonObject = { [key: string]: unknown };

/** A workspace member. */
export interface SlackUser {
  id: string;
  /** The handle people see (`@priya`). */
  name: string;
  real_name: string;
  is_bot?: boolean;
}

/** A user group (`<!subteam^S123>`), e.g. the approvers. */
export interface SlackUserGroup {
  id: string;
  handle: string;
  name?: string;
  users: string[];
}

/** A channel and whether the bot is in it. */
export interface SlackChannel {
  id: string;
  name: string;
  /** Unix seconds; the incident start when a plan names no incident. */
  created: number;
  /** Whether the bot is a member (it cannot post or read history otherwise). */
  is_member: boolean;
  is_private: boolean;
}

/** Slack message metadata as chat.postMessage takes it. */
export interface MessageMetadata {
  event_type: string;
  event_payload: JsonObject;
}

/** An earlier version of an edited message. */
export interface MessageVersion {
  text: string;
  blocks?: JsonObject[];
  /** The emulator ts at which this version was replaced. */
  replacedAt: string;
}

/** How a message or ephemeral came to exist. */
export type MessageSource = 'api' | 'response_url' | 'seed';

/** A message in a channel (a thread root, a reply, or a broadcast reply). */
export interface EmulatedMessage {
  channel: string;
  ts: string;
  /** Set on replies (the root's ts) and on roots that have replies. */
  thread_ts?: string;
  user?: string;
  bot_id?: string;
  text: string;
  blocks?: JsonObject[];
  metadata?: MessageMetadata;
  /** Previous versions, oldest first; the message itself holds the current one. */
  edits: MessageVersion[];
  reply_broadcast?: boolean;
  deleted?: boolean;
  source: MessageSource;
}

/** A thread root with its replies, oldest first. */
export interface MessageThread extends EmulatedMessage {
  replies: EmulatedMessage[];
}

/** A message only one user sees. */
export interface EphemeralMessage {
  channel: string;
  user: string;
  ts: string;
  thread_ts?: string;
  text: string;
  blocks?: JsonObject[];
  /** How many times a response_url `replace_original` replaced it. */
  replaced: number;
  deleted?: boolean;
  source: MessageSource;
}

/** Where an interaction happened, so a response_url post lands where Slack would put it. */
export interface InteractionOrigin {
  user?: string;
  channel?: string;
  /** The message the interaction came from (replace_original / delete_original act on it). */
  messageTs?: string;
}

/** One POST to a response_url, accepted or not. */
export interface ResponseUrlPost {
  id: string;
  /** Emulator clock, ms. */
  time: number;
  /** Orders the post among messages in the transcript. */
  ts: string;
  status: number;
  /** Why the post was refused (`used_url`, `expired_url`...), when it was. */
  error?: string;
  /** What was posted (Bolt's respond() body). */
  body: JsonObject;
  origin: InteractionOrigin;
}

/** A modal the bot opened, pushed or updated. */
export interface OpenedView {
  id: string;
  method: 'views.open' | 'views.push';
  user?: string;
  channel?: string;
  trigger_id: string;
  /** The view as last set (views.update replaces it). */
  view: JsonObject;
  hash: string;
  ts: string;
  updates: number;
}

/** One Web API call as the emulator saw it. */
export interface RecordedCall {
  method: string;
  /** Arguments with JSON-encoded form values decoded and the token removed. */
  args: JsonObject;
  /** Emulator clock, ms. */
  time: number;
  /** HTTP status returned (200, 429, 5xx). */
  status: number;
  /** The response body (a 5xx carries `{ ok: false, error: 'http_<status>' }` here). */
  result: JsonObject;
}

/** A fault to inject into the next call of a method. */
export type Fault =
  string | { status: 429; retryAfter: number } | { status: 500 | 502 | 503 | 504 } | { delayMs: number };

/** A rate budget: a bucket of `burst` calls refilled at `perMinute`. */
export interface RateBudget {
  perMinute: number;
  burst: number;
  /** Budget per channel (chat.postMessage) rather than per method. */
  perChannel?: boolean;
}

/** Everything the workspace starts with. */
export interface WorkspaceSeed {
  users: SlackUser[];
  userGroups: SlackUserGroup[];
  channels: SlackChannel[];
}

/** Who the bot is. */
export interface BotIdentity {
  userId: string;
  botId: string;
  appId: string;
  name: string;
}

/** Which workspace the emulator pretends to be. */
export interface TeamIdentity {
  id: string;
  domain: string;
  name: string;
}
