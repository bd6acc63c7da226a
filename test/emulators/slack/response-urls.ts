/**
 * response_url: what Bolt's `respond()` posts to. Slack allows 5 posts within 30 minutes, and applies each one where
 * the interaction happened: a new ephemeral or channel message, or a replacement or deletion of the source message.
 */
import { randomBytes } from 'node:crypto';

import { blockProblems } from './block-rules.js';
import { storeMessage } from './messages.js';
import type { SlackState } from './state.js';
import type { InteractionOrigin, JsonObject, ResponseUrlPost } from './types.js';
import { isJsonObject } from './wire.js';

/** Posts Slack accepts per response_url. */
export const RESPONSE_URL_USES = 5;
/** How long a response_url stays valid. */
export const RESPONSE_URL_LIFETIME_MS = 30 * 60_000;

/** Issues a response_url for an interaction that happened at `origin`. */
export function issueResponseUrl(state: SlackState, baseUrl: string, origin: InteractionOrigin = {}): string {
  const id = `${state.config.team.id}/${state.nextId('')}/${randomBytes(8).toString('hex')}`.replaceAll(
    '/',
    '-',
  );
  state.responseUrls.set(id, { createdAt: state.now(), uses: 0, origin: { ...origin } });
  return `${baseUrl}response/${id}`;
}

/** The HTTP answer to a response_url post. */
export interface ResponseUrlAnswer {
  status: number;
  body: JsonObject;
}

function apply(state: SlackState, origin: InteractionOrigin, body: JsonObject, ts: string): void {
  const text = typeof body['text'] === 'string' ? body['text'] : '';
  const blocks = Array.isArray(body['blocks']) ? (body['blocks'] as JsonObject[]) : undefined;
  const content = blocks === undefined ? { text } : { text, blocks };
  const { channel, user, messageTs } = origin;
  if (body['delete_original'] === true || body['replace_original'] === true) {
    if (channel === undefined || messageTs === undefined) return;
    const message = state.findMessage(channel, messageTs);
    const ephemeral = state.ephemerals.find(
      (e) => e.channel === channel && e.ts === messageTs && e.deleted !== true,
    );
    const target = message ?? ephemeral;
    if (!target) return;
    if (body['delete_original'] === true) {
      target.deleted = true;
    } else if (message) {
      const previous = { text: message.text, replacedAt: ts };
      message.edits.push(message.blocks === undefined ? previous : { ...previous, blocks: message.blocks });
      message.text = text;
      if (blocks === undefined) delete message.blocks;
      else message.blocks = blocks;
    } else if (ephemeral) {
      Object.assign(ephemeral, content, { replaced: ephemeral.replaced + 1 });
      if (blocks === undefined) delete ephemeral.blocks;
    }
    return;
  }
  if (channel === undefined) return;
  const threadTs = typeof body['thread_ts'] === 'string' ? body['thread_ts'] : undefined;
  const thread = threadTs !== undefined ? { thread_ts: threadTs } : {};
  if (body['response_type'] === 'in_channel') {
    const { bot } = state.config;
    storeMessage(state, {
      channel,
      ts,
      user: bot.userId,
      bot_id: bot.botId,
      ...content,
      ...thread,
      edits: [],
      source: 'response_url',
    });
  } else if (user !== undefined) {
    state.ephemerals.push({ channel, user, ts, ...content, ...thread, replaced: 0, source: 'response_url' });
  }
}

/** Handles `POST /response/<id>` with the raw JSON body Bolt's respond() sends. */
export function postToResponseUrl(state: SlackState, id: string, raw: string): ResponseUrlAnswer {
  const issued = state.responseUrls.get(id);
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    body = undefined;
  }
  const answer = ((): ResponseUrlAnswer => {
    if (!issued) return { status: 404, body: { ok: false, error: 'invalid_url' } };
    if (state.now() - issued.createdAt > RESPONSE_URL_LIFETIME_MS)
      return { status: 404, body: { ok: false, error: 'expired_url' } };
    if (issued.uses >= RESPONSE_URL_USES) return { status: 404, body: { ok: false, error: 'used_url' } };
    if (!isJsonObject(body)) return { status: 400, body: { ok: false, error: 'invalid_payload' } };
    const empty =
      body['text'] === undefined && body['blocks'] === undefined && body['delete_original'] !== true;
    if (empty) return { status: 400, body: { ok: false, error: 'no_text' } };
    if (body['blocks'] !== undefined && blockProblems(body['blocks'], 50).length > 0) {
      return { status: 400, body: { ok: false, error: 'invalid_blocks' } };
    }
    issued.uses += 1;
    return { status: 200, body: { ok: true } };
  })();
  const post: ResponseUrlPost = {
    id,
    time: state.now(),
    ts: state.nextTs(),
    status: answer.status,
    ...(typeof answer.body['error'] === 'string' ? { error: answer.body['error'] } : {}),
    body: isJsonObject(body) ? body : { raw },
    origin: { ...(issued?.origin ?? {}) },
  };
  state.responsePosts.push(post);
  if (answer.status === 200 && issued && isJsonObject(body)) apply(state, issued.origin, body, post.ts);
  return answer;
}
