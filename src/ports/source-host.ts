/**
 * The source host (GitHub) as the hotfix needs it: does the target tag exist and at which commit, what does CI say
 * about that commit, what changed between two versions, the deployment record of a hotfix (found again by its ULID),
 * the forward-port pull request, and the `hotfix/<ticket>` branch. Repositories are `owner/repo` as the catalog names
 * them. Every failure to get an answer is a SourceHostError, never a quiet "no" and never a pass.
 */
import type { CiCheck } from '../domain/ci-verdict.js';

/** Why a source-host call failed, and whether the same call may succeed later. */
export const SOURCE_HOST_ERROR_CODES = {
  /** Nothing answered (refused, reset, timed out). */
  unreachable: { retryable: true },
  /** 5xx: the host is having trouble. */
  unavailable: { retryable: true },
  /** A primary or secondary rate limit: wait `retryAfterMs`. */
  rate_limited: { retryable: true },
  /** The token was refused (401) or lacks a permission (403). */
  unauthorized: { retryable: false },
  /** The repository does not exist or the token cannot see it (GitHub answers 404 for both). */
  repo_not_found: { retryable: false },
  /** The host refused the request as invalid (422 and the like). */
  refused: { retryable: false },
  /** Any other answer the adapter did not expect. */
  unexpected: { retryable: false },
} as const;
export type SourceHostErrorCode = keyof typeof SOURCE_HOST_ERROR_CODES;

/** A failed source-host call: a reason code, whether to retry and when, and a sentence without secrets. */
export class SourceHostError extends Error {
  readonly retryable: boolean;

  constructor(
    readonly code: SourceHostErrorCode,
    message: string,
    /** How long to wait before trying again, when the host said (Retry-After or the rate-limit reset). */
    readonly retryAfterMs?: number,
    /** HTTP status, when there was an answer. */
    readonly status?: number,
  ) {
    super(message);
    this.name = 'SourceHostError';
    this.retryable = SOURCE_HOST_ERROR_CODES[code].retryable;
  }
}

/** A tag and the commit it points at (an annotated tag is followed to its commit). */
export type TagLookup =
  | { found: true; tag: string; sha: string; url: string; release?: { name: string; url: string } }
  | { found: false; tag: string; message: string };

/** A commit's CI checks (commit statuses and check runs, latest of each), in the host's order. */
export interface CommitChecks {
  sha: string;
  checks: CiCheck[];
}

/** How `head` relates to `base` (GitHub's compare). */
export interface Comparison {
  status: 'ahead' | 'behind' | 'identical' | 'diverged';
  /** Commits on head that base lacks: what deploying head over base brings. */
  aheadBy: number;
  behindBy: number;
  totalCommits: number;
  /** The compare page people open. */
  url: string;
}

/** Whether a ref's commits are all on the default branch (so no forward-port is needed). */
export interface DefaultBranchCheck {
  defaultBranch: string;
  contained: boolean;
  /** default branch ... ref: `aheadBy` counts the ref's commits missing from the default branch. */
  comparison: Comparison;
}

/** Deployment statuses as GitHub names them. */
export const DEPLOYMENT_STATES = [
  'queued',
  'in_progress',
  'success',
  'failure',
  'error',
  'inactive',
  'pending',
] as const;
export type DeploymentState = (typeof DEPLOYMENT_STATES)[number];

/** The deployment record of one hotfix to one environment. */
export interface DeploymentRecord {
  id: number;
  ref: string;
  sha: string;
  environment: string;
  ulid: string;
  /** Its newest status, if it has any. */
  state?: DeploymentState;
}

/** What to record as a deployment. */
export interface DeploymentDraft {
  repo: string;
  /** The tag being deployed. */
  ref: string;
  /** `<client>-<env>`. */
  environment: string;
  ulid: string;
  /** `HF-n`, for people reading GitHub. */
  hotfixId: string;
  description: string;
  production: boolean;
}

/** A pull request as the forward-port needs it. */
export interface PullRequestRef {
  number: number;
  url: string;
  state: 'open' | 'merged' | 'closed';
  head: string;
  base: string;
}

/** The source host port. */
export interface SourceHost {
  /** The tag's commit, or `found: false` with a sentence when the repository has no such tag (or release). */
  findTag(repo: string, tag: string): Promise<TagLookup>;
  /** Every CI check reported on the commit (all pages). */
  commitChecks(repo: string, sha: string): Promise<CommitChecks>;
  /** What `head` brings over `base` (refs or commits), with the compare link. */
  compare(repo: string, base: string, head: string): Promise<Comparison>;
  /** Whether every commit of `ref` is on the repository's default branch. */
  onDefaultBranch(repo: string, ref: string): Promise<DefaultBranchCheck>;
  /** The hotfix's deployment to the environment, found by its ULID, or created once. */
  ensureDeployment(draft: DeploymentDraft): Promise<DeploymentRecord>;
  /** The hotfix's deployment to the environment, if one carries its ULID. */
  findDeployment(
    repo: string,
    environment: string,
    ref: string,
    ulid: string,
  ): Promise<DeploymentRecord | undefined>;
  /** Adds a status unless it is already the newest one; answers the record with its newest state. */
  setDeploymentState(
    repo: string,
    deployment: DeploymentRecord,
    state: DeploymentState,
    details: { description: string; logUrl?: string },
  ): Promise<DeploymentRecord>;
  /** The open or merged pull request from `head` to the default branch, or a new one. */
  ensureForwardPort(
    repo: string,
    head: string,
    text: { title: string; body: string },
  ): Promise<PullRequestRef>;
  /** A pull request's state now (open, merged, closed). */
  pullRequest(repo: string, number: number): Promise<PullRequestRef>;
  /**
   * The `hotfix/` branch a tagged commit came from: the one whose tip is the commit, else the one holding it with the
   * fewest commits after it; undefined when no hotfix branch holds it (the tag was cut elsewhere).
   */
  hotfixBranchOf(repo: string, sha: string): Promise<string | undefined>;
  /** The commit a branch points at, or undefined when there is no such branch. */
  branchSha(repo: string, branch: string): Promise<string | undefined>;
  /** Creates `branch` at `sha`; `exists` when a branch of that name was already there (nothing is moved). */
  createBranch(repo: string, branch: string, sha: string): Promise<'created' | 'exists'>;
  /** The page of a branch, for people. */
  branchUrl(repo: string, branch: string): string;
}
