/**
 * `/hotfix branch <service> <ticket>` behind the Slack layer: creates `hotfix/<ticket>` in the service's repository
 * at the commit of the tag running in production (seed 003: branch off the release tag), or points at the branch
 * when it is already there at that commit. The branch is never moved, and a branch deployed now is never pushed to.
 * The caller supplies the running tag (from the latest completed hotfix or the method's captured versions) and what
 * is deployed now.
 */
import { decideHotfixBranch, hotfixBranchName, type DeployedNow } from '../domain/hotfix-branch.js';
import { Reason, refuse, type Refusal } from '../domain/reasons.js';
import { SourceHostError, type SourceHost } from '../ports/source-host.js';

/** What the branch command needs. */
export interface BranchRequest {
  service: string;
  repo: string;
  ticket: string;
  /** The tag running in production for the chosen client. */
  runningTag: string;
  deployed: readonly DeployedNow[];
}

/** The branch and its link, whether the bot created it now or found it there; or why not. */
export type BranchAnswer =
  | { ok: true; branch: string; url: string; sha: string; created: boolean }
  | { ok: false; refusal: Refusal; retryable: boolean };

/** Creates (or finds) the hotfix branch; every GitHub failure is a refusal saying what to do. */
export async function createHotfixBranch(source: SourceHost, request: BranchRequest): Promise<BranchAnswer> {
  const named = hotfixBranchName(request.ticket);
  if (!named.ok) return { ok: false, refusal: named.refusal, retryable: false };
  const { branch } = named;
  try {
    const tag = await source.findTag(request.repo, request.runningTag);
    if (!tag.found) return { ok: false, refusal: refuse(Reason.TagMissing, tag.message), retryable: false };
    const decide = (existingSha: string | undefined) =>
      decideHotfixBranch({ branch, fromSha: tag.sha, existingSha, deployed: request.deployed });
    const decision = decide(await source.branchSha(request.repo, branch));
    if (!decision.ok) return { ok: false, refusal: decision.refusal, retryable: false };
    const url = source.branchUrl(request.repo, branch);
    if (decision.move.action === 'exists') return { ok: true, branch, url, sha: tag.sha, created: false };
    if ((await source.createBranch(request.repo, branch, tag.sha)) === 'created')
      return { ok: true, branch, url, sha: tag.sha, created: true };
    // Someone created it between our look and our push: judge the branch as it is now.
    const raced = decide(await source.branchSha(request.repo, branch));
    if (!raced.ok) return { ok: false, refusal: raced.refusal, retryable: false };
    return { ok: true, branch, url, sha: tag.sha, created: false };
  } catch (error) {
    if (!(error instanceof SourceHostError)) throw error;
    // A retryable error already says when to try again.
    const next = error.retryable ? '' : ' Fix that, then try again.';
    const message = `${branch} could not be created for ${request.service}: ${error.message}.${next}`;
    return { ok: false, refusal: refuse(Reason.SourceHostTrouble, message), retryable: error.retryable };
  }
}
