/**
 * Interaction payloads shaped like the ones Slack sends (block_actions, message_action, view_submission), filled
 * from the emulator when one is given: names, the clicked message, a live trigger id and response_url.
 */
import { randomBytes } from 'node:crypto';

import type { SlackEmulator } from './slack-emulator.js';
import type { InteractionOrigin, JsonObject } from './types.js';
import { isJsonObject } from './wire.js';
import { DEFAULT_BOT, DEFAULT_TEAM } from './workspace.js';

/** A person, by id or with a name. */
export type PersonRef = string | { id: string; name?: string };
/** A channel, by id or with a name. */
export type ChannelRef = string | { id: string; name?: string };

/** Slack's deprecated verification token; Bolt ignores it but real payloads carry one. */
export const VERIFICATION_TOKEN = 'verification-token-unused';

/** Where the payload is going and what it can borrow from the emulator. */
export interface PayloadContext {
  emulator?: SlackEmulator;
}

/** The fields every interaction payload shares. */
export function teamOf(ctx: PayloadContext) {
  const team = ctx.emulator?.team ?? DEFAULT_TEAM;
  return { id: team.id, domain: team.domain };
}

/** The app id payloads carry. */
export function appIdOf(ctx: PayloadContext): string {
  return ctx.emulator?.bot.appId ?? DEFAULT_BOT.appId;
}

/** A person as payloads name them (`user: { id, username, name, team_id }`). */
export function personOf(ref: PersonRef, ctx: PayloadContext) {
  const id = typeof ref === 'string' ? ref : ref.id;
  const name =
    (typeof ref === 'string' ? undefined : ref.name) ?? ctx.emulator?.user(id)?.name ?? id.toLowerCase();
  return { id, username: name, name, team_id: teamOf(ctx).id };
}

/** A channel as payloads name them (`channel: { id, name }`). */
export function channelOf(ref: ChannelRef, ctx: PayloadContext) {
  const id = typeof ref === 'string' ? ref : ref.id;
  const name =
    (typeof ref === 'string' ? undefined : ref.name) ?? ctx.emulator?.channel(id)?.name ?? id.toLowerCase();
  return { id, name };
}

/** A Slack-like ts for `action_ts`. */
export function actionTs(): string {
  return `${Math.floor(Date.now() / 1000)}.${randomBytes(3).readUIntBE(0, 3).toString().padStart(6, '0').slice(0, 6)}`;
}

/** A live trigger id from the emulator, else one that looks real. */
export function triggerFor(
  given: string | undefined,
  origin: InteractionOrigin,
  ctx: PayloadContext,
): string {
  return given ?? ctx.emulator?.issueTriggerId(origin) ?? `${Date.now()}.1.${randomBytes(6).toString('hex')}`;
}

/** A live response_url from the emulator, else one that looks real (and goes nowhere). */
export function responseUrlFor(
  given: string | undefined,
  origin: InteractionOrigin,
  ctx: PayloadContext,
): string {
  return (
    given ??
    ctx.emulator?.newResponseUrl(origin) ??
    `https://hooks.slack.com/actions/T0/1/${randomBytes(8).toString('hex')}`
  );
}

/** A message (or ephemeral) the emulator holds, found by ts. */
export function findPosted(
  emulator: SlackEmulator,
  channel: string,
  ts: string,
): { message?: JsonObject; ephemeral?: JsonObject } {
  for (const root of emulator.messages(channel)) {
    for (const m of [root, ...root.replies]) {
      if (m.ts !== ts) continue;
      const message: JsonObject = { type: 'message', ts: m.ts, text: m.text };
      if (m.user !== undefined) message['user'] = m.user;
      if (m.bot_id !== undefined) message['bot_id'] = m.bot_id;
      if (m.blocks !== undefined) message['blocks'] = m.blocks;
      if (m.thread_ts !== undefined) message['thread_ts'] = m.thread_ts;
      return { message };
    }
  }
  const ephemeral = emulator.ephemerals().find((e) => e.channel === channel && e.ts === ts);
  return ephemeral
    ? { ephemeral: { type: 'message', ts, text: ephemeral.text, blocks: ephemeral.blocks ?? [] } }
    : {};
}

/** The interactive element with `actionId` in `blocks`, and the block holding it. */
export function findElement(
  blocks: unknown,
  actionId: string,
): { block_id: string | undefined; element: JsonObject } | undefined {
  if (!Array.isArray(blocks)) return undefined;
  for (const block of blocks) {
    if (!isJsonObject(block)) continue;
    const blockId = typeof block['block_id'] === 'string' ? block['block_id'] : undefined;
    const candidates = [...(Array.isArray(block['elements']) ? block['elements'] : []), block['accessory']];
    const element = candidates.find((e): e is JsonObject => isJsonObject(e) && e['action_id'] === actionId);
    if (element) return { block_id: blockId, element };
  }
  return undefined;
}

/** Every button's action_id in `blocks`, for error messages. */
export function buttonIds(blocks: unknown): string[] {
  if (!Array.isArray(blocks)) return [];
  return blocks.flatMap((block: unknown) => {
    if (!isJsonObject(block)) return [];
    const elements = [...(Array.isArray(block['elements']) ? block['elements'] : []), block['accessory']];
    return elements
      .filter((e): e is JsonObject => isJsonObject(e) && e['type'] === 'button')
      .map((e) => String(e['action_id']));
  });
}
