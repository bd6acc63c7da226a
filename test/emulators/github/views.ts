/** The JSON GitHub's REST API answers for each object, trimmed to the fields a client reads. */
import type { GhCommit } from './git.js';
import type {
  GhCheckRun,
  GhDeployment,
  GhDeploymentStatus,
  GhPull,
  GhRelease,
  GhRepo,
  GhStatus,
} from './repo.js';

/** Everything a view needs to build URLs. */
export interface ViewContext {
  repo: GhRepo;
  /** This API's base URL (`http://127.0.0.1:port`). */
  api: string;
}

const bot = { login: 'hotfix-bot[bot]', id: 41898282, type: 'Bot' };

export function repoView({ repo, api }: ViewContext): object {
  return {
    id: repo.id,
    name: repo.name,
    full_name: repo.fullName,
    owner: { login: repo.owner, type: 'Organization' },
    private: true,
    html_url: repo.htmlUrl,
    url: `${api}/repos/${repo.fullName}`,
    default_branch: repo.defaultBranch,
  };
}

export function commitView({ repo, api }: ViewContext, commit: GhCommit): object {
  return {
    sha: commit.sha,
    node_id: `C_${commit.sha.slice(0, 12)}`,
    url: `${api}/repos/${repo.fullName}/commits/${commit.sha}`,
    html_url: `${repo.htmlUrl}/commit/${commit.sha}`,
    commit: {
      message: commit.message,
      author: { name: 'Dev', email: 'dev@example.com', date: commit.date },
      committer: { name: 'Dev', email: 'dev@example.com', date: commit.date },
    },
    parents: commit.parents.map((sha) => ({ sha, url: `${api}/repos/${repo.fullName}/commits/${sha}` })),
  };
}

export function refView(
  { repo, api }: ViewContext,
  ref: string,
  object: { type: string; sha: string },
): object {
  const kind = object.type === 'tag' ? 'tags' : 'commits';
  return {
    ref,
    node_id: `REF_${ref}`,
    url: `${api}/repos/${repo.fullName}/git/${ref}`,
    object: {
      type: object.type,
      sha: object.sha,
      url: `${api}/repos/${repo.fullName}/git/${kind}/${object.sha}`,
    },
  };
}

export function releaseView({ repo, api }: ViewContext, release: GhRelease): object {
  return {
    id: release.id,
    tag_name: release.tag_name,
    name: release.name,
    draft: release.draft,
    prerelease: release.prerelease,
    target_commitish: repo.defaultBranch,
    url: `${api}/repos/${repo.fullName}/releases/${release.id}`,
    html_url: `${repo.htmlUrl}/releases/tag/${encodeURIComponent(release.tag_name)}`,
  };
}

export function statusView({ repo, api }: ViewContext, status: GhStatus): object {
  return {
    id: status.id,
    url: `${api}/repos/${repo.fullName}/statuses/${status.sha}`,
    state: status.state,
    description: status.description,
    target_url: status.target_url,
    context: status.context,
    created_at: status.created_at,
    updated_at: status.created_at,
    creator: bot,
  };
}

export function checkRunView({ repo, api }: ViewContext, run: GhCheckRun): object {
  return {
    id: run.id,
    name: run.name,
    head_sha: run.head_sha,
    status: run.status,
    conclusion: run.conclusion,
    url: `${api}/repos/${repo.fullName}/check-runs/${run.id}`,
    html_url: run.html_url,
    details_url: run.details_url,
    started_at: run.started_at,
    completed_at: run.completed_at,
    app: { slug: 'github-actions', name: 'GitHub Actions' },
  };
}

export function deploymentView({ repo, api }: ViewContext, d: GhDeployment): object {
  const url = `${api}/repos/${repo.fullName}/deployments/${d.id}`;
  return {
    url,
    id: d.id,
    node_id: `DE_${d.id}`,
    sha: d.sha,
    ref: d.ref,
    task: d.task,
    payload: d.payload,
    original_environment: d.environment,
    environment: d.environment,
    description: d.description,
    creator: bot,
    created_at: d.created_at,
    updated_at: d.statuses[0]?.created_at ?? d.created_at,
    statuses_url: `${url}/statuses`,
    repository_url: `${api}/repos/${repo.fullName}`,
    transient_environment: d.transient_environment,
    production_environment: d.production_environment,
  };
}

export function deploymentStatusView(
  { repo, api }: ViewContext,
  d: GhDeployment,
  s: GhDeploymentStatus,
): object {
  const deploymentUrl = `${api}/repos/${repo.fullName}/deployments/${d.id}`;
  return {
    url: `${deploymentUrl}/statuses/${s.id}`,
    id: s.id,
    node_id: `DES_${s.id}`,
    state: s.state,
    creator: bot,
    description: s.description,
    environment: s.environment,
    target_url: s.log_url,
    log_url: s.log_url,
    environment_url: s.environment_url,
    created_at: s.created_at,
    updated_at: s.created_at,
    deployment_url: deploymentUrl,
    repository_url: `${api}/repos/${repo.fullName}`,
  };
}

export function pullView({ repo, api }: ViewContext, pr: GhPull): object {
  const side = (ref: string, sha: string) => ({
    label: `${repo.owner}:${ref}`,
    ref,
    sha,
    repo: { full_name: repo.fullName },
  });
  return {
    url: `${api}/repos/${repo.fullName}/pulls/${pr.number}`,
    id: 1_000_000 + pr.number,
    number: pr.number,
    state: pr.state,
    title: pr.title,
    body: pr.body,
    draft: pr.draft,
    html_url: `${repo.htmlUrl}/pull/${pr.number}`,
    user: bot,
    created_at: pr.created_at,
    merged_at: pr.merged_at,
    head: side(pr.head, repo.git.branches.get(pr.head) ?? pr.headSha),
    base: side(pr.base, repo.git.branches.get(pr.base) ?? ''),
  };
}
