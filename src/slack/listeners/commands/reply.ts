import type { KnownBlock } from '@slack/types';
import type { WebClient } from '@slack/web-api';

/** A slash-command answer carried in the ack. */
export interface Reply {
  response_type: 'ephemeral' | 'in_channel';
  text: string;
  blocks?: KnownBlock[];
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
