/**
 * Small constructors for the Block Kit pieces the messages use. Each one enforces Slack's limit for its field, so a
 * long reason shortens a message instead of making Slack refuse to post it.
 */
import type {
  ActionsBlock,
  Button,
  ContextBlock,
  DividerBlock,
  HeaderBlock,
  KnownBlock,
  PlainTextElement,
  SectionBlock,
} from '@slack/types';
import { truncate } from './mrkdwn.js';

/** Slack's published limits that these builders stay within. */
export const SLACK_LIMITS = {
  messageBlocks: 50,
  modalBlocks: 100,
  sectionText: 3000,
  fieldText: 2000,
  sectionFields: 10,
  headerText: 150,
  contextElements: 10,
  contextText: 2000,
  buttonText: 75,
  buttonValue: 2000,
  /** Modal title, submit and close labels. */
  modalTitle: 24,
  privateMetadata: 3000,
  inputLabel: 2000,
  placeholder: 150,
  inputHint: 2000,
  /** Longest text a plain_text_input holds. */
  inputText: 3000,
  confirmTitle: 100,
  confirmText: 300,
  confirmButton: 30,
  /** Not a hard limit (Slack cuts at 40,000), but longer notification text is unreadable. */
  fallbackText: 3000,
} as const;

/** A message: `text` is the notification and the fallback for clients without blocks, so it reads on its own. */
export interface SlackMessage {
  text: string;
  blocks: KnownBlock[];
}

/** Plain text, with emoji shortcodes rendered. */
export function plain(text: string, max: number = SLACK_LIMITS.sectionText): PlainTextElement {
  return { type: 'plain_text', text: truncate(text, max), emoji: true };
}

/** A header line (plain text, 150 characters at most). */
export function header(text: string): HeaderBlock {
  return { type: 'header', text: plain(text, SLACK_LIMITS.headerText) };
}

/** A mrkdwn section. */
export function section(text: string): SectionBlock {
  return { type: 'section', text: { type: 'mrkdwn', text: truncate(text, SLACK_LIMITS.sectionText) } };
}

/** A section of label/value pairs shown two to a row; empty values are left out. */
export function fields(pairs: ReadonlyArray<readonly [string, string | undefined]>): SectionBlock {
  const shown = pairs.filter((pair): pair is readonly [string, string] => Boolean(pair[1]));
  return {
    type: 'section',
    fields: shown.slice(0, SLACK_LIMITS.sectionFields).map(([label, value]) => ({
      type: 'mrkdwn',
      text: truncate(`*${label}*\n${value}`, SLACK_LIMITS.fieldText),
    })),
  };
}

/** A line of small grey text; several parts are shown side by side. */
export function context(...parts: string[]): ContextBlock {
  return {
    type: 'context',
    elements: parts
      .slice(0, SLACK_LIMITS.contextElements)
      .map((text) => ({ type: 'mrkdwn', text: truncate(text, SLACK_LIMITS.contextText) })),
  };
}

/** A horizontal rule. */
export function divider(): DividerBlock {
  return { type: 'divider' };
}

/** A row of buttons under a fixed block id, so an update can find and replace it. */
export function actions(blockId: string, buttons: Button[]): ActionsBlock {
  return { type: 'actions', block_id: blockId, elements: buttons };
}

/** A button carrying a value back to the bot. */
export function button(
  actionId: string,
  label: string,
  value: string,
  style?: Button['style'],
  confirm?: Button['confirm'],
): Button {
  return {
    type: 'button',
    action_id: actionId,
    text: plain(label, SLACK_LIMITS.buttonText),
    value,
    ...(style ? { style } : {}),
    ...(confirm ? { confirm } : {}),
  };
}

/** Keeps a message within Slack's block limit, saying what was left out instead of failing to post. */
export function withinLimit(blocks: KnownBlock[], max: number = SLACK_LIMITS.messageBlocks): KnownBlock[] {
  if (blocks.length <= max) return blocks;
  const kept = blocks.slice(0, max - 1);
  return [...kept, context(`…${blocks.length - kept.length} more block(s) left out to fit Slack's limit.`)];
}

/** The message, with its notification text cut to a readable length. */
export function message(text: string, blocks: KnownBlock[]): SlackMessage {
  return { text: truncate(text, SLACK_LIMITS.fallbackText), blocks: withinLimit(blocks) };
}
