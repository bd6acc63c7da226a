/**
 * The plan form, opened when `/hotfix plan` leaves parts out or from the "Plan a hotfix here" shortcut. It is
 * prefilled with what was understood, and shows what was wrong at the top, so nobody types a plan twice.
 */
import type { InputBlock, KnownBlock, ModalView } from '@slack/types';
import { DEFAULT_SEVERITY } from '../../domain/hotfix.js';
import type { PartialPlan } from '../../domain/plan-grammar.js';
import { Reason, type Refusal } from '../../domain/reasons.js';
import { context, plain, SLACK_LIMITS } from './block-kit.js';
import { CALLBACK_IDS } from './interaction-ids.js';
import { modal, option, select, severityOptions, textInput } from './modal-kit.js';
import { ours, truncate } from './mrkdwn.js';
import { PLAN_MODAL_BLOCKS } from './plan-modal-fields.js';

export { PLAN_MODAL_ACTION_ID, PLAN_MODAL_BLOCKS, modalErrors, readPlanModal } from './plan-modal-fields.js';
export type { PlanModalBlockId, SubmittedInput, SubmittedValues } from './plan-modal-fields.js';
export { MODAL_REASON_MAX } from './modal-kit.js';

/** What the form starts with: a plan as far as it was understood, and the problems found in it. */
export type PlanModalPrefill = Partial<PartialPlan> & { problems?: readonly Refusal[] };

/** Where the plan will be posted, and the catalog names the form offers. */
export interface PlanModalContext {
  channel: string;
  threadTs?: string;
  /** Service names, shown as a hint. */
  services: string[];
  /** Client name -> its env names. */
  clients: Record<string, string[]>;
  /** A patch forward: the failed hotfix the plan replaces (the form says so, and carries its ULID back). */
  supersedes?: { ulid: string; id: string; client: string; env: string };
}

/** What the form carries back in `private_metadata`. */
export interface PlanModalMetadata {
  channel: string;
  threadTs?: string;
  /** The ULID of the failed hotfix a patch forward replaces. */
  supersedes?: string;
}

const HINT_MAX = SLACK_LIMITS.inputHint;

function problemsBlock(problems: readonly Refusal[]): KnownBlock[] {
  // The empty inputs already say what is missing; repeating it with the whole grammar only buries the real problems.
  const shown = problems.filter((p) => p.code !== Reason.MissingPart);
  if (shown.length === 0) return [];
  const lines = shown.map((p) => `• ${ours(p.message)}`).join('\n');
  return [context(truncate(`:warning: *Fix these and submit again:*\n${lines}`, SLACK_LIMITS.contextText))];
}

function envsHint(clients: Record<string, string[]>): string {
  return Object.entries(clients)
    .map(([client, envs]) => `${client}: ${envs.join(', ')}`)
    .join(' · ');
}

/** The plan form (callback_id `hotfix_plan`), prefilled from what `/hotfix plan` understood. */
export function planModal(prefill: PlanModalPrefill, where: PlanModalContext): ModalView {
  const metadata: PlanModalMetadata = {
    channel: where.channel,
    ...(where.threadTs !== undefined ? { threadTs: where.threadTs } : {}),
    ...(where.supersedes ? { supersedes: where.supersedes.ulid } : {}),
  };
  const blocks: KnownBlock[] = [
    ...patchForwardBlock(where),
    ...problemsBlock(prefill.problems ?? []),
    ...targetInputs(prefill, where),
    ...detailInputs(prefill, where.supersedes !== undefined),
  ];
  return modal({
    callbackId: CALLBACK_IDS.planModal,
    title: where.supersedes ? `Patch forward ${where.supersedes.id}` : 'Plan a hotfix',
    submit: 'Post plan',
    metadata,
    blocks,
  });
}

/** What a patch-forward plan does to the hotfix it replaces, said before anything is typed. */
function patchForwardBlock(where: PlanModalContext): KnownBlock[] {
  const failed = where.supersedes;
  if (!failed) return [];
  const env = `${failed.client} ${failed.env}`;
  return [
    context(
      `:fast_forward: *Patch forward of ${failed.id}* (failed): change the tag to the fixed build. This plan goes through approval as usual; when it is approved, ${failed.id} is superseded and its lock on ${env} passes to this plan, so nothing else deploys in between. If it is rejected or cancelled, ${failed.id} stays failed and keeps ${env}.`,
    ),
  ];
}

/** What changes where: services, client, env. */
function targetInputs(prefill: PlanModalPrefill, where: PlanModalContext): InputBlock[] {
  const clients = Object.keys(where.clients).map((c) => option(c));
  const envs = [...new Set(Object.values(where.clients).flat())].map((e) => option(e));
  const services = `service@tag, several separated by commas. Services: ${where.services.join(', ')}`;
  return [
    textInput(PLAN_MODAL_BLOCKS.services, 'Services', {
      placeholder: 'decanting-service@24-02-05.619-hotfix.627',
      initial: prefill.services,
      hint: truncate(services, HINT_MAX),
    }),
    select(PLAN_MODAL_BLOCKS.client, 'Client', clients, prefill.client),
    {
      ...select(PLAN_MODAL_BLOCKS.env, 'Env', envs, prefill.env),
      hint: plain(envsHint(where.clients), HINT_MAX),
    },
  ];
}

/**
 * How urgent, why and when; the freeze override only when a freeze is in play, to keep it out of every plan; no
 * deploy window for a patch forward, which deploys as soon as it is approved.
 */
function detailInputs(prefill: PlanModalPrefill, patchForward: boolean): InputBlock[] {
  const frozen = (prefill.problems ?? []).some((p) => p.code === Reason.Frozen);
  return [
    select(
      PLAN_MODAL_BLOCKS.severity,
      'Severity',
      severityOptions(),
      String(prefill.severity ?? DEFAULT_SEVERITY),
    ),
    textInput(PLAN_MODAL_BLOCKS.incident, 'Incident key', {
      placeholder: 'INC-4211',
      initial: prefill.incident,
      optional: true,
    }),
    ...(patchForward
      ? []
      : [
          textInput(PLAN_MODAL_BLOCKS.at, 'Deploy window opens at', {
            placeholder: '02:00 or 2026-12-02T02:00',
            initial: prefill.at,
            optional: true,
            hint: "In the client's time zone; the deploy waits until then. Empty: as soon as it is approved.",
          }),
        ]),
    textInput(PLAN_MODAL_BLOCKS.reason, 'Reason', {
      placeholder: 'What is broken for the client, and why this cannot wait for the next release',
      initial: prefill.reason,
      multiline: true,
      optional: true,
    }),
    ...(prefill.override !== undefined || frozen
      ? [
          textInput(PLAN_MODAL_BLOCKS.override, 'Freeze override reason', {
            placeholder: 'Why this cannot wait until the freeze ends (audited)',
            initial: prefill.override,
            multiline: true,
            optional: true,
          }),
        ]
      : []),
  ];
}
