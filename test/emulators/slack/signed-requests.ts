/**
 * Requests to a Bolt app's `/slack/events` exactly as Slack sends them: form-encoded slash commands, `payload=<json>`
 * interactions and JSON events, signed with the app's signing secret (`v0=` HMAC-SHA256 of `v0:<ts>:<body>`).
 * Given an emulator, interactions carry a live trigger id and response_url, so views.open and respond() work.
 */
import { randomBytes } from 'node:crypto';

import {
  VERIFICATION_TOKEN,
  actionTs,
  appIdOf,
  buttonIds,
  channelOf,
  findElement,
  findPosted,
  personOf,
  responseUrlFor,
  teamOf,
  triggerFor,
  type ChannelRef,
  type PersonRef,
} from './interaction-payloads.js';
import { FORM, sendPayload, sendSigned, type SignedRequestOptions } from './signing.js';
import type { JsonObject } from './types.js';
import { isJsonObject } from './wire.js';

/** What a person typed: `/hotfix <text>` in a channel. */
export interface SlashCommandInput {
  /** @defaultValue '/hotfix' */
  command?: string;
  text: string;
  user_id: string;
  user_name?: string;
  channel_id: string;
  channel_name?: string;
  team_id?: string;
  trigger_id?: string;
  response_url?: string;
}

/** Sends a slash command, form-encoded with the fields Slack sends. */
export function sendSlashCommand(
  url: string,
  secret: string,
  input: SlashCommandInput,
  opts: SignedRequestOptions = {},
) {
  const origin = { user: input.user_id, channel: input.channel_id };
  const team = teamOf(opts);
  const fields: Record<string, string> = {
    token: VERIFICATION_TOKEN,
    team_id: input.team_id ?? team.id,
    team_domain: team.domain,
    channel_id: input.channel_id,
    channel_name: input.channel_name ?? channelOf(input.channel_id, opts).name,
    user_id: input.user_id,
    user_name: input.user_name ?? personOf(input.user_id, opts).name,
    command: input.command ?? '/hotfix',
    text: input.text,
    api_app_id: appIdOf(opts),
    is_enterprise_install: 'false',
    response_url: responseUrlFor(input.response_url, origin, opts),
    trigger_id: triggerFor(input.trigger_id, origin, opts),
  };
  return sendSigned(url, secret, new URLSearchParams(fields).toString(), FORM, fields, opts);
}

/** One clicked element; block_id, value and label are read from the message when the emulator has it. */
export interface ClickedAction {
  action_id: string;
  block_id?: string;
  value?: string;
  type?: 'button' | 'checkboxes';
  /** For checkboxes: the options ticked after the click (Slack sends the whole set). */
  selected_options?: JsonObject[];
  text?: string;
}

/** A click on a message's button. */
export interface BlockActionInput {
  user: PersonRef;
  channel: ChannelRef;
  /** The message clicked (only `ts` is needed when the emulator holds it). */
  message?: JsonObject & { ts: string };
  /** Overrides the container Slack derives from the message. */
  container?: JsonObject;
  actions: ClickedAction[];
  trigger_id?: string;
  response_url?: string;
}

/** Sends a `block_actions` interaction, as when someone clicks a button. */
export function sendBlockAction(
  url: string,
  secret: string,
  input: BlockActionInput,
  opts: SignedRequestOptions = {},
) {
  const user = personOf(input.user, opts);
  const channel = channelOf(input.channel, opts);
  const ts = input.message?.ts;
  const posted = ts !== undefined && opts.emulator ? findPosted(opts.emulator, channel.id, ts) : {};
  const message = posted.message !== undefined ? { ...posted.message, ...input.message } : input.message;
  const isEphemeral = posted.ephemeral !== undefined;
  const blocks = message?.['blocks'] ?? posted.ephemeral?.['blocks'];
  const origin = { user: user.id, channel: channel.id, ...(ts !== undefined ? { messageTs: ts } : {}) };
  const threadTs = typeof message?.['thread_ts'] === 'string' ? message['thread_ts'] : undefined;
  const actions = input.actions.map((action) => {
    const found = findElement(blocks, action.action_id);
    const element = found?.element ?? {};
    const label =
      action.text ?? (isJsonObject(element['text']) ? String(element['text']['text']) : action.action_id);
    const value = action.value ?? (typeof element['value'] === 'string' ? element['value'] : undefined);
    return {
      action_id: action.action_id,
      block_id: action.block_id ?? found?.block_id ?? randomBytes(3).toString('base64url'),
      text: { type: 'plain_text', text: label, emoji: true },
      ...(value !== undefined ? { value } : {}),
      ...(typeof element['style'] === 'string' ? { style: element['style'] } : {}),
      type: action.type ?? 'button',
      ...(action.selected_options !== undefined ? { selected_options: action.selected_options } : {}),
      action_ts: actionTs(),
    };
  });
  const payload: JsonObject = {
    type: 'block_actions',
    user,
    api_app_id: appIdOf(opts),
    token: VERIFICATION_TOKEN,
    container: input.container ?? {
      type: 'message',
      message_ts: ts ?? '',
      channel_id: channel.id,
      is_ephemeral: isEphemeral,
      ...(threadTs !== undefined ? { thread_ts: threadTs } : {}),
    },
    trigger_id: triggerFor(input.trigger_id, origin, opts),
    team: teamOf(opts),
    enterprise: null,
    is_enterprise_install: false,
    channel,
    // Slack leaves the message out of payloads from ephemeral messages.
    ...(message !== undefined && !isEphemeral ? { message } : {}),
    state: { values: {} },
    response_url: responseUrlFor(input.response_url, origin, opts),
    actions,
  };
  return sendPayload(url, secret, payload, opts);
}

/** Clicks the button `action_id` on a message the emulator holds; fails naming the buttons that are there. */
export function clickButton(
  url: string,
  secret: string,
  input: { user: PersonRef; channel: ChannelRef; ts: string; action_id: string },
  opts: SignedRequestOptions & { emulator: NonNullable<SignedRequestOptions['emulator']> },
) {
  const channel = channelOf(input.channel, opts);
  const posted = findPosted(opts.emulator, channel.id, input.ts);
  const blocks = (posted.message ?? posted.ephemeral)?.['blocks'];
  if (!findElement(blocks, input.action_id)) {
    const there = buttonIds(blocks);
    throw new Error(
      `clickButton: no ${input.action_id} on ${channel.id} ${input.ts} (buttons: ${there.length > 0 ? there.join(', ') : 'none'})`,
    );
  }
  return sendBlockAction(
    url,
    secret,
    { user: input.user, channel, message: { ts: input.ts }, actions: [{ action_id: input.action_id }] },
    opts,
  );
}

export { sendEvent, sendMessageShortcut, sendViewSubmission } from './signed-interactions.js';
export type { MessageShortcutInput, ViewSubmissionInput } from './signed-interactions.js';
export { sendPayload, sendSigned, signHeaders } from './signing.js';
export type { SignedHeader, SignedRequestOptions, SignedResponse } from './signing.js';
