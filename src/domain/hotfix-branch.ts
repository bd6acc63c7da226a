/**
 * Seed 003's branch rules: a hotfix branches off the release tag into `hotfix/<ticket>`, one uniquely named branch per
 * hotfix, and nobody pushes to a `hotfix/` branch that is deployed now. The bot only ever creates such a branch; it
 * never moves one, so an existing branch at another commit is a refusal, never a force push.
 */
import { Reason, refuse, type Refusal } from './reasons.js';

/** Every hotfix branch starts with this (seed 003: "which must start with hotfix/"). */
export const HOTFIX_BRANCH_PREFIX = 'hotfix/';

// A ticket is one ref component git and GitHub accept: no spaces, `..`, `~^:?*[\`, leading dot or `.lock` ending.
const TICKET = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const MAX_TICKET = 100;

/** `hotfix/<ticket>` for a ticket like `HOCS-1234` (also accepts the branch name itself), or why not. */
export function hotfixBranchName(
  ticket: string,
): { ok: true; branch: string } | { ok: false; refusal: Refusal } {
  const bare = ticket.trim().replace(/^hotfix\//i, '');
  const example = 'a ticket like HOCS-1234 (letters, digits, dots, dashes, underscores)';
  if (bare === '') return { ok: false, refusal: refuse(Reason.BadBranch, `Name the ticket: ${example}.`) };
  const wrong =
    !TICKET.test(bare) ||
    bare.includes('..') ||
    bare.endsWith('.lock') ||
    bare.endsWith('.') ||
    bare.length > MAX_TICKET;
  if (wrong) {
    const message = `\`${bare}\` cannot name a branch: give ${example}; the bot names the branch ${HOTFIX_BRANCH_PREFIX}<ticket>.`;
    return { ok: false, refusal: refuse(Reason.BadBranch, message) };
  }
  return { ok: true, branch: `${HOTFIX_BRANCH_PREFIX}${bare}` };
}

/** True for a branch seed 003 calls a hotfix branch. */
export function isHotfixBranch(branch: string): boolean {
  return branch.startsWith(HOTFIX_BRANCH_PREFIX) && branch.length > HOTFIX_BRANCH_PREFIX.length;
}

/** What runs somewhere now: the branch it was built from (when known) and its commit, and where (`acme prod`). */
export interface DeployedNow {
  where: string;
  sha: string;
  branch?: string;
}

/** Why pushing to `branch` (currently at `sha`) is forbidden, or undefined when it may be pushed. */
export function pushRefusal(
  branch: string,
  sha: string | undefined,
  deployed: readonly DeployedNow[],
): Refusal | undefined {
  if (!isHotfixBranch(branch)) return undefined;
  const live = deployed.find((d) => d.branch === branch || (sha !== undefined && d.sha === sha));
  if (!live) return undefined;
  return refuse(
    Reason.BranchDeployed,
    `${branch} is deployed in ${live.where} now, and a hotfix branch that is deployed is never pushed to (seed 003); ` +
      'use a new ticket for a new fix.',
  );
}

/** The bot's move for `/hotfix branch`: create the branch, or point at the one already there. */
export type BranchMove =
  { action: 'create'; branch: string; sha: string } | { action: 'exists'; branch: string; sha: string };

/**
 * Decides `/hotfix branch`: create `branch` at the tag's commit `fromSha` unless it exists. An existing branch at the
 * same commit is the answer already (nothing is pushed); at another commit it is refused, naming why.
 */
export function decideHotfixBranch(input: {
  branch: string;
  fromSha: string;
  existingSha: string | undefined;
  deployed: readonly DeployedNow[];
}): { ok: true; move: BranchMove } | { ok: false; refusal: Refusal } {
  const { branch, fromSha, existingSha } = input;
  if (!isHotfixBranch(branch)) {
    return {
      ok: false,
      refusal: refuse(Reason.BadBranch, `${branch} does not start with ${HOTFIX_BRANCH_PREFIX}.`),
    };
  }
  if (existingSha === undefined) return { ok: true, move: { action: 'create', branch, sha: fromSha } };
  if (existingSha === fromSha) return { ok: true, move: { action: 'exists', branch, sha: fromSha } };
  const deployed = pushRefusal(branch, existingSha, input.deployed);
  if (deployed) return { ok: false, refusal: deployed };
  const message =
    `${branch} already exists at ${existingSha.slice(0, 7)}, not at the tag's commit ${fromSha.slice(0, 7)}; ` +
    'the bot never moves a branch: use a new ticket, or delete the old branch if it is no longer needed.';
  return { ok: false, refusal: refuse(Reason.BranchExists, message) };
}
