import type { HotfixEvent } from '../domain/events.js';
import type { Hotfix } from '../domain/hotfix.js';
import type { Moment } from '../domain/moments.js';
import type { ForwardPortNote } from './forward-port-notes.js';
import type { RecordNote } from './record-notes.js';

/** Where a Slack message is. */
export interface MessageRef {
  channel: string;
  ts: string;
}

/**
 * Why a Slack call failed, in terms the workflow can act on. `unknown_outcome`: no answer came (a timeout, a lost
 * connection, a 5xx), so the call may have been carried out; every other failure is Slack's answer that it was not.
 */
export type ChatFailure =
  | 'not_in_channel'
  | 'channel_not_found'
  | 'group_not_found'
  | 'rate_limited'
  | 'message_not_found'
  | 'unknown_outcome'
  | 'other';

/** A Slack call that failed; `failure` says what the person or the workflow should do about it. */
export class ChatError extends Error {
  constructor(
    readonly failure: ChatFailure,
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'ChatError';
  }
}

/**
 * Slack as the workflow needs it. Methods speak of hotfix messages, not blocks: rendering is the adapter's job, so
 * the workflow never imports Block Kit. Every post carries the hotfix ULID as message metadata, so a re-run step can
 * find a message an earlier attempt posted but did not record.
 */
export interface Chat {
  /**
   * Posts the plan in the incident channel: a reply in `hotfix.incident.threadTs` when the plan was made from a
   * thread, else a new thread root.
   */
  postPlan(hotfix: Hotfix): Promise<MessageRef>;
  /** Redraws the plan message from the record (`links`: what the record knows only by id, as links). */
  updatePlan(hotfix: Hotfix, ref: MessageRef, links?: MessageLinks): Promise<void>;
  /** Posts the change-control notice (with Approve / Reject while it waits) in the change-control channel. */
  postNotice(hotfix: Hotfix, planLink: string | undefined): Promise<MessageRef>;
  /** Redraws the notice from the record: buttons go once the plan is decided. */
  updateNotice(
    hotfix: Hotfix,
    ref: MessageRef,
    planLink: string | undefined,
    links?: MessageLinks,
  ): Promise<void>;
  /** Posts the live status message in the hotfix's thread. */
  postStatus(hotfix: Hotfix, context: StatusContext): Promise<MessageRef>;
  /** Redraws the live status message. */
  updateStatus(hotfix: Hotfix, ref: MessageRef, context: StatusContext): Promise<void>;
  /**
   * What the plan message and the notice show for this record, as a fingerprint: equal fingerprints draw equal
   * messages, so a redraw that would change nothing visible is skipped.
   */
  messagesFingerprint(hotfix: Hotfix): string;
  /** What the live status message shows for this record and context, as a fingerprint. */
  statusFingerprint(hotfix: Hotfix, context: StatusContext): string;
  /** A plain reply in the hotfix's thread; `key` lets a re-run find this exact reply. */
  replyInThread(hotfix: Hotfix, text: string, key?: string): Promise<MessageRef>;
  /** Tells the incident thread about one event of the audit trail; `key` lets a re-run find this exact reply. */
  postEventReply(
    hotfix: Hotfix,
    event: HotfixEvent,
    key: string,
    context?: ReplyContext,
  ): Promise<MessageRef>;
  /**
   * A new reply (not an edit: Slack notifies nobody of an edit) for a moment that needs people, mentioning them: in
   * the incident thread, or in the notice's thread in change control and shown in the channel too. `key` lets a re-run
   * find this exact reply.
   */
  postMoment(hotfix: Hotfix, moment: Moment, key: string): Promise<MessageRef>;
  /** Tells the incident thread about the change records (created, not created, closed); `key` finds it again. */
  postRecordNote(hotfix: Hotfix, note: RecordNote, key: string): Promise<MessageRef>;
  /** Tells the incident thread about the forward-port (pull request, reminder, end); `key` finds it again. */
  postForwardPort(hotfix: Hotfix, note: ForwardPortNote, key: string): Promise<MessageRef>;
  /** Redraws a record note posted earlier (a failure whose Retry is done with loses its button). */
  updateRecordNote(hotfix: Hotfix, note: RecordNote, ref: MessageRef): Promise<void>;
  /**
   * People's names by Slack user id, for records read outside Slack (Jira, the calendar); an id Slack cannot name is
   * left out, never a failure. Called by jobs only.
   */
  displayNames(userIds: readonly string[]): Promise<Record<string, string>>;
  /** Reminds change control in the notice's thread: approval still pending, or a break-glass not yet acknowledged. */
  postReminder(hotfix: Hotfix, kind: ReminderKind, key: string): Promise<MessageRef>;
  /** A message only `user` sees, in `channel`. */
  tellUser(channel: string, user: string, text: string): Promise<void>;
  /** A link people can click to reach the message, if Slack gives one. */
  permalink(ref: MessageRef): Promise<string | undefined>;
  /**
   * A message with this hotfix's ULID and kind in its metadata, if an earlier attempt posted one: among the
   * channel's messages since `since`, or among the replies of `threadTs` when given.
   */
  findPosted(query: PostedQuery): Promise<MessageRef | undefined>;
}

/** The kinds of message the bot posts, stored in message metadata to find them again. */
export type PostedKind = 'plan' | 'notice' | 'status' | 'reply' | 'reminder';

/** What else a reply should say: who holds the environment this hotfix needs, when someone does. */
export interface ReplyContext {
  lockHolder?: { id: string; state: string; since: string };
}

/** Permalinks a redraw shows for what the record names by id. */
export interface MessageLinks {
  /** The plan of the hotfix that superseded this one (patch forward). */
  supersededBy?: string;
}

/** What the status message shows besides the record: the queue and the pause. */
export interface StatusContext {
  /** The plan of the hotfix that superseded this one (patch forward). */
  supersededByLink?: string;
  queuedBehind?: { id: string; state: string; since: string };
  position?: number;
  paused?: { by: string; reason: string; at: string };
}

/** The reminders change control gets. */
export type ReminderKind = 'approval' | 'break_glass_ack';

/** What identifies a posted message: its hotfix, kind and (for replies and reminders) key, where and since when. */
export interface PostedQuery {
  channel: string;
  ulid: string;
  kind: PostedKind;
  since: Date;
  threadTs?: string;
  key?: string;
}
