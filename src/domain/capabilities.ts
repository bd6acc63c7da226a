/**
 * What this version of hotfix-bot can do, in one place. Plans for a deploy method the installation cannot run are
 * refused here, commands not built yet answer so (command-usage.ts asks here), and every message asks here before it offers a button, a
 * command or a promise, so messages grow their buttons and hints as capabilities land (flip the flag, nothing else).
 */
import type { DeployMethod } from './catalog.js';
import type { Refusal } from './reasons.js';
import { Reason, refuse } from './reasons.js';

/** Features that are planned (DESIGN.md) but may not be built yet. */
export const FEATURES = {
  /** Rolling a failed or completed hotfix back to the versions it replaced (button and `/hotfix rollback`). */
  rollback: true,
  /** Rolling back by itself when verification fails (`policy.autoRollback`). */
  autoRollback: true,
  /** Handing the lock to a new hotfix that fixes a failed one. */
  patchForward: true,
  /** Opening the change records (Jira, calendar, Statuspage) itself. */
  changeRecords: true,
  /** Cutting `hotfix/<ticket>` from the production tag (`/hotfix branch`). */
  branch: true,
  /** Deploy statistics (`/hotfix stats`). */
  stats: false,
  /** The App Home tab. */
  homeTab: false,
} as const satisfies Record<string, boolean>;

/** A feature of FEATURES. */
export type Feature = keyof typeof FEATURES;

/** Whether this version does `feature`; `features` is injectable so tests can show what a message grows into. */
export function can(feature: Feature, features: Readonly<Record<Feature, boolean>> = FEATURES): boolean {
  return features[feature];
}

/** What a plan's method check needs: the services planned and the catalog's services. */
export interface MethodCheck {
  method: DeployMethod;
  services: readonly { service: string }[];
  /** Every catalog service with its method, to suggest a rehearsal instead. */
  catalogServices: readonly { name: string; method: DeployMethod }[];
}

/**
 * A plan this installation could approve but never deploy is refused at plan time, not after approval. `runnable`
 * names the methods the installation has wired (credentials present, method built).
 */
export function methodUnavailable(
  check: MethodCheck,
  runnable: ReadonlySet<DeployMethod>,
): Refusal | undefined {
  if (runnable.has(check.method)) return undefined;
  const services = check.services.map((s) => s.service).join(', ');
  const drills = check.catalogServices.filter((s) => runnable.has(s.method)).map((s) => `\`${s.name}\``);
  const practise =
    drills.length > 0 ? ` To practise the runbook meanwhile, plan a rehearsal (${drills.join(', ')}).` : '';
  return refuse(
    Reason.MethodUnavailable,
    `${services} deploys with ${check.method}, which this installation cannot run yet, so nothing was planned.${practise}`,
  );
}
