import type { Actor, HotfixCommand } from '../domain/commands.js';
import { decide } from '../domain/decide.js';
import type { HotfixEvent } from '../domain/events.js';
import type { Hotfix } from '../domain/hotfix.js';
import type { Refusal } from '../domain/reasons.js';
import { Reason, refuse } from '../domain/reasons.js';
import { ConcurrentUpdateError } from '../ports/hotfix-store.js';
import type { WorkflowDeps } from './deps.js';

/** The result of a command: the record after it, or the refusal a person can act on. */
export type Outcome =
  | { ok: true; hotfix: Hotfix; events: HotfixEvent[]; warnings: string[] }
  | { ok: false; refusal: Refusal; hotfix?: Hotfix };

/** Which record: by ULID (jobs) or by `HF-<n>` (people). */
export type HotfixRef = { ulid: string } | { id: string };

const MAX_ATTEMPTS = 8;

/** Loads a record by ULID or id. */
export async function loadRef(
  deps: Pick<WorkflowDeps, 'store'>,
  ref: HotfixRef,
): Promise<Hotfix | undefined> {
  return 'ulid' in ref ? deps.store.load(ref.ulid) : deps.store.findById(ref.id);
}

/**
 * Load, decide, append with compare-and-set; when another writer won, decide again on the fresh record. This is how
 * double clicks and concurrent approvers end in exactly one transition: the second decision sees the first's result.
 */
export async function transact(
  deps: Pick<WorkflowDeps, 'store' | 'clock'>,
  ref: HotfixRef,
  command: HotfixCommand,
  actor: Actor,
  options: {
    paused?: boolean;
    /** The record as the caller has just read it: saves the first read; compare-and-set still catches a newer one. */
    loaded?: Hotfix;
  } = {},
): Promise<Outcome> {
  const { loaded, ...context } = options;
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const hotfix = attempt === 1 && loaded && matches(loaded, ref) ? loaded : await loadRef(deps, ref);
    if (!hotfix) return { ok: false, refusal: notFound(ref) };
    const decision = decide(hotfix, command, { now: deps.clock.now(), actor, ...context });
    if (!decision.ok) return { ok: false, refusal: decision.refusal, hotfix };
    if (decision.events.length === 0) return { ok: true, hotfix, events: [], warnings: decision.warnings };
    try {
      const saved = await deps.store.append(hotfix, decision.events);
      return { ok: true, hotfix: saved, events: decision.events, warnings: decision.warnings };
    } catch (error) {
      if (!(error instanceof ConcurrentUpdateError)) throw error;
    }
  }
  throw new Error(
    `hotfix ${'ulid' in ref ? ref.ulid : ref.id}: gave up after ${MAX_ATTEMPTS} concurrent updates`,
  );
}

function matches(hotfix: Hotfix, ref: HotfixRef): boolean {
  return 'ulid' in ref ? hotfix.ulid === ref.ulid : hotfix.id === ref.id;
}

function notFound(ref: HotfixRef): Refusal {
  const name = 'ulid' in ref ? ref.ulid : ref.id;
  return refuse(Reason.NotFound, `There is no hotfix ${name}. \`/hotfix list\` shows the active ones.`);
}
