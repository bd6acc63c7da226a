/**
 * Block Kit limits Slack enforces when a message or modal is posted. A builder that breaks one works in a snapshot
 * test and fails in Slack, so the emulator refuses the same blocks, with Slack's error and a JSON pointer.
 */
import type { JsonObject } from './types.js';
import { SlackFailure, isJsonObject } from './wire.js';

type Problems = string[];

const TEXT_TYPES = new Set(['plain_text', 'mrkdwn']);
const ELEMENT_TYPES = new Set([
  'button',
  'static_select',
  'external_select',
  'users_select',
  'conversations_select',
  'channels_select',
  'multi_static_select',
  'multi_users_select',
  'overflow',
  'datepicker',
  'timepicker',
  'datetimepicker',
  'checkboxes',
  'radio_buttons',
  'plain_text_input',
  'number_input',
  'email_text_input',
  'url_text_input',
  'image',
  'rich_text_input',
]);

function checkText(value: unknown, at: string, max: number, problems: Problems, plainOnly = false): void {
  if (!isJsonObject(value) || typeof value['type'] !== 'string' || typeof value['text'] !== 'string') {
    problems.push(`must be a text object [json-pointer:${at}]`);
    return;
  }
  if (!TEXT_TYPES.has(value['type']) || (plainOnly && value['type'] !== 'plain_text')) {
    problems.push(`must be ${plainOnly ? 'plain_text' : 'plain_text or mrkdwn'} [json-pointer:${at}/type]`);
  }
  const length = value['text'].length;
  if (length === 0) problems.push(`must be more than 0 characters [json-pointer:${at}/text]`);
  if (length > max) problems.push(`must be less than ${max + 1} characters [json-pointer:${at}/text]`);
}

function checkElement(element: unknown, at: string, problems: Problems): string | undefined {
  if (!isJsonObject(element) || typeof element['type'] !== 'string' || !ELEMENT_TYPES.has(element['type'])) {
    problems.push(`unsupported element type [json-pointer:${at}/type]`);
    return undefined;
  }
  const actionId = element['action_id'];
  if (actionId !== undefined && (typeof actionId !== 'string' || actionId.length > 255)) {
    problems.push(`must be a string of at most 255 characters [json-pointer:${at}/action_id]`);
  }
  if (element['type'] === 'button') {
    checkText(element['text'], `${at}/text`, 75, problems, true);
    const value = element['value'];
    if (value !== undefined && (typeof value !== 'string' || value.length > 2000)) {
      problems.push(`must be a string of at most 2000 characters [json-pointer:${at}/value]`);
    }
    const style = element['style'];
    if (style !== undefined && style !== 'primary' && style !== 'danger') {
      problems.push(`must be primary or danger [json-pointer:${at}/style]`);
    }
  }
  return typeof actionId === 'string' ? actionId : undefined;
}

function checkElements(list: unknown, at: string, max: number, problems: Problems): void {
  if (!Array.isArray(list) || list.length === 0 || list.length > max) {
    problems.push(`must hold 1 to ${max} elements [json-pointer:${at}]`);
    return;
  }
  const seen = new Set<string>();
  list.forEach((element: unknown, i) => {
    const actionId = checkElement(element, `${at}/${i}`, problems);
    if (actionId === undefined) return;
    if (seen.has(actionId)) problems.push(`action_id already exists [json-pointer:${at}/${i}/action_id]`);
    seen.add(actionId);
  });
}

function checkBlock(block: JsonObject, at: string, problems: Problems): void {
  switch (block['type']) {
    case 'section': {
      if (block['text'] === undefined && block['fields'] === undefined) {
        problems.push(`must provide text or fields [json-pointer:${at}]`);
      }
      if (block['text'] !== undefined) checkText(block['text'], `${at}/text`, 3000, problems);
      const fields = block['fields'];
      if (fields !== undefined) {
        if (!Array.isArray(fields) || fields.length === 0 || fields.length > 10) {
          problems.push(`must hold 1 to 10 fields [json-pointer:${at}/fields]`);
        } else fields.forEach((f: unknown, i) => checkText(f, `${at}/fields/${i}`, 2000, problems));
      }
      if (block['accessory'] !== undefined) checkElement(block['accessory'], `${at}/accessory`, problems);
      return;
    }
    case 'header':
      return checkText(block['text'], `${at}/text`, 150, problems, true);
    case 'context': {
      const elements = block['elements'];
      if (!Array.isArray(elements) || elements.length === 0 || elements.length > 10) {
        problems.push(`must hold 1 to 10 elements [json-pointer:${at}/elements]`);
        return;
      }
      elements.forEach((e: unknown, i) => {
        if (isJsonObject(e) && e['type'] === 'image') return;
        checkText(e, `${at}/elements/${i}`, 3000, problems);
      });
      return;
    }
    case 'actions':
      return checkElements(block['elements'], `${at}/elements`, 25, problems);
    case 'input':
      checkText(block['label'], `${at}/label`, 2000, problems, true);
      checkElement(block['element'], `${at}/element`, problems);
      return;
    case 'markdown':
      if (typeof block['text'] !== 'string' || block['text'].length > 12000) {
        problems.push(`must be a string of at most 12000 characters [json-pointer:${at}/text]`);
      }
      return;
    case 'divider':
    case 'image':
    case 'rich_text':
    case 'file':
    case 'video':
      return;
    default:
      problems.push(`unsupported type: ${String(block['type'])} [json-pointer:${at}/type]`);
  }
}

/** The problems Slack would report for `blocks` (empty when Slack would accept them). */
export function blockProblems(blocks: unknown, maxBlocks: number): Problems {
  if (!Array.isArray(blocks)) return ['must be an array [json-pointer:/blocks]'];
  const problems: Problems = [];
  if (blocks.length > maxBlocks)
    problems.push(`must hold at most ${maxBlocks} blocks [json-pointer:/blocks]`);
  const blockIds = new Set<string>();
  blocks.forEach((block: unknown, i) => {
    const at = `/blocks/${i}`;
    if (!isJsonObject(block)) {
      problems.push(`must be an object [json-pointer:${at}]`);
      return;
    }
    const blockId = block['block_id'];
    if (blockId !== undefined) {
      if (typeof blockId !== 'string' || blockId.length > 255) {
        problems.push(`must be a string of at most 255 characters [json-pointer:${at}/block_id]`);
      } else if (blockIds.has(blockId)) {
        problems.push(`duplicate block_id [json-pointer:${at}/block_id]`);
      } else blockIds.add(blockId);
    }
    checkBlock(block, at, problems);
  });
  return problems;
}

/** The blocks argument of a message, checked; `undefined` when the call has none. */
export function messageBlocks(args: JsonObject): JsonObject[] | undefined {
  const blocks = args['blocks'];
  if (blocks === undefined || blocks === '') return undefined;
  if (typeof blocks === 'string') throw new SlackFailure('invalid_blocks_format');
  const problems = blockProblems(blocks, 50);
  if (problems.length > 0) {
    throw new SlackFailure('invalid_blocks', {
      response_metadata: { messages: problems.map((p) => `[ERROR] ${p}`) },
    });
  }
  return blocks as JsonObject[];
}

/** A modal view, checked as views.open checks it. */
export function checkedView(value: unknown): JsonObject {
  if (!isJsonObject(value))
    throw new SlackFailure('invalid_arguments', {
      response_metadata: { messages: ['[ERROR] missing required field: view'] },
    });
  const problems: Problems = [];
  if (value['type'] !== 'modal') problems.push('must be modal [json-pointer:/view/type]');
  checkText(value['title'], '/view/title', 24, problems, true);
  for (const key of ['submit', 'close']) {
    if (value[key] !== undefined) checkText(value[key], `/view/${key}`, 24, problems, true);
  }
  problems.push(
    ...blockProblems(value['blocks'], 100).map((p) =>
      p.replace('json-pointer:/blocks', 'json-pointer:/view/blocks'),
    ),
  );
  const hasInput =
    Array.isArray(value['blocks']) &&
    value['blocks'].some((b: unknown) => isJsonObject(b) && b['type'] === 'input');
  if (hasInput && value['submit'] === undefined)
    problems.push('a view with input blocks needs submit [json-pointer:/view/submit]');
  const metadata = value['private_metadata'];
  if (typeof metadata === 'string' && metadata.length > 3000) {
    problems.push('must be less than 3001 characters [json-pointer:/view/private_metadata]');
  }
  if (problems.length > 0) {
    throw new SlackFailure('invalid_arguments', {
      response_metadata: { messages: problems.map((p) => `[ERROR] ${p}`) },
    });
  }
  return value;
}
