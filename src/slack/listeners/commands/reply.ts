import type { KnownBlock } from '@slack/types';
import type { WebClient } from '@slack/web-api';

/** A slash-command answer carried in the ack. */
export interface Reply {
  response_type: 'ephemeral' | 'in_channel';
  text: string;
  blocks?: KnownBlock[];
}

/**
 * An answer, and a call to make once Slack has it (opening a form, asking GitHub: the ack never waits on either);
 * `respond` answers the person again through the command's response_url.
 */
export interface ReplyThen {
  reply: Reply;
  afterAck: (respond: (reply: Reply) => Promise<void>) => Promise<void>;
  /** What the person is told (through the command's response_url) when `afterAck` fails. */
  ifThenFails: string;
}

/** A message only the person who typed the command sees. */
export function ephemeral(message: { text: string; blocks: KnownBlock[] }): Reply {
  return { response_type: 'ephemeral', text: message.text, blocks: message.blocks };
}

/** Who asked, where, and how to open a form if one is needed. */
export interface Invocation {
  userId: string;
  channel: string;
  triggerId: string;
  client: WebClient;
}
