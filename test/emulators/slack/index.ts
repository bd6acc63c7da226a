/**
 * The Slack emulator and its companions: the local Web API, Socket Mode, Slack-signed requests to a Bolt app, and a
 * transcript of the conversation.
 */
export { startSlackEmulator } from './slack-emulator.js';
export type { PersonMessage, SlackEmulator, SlackEmulatorOptions } from './slack-emulator.js';
export { DEFAULT_BOT, DEFAULT_BOT_TOKEN, DEFAULT_TEAM, defaultWorkspace } from './workspace.js';
export { DEFAULT_APP_TOKEN, SOCKET_ACK_TIMEOUT_MS } from './socket-mode.js';
export type {
  EnvelopeOptions,
  EnvelopeType,
  SentEnvelope,
  SocketAck,
  SocketModeEmulator,
} from './socket-mode.js';
export { SLACK_RATE_TIERS } from './rate-limits.js';
export { TRIGGER_LIFETIME_MS } from './methods-views.js';
export { RESPONSE_URL_LIFETIME_MS, RESPONSE_URL_USES } from './response-urls.js';
export { describeCalls } from './call-log.js';
export type { ObservedCall, OnCallOptions } from './dispatch.js';
export { failureOf, slackErrorOf } from './web-api-errors.js';
export { emulatorWebClient, silentLogger } from './web-client.js';
export {
  clickButton,
  sendBlockAction,
  sendEvent,
  sendMessageShortcut,
  sendPayload,
  sendSigned,
  sendSlashCommand,
  sendViewSubmission,
  signHeaders,
} from './signed-requests.js';
export type {
  BlockActionInput,
  ClickedAction,
  MessageShortcutInput,
  SignedHeader,
  SignedRequestOptions,
  SignedResponse,
  SlashCommandInput,
  ViewSubmissionInput,
} from './signed-requests.js';
export type { ChannelRef, PersonRef } from './interaction-payloads.js';
export { renderTranscript } from './transcript.js';
export type { TranscriptOptions } from './transcript.js';
export { plainFromMrkdwn } from './mrkdwn.js';
export type * from './types.js';
