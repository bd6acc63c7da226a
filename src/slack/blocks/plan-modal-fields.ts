/**
 * The plan form's block ids, and the way back from a submitted form to the plan grammar: the form's values become
 * the same text `/hotfix plan` takes, so one parser (parsePlan) validates both paths and words problems the same way.
 */
import type { ReasonCode, Refusal } from '../../domain/reasons.js';
import { Reason } from '../../domain/reasons.js';
import { INPUT_ACTION_ID, submittedText, type SubmittedValues } from './modal-kit.js';

export type { SubmittedInput, SubmittedValues } from './modal-kit.js';

/** `block_id` of each input of the plan form; every input's `action_id` is PLAN_MODAL_ACTION_ID. */
export const PLAN_MODAL_BLOCKS = {
  services: 'services',
  client: 'client',
  env: 'env',
  severity: 'severity',
  incident: 'incident',
  reason: 'reason',
  /** The deploy window (`at=`); not shown for a patch forward. */
  at: 'at',
  /** Shown only when a plan came with an override or was refused for a freeze window. */
  override: 'override',
} as const;

/** One of PLAN_MODAL_BLOCKS. */
export type PlanModalBlockId = (typeof PLAN_MODAL_BLOCKS)[keyof typeof PLAN_MODAL_BLOCKS];

/** The `action_id` of every input in the plan form (the same in every form). */
export const PLAN_MODAL_ACTION_ID = INPUT_ACTION_ID;

// The grammar has no escape for quotes; any of these would end the quoted text early.
const QUOTE_CHARS = /["\u201C\u201D\u201E]/g;

function read(values: SubmittedValues, block: PlanModalBlockId): string {
  return submittedText(values, block);
}

function quoted(key: string, text: string): string | undefined {
  return text === '' ? undefined : `${key}="${text.replace(QUOTE_CHARS, "'")}"`;
}

/** The submitted form as plan grammar: `services client env sev=N incident=K reason="..." at="..."`. */
export function readPlanModal(values: SubmittedValues): { text: string } {
  const services = read(values, PLAN_MODAL_BLOCKS.services)
    .replace(QUOTE_CHARS, '')
    .replace(/\s*,\s*/g, ',')
    .replace(/\s+/g, ' ');
  const incident = read(values, PLAN_MODAL_BLOCKS.incident);
  const severity = read(values, PLAN_MODAL_BLOCKS.severity);
  const words = [
    services,
    read(values, PLAN_MODAL_BLOCKS.client),
    read(values, PLAN_MODAL_BLOCKS.env),
    severity === '' ? undefined : `sev=${severity}`,
    // A key with a space is wrong, but quoting it keeps the parser's complaint on the incident, not a stray word.
    incident === '' ? undefined : /\s/.test(incident) ? quoted('incident', incident) : `incident=${incident}`,
    quoted('reason', read(values, PLAN_MODAL_BLOCKS.reason)),
    quoted('override', read(values, PLAN_MODAL_BLOCKS.override)),
    quoted('at', read(values, PLAN_MODAL_BLOCKS.at)),
  ];
  return { text: words.filter((w): w is string => w !== undefined && w !== '').join(' ') };
}

const BLOCK_OF: Partial<Record<ReasonCode, PlanModalBlockId>> = {
  [Reason.UnknownService]: PLAN_MODAL_BLOCKS.services,
  [Reason.BadTag]: PLAN_MODAL_BLOCKS.services,
  [Reason.DuplicateService]: PLAN_MODAL_BLOCKS.services,
  [Reason.MixedMethods]: PLAN_MODAL_BLOCKS.services,
  [Reason.MissingPart]: PLAN_MODAL_BLOCKS.services,
  [Reason.UnknownClient]: PLAN_MODAL_BLOCKS.client,
  [Reason.UnknownEnv]: PLAN_MODAL_BLOCKS.env,
  [Reason.NotPatchable]: PLAN_MODAL_BLOCKS.client,
  [Reason.BadSeverity]: PLAN_MODAL_BLOCKS.severity,
  [Reason.BadIncident]: PLAN_MODAL_BLOCKS.incident,
  [Reason.BadWindow]: PLAN_MODAL_BLOCKS.at,
};

/** The input a problem belongs to; anything not tied to one input is shown on the services. */
export function blockForProblem(problem: Refusal): PlanModalBlockId {
  return BLOCK_OF[problem.code] ?? PLAN_MODAL_BLOCKS.services;
}

/** Problems by input block id, for `ack({ response_action: 'errors', errors })`; several on one input are joined. */
export function modalErrors(problems: readonly Refusal[]): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const problem of problems) {
    const block = blockForProblem(problem);
    // Errors show as plain text, where backticks would show literally.
    const text = problem.message.replace(/`/g, '"');
    errors[block] = errors[block] === undefined ? text : `${errors[block]}\n${text}`;
  }
  return errors;
}
