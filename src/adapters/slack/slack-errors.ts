import { ErrorCode } from '@slack/web-api';
import { ChatError } from '../../ports/chat.js';
import type { ChatFailure } from '../../ports/chat.js';

const KNOWN: Record<string, ChatFailure> = {
  not_in_channel: 'not_in_channel',
  channel_not_found: 'channel_not_found',
  is_archived: 'channel_not_found',
  message_not_found: 'message_not_found',
  ratelimited: 'rate_limited',
  no_such_subteam: 'group_not_found',
};

/** Maps a Web API client error to the ChatError the workflow understands. */
export function asChatError(error: unknown): ChatError {
  if (error instanceof ChatError) return error;
  const e = error as { code?: string; data?: { error?: string }; retryAfter?: number; message?: string };
  if (e.code === ErrorCode.RateLimitedError) {
    return new ChatError('rate_limited', 'Slack rate limit reached', e.retryAfter);
  }
  if (e.code === ErrorCode.RequestError || e.code === ErrorCode.HTTPError) {
    // No answer from Slack (timeout, connection lost) or a server error: the call may have been carried out.
    return new ChatError('unknown_outcome', `Slack did not answer: ${e.message ?? String(error)}`);
  }
  const slackError = e.data?.error;
  const failure = (slackError && KNOWN[slackError]) || 'other';
  return new ChatError(
    failure,
    slackError ? `Slack refused the call: ${slackError}` : (e.message ?? String(error)),
  );
}
