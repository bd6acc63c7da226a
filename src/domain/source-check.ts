/**
 * Where the source check (seed 001: CI before deploying) of a hotfix is recorded, and what the plan and the notice
 * show of it. The check runs at plan time, before the notice is posted, and again when the approval completes; each
 * of its outcomes is a step on the record, per plan version, so a re-run never checks a passed version again and a
 * held plan knows since when it waits.
 */
import type { Hotfix } from './hotfix.js';

/** When the source is checked: before the notice is posted, or after the last approval, before anything else. */
export type SourcePhase = 'plan' | 'approval';

type Versioned = Pick<Hotfix, 'planVersion'>;

/** The step recording that the phase's check let this plan version go on; its detail holds the lines people see. */
export function sourceCheckStep(hotfix: Versioned, phase: SourcePhase = 'plan'): string {
  const base = phase === 'plan' ? 'check_source' : 'recheck_source';
  return hotfix.planVersion > 1 ? `${base}_v${hotfix.planVersion}` : base;
}

/** The step recording since when this plan version waits for CI in the phase (its result's time). */
export function sourceHoldStep(hotfix: Versioned, phase: SourcePhase = 'plan'): string {
  return `${sourceCheckStep(hotfix, phase)}_held`;
}

/** The step recording the `n`th time (from 1) GitHub could not answer the phase's check of this plan version. */
export function sourceTroubleStep(hotfix: Versioned, phase: SourcePhase, n: number): string {
  return `${sourceCheckStep(hotfix, phase)}_trouble_${n}`;
}

/** How many times GitHub could not answer the phase's check of this plan version. */
export function sourceTroubles(hotfix: Pick<Hotfix, 'planVersion' | 'steps'>, phase: SourcePhase): number {
  const prefix = `${sourceCheckStep(hotfix, phase)}_trouble_`;
  return Object.keys(hotfix.steps).filter((s) => s.startsWith(prefix) && hotfix.steps[s]?.result).length;
}

/** True while the plan version waits for CI at plan time (held, not yet passed). */
export function waitingForCi(hotfix: Pick<Hotfix, 'planVersion' | 'steps' | 'state'>): boolean {
  return (
    hotfix.state === 'planned' &&
    hotfix.steps[sourceHoldStep(hotfix)]?.result !== undefined &&
    hotfix.steps[sourceCheckStep(hotfix)]?.result === undefined
  );
}

/**
 * The source lines the plan and the notice show: what the passed check found (CI, the change over the running
 * version), or that the plan waits for CI. Each line is written by the bot, links as Slack `<url|text>`.
 */
export function sourceLines(hotfix: Pick<Hotfix, 'planVersion' | 'steps' | 'state'>): string[] {
  const passed = hotfix.steps[sourceCheckStep(hotfix)]?.result?.detail;
  if (passed !== undefined) return passed.split('\n').filter((l) => l !== '');
  if (!waitingForCi(hotfix)) return [];
  return (hotfix.steps[sourceHoldStep(hotfix)]?.result?.detail ?? '').split('\n').filter((l) => l !== '');
}

/** The line that says the source was not checked at all, and why. */
export function notCheckedLine(why: string): string {
  return `:grey_question: Tag and CI not checked: ${why}`;
}

/** The change a deploy brings over the running version, with the compare link, for the approver. */
export function changeLine(input: {
  service: string;
  from: string;
  to: string;
  aheadBy: number;
  behindBy: number;
  url: string;
}): string {
  const commits = `${input.aheadBy} commit${input.aheadBy === 1 ? '' : 's'}`;
  const behind =
    input.behindBy > 0
      ? ` :warning: it also lacks ${input.behindBy} commit${input.behindBy === 1 ? '' : 's'} of ${input.from}`
      : '';
  return `:twisted_rightwards_arrows: ${input.service}: <${input.url}|${commits}> from ${input.from} to ${input.to}${behind}`;
}
