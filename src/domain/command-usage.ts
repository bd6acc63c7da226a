/** The lines of `/hotfix help`: each subcommand's grammar and what it does (DESIGN.md section 4). */
import type { Feature } from './capabilities.js';
import { FEATURES, can } from './capabilities.js';
import type { Refusal } from './reasons.js';
import { Reason, refuse } from './reasons.js';

/** Each subcommand's grammar (after `/hotfix`) and what it does: the lines of the help message. */
export const SUBCOMMAND_USAGE = {
  help: ['help', 'this list'],
  plan: [
    'plan <service>@<tag>[,<service>@<tag>...] <client> <env> [sev=<1-4>] [incident=<KEY>] [reason="..."] [override="..."] [at=<HH:MM>]',
    'plan a hotfix (with `at=`, its deploy waits for that time, the client\'s); with parts missing it opens a form',
  ],
  status: ['status [HF-n]', 'where a hotfix is, or every active hotfix'],
  list: ['list', 'active hotfixes and who holds each environment'],
  cancel: ['cancel HF-n "<why>"', 'cancel a hotfix that has not finished (the deploy is aborted)'],
  rollback: [
    'rollback HF-n',
    'put back the versions a deployed hotfix replaced (failed, verifying or completed)',
  ],
  retry: ['retry HF-n', 'deploy a failed hotfix again'],
  patch: [
    'patch HF-n',
    'plan the fix of a failed hotfix for its client and env; approved, it takes over the lock',
  ],
  resolve: ['resolve HF-n "<why>"', 'close a failed hotfix that was dealt with by hand'],
  handoff: ['handoff HF-n @person', 'make someone else the owner of a hotfix'],
  unlock: ['unlock <client> <env> "<why>"', 'free an environment a hotfix still holds (admins; audited)'],
  pause: ['pause "<why>"', 'stop new deploys from starting (admins)'],
  resume: ['resume', 'let deploys start again'],
  branch: [
    'branch <service> <ticket> [client]',
    "cut hotfix/<ticket> from the tag running in the client's production",
  ],
  'not-needed': [
    'not-needed HF-n "<why>"',
    'the fix of a completed hotfix need not come back to main (stops forward-port reminders)',
  ],
  stats: ['stats [client] [days]', 'deploy times, failures and rollbacks'],
} as const satisfies Record<string, readonly [string, string]>;

/** A subcommand of `/hotfix`. */
export type Subcommand = keyof typeof SUBCOMMAND_USAGE;

/** Every subcommand, in help order. */
export const SUBCOMMANDS = Object.keys(SUBCOMMAND_USAGE) as Subcommand[];

/** One help line: `/hotfix <grammar>` as code, then what it does. */
export function usageOf(subcommand: Subcommand): string {
  const [grammar, meaning] = SUBCOMMAND_USAGE[subcommand];
  return `\`/hotfix ${grammar}\` — ${meaning}`;
}

/** The subcommands that need a feature to work (domain/capabilities.ts); the rest always work. */
const SUBCOMMAND_NEEDS: Partial<Record<Subcommand, Feature>> = {
  rollback: 'rollback',
  patch: 'patchForward',
  branch: 'branch',
  stats: 'stats',
};

/** Whether `/hotfix <subcommand>` works in this version. */
export function subcommandAvailable(
  subcommand: Subcommand,
  features: Readonly<Record<Feature, boolean>> = FEATURES,
): boolean {
  const needs = SUBCOMMAND_NEEDS[subcommand];
  return needs === undefined || can(needs, features);
}

/** The subcommands this version offers, in help order: help never lists one that would answer "not available". */
export const OFFERED_SUBCOMMANDS: readonly Subcommand[] = SUBCOMMANDS.filter((s) => subcommandAvailable(s));

/** The answer to a subcommand this version does not do yet. */
export function subcommandUnavailable(subcommand: Subcommand): Refusal {
  return refuse(
    Reason.NotAvailable,
    `\`/hotfix ${subcommand}\` is not available in this version of hotfix-bot yet. \`/hotfix help\` lists what is.`,
  );
}

/** The help message: one line per subcommand this version offers. */
export const USAGE = OFFERED_SUBCOMMANDS.map(usageOf).join('\n');

/** A subcommand's grammar as inline code, for messages that say what would have been right. */
export function grammar(subcommand: Subcommand): string {
  return `\`/hotfix ${SUBCOMMAND_USAGE[subcommand][0]}\``;
}
