import type { KnownBlock } from '@slack/types';
import type { ChatPostMessageArguments, WebClient } from '@slack/web-api';
import type { Hotfix } from '../../domain/hotfix.js';
import { threadOf } from '../../domain/hotfix.js';
import type {
  Chat,
  MessageLinks,
  MessageRef,
  PostedKind,
  PostedQuery,
  ReminderKind,
  ReplyContext,
  StatusContext,
} from '../../ports/chat.js';
import type { HotfixEvent } from '../../domain/events.js';
import type { Moment } from '../../domain/moments.js';
import { describeEvent } from '../../domain/describe-event.js';
import {
  changeControlNotice,
  decisionReply,
  liveStatusMessage,
  momentMessage,
  planMessage,
  reminderMessage,
  statusFingerprint,
} from '../../slack/blocks/index.js';
import { asChatError } from './slack-errors.js';
import type { RecordNote } from '../../ports/record-notes.js';
import type { ForwardPortNote } from '../../ports/forward-port-notes.js';
import { forwardPortMessage } from '../../slack/blocks/forward-port-replies.js';
import { recordNoteMessage } from '../../slack/blocks/record-replies.js';

/** The builders' options for the links of a redraw. */
function linkOptions(links: MessageLinks): { supersededByLink?: string } {
  return links.supersededBy === undefined ? {} : { supersededByLink: links.supersededBy };
}

/** The metadata event type on every message the bot posts; the payload names the hotfix and the message kind. */
export const METADATA_EVENT = 'hotfix_bot_message';

interface Rendered {
  text: string;
  blocks: KnownBlock[];
}

/** `Chat` on the Slack Web API. Rendering uses the pure Block Kit builders; every failure becomes a ChatError. */
/** How long a person's name from `users.info` is used before asking Slack again. */
const NAME_TTL_MS = 10 * 60_000;

export class SlackChat implements Chat {
  /** Names Slack gave lately, by user id: every record text names the same few people again. */
  private readonly names = new Map<string, { name: string; until: number }>();

  constructor(
    private readonly client: WebClient,
    private readonly now: () => Date = () => new Date(),
    /** The installation opens forward-port pull requests itself (GitHub enabled): the completion says so. */
    private readonly options: { forwardPort?: boolean } = {},
  ) {}

  /** Posts the plan in the incident channel or thread. */
  async postPlan(hotfix: Hotfix): Promise<MessageRef> {
    const thread = hotfix.incident.threadTs;
    return this.post(hotfix, 'plan', hotfix.incident.channel, planMessage(hotfix), thread);
  }

  /** Redraws the plan message. */
  async updatePlan(hotfix: Hotfix, ref: MessageRef, links: MessageLinks = {}): Promise<void> {
    await this.update(ref, planMessage(hotfix, linkOptions(links)));
  }

  /** Posts the change-control notice. */
  async postNotice(hotfix: Hotfix, planLink: string | undefined): Promise<MessageRef> {
    const notice = changeControlNotice(hotfix, planLink === undefined ? {} : { planLink });
    return this.post(hotfix, 'notice', hotfix.snapshot.changeControl.id, notice);
  }

  /** Redraws the change-control notice. */
  async updateNotice(
    hotfix: Hotfix,
    ref: MessageRef,
    planLink: string | undefined,
    links: MessageLinks = {},
  ): Promise<void> {
    const options = { ...(planLink === undefined ? {} : { planLink }), ...linkOptions(links) };
    await this.update(ref, changeControlNotice(hotfix, options));
  }

  /** The plan message and the notice as drawn now (the notice without the plan link, which does not change), hashed. */
  messagesFingerprint(hotfix: Hotfix): string {
    return statusFingerprint([planMessage(hotfix), changeControlNotice(hotfix)]);
  }

  /** The live status message as drawn now, hashed. */
  statusFingerprint(hotfix: Hotfix, context: StatusContext): string {
    return statusFingerprint(liveStatusMessage(hotfix, context));
  }

  /** A plain reply in the hotfix's thread. */
  async replyInThread(hotfix: Hotfix, text: string, key?: string): Promise<MessageRef> {
    return this.post(hotfix, 'reply', hotfix.incident.channel, { text, blocks: [] }, threadOf(hotfix), key);
  }

  /** Posts the live status message in the hotfix's thread. */
  async postStatus(hotfix: Hotfix, context: StatusContext): Promise<MessageRef> {
    return this.post(
      hotfix,
      'status',
      hotfix.incident.channel,
      liveStatusMessage(hotfix, context),
      threadOf(hotfix),
    );
  }

  /** Redraws the live status message. */
  async updateStatus(hotfix: Hotfix, ref: MessageRef, context: StatusContext): Promise<void> {
    await this.update(ref, liveStatusMessage(hotfix, context));
  }

  /** Tells the incident thread about an event; the builders' wording, else the audit sentence. */
  async postEventReply(
    hotfix: Hotfix,
    event: HotfixEvent,
    key: string,
    context: ReplyContext = {},
  ): Promise<MessageRef> {
    const options = context.lockHolder ? { lockHolder: context.lockHolder } : {};
    const message = decisionReply(hotfix, event, options) ?? {
      text: `${hotfix.id}: ${describeEvent(event)}`,
      blocks: [],
    };
    return this.post(hotfix, 'reply', hotfix.incident.channel, message, threadOf(hotfix), key);
  }

  /** A moment that needs people: a new reply mentioning them, in the incident thread or shown in change control. */
  async postRecordNote(hotfix: Hotfix, note: RecordNote, key: string): Promise<MessageRef> {
    const reply = recordNoteMessage(hotfix, note);
    return this.post(hotfix, 'reply', hotfix.incident.channel, reply, threadOf(hotfix), key);
  }

  /** Redraws a record note posted earlier. */
  async updateRecordNote(hotfix: Hotfix, note: RecordNote, ref: MessageRef): Promise<void> {
    await this.update(ref, recordNoteMessage(hotfix, note));
  }

  /** Real names (else display names) from users.info, one call per person; one Slack cannot name is left out. */
  async displayNames(userIds: readonly string[]): Promise<Record<string, string>> {
    const names: Record<string, string> = {};
    const now = this.now().getTime();
    for (const id of new Set(userIds)) {
      const known = this.names.get(id);
      if (known && known.until > now) {
        names[id] = known.name;
        continue;
      }
      try {
        const { user } = await this.client.users.info({ user: id });
        const name = user?.profile?.real_name || user?.real_name || user?.profile?.display_name || user?.name;
        if (name) {
          names[id] = name;
          this.names.set(id, { name, until: now + NAME_TTL_MS });
        }
      } catch {
        // A person Slack cannot name (left the workspace, a system actor) keeps their id in the record.
      }
    }
    return names;
  }

  /**
   * A moment that needs people: a new reply mentioning them, in the incident thread or shown in change control; or a
   * client-safe post of its own in the client's prod-support channel.
   */
  async postMoment(hotfix: Hotfix, moment: Moment, key: string): Promise<MessageRef> {
    const reply = momentMessage(hotfix, moment, this.options);
    if (moment.place === 'prod_support')
      return this.post(hotfix, 'reply', hotfix.snapshot.client.prodSupportChannel.id, reply, undefined, key);
    if (moment.place === 'thread')
      return this.post(hotfix, 'reply', hotfix.incident.channel, reply, threadOf(hotfix), key);
    const channel = hotfix.refs['noticeChannel'] ?? hotfix.snapshot.changeControl.id;
    // In the notice's thread, and in the channel too: change control reads the channel, not every thread.
    return this.post(hotfix, 'reply', channel, reply, hotfix.refs['noticeTs'], key, true);
  }

  /** Tells the incident thread about the forward-port. */
  async postForwardPort(hotfix: Hotfix, note: ForwardPortNote, key: string): Promise<MessageRef> {
    const reply = forwardPortMessage(hotfix, note);
    return this.post(hotfix, 'reply', hotfix.incident.channel, reply, threadOf(hotfix), key);
  }

  /** Reminds change control in the notice's thread. */
  async postReminder(hotfix: Hotfix, kind: ReminderKind, key: string): Promise<MessageRef> {
    const channel = hotfix.refs['noticeChannel'] ?? hotfix.snapshot.changeControl.id;
    const message = reminderMessage(hotfix, kind, this.now());
    return this.post(hotfix, 'reminder', channel, message, hotfix.refs['noticeTs'], key);
  }

  /** An ephemeral message. */
  async tellUser(channel: string, user: string, text: string): Promise<void> {
    await this.call(() => this.client.chat.postEphemeral({ channel, user, text }));
  }

  /** A permalink, or undefined when Slack cannot give one (never worth failing a step for). */
  async permalink(ref: MessageRef): Promise<string | undefined> {
    if (!ref.ts) return undefined;
    try {
      const result = await this.client.chat.getPermalink({ channel: ref.channel, message_ts: ref.ts });
      return result.permalink;
    } catch {
      return undefined;
    }
  }

  /** Finds a message an earlier attempt posted, by the ULID, kind and key in its metadata, through every page. */
  async findPosted(query: PostedQuery): Promise<MessageRef | undefined> {
    const oldest = (query.since.getTime() / 1000).toFixed(6);
    let cursor: string | undefined;
    // Bounded, so a runaway cursor cannot hold a step forever; 50 pages of 200 is far more than any thread holds.
    for (let page = 0; page < 50; page++) {
      const more = cursor ? { cursor } : {};
      const base = { channel: query.channel, oldest, include_all_metadata: true, limit: 200, ...more };
      const threadTs = query.threadTs;
      const result = threadTs
        ? await this.call(() => this.client.conversations.replies({ ...base, ts: threadTs }))
        : await this.call(() => this.client.conversations.history(base));
      const match = (result.messages ?? []).find((m) => isPosted(m.metadata, query));
      if (match?.ts) return { channel: query.channel, ts: match.ts };
      cursor = result.response_metadata?.next_cursor || undefined;
      if (!cursor) return undefined;
    }
    return undefined;
  }

  private async post(
    hotfix: Hotfix,
    kind: PostedKind,
    channel: string,
    message: Rendered,
    threadTs?: string,
    key?: string,
    broadcast = false,
  ): Promise<MessageRef> {
    const args = {
      channel,
      text: message.text,
      ...(message.blocks.length > 0 ? { blocks: message.blocks } : {}),
      ...(threadTs !== undefined ? { thread_ts: threadTs } : {}),
      // Web API's argument types do not express "thread_ts and reply_broadcast together"; Slack accepts it.
      ...(threadTs !== undefined && broadcast ? { reply_broadcast: true } : {}),
      metadata: {
        event_type: METADATA_EVENT,
        event_payload: { ulid: hotfix.ulid, id: hotfix.id, kind, ...(key !== undefined ? { key } : {}) },
      },
      unfurl_links: false,
    } as ChatPostMessageArguments;
    const result = await this.call(() => this.client.chat.postMessage(args));
    if (!result.ts) throw new Error(`chat.postMessage to ${channel} returned no ts`);
    return { channel: result.channel ?? channel, ts: result.ts };
  }

  private async update(ref: MessageRef, message: Rendered): Promise<void> {
    await this.call(() =>
      this.client.chat.update({
        channel: ref.channel,
        ts: ref.ts,
        text: message.text,
        blocks: message.blocks,
      }),
    );
  }

  private async call<T>(request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (error) {
      throw asChatError(error);
    }
  }
}

function isPosted(
  metadata: { event_type?: string; event_payload?: unknown } | undefined,
  query: PostedQuery,
) {
  const payload = metadata?.event_payload as { ulid?: unknown; kind?: unknown; key?: unknown } | undefined;
  return (
    metadata?.event_type === METADATA_EVENT &&
    payload?.ulid === query.ulid &&
    payload.kind === query.kind &&
    (query.key === undefined || payload.key === query.key)
  );
}
