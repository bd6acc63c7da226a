/**
 * The other interactions Slack sends a Bolt app: a message shortcut, a modal submission, and Events API callbacks.
 */
import { randomBytes } from 'node:crypto';

import {
  VERIFICATION_TOKEN,
  actionTs,
  appIdOf,
  channelOf,
  personOf,
  responseUrlFor,
  teamOf,
  triggerFor,
  type ChannelRef,
  type PersonRef,
} from './interaction-payloads.js';
import { sendPayload, sendSigned, type SignedRequestOptions } from './signing.js';
import type { JsonObject } from './types.js';

/** "Plan a hotfix here" chosen on a message. */
export interface MessageShortcutInput {
  callback_id: string;
  user: PersonRef;
  channel: ChannelRef;
  message: { ts: string; thread_ts?: string; text: string; user: string };
  trigger_id?: string;
  response_url?: string;
}

/** Sends a `message_action` (message shortcut) interaction. */
export function sendMessageShortcut(
  url: string,
  secret: string,
  input: MessageShortcutInput,
  opts: SignedRequestOptions = {},
) {
  const user = personOf(input.user, opts);
  const channel = channelOf(input.channel, opts);
  const origin = { user: user.id, channel: channel.id, messageTs: input.message.ts };
  const payload: JsonObject = {
    type: 'message_action',
    token: VERIFICATION_TOKEN,
    action_ts: actionTs(),
    team: teamOf(opts),
    user: { id: user.id, name: user.name, username: user.username, team_id: user.team_id },
    channel,
    is_enterprise_install: false,
    enterprise: null,
    callback_id: input.callback_id,
    trigger_id: triggerFor(input.trigger_id, origin, opts),
    response_url: responseUrlFor(input.response_url, origin, opts),
    message_ts: input.message.ts,
    message: { type: 'message', ...input.message },
  };
  return sendPayload(url, secret, payload, opts);
}

/** A modal submitted: its id, callback, private metadata and the values typed in. */
export interface ViewSubmissionInput {
  user: PersonRef;
  view: {
    id: string;
    callback_id: string;
    private_metadata?: string;
    state: { values: JsonObject };
  } & JsonObject;
  trigger_id?: string;
}

/** Sends a `view_submission`; with an emulator, the modal's recorded view fills in what the input leaves out. */
export function sendViewSubmission(
  url: string,
  secret: string,
  input: ViewSubmissionInput,
  opts: SignedRequestOptions = {},
) {
  const user = personOf(input.user, opts);
  const opened = opts.emulator?.views.find((v) => v.id === input.view.id);
  const team = teamOf(opts);
  const view: JsonObject = {
    type: 'modal',
    blocks: [],
    private_metadata: '',
    external_id: '',
    clear_on_close: false,
    notify_on_close: false,
    previous_view_id: null,
    ...(opened ? structuredClone(opened.view) : {}),
    ...input.view,
    team_id: team.id,
    hash: opened?.hash ?? `${Math.floor(Date.now() / 1000)}.${randomBytes(4).toString('hex')}`,
    root_view_id: input.view.id,
    app_id: appIdOf(opts),
    app_installed_team_id: team.id,
    bot_id: opts.emulator?.bot.botId ?? 'B0HOTFIXBOT',
  };
  const payload: JsonObject = {
    type: 'view_submission',
    team,
    user,
    api_app_id: appIdOf(opts),
    token: VERIFICATION_TOKEN,
    trigger_id: triggerFor(
      input.trigger_id,
      opened?.channel !== undefined ? { user: user.id, channel: opened.channel } : { user: user.id },
      opts,
    ),
    view,
    response_urls: [],
    is_enterprise_install: false,
    enterprise: null,
  };
  return sendPayload(url, secret, payload, opts);
}

/** Sends an Events API callback (`event_callback`) carrying `event`, as JSON. */
export function sendEvent(url: string, secret: string, event: JsonObject, opts: SignedRequestOptions = {}) {
  const team = teamOf(opts);
  const body: JsonObject = {
    token: VERIFICATION_TOKEN,
    team_id: team.id,
    api_app_id: appIdOf(opts),
    event,
    type: 'event_callback',
    event_id: `Ev${randomBytes(5).toString('hex').toUpperCase()}`,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [
      {
        team_id: team.id,
        user_id: opts.emulator?.bot.userId ?? 'U0HOTFIXBOT',
        is_bot: true,
        is_enterprise_install: false,
      },
    ],
    is_ext_shared_channel: false,
  };
  return sendSigned(url, secret, JSON.stringify(body), 'application/json', body, opts);
}
