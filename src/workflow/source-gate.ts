/**
 * The plan-time source check of one service (seed 001: CI before deploying): the target tag exists in the service's
 * repository, its commit's CI passes the gate of the service's policy, and, when the running version is known, what
 * the change brings (commit count and compare link) for the approver. GitHub trouble is never a pass: it comes back
 * as `trouble`, with how long to wait when GitHub said, so the caller refuses a new plan or re-checks a held one
 * later. Nothing here sleeps; a held plan is re-checked by a delayed job at the caller's pace.
 */
import { ciGate, DEFAULT_CI_POLICY, type CiPolicy } from '../domain/ci-gate.js';
import { ciVerdict, type CiVerdict } from '../domain/ci-verdict.js';
import { Reason, refuse, type Refusal } from '../domain/reasons.js';
import { SourceHostError, type Comparison, type SourceHost } from '../ports/source-host.js';

/** What to check: the service's repository and target tag, and the tag running now when it is known. */
export interface SourceGateInput {
  service: string;
  repo: string;
  tag: string;
  runningTag?: string;
  policy?: CiPolicy;
  now: Date;
  /** When the plan first waited for CI; absent on the first check. */
  heldSince?: Date;
}

/** The tag's commit, its CI verdict, and the change over the running version. */
export interface SourceFacts {
  sha: string;
  tagUrl: string;
  ci: CiVerdict;
  change?: Comparison;
}

/** Go; hold (re-check later, at the latest until `until`); refused; or GitHub could not answer. */
export type SourceGate =
  | { outcome: 'go'; facts: SourceFacts }
  | { outcome: 'hold'; facts: SourceFacts; message: string; until: Date }
  | { outcome: 'refused'; refusal: Refusal }
  | {
      outcome: 'trouble';
      refusal: Refusal;
      retryable: boolean;
      retryAfterMs?: number;
      error: SourceHostError;
    };

/** Checks one service's target tag and its CI; every failure to get an answer is `trouble`, never a pass. */
export async function checkSource(source: SourceHost, input: SourceGateInput): Promise<SourceGate> {
  try {
    const tag = await source.findTag(input.repo, input.tag);
    if (!tag.found) return { outcome: 'refused', refusal: refuse(Reason.TagMissing, tag.message) };
    const checks = await source.commitChecks(input.repo, tag.sha);
    const ci = ciVerdict(checks.checks);
    const gate = ciGate(ci, tag.sha, input.policy ?? DEFAULT_CI_POLICY, input.now, input.heldSince);
    if (!gate.go && !gate.hold) return { outcome: 'refused', refusal: prefixed(input, gate.refusal) };
    const change = input.runningTag
      ? await source.compare(input.repo, input.runningTag, input.tag)
      : undefined;
    const facts: SourceFacts = { sha: tag.sha, tagUrl: tag.url, ci, ...(change ? { change } : {}) };
    if (gate.go) return { outcome: 'go', facts };
    return {
      outcome: 'hold',
      facts,
      message: `${input.service}@${input.tag}: ${gate.message}`,
      until: gate.until,
    };
  } catch (error) {
    if (!(error instanceof SourceHostError)) throw error;
    // A retryable error already says when to try again.
    const next = error.retryable ? '' : ' Fix that, then plan again.';
    const refusal = refuse(
      Reason.SourceHostTrouble,
      `${input.service}@${input.tag} could not be checked: ${error.message}.${next}`,
    );
    return {
      outcome: 'trouble',
      refusal,
      retryable: error.retryable,
      error,
      ...(error.retryAfterMs === undefined ? {} : { retryAfterMs: error.retryAfterMs }),
    };
  }
}

function prefixed(input: SourceGateInput, refusal: Refusal): Refusal {
  return { ...refusal, message: `${input.service}@${input.tag}: ${refusal.message}` };
}
