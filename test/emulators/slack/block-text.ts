/**
 * Block Kit as lines of text, the way a person reads a rendered message: headers, section text and fields,
 * context, buttons as `[Label]`, dividers as a rule.
 */
import type { JsonObject } from './types.js';
import { isJsonObject } from './wire.js';

/** Turns mrkdwn (mentions, links) into what a person sees. */
export type TextRenderer = (mrkdwn: string) => string;

/** The rule a divider block becomes. */
export const DIVIDER = '----------';

function textOf(value: unknown): string {
  return isJsonObject(value) && typeof value['text'] === 'string' ? value['text'] : '';
}

function elementText(element: unknown): string {
  if (!isJsonObject(element)) return '';
  switch (element['type']) {
    case 'button':
      return `[${textOf(element['text'])}]`;
    case 'image':
      return '';
    case 'overflow':
      return '[...]';
    default: {
      const initial = isJsonObject(element['initial_option'])
        ? textOf(element['initial_option']['text'])
        : '';
      const shown = initial || textOf(element['placeholder']) || String(element['type']);
      return `[${shown} v]`;
    }
  }
}

function richText(node: unknown): string {
  if (!isJsonObject(node)) return '';
  switch (node['type']) {
    case 'text':
      return typeof node['text'] === 'string' ? node['text'] : '';
    case 'user':
      return `<@${String(node['user_id'])}>`;
    case 'channel':
      return `<#${String(node['channel_id'])}>`;
    case 'usergroup':
      return `<!subteam^${String(node['usergroup_id'])}>`;
    case 'link':
      return typeof node['text'] === 'string'
        ? `<${String(node['url'])}|${node['text']}>`
        : String(node['url']);
    case 'emoji':
      return `:${String(node['name'])}:`;
    case 'rich_text_list':
      return Array.isArray(node['elements'])
        ? node['elements'].map((e: unknown) => `- ${richText(e)}`).join('\n')
        : '';
    default:
      return Array.isArray(node['elements']) ? node['elements'].map(richText).join('') : '';
  }
}

function blockText(block: JsonObject, render: TextRenderer): string {
  switch (block['type']) {
    case 'header':
      return render(textOf(block['text']));
    case 'section': {
      const parts: string[] = [];
      if (block['text'] !== undefined) parts.push(render(textOf(block['text'])));
      if (Array.isArray(block['fields']))
        parts.push(block['fields'].map((f: unknown) => render(textOf(f))).join(' | '));
      const accessory = elementText(block['accessory']);
      return accessory === '' ? parts.join('\n') : `${parts.join('\n')} ${accessory}`;
    }
    case 'context':
      return Array.isArray(block['elements'])
        ? block['elements']
            .map((e: unknown) => (isJsonObject(e) && e['type'] === 'image' ? '' : render(textOf(e))))
            .filter((t) => t !== '')
            .join('  ')
        : '';
    case 'actions':
      return Array.isArray(block['elements']) ? block['elements'].map(elementText).join(' ') : '';
    case 'divider':
      return DIVIDER;
    case 'image':
      return `[image: ${typeof block['alt_text'] === 'string' ? block['alt_text'] : ''}]`;
    case 'input':
      return `${render(textOf(block['label']))}: ${elementText(block['element'])}`;
    case 'markdown':
      return render(typeof block['text'] === 'string' ? block['text'] : '');
    case 'rich_text':
      return render(richText(block));
    default:
      return `[${String(block['type'])} block]`;
  }
}

/** The lines a person reads in `blocks`, top to bottom. */
export function blockLines(blocks: readonly JsonObject[], render: TextRenderer): string[] {
  return blocks.flatMap((block) => blockText(block, render).split('\n'));
}
