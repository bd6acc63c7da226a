/**
 * Pieces every form of the bot is built from, and the way back from a submitted form. Each constructor keeps to
 * Slack's limit for its field, so a long prefill shortens a form instead of making `views.open` fail.
 */
import type { InputBlock, KnownBlock, ModalView, PlainTextOption } from '@slack/types';
import { plain, SLACK_LIMITS } from './block-kit.js';

/** The `action_id` of every input in every form: listeners read a value by its block id alone. */
export const INPUT_ACTION_ID = 'value';

/** Longest reason a form takes; the rest of the message that shows it needs room too. */
export const MODAL_REASON_MAX = 2000;

/** One submitted input, as Slack puts it in `view.state.values` (only the fields the forms use). */
export interface SubmittedInput {
  value?: string | null;
  selected_option?: { value?: string } | null;
}

/** `view.state.values`: block id -> action id -> input. */
export type SubmittedValues = Record<string, Record<string, SubmittedInput>>;

/** The text typed or the option chosen in one input, trimmed; '' when the input is absent or empty. */
export function submittedText(values: SubmittedValues, blockId: string): string {
  const input = values[blockId]?.[INPUT_ACTION_ID];
  const raw: unknown = input?.selected_option?.value ?? input?.value;
  // view.state comes from Slack: a value of the wrong type is treated as not given rather than trusted.
  return typeof raw === 'string' ? raw.trim() : '';
}

/** An option of a select. */
export function option(value: string, text: string = value): PlainTextOption {
  return { text: plain(text, 75), value };
}

const SEVERITY_TEXT: Record<number, string> = {
  1: 'Sev 1 (highest)',
  2: 'Sev 2',
  3: 'Sev 3 (default)',
  4: 'Sev 4',
};

/** The four severities as options, worst first. */
export function severityOptions(): PlainTextOption[] {
  return [1, 2, 3, 4].map((s) => option(String(s), SEVERITY_TEXT[s]));
}

/** An input block; optional only when asked, so a required field is the default. */
export function input(
  blockId: string,
  label: string,
  element: InputBlock['element'],
  extra: Partial<InputBlock> = {},
): InputBlock {
  return {
    type: 'input',
    block_id: blockId,
    label: plain(label, SLACK_LIMITS.inputLabel),
    element,
    ...extra,
  };
}

/** A single-choice select, with `initial` chosen when it is one of the options. */
export function select(
  blockId: string,
  label: string,
  options: PlainTextOption[],
  initial?: string,
): InputBlock {
  const shown = options.slice(0, 100);
  const chosen = shown.find((o) => o.value === initial);
  return input(blockId, label, {
    type: 'static_select',
    action_id: INPUT_ACTION_ID,
    placeholder: plain(`Choose the ${label.toLowerCase()}`, SLACK_LIMITS.placeholder),
    options: shown,
    ...(chosen ? { initial_option: chosen } : {}),
  });
}

/** How a text input looks and what it insists on. */
export interface TextShape {
  placeholder: string;
  initial?: string | undefined;
  multiline?: boolean;
  optional?: boolean;
  hint?: string;
  /** Slack refuses a shorter submission in the form itself, before the bot sees it. */
  minLength?: number;
}

/** A text input; a multiline one holds at most MODAL_REASON_MAX characters. */
export function textInput(blockId: string, label: string, shape: TextShape): InputBlock {
  const max = shape.multiline ? MODAL_REASON_MAX : SLACK_LIMITS.inputText;
  const element: InputBlock['element'] = {
    type: 'plain_text_input',
    action_id: INPUT_ACTION_ID,
    placeholder: plain(shape.placeholder, SLACK_LIMITS.placeholder),
    ...(shape.multiline ? { multiline: true, max_length: MODAL_REASON_MAX } : {}),
    ...(shape.minLength !== undefined ? { min_length: shape.minLength } : {}),
    ...(shape.initial ? { initial_value: shape.initial.slice(0, max) } : {}),
  };
  return input(blockId, label, element, {
    ...(shape.optional ? { optional: true } : {}),
    ...(shape.hint ? { hint: plain(shape.hint, SLACK_LIMITS.inputHint) } : {}),
  });
}

/** What a form is: its callback id, labels, what it carries back, and its blocks. */
export interface ModalShape {
  callbackId: string;
  title: string;
  submit: string;
  close?: string;
  metadata: object;
  blocks: KnownBlock[];
}

/** A modal within Slack's limits for labels and blocks. */
export function modal(shape: ModalShape): ModalView {
  return {
    type: 'modal',
    callback_id: shape.callbackId,
    title: plain(shape.title, SLACK_LIMITS.modalTitle),
    submit: plain(shape.submit, SLACK_LIMITS.modalTitle),
    close: plain(shape.close ?? 'Cancel', SLACK_LIMITS.modalTitle),
    private_metadata: JSON.stringify(shape.metadata),
    blocks: shape.blocks.slice(0, SLACK_LIMITS.modalBlocks),
  };
}
