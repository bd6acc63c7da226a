/**
 * Test helpers for Block Kit output: a plain-text rendering that reads like the message (snapshots are for people
 * to review), and a check of Slack's limits that fails with the block at fault.
 */
import type {
  AnyBlock,
  Button,
  Checkboxes,
  InputBlock,
  KnownBlock,
  ModalView,
  TextObject,
} from '@slack/types';
import { SLACK_LIMITS, type SlackMessage } from '../../../../src/slack/blocks/block-kit.js';

function textOf(t: TextObject | undefined): string {
  return t?.text ?? '';
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n');
}

function buttonLine(b: Button): string {
  const style = b.style ? ` (${b.style})` : '';
  const confirm = b.confirm ? ` confirm: "${textOf(b.confirm.text)}"` : '';
  return `  [${textOf(b.text)}]${style} action_id=${b.action_id ?? ''} value=${b.value ?? ''}${confirm}`;
}

function checkboxLines(e: Checkboxes): string[] {
  const ticked = new Set((e.initial_options ?? []).map((o) => o.value));
  return [
    `  (checkboxes) action_id=${e.action_id ?? ''}`,
    ...(e.options ?? []).map(
      (o) => `  [${ticked.has(o.value) ? 'x' : ' '}] ${textOf(o.text)} value=${o.value ?? ''}`,
    ),
  ];
}

function inputLines(block: InputBlock): string[] {
  const e = block.element;
  const head = `[input ${block.block_id ?? ''}${block.optional ? ', optional' : ''}] ${textOf(block.label)}`;
  const lines = [head, `  element: ${e.type} action_id=${'action_id' in e ? (e.action_id ?? '') : ''}`];
  if ('placeholder' in e && e.placeholder) lines.push(`  placeholder: ${textOf(e.placeholder)}`);
  if (e.type === 'plain_text_input' && e.initial_value !== undefined)
    lines.push(`  initial_value: ${e.initial_value}`);
  if (e.type === 'plain_text_input' && e.min_length !== undefined)
    lines.push(`  min_length: ${e.min_length}`);
  if (e.type === 'static_select') {
    lines.push(`  options: ${(e.options ?? []).map((o) => `${o.value}=${textOf(o.text)}`).join(' | ')}`);
    if (e.initial_option) lines.push(`  initial_option: ${e.initial_option.value ?? ''}`);
  }
  if (block.hint) lines.push(`  hint: ${textOf(block.hint)}`);
  return lines;
}

function blockLines(block: AnyBlock): string[] {
  const b = block as KnownBlock;
  const id = b.block_id ? ` #${b.block_id}` : '';
  switch (b.type) {
    case 'header':
      return [`[header] ${b.text.text}`];
    case 'section':
      return [
        `[section${id}]`,
        ...(b.text ? [indent(b.text.text)] : []),
        ...(b.fields ?? []).map((f) => indent(`| ${f.text.replace('\n', ': ').replace(/\n/g, ' / ')}`)),
        ...(b.accessory?.type === 'button' ? [`  beside: ${buttonLine(b.accessory)}`] : []),
      ];
    case 'context':
      return [`[context${id}]`, ...b.elements.map((e) => indent('text' in e ? e.text : '(image)'))];
    case 'divider':
      return ['[divider]'];
    case 'actions':
      return [
        `[actions${id}]`,
        ...b.elements.flatMap((e) =>
          e.type === 'button' ? [buttonLine(e)] : e.type === 'checkboxes' ? checkboxLines(e) : [e.type],
        ),
      ];
    case 'input':
      return inputLines(b);
    default:
      return [JSON.stringify(b)];
  }
}

/** A message as a reviewer would read it. */
export function render(message: SlackMessage): string {
  return [`text: ${message.text}`, ...message.blocks.flatMap(blockLines)].join('\n');
}

/** A modal as a reviewer would read it. */
export function renderModal(view: ModalView): string {
  const head = [
    `[modal callback_id=${view.callback_id ?? ''}] ${view.title.text} / submit: ${textOf(view.submit)} / close: ${textOf(view.close)}`,
    `private_metadata: ${view.private_metadata ?? ''}`,
  ];
  return [...head, ...view.blocks.flatMap(blockLines)].join('\n');
}

/** Every limit Slack enforces on the blocks these builders produce; returns what breaks one, empty when none. */
export function limitViolations(
  blocks: readonly AnyBlock[],
  maxBlocks: number = SLACK_LIMITS.messageBlocks,
): string[] {
  const problems: string[] = [];
  if (blocks.length > maxBlocks) problems.push(`${blocks.length} blocks > ${maxBlocks}`);
  blocks.forEach((block, i) => {
    const b = block as KnownBlock;
    const at = `block ${i} (${b.type})`;
    if (b.type === 'header' && b.text.text.length > SLACK_LIMITS.headerText)
      problems.push(`${at}: header too long`);
    if (b.type === 'section') {
      if (b.text && b.text.text.length > SLACK_LIMITS.sectionText)
        problems.push(`${at}: text ${b.text.text.length}`);
      if (!b.text && (b.fields ?? []).length === 0) problems.push(`${at}: neither text nor fields`);
      if ((b.fields ?? []).length > SLACK_LIMITS.sectionFields) problems.push(`${at}: too many fields`);
      for (const f of b.fields ?? [])
        if (f.text.length > SLACK_LIMITS.fieldText) problems.push(`${at}: field ${f.text.length}`);
    }
    if (b.type === 'context') {
      if (b.elements.length > SLACK_LIMITS.contextElements) problems.push(`${at}: too many elements`);
      for (const e of b.elements)
        if ('text' in e && e.text.length > SLACK_LIMITS.contextText)
          problems.push(`${at}: element ${e.text.length}`);
    }
    if (b.type === 'actions') {
      for (const e of b.elements) {
        if (e.type !== 'button') continue;
        if (e.text.text.length > SLACK_LIMITS.buttonText) problems.push(`${at}: button text`);
        if ((e.value ?? '').length > SLACK_LIMITS.buttonValue) problems.push(`${at}: button value`);
      }
    }
  });
  return problems;
}

/** Limits Slack enforces on a modal besides its blocks: labels, metadata and input fields. */
export function modalViolations(view: ModalView): string[] {
  const problems = limitViolations(view.blocks, SLACK_LIMITS.modalBlocks);
  for (const [name, t] of [
    ['title', view.title],
    ['submit', view.submit],
    ['close', view.close],
  ] as const) {
    if ((t?.text.length ?? 0) > SLACK_LIMITS.modalTitle) problems.push(`${name} longer than 24`);
  }
  if ((view.private_metadata ?? '').length > SLACK_LIMITS.privateMetadata) problems.push('private_metadata');
  for (const block of view.blocks.filter((b): b is InputBlock => b.type === 'input')) {
    const at = `input ${block.block_id ?? ''}`;
    const e = block.element;
    if (block.label.text.length > SLACK_LIMITS.inputLabel) problems.push(`${at}: label`);
    if ((block.hint?.text.length ?? 0) > SLACK_LIMITS.inputHint) problems.push(`${at}: hint`);
    if ('placeholder' in e && (e.placeholder?.text.length ?? 0) > SLACK_LIMITS.placeholder)
      problems.push(`${at}: placeholder`);
    if (e.type === 'plain_text_input') {
      const max = e.max_length ?? SLACK_LIMITS.inputText;
      if ((e.initial_value?.length ?? 0) > max) problems.push(`${at}: initial value longer than ${max}`);
    }
  }
  return problems;
}
