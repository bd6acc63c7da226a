/**
 * The forward-port check after a completed hotfix (seed 003), one run of it: done when someone waived it with a
 * reason, when the tag's commits are on the default branch, or when its pull request was merged; otherwise the pull
 * request from the tag's `hotfix/` branch to the default branch is found or opened, and the next reminder is due
 * `everyHours` on. The caller (a job scheduler) records the pull request and the reminder and runs this again; nothing
 * here waits. GitHub trouble comes back as `trouble` for the caller to retry later.
 */
import {
  forwardPortStep,
  forwardPortText,
  type ForwardPortPr,
  type ForwardPortStep,
  type ForwardPortWaiver,
} from '../domain/source-records.js';
import { SourceHostError, type SourceHost } from '../ports/source-host.js';

/** What one run of the forward-port check needs. */
export interface ForwardPortInput {
  hotfixId: string;
  service: string;
  repo: string;
  tag: string;
  /** The tag's commit, as the plan-time check found it. */
  sha: string;
  /** Where it runs, for the pull request text (`acme prod`). */
  where: string;
  /** The pull request recorded by an earlier run, if any. */
  pr?: ForwardPortPr;
  waiver?: ForwardPortWaiver;
  lastRemindedAt?: Date;
  everyHours: number;
  now: Date;
}

/** The step to take now; `no_branch` when no `hotfix/` branch holds the tag, so no pull request can be opened. */
export type ForwardPortOutcome =
  | ForwardPortStep
  | { step: 'no_branch'; message: string }
  | { step: 'trouble'; message: string; retryable: boolean; retryAfterMs?: number };

/** One run of the forward-port check. */
export async function checkForwardPort(
  source: SourceHost,
  input: ForwardPortInput,
): Promise<ForwardPortOutcome> {
  const decide = (onDefaultBranch: boolean, pr: ForwardPortPr | undefined): ForwardPortStep =>
    forwardPortStep({ ...input, onDefaultBranch, ...(pr ? { pr } : {}) });
  if (input.waiver) return decide(false, input.pr);
  try {
    const main = await source.onDefaultBranch(input.repo, input.tag);
    const pr = input.pr ? await source.pullRequest(input.repo, input.pr.number) : undefined;
    const step = decide(main.contained, pr);
    if (step.step !== 'open_pr') return step;
    const branch = await source.hotfixBranchOf(input.repo, input.sha);
    if (!branch) {
      const message =
        `${input.service} ${input.tag} is not on ${main.defaultBranch}, and no hotfix/ branch holds it, so the bot ` +
        `cannot open the pull request: open one from the branch the tag was cut from.`;
      return { step: 'no_branch', message };
    }
    const text = forwardPortText({ ...input, branch, defaultBranch: main.defaultBranch });
    const opened = await source.ensureForwardPort(input.repo, branch, text);
    return decide(false, { number: opened.number, url: opened.url, state: opened.state });
  } catch (error) {
    if (!(error instanceof SourceHostError)) throw error;
    return {
      step: 'trouble',
      message: `The forward-port of ${input.hotfixId} could not be checked: ${error.message}.`,
      retryable: error.retryable,
      ...(error.retryAfterMs === undefined ? {} : { retryAfterMs: error.retryAfterMs }),
    };
  }
}
