/** Test helpers for forms: their inputs, and what Slack would submit for them. */
import type { InputBlock, ModalView } from '@slack/types';
import { INPUT_ACTION_ID, type SubmittedValues } from '../../../../src/slack/blocks/modal-kit.js';

/** The input blocks of a form, in order. */
export function inputs(view: ModalView): InputBlock[] {
  return view.blocks.filter((b): b is InputBlock => b.type === 'input');
}

/** What Slack would submit if the person changed nothing, with `changes` typed or chosen on top. */
export function submitted(view: ModalView, changes: Record<string, string> = {}): SubmittedValues {
  const values: SubmittedValues = {};
  for (const block of inputs(view)) {
    const id = block.block_id ?? '';
    const e = block.element;
    const chosen = changes[id];
    if (e.type === 'static_select') {
      const value = chosen ?? e.initial_option?.value;
      values[id] = { [INPUT_ACTION_ID]: { selected_option: value === undefined ? null : { value } } };
    } else if (e.type === 'plain_text_input') {
      values[id] = { [INPUT_ACTION_ID]: { value: chosen ?? e.initial_value ?? null } };
    }
  }
  return values;
}
