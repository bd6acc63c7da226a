/**
 * The source gate of a hotfix (seed 001: CI before deploying), run by jobs, never before a Slack ack: at plan time
 * before the notice is posted, and again when the approval completes. Every service's target tag must exist and its
 * CI be green. Red, a missing tag or repository, and GitHub trouble that outlasts its retries refuse the plan; pending
 * CI refuses it or holds it per the service's policy, re-checked by a delayed job (nothing sleeps) until green, red
 * or out of time. Each outcome is a step on the record (domain/source-check.ts), so a re-run never repeats a pass.
 */
import type { Hotfix } from '../domain/hotfix.js';
import {
  changeLine,
  notCheckedLine,
  sourceCheckStep,
  sourceHoldStep,
  sourceTroubleStep,
  sourceTroubles,
  type SourcePhase,
} from '../domain/source-check.js';
import { describeCiVerdict } from '../domain/ci-verdict.js';
import type { SourceHost } from '../ports/source-host.js';
import type { WorkflowDeps } from './deps.js';
import { checkSource, type SourceFacts } from './source-gate.js';
import { BOT } from './system-actor.js';
import { transact } from './transact.js';

/** Go on; wait (a delayed re-check of `delayMs` is the caller's to enqueue); or refused with a sentence for people. */
export type SourceGateStep =
  | { outcome: 'go'; hotfix: Hotfix }
  | { outcome: 'wait'; hotfix: Hotfix; delayMs: number; firstHold: boolean }
  | { outcome: 'refused'; hotfix: Hotfix; problem: string };

/** How often a held plan looks at CI again, when the timing names nothing else. */
export const DEFAULT_SOURCE_RECHECK_MS = 30_000;

/** How many times GitHub trouble is retried (as delayed re-checks) before the plan is refused. */
export const SOURCE_TROUBLE_RETRIES = 3;

/** Why nothing is checked in an installation without GitHub: said on the plan, never taken for a pass. */
export const GITHUB_NOT_CONFIGURED =
  'GitHub is not configured in this installation (GITHUB_TOKEN), so nothing here shows the tag exists or its CI passed.';

type Checked =
  | { kind: 'go'; facts: Map<string, SourceFacts> }
  | { kind: 'hold'; lines: string[]; until: Date; facts: Map<string, SourceFacts> }
  | { kind: 'refused'; problem: string }
  | { kind: 'trouble'; problem: string; retryable: boolean; retryAfterMs?: number };

/**
 * One run of the phase's gate for the hotfix's current plan version: go when every service passed (recorded with
 * the lines the plan and the notice show), wait while CI runs or GitHub asks to wait, refused otherwise.
 */
export async function gateSource(
  deps: WorkflowDeps,
  hotfix: Hotfix,
  phase: SourcePhase,
): Promise<SourceGateStep> {
  const step = sourceCheckStep(hotfix, phase);
  if (hotfix.steps[step]?.result) return { outcome: 'go', hotfix };
  const source = deps.sourceHost;
  if (!source) return passed(deps, hotfix, step, [notCheckedLine(GITHUB_NOT_CONFIGURED)]);
  const heldAt = hotfix.steps[sourceHoldStep(hotfix, phase)]?.result?.at;
  const checked = await checkServices(deps, source, hotfix, heldAt ? new Date(heldAt) : undefined);
  const recheckMs = deps.timing.sourceRecheckMs ?? DEFAULT_SOURCE_RECHECK_MS;
  switch (checked.kind) {
    case 'go':
      return passed(deps, hotfix, step, await factLines(deps, source, hotfix, checked.facts, phase));
    case 'refused':
      return { outcome: 'refused', hotfix, problem: checked.problem };
    case 'hold': {
      const firstHold = heldAt === undefined;
      const held = firstHold
        ? await record(deps, hotfix, sourceHoldStep(hotfix, phase), checked.lines.join('\n'))
        : hotfix;
      const untilMs = checked.until.getTime() - deps.clock.now().getTime();
      // Looked at again at the end of the wait too, so a plan still pending then is refused on time.
      return { outcome: 'wait', hotfix: held, delayMs: Math.max(1, Math.min(recheckMs, untilMs)), firstHold };
    }
    case 'trouble': {
      const tries = sourceTroubles(hotfix, phase);
      if (!checked.retryable || tries >= SOURCE_TROUBLE_RETRIES)
        return { outcome: 'refused', hotfix, problem: checked.problem };
      deps.log.warn(
        { hotfix: hotfix.id, phase, tries: tries + 1, problem: checked.problem },
        'GitHub could not answer the source check; checking again later',
      );
      const next = sourceTroubleStep(hotfix, phase, tries + 1);
      const troubled = await record(deps, hotfix, next, checked.problem);
      const delayMs = checked.retryAfterMs ?? recheckMs * 2 ** tries;
      return { outcome: 'wait', hotfix: troubled, delayMs, firstHold: false };
    }
  }
}

async function checkServices(
  deps: WorkflowDeps,
  source: SourceHost,
  hotfix: Hotfix,
  heldSince: Date | undefined,
): Promise<Checked> {
  const facts = new Map<string, SourceFacts>();
  const held: { line: string; until: Date }[] = [];
  for (const planned of hotfix.services) {
    const spec = hotfix.snapshot.services[planned.service];
    if (!spec) continue;
    const gate = await checkSource(source, {
      service: planned.service,
      repo: spec.repo,
      tag: planned.tag,
      ...(spec.ci ? { policy: spec.ci } : {}),
      now: deps.clock.now(),
      ...(heldSince ? { heldSince } : {}),
    });
    if (gate.outcome === 'refused') return { kind: 'refused', problem: gate.refusal.message };
    if (gate.outcome === 'trouble') {
      deps.log.error({ hotfix: hotfix.id, err: gate.error }, 'GitHub could not answer the source check');
      return {
        kind: 'trouble',
        problem: gate.refusal.message,
        retryable: gate.retryable,
        ...(gate.retryAfterMs === undefined ? {} : { retryAfterMs: gate.retryAfterMs }),
      };
    }
    facts.set(planned.service, gate.facts);
    if (gate.outcome === 'hold')
      held.push({ line: `:hourglass_flowing_sand: ${gate.message}`, until: gate.until });
  }
  if (held.length === 0) return { kind: 'go', facts };
  const until = new Date(Math.min(...held.map((h) => h.until.getTime())));
  return { kind: 'hold', lines: held.map((h) => h.line), until, facts };
}

/** What passed, per service, and (at plan time) the change over the running version with its compare link. */
async function factLines(
  deps: WorkflowDeps,
  source: SourceHost,
  hotfix: Hotfix,
  facts: Map<string, SourceFacts>,
  phase: SourcePhase,
): Promise<string[]> {
  const running = phase === 'plan' ? await runningTags(deps, hotfix) : {};
  const lines: string[] = [];
  for (const planned of hotfix.services) {
    const fact = facts.get(planned.service);
    const spec = hotfix.snapshot.services[planned.service];
    if (!fact || !spec) continue;
    lines.push(
      `:white_check_mark: ${planned.service} ${planned.tag}: ${describeCiVerdict(fact.ci, fact.sha)}`,
    );
    const from = running[planned.service];
    if (from === undefined || from === planned.tag) continue;
    // The change is for the approver's eyes: a running version GitHub cannot compare never refuses the plan.
    const change = await source.compare(spec.repo, from, planned.tag).catch((error: unknown) => {
      deps.log.warn(
        { hotfix: hotfix.id, err: error },
        'the change over the running version could not be read',
      );
      return undefined;
    });
    if (change) lines.push(changeLine({ service: planned.service, from, to: planned.tag, ...change }));
  }
  return lines;
}

/**
 * The tag each service runs now: as the deploy method reads it (Jenkins' last successful build), else the tag of
 * the latest hotfix that completed on the same client and env. A rehearsal reads nothing (the versions it plays are
 * pretended), so only earlier hotfixes tell. Unknown services are left out.
 */
async function runningTags(deps: WorkflowDeps, hotfix: Hotfix): Promise<Record<string, string>> {
  const method = hotfix.method === 'rehearsal' ? undefined : deps.methods[hotfix.method];
  const known: Record<string, string> = {};
  try {
    Object.assign(known, method ? await method.currentVersions(hotfix) : {});
  } catch (error) {
    deps.log.warn({ hotfix: hotfix.id, err: error }, 'the running versions could not be read');
  }
  const missing = hotfix.services.filter((s) => known[s.service] === undefined);
  if (missing.length === 0) return known;
  const earlier = await deps.store.listByTarget(hotfix.client, hotfix.env);
  for (const planned of missing) {
    const last = earlier.find(
      (h) =>
        h.ulid !== hotfix.ulid &&
        h.state === 'completed' &&
        h.services.some((s) => s.service === planned.service),
    );
    const tag = last?.services.find((s) => s.service === planned.service)?.tag;
    if (tag !== undefined) known[planned.service] = tag;
  }
  return known;
}

async function passed(
  deps: WorkflowDeps,
  hotfix: Hotfix,
  step: string,
  lines: string[],
): Promise<SourceGateStep> {
  return { outcome: 'go', hotfix: await record(deps, hotfix, step, lines.join('\n')) };
}

async function record(deps: WorkflowDeps, hotfix: Hotfix, step: string, detail: string): Promise<Hotfix> {
  const saved = await transact(
    deps,
    { ulid: hotfix.ulid },
    { type: 'record_result', step, ...(detail === '' ? {} : { detail }) },
    BOT,
  );
  if (!saved.ok) throw new Error(saved.refusal.message);
  return saved.hotfix;
}
