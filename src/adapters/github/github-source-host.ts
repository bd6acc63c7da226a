/**
 * The SourceHost port on GitHub through Octokit. A hotfix's deployment carries its ULID in the payload (and the task
 * `deploy:hotfix`), so a re-run finds it instead of creating another; the forward-port pull request is found by its
 * head and base before one is opened; a branch is created, never moved. Each public call is retried in-process only
 * for short waits (see github-retries.ts).
 */
import { Octokit } from '@octokit/rest';
import type { CiCheck } from '../../domain/ci-verdict.js';
import { HOTFIX_BRANCH_PREFIX } from '../../domain/hotfix-branch.js';
import {
  SourceHostError,
  type CommitChecks,
  type Comparison,
  type DefaultBranchCheck,
  type DeploymentDraft,
  type DeploymentRecord,
  type DeploymentState,
  type PullRequestRef,
  type SourceHost,
  type TagLookup,
} from '../../ports/source-host.js';
import { asSourceHostError, isNotFound, isUnprocessable } from './github-errors.js';
import { withRetries, type RetryPolicy } from './github-retries.js';

/** Where and how to reach GitHub. */
export interface GithubOptions {
  /** `https://api.github.com`, a GitHub Enterprise `https://host/api/v3`, or an emulator's. */
  apiUrl: string;
  token: string;
  /** Where people open pages. @defaultValue 'https://github.com' */
  webUrl?: string;
  /** Milliseconds before one request counts as failed (and retryable). @defaultValue 10000 */
  timeoutMs?: number;
  retry?: RetryPolicy;
  /** @defaultValue Date.now */
  nowMs?: () => number;
}

/** The deployment task the bot's deployments carry, so listing them skips everyone else's. */
export const DEPLOYMENT_TASK = 'deploy:hotfix';

/** How many hotfix branches are compared at most when a tag is not at a branch tip. */
const MAX_BRANCHES_COMPARED = 20;

const PASSING_CONCLUSIONS = new Set(['success', 'neutral', 'skipped']);

function split(repo: string): { owner: string; repo: string } {
  const [owner, name] = repo.split('/');
  if (!owner || !name) throw new SourceHostError('refused', `${repo} is not a repository as owner/repo`);
  return { owner, repo: name };
}

interface WireDeployment {
  id: number;
  ref: string;
  sha: string;
  environment: string;
  payload: unknown;
}

function ulidOf(payload: unknown): string | undefined {
  const value = typeof payload === 'string' ? safeJson(payload) : payload;
  const ulid = (value as { hotfix_ulid?: unknown } | null)?.hotfix_ulid;
  return typeof ulid === 'string' ? ulid : undefined;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** GitHub through Octokit. */
export class GithubSourceHost implements SourceHost {
  private readonly octokit: Octokit;
  private readonly webUrl: string;
  private readonly nowMs: () => number;

  constructor(private readonly options: GithubOptions) {
    const timeoutMs = options.timeoutMs ?? 10_000;
    this.webUrl = (options.webUrl ?? 'https://github.com').replace(/\/+$/, '');
    this.nowMs = options.nowMs ?? Date.now;
    this.octokit = new Octokit({
      auth: options.token,
      baseUrl: options.apiUrl.replace(/\/+$/, ''),
      userAgent: 'hotfix-bot',
      // Failures come back as SourceHostError for the caller to log once, with what was being done.
      log: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined },
      request: {
        fetch: (url: string, init: RequestInit) =>
          fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) }),
      },
    });
  }

  /** One operation: retried per policy, every failure a SourceHostError naming what was being done. */
  private run<T>(doing: string, repo: string, operation: () => Promise<T>): Promise<T> {
    return withRetries(this.options.retry ?? {}, async () => {
      try {
        return await operation();
      } catch (error) {
        throw asSourceHostError(error, doing, repo, this.nowMs());
      }
    });
  }

  async findTag(repo: string, tag: string): Promise<TagLookup> {
    const where = split(repo);
    return this.run(`looking up tag ${tag} in ${repo}`, repo, async () => {
      let object: { type: string; sha: string };
      try {
        object = (await this.octokit.rest.git.getRef({ ...where, ref: `tags/${tag}` })).data.object;
      } catch (error) {
        if (!isNotFound(error)) throw error;
        await this.octokit.rest.repos.get(where); // a missing repository is its own, clearer error
        const message = `${repo} has no tag ${tag}: check the version, or push the tag (git push origin ${tag}).`;
        return { found: false, tag, message };
      }
      // An annotated tag points at a tag object; follow it (and any tag of a tag) to the commit.
      for (let hops = 0; object.type === 'tag' && hops < 5; hops += 1)
        object = (await this.octokit.rest.git.getTag({ ...where, tag_sha: object.sha })).data.object;
      const release = await this.octokit.rest.repos
        .getReleaseByTag({ ...where, tag })
        .then((r) => ({ name: r.data.name ?? tag, url: r.data.html_url }))
        .catch((error: unknown) => {
          if (isNotFound(error)) return undefined;
          throw error;
        });
      const url = `${this.webUrl}/${repo}/tree/${encodeURIComponent(tag)}`;
      return { found: true, tag, sha: object.sha, url, ...(release ? { release } : {}) };
    });
  }

  async commitChecks(repo: string, sha: string): Promise<CommitChecks> {
    const where = split(repo);
    return this.run(`reading CI checks of ${sha.slice(0, 7)} in ${repo}`, repo, async () => {
      const combined = await this.octokit.rest.repos.getCombinedStatusForRef({
        ...where,
        ref: sha,
        per_page: 100,
      });
      const runs = await this.octokit.paginate(this.octokit.rest.checks.listForRef, {
        ...where,
        ref: sha,
        filter: 'latest',
        per_page: 100,
      });
      const statuses: CiCheck[] = combined.data.statuses.map((s) => ({
        name: s.context,
        state: s.state === 'success' ? 'passed' : s.state === 'pending' ? 'pending' : 'failed',
        detail: s.state,
        ...(s.target_url ? { url: s.target_url } : {}),
      }));
      const checks: CiCheck[] = runs.map((r) => ({
        name: r.name,
        state:
          r.status !== 'completed'
            ? 'pending'
            : PASSING_CONCLUSIONS.has(r.conclusion ?? '')
              ? 'passed'
              : 'failed',
        detail: r.status !== 'completed' ? r.status : (r.conclusion ?? 'completed'),
        ...(r.html_url ? { url: r.html_url } : {}),
      }));
      return { sha: combined.data.sha, checks: [...statuses, ...checks] };
    });
  }

  private async compareNow(repo: string, base: string, head: string): Promise<Comparison> {
    const { data } = await this.octokit.rest.repos.compareCommitsWithBasehead({
      ...split(repo),
      basehead: `${base}...${head}`,
      per_page: 1,
    });
    return {
      status: data.status,
      aheadBy: data.ahead_by,
      behindBy: data.behind_by,
      totalCommits: data.total_commits,
      url: data.html_url,
    };
  }

  async compare(repo: string, base: string, head: string): Promise<Comparison> {
    return this.run(`comparing ${base} with ${head} in ${repo}`, repo, () =>
      this.compareNow(repo, base, head),
    );
  }

  async onDefaultBranch(repo: string, ref: string): Promise<DefaultBranchCheck> {
    return this.run(`checking whether ${ref} is on the default branch of ${repo}`, repo, async () => {
      const defaultBranch = (await this.octokit.rest.repos.get(split(repo))).data.default_branch;
      const comparison = await this.compareNow(repo, defaultBranch, ref);
      return { defaultBranch, contained: comparison.aheadBy === 0, comparison };
    });
  }

  private async latestState(repo: string, id: number): Promise<DeploymentState | undefined> {
    const { data } = await this.octokit.rest.repos.listDeploymentStatuses({
      ...split(repo),
      deployment_id: id,
      per_page: 1,
    });
    return data[0]?.state;
  }

  private async findNow(
    repo: string,
    environment: string,
    ref: string,
    ulid: string,
  ): Promise<DeploymentRecord | undefined> {
    const all = (await this.octokit.paginate(this.octokit.rest.repos.listDeployments, {
      ...split(repo),
      environment,
      ref,
      task: DEPLOYMENT_TASK,
      per_page: 100,
    })) as WireDeployment[];
    const mine = all.find((d) => ulidOf(d.payload) === ulid);
    if (!mine) return undefined;
    const state = await this.latestState(repo, mine.id);
    return {
      id: mine.id,
      ref: mine.ref,
      sha: mine.sha,
      environment: mine.environment,
      ulid,
      ...(state ? { state } : {}),
    };
  }

  async findDeployment(
    repo: string,
    environment: string,
    ref: string,
    ulid: string,
  ): Promise<DeploymentRecord | undefined> {
    return this.run(`looking for the deployment of hotfix ${ulid} in ${repo}`, repo, () =>
      this.findNow(repo, environment, ref, ulid),
    );
  }

  async ensureDeployment(draft: DeploymentDraft): Promise<DeploymentRecord> {
    const { repo, environment, ref, ulid } = draft;
    return this.run(`recording the deployment of ${ref} to ${environment} in ${repo}`, repo, async () => {
      const found = await this.findNow(repo, environment, ref, ulid);
      if (found) return found;
      const { data, status } = await this.octokit.rest.repos.createDeployment({
        ...split(repo),
        ref,
        environment,
        task: DEPLOYMENT_TASK,
        // The bot's own CI gate decided already; the record must not merge anything or wait on contexts.
        auto_merge: false,
        required_contexts: [],
        payload: { hotfix_ulid: ulid, hotfix_id: draft.hotfixId },
        description: draft.description.slice(0, 140),
        production_environment: draft.production,
        transient_environment: false,
      });
      if (status !== 201 || !('id' in data)) {
        throw new SourceHostError('unexpected', `GitHub did not create the deployment of ${ref} (${status})`);
      }
      return { id: data.id, ref: data.ref, sha: data.sha, environment: data.environment, ulid };
    });
  }

  async setDeploymentState(
    repo: string,
    deployment: DeploymentRecord,
    state: DeploymentState,
    details: { description: string; logUrl?: string },
  ): Promise<DeploymentRecord> {
    return this.run(`marking deployment ${deployment.id} ${state} in ${repo}`, repo, async () => {
      if ((await this.latestState(repo, deployment.id)) === state) return { ...deployment, state };
      await this.octokit.rest.repos.createDeploymentStatus({
        ...split(repo),
        deployment_id: deployment.id,
        state,
        description: details.description.slice(0, 140),
        ...(details.logUrl ? { log_url: details.logUrl } : {}),
      });
      return { ...deployment, state };
    });
  }

  private asPull(data: {
    number: number;
    html_url: string;
    state: string;
    merged_at: string | null;
    head: { ref: string };
    base: { ref: string };
  }): PullRequestRef {
    const state = data.merged_at ? 'merged' : data.state === 'open' ? 'open' : 'closed';
    return { number: data.number, url: data.html_url, state, head: data.head.ref, base: data.base.ref };
  }

  private async forwardPortNow(
    repo: string,
    head: string,
    base: string,
  ): Promise<PullRequestRef | undefined> {
    const where = split(repo);
    const pulls = await this.octokit.paginate(this.octokit.rest.pulls.list, {
      ...where,
      head: `${where.owner}:${head}`,
      base,
      state: 'all',
      per_page: 100,
    });
    const mine = pulls.map((p) => this.asPull(p)).filter((p) => p.head === head && p.base === base);
    return mine.find((p) => p.state === 'open') ?? mine.find((p) => p.state === 'merged');
  }

  async ensureForwardPort(
    repo: string,
    head: string,
    text: { title: string; body: string },
  ): Promise<PullRequestRef> {
    return this.run(`opening the pull request from ${head} in ${repo}`, repo, async () => {
      const base = (await this.octokit.rest.repos.get(split(repo))).data.default_branch;
      const found = await this.forwardPortNow(repo, head, base);
      if (found) return found;
      try {
        const { data } = await this.octokit.rest.pulls.create({
          ...split(repo),
          head,
          base,
          title: text.title,
          body: text.body,
        });
        return this.asPull(data);
      } catch (error) {
        // Another worker opened it between our look and our create.
        if (isUnprocessable(error, /already exists/i)) {
          const raced = await this.forwardPortNow(repo, head, base);
          if (raced) return raced;
        }
        throw error;
      }
    });
  }

  async pullRequest(repo: string, number: number): Promise<PullRequestRef> {
    return this.run(`reading pull request #${number} in ${repo}`, repo, async () =>
      this.asPull((await this.octokit.rest.pulls.get({ ...split(repo), pull_number: number })).data),
    );
  }

  async hotfixBranchOf(repo: string, sha: string): Promise<string | undefined> {
    const where = split(repo);
    return this.run(`looking for the hotfix branch of ${sha.slice(0, 7)} in ${repo}`, repo, async () => {
      const refs = (
        await this.octokit.rest.git.listMatchingRefs({ ...where, ref: `heads/${HOTFIX_BRANCH_PREFIX}` })
      ).data;
      const branches = refs.map((r) => ({ name: r.ref.replace(/^refs\/heads\//, ''), sha: r.object.sha }));
      const tip = branches.find((b) => b.sha === sha);
      if (tip) return tip.name;
      // A bounded number of compares, names in reverse order (later tickets sort last in most schemes, so go first).
      let best: { name: string; after: number } | undefined;
      for (const branch of branches.reverse().slice(0, MAX_BRANCHES_COMPARED)) {
        const comparison = await this.compareNow(repo, sha, branch.name);
        const holds = comparison.status === 'ahead' || comparison.status === 'identical';
        if (holds && (!best || comparison.aheadBy < best.after))
          best = { name: branch.name, after: comparison.aheadBy };
      }
      return best?.name;
    });
  }

  async branchSha(repo: string, branch: string): Promise<string | undefined> {
    const where = split(repo);
    return this.run(`looking up branch ${branch} in ${repo}`, repo, async () => {
      try {
        return (await this.octokit.rest.repos.getBranch({ ...where, branch })).data.commit.sha;
      } catch (error) {
        if (!isNotFound(error)) throw error;
        await this.octokit.rest.repos.get(where);
        return undefined;
      }
    });
  }

  async createBranch(repo: string, branch: string, sha: string): Promise<'created' | 'exists'> {
    return this.run(`creating branch ${branch} in ${repo}`, repo, async () => {
      try {
        await this.octokit.rest.git.createRef({ ...split(repo), ref: `refs/heads/${branch}`, sha });
        return 'created';
      } catch (error) {
        if (isUnprocessable(error, /Reference already exists/i)) return 'exists';
        throw error;
      }
    });
  }

  branchUrl(repo: string, branch: string): string {
    return `${this.webUrl}/${repo}/tree/${branch.split('/').map(encodeURIComponent).join('/')}`;
  }
}
