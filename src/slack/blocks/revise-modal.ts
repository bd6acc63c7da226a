/**
 * The form behind "Edit plan": the requester changes the services and tags, severity or reason of a plan that is
 * not deploying yet. Client and env are shown but fixed, because a different target is a different plan. The
 * submission becomes the same grammar text `/hotfix plan` takes, so one parser (parsePlan) checks both.
 */
import type { KnownBlock, ModalView } from '@slack/types';
import type { Hotfix } from '../../domain/hotfix.js';
import type { Refusal } from '../../domain/reasons.js';
import { context, fields, plain, section } from './block-kit.js';
import { clientLabel, envLabel, methodLabel, servicesGrammar } from './hotfix-summary.js';
import { CALLBACK_IDS, decisionMetadata, type NoticeRef } from './interaction-ids.js';
import {
  INPUT_ACTION_ID,
  modal,
  select,
  severityOptions,
  textInput,
  type SubmittedValues,
} from './modal-kit.js';
import { inlineCode } from './mrkdwn.js';
import { modalErrors, PLAN_MODAL_BLOCKS, readPlanModal } from './plan-modal-fields.js';

/** `block_id` of each input of the revise form; every input's `action_id` is `value`. */
export const REVISE_MODAL_BLOCKS = {
  services: PLAN_MODAL_BLOCKS.services,
  severity: PLAN_MODAL_BLOCKS.severity,
  reason: PLAN_MODAL_BLOCKS.reason,
} as const;

/** The target a revision keeps: the record's client and env. */
export interface RevisionTarget {
  client: string;
  env: string;
}

/**
 * The revise form (callback_id `hotfix_revise`), prefilled with the plan as it is. Metadata `{ ulid, planVersion }`,
 * plus `from` (the message the form was opened from, under the notice field names) when given, so the submission
 * can tell a refusal where the person clicked.
 */
export function revisePlanModal(hotfix: Hotfix, from?: NoticeRef): ModalView {
  const next = hotfix.planVersion + 1;
  const sendsBack =
    hotfix.state === 'approved'
      ? ` ${hotfix.id} is already approved: a change sends it back for approval.`
      : '';
  const blocks: KnownBlock[] = [
    section(
      `Change the plan of *${hotfix.id}*. Saving makes it plan v${next}: approvals given for v${hotfix.planVersion} no longer count, and change control is asked to review it again.${sendsBack}`,
    ),
    fields([
      ['Client', clientLabel(hotfix)],
      ['Env', envLabel(hotfix)],
    ]),
    context(
      `Client and env stay as they are. To deploy somewhere else, cancel with ${inlineCode(`/hotfix cancel ${hotfix.id}`)} and plan a new hotfix.`,
    ),
    ...inputs(hotfix),
  ];
  return modal({
    callbackId: CALLBACK_IDS.revise,
    title: `Edit ${hotfix.id}`,
    submit: `Save as plan v${next}`,
    metadata: decisionMetadata(hotfix, from),
    blocks,
  });
}

function inputs(hotfix: Hotfix): KnownBlock[] {
  const sameMethod = Object.values(hotfix.snapshot.services)
    .filter((s) => s.method === hotfix.method)
    .map((s) => s.name);
  return [
    textInput(REVISE_MODAL_BLOCKS.services, 'Services', {
      placeholder: 'decanting-service@24-02-05.619-hotfix.627',
      initial: servicesGrammar(hotfix),
      hint: `service@tag, several separated by commas. This plan deploys with the ${methodLabel(hotfix.method)}, so it can take: ${sameMethod.join(', ')}`,
    }),
    {
      ...select(REVISE_MODAL_BLOCKS.severity, 'Severity', severityOptions(), String(hotfix.severity)),
      hint: plain('Severity decides how many approvals the plan needs and whether break-glass is allowed.'),
    },
    textInput(REVISE_MODAL_BLOCKS.reason, 'Reason', {
      placeholder: 'What is broken for the client, and why this cannot wait for the next release',
      initial: hotfix.reason,
      multiline: true,
      optional: true,
    }),
  ];
}

/**
 * The submitted revision as plan grammar for the record's target: `<services> <client> <env> sev=N reason="..."`.
 * Only the form's own inputs are read, so a submission cannot smuggle in an incident or a freeze override.
 */
export function readRevision(values: SubmittedValues, target: RevisionTarget): { text: string } {
  const picked: SubmittedValues = {
    [PLAN_MODAL_BLOCKS.client]: { [INPUT_ACTION_ID]: { selected_option: { value: target.client } } },
    [PLAN_MODAL_BLOCKS.env]: { [INPUT_ACTION_ID]: { selected_option: { value: target.env } } },
  };
  for (const block of Object.values(REVISE_MODAL_BLOCKS)) {
    const submitted = values[block];
    if (submitted) picked[block] = submitted;
  }
  return readPlanModal(picked);
}

/** Problems by revise-form block id for `response_action: 'errors'`; those about fixed parts go on the services. */
export function reviseModalErrors(problems: readonly Refusal[]): Record<string, string> {
  const shown: string[] = Object.values(REVISE_MODAL_BLOCKS);
  const errors: Record<string, string> = {};
  for (const [block, text] of Object.entries(modalErrors(problems))) {
    const at = shown.includes(block) ? block : REVISE_MODAL_BLOCKS.services;
    errors[at] = errors[at] === undefined ? text : `${errors[at]}\n${text}`;
  }
  return errors;
}
