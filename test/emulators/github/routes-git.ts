/**
 * Wire handlers for what GitHub says about code: the repository, refs and annotated tags, creating a ref, releases by
 * tag, commits, combined status and check runs (paginated), creating a status, compare and branches.
 */
import { isObject, type WireRequest, type WireResponse } from '../http-kit/server.js';
import { notFound, unprocessable } from './git.js';
import { paged } from './paging.js';
import {
  checkRunView,
  commitView,
  refView,
  releaseView,
  repoView,
  statusView,
  type ViewContext,
} from './views.js';

const ok = (body: unknown, headers: Record<string, string> = {}): WireResponse => ({
  status: 200,
  body,
  headers,
});

function getRef(ctx: ViewContext, ref: string): WireResponse {
  const git = ctx.repo.git;
  const [kind, ...rest] = ref.split('/');
  const name = rest.join('/');
  if (kind === 'tags' && git.tags.has(name))
    return ok(refView(ctx, `refs/tags/${name}`, git.tags.get(name)!));
  const branch = git.branches.get(name);
  if (kind === 'heads' && branch)
    return ok(refView(ctx, `refs/heads/${name}`, { type: 'commit', sha: branch }));
  throw notFound('Not Found', 'https://docs.github.com/rest/git/refs#get-a-reference');
}

// git check-ref-format, as far as GitHub enforces it on POST /git/refs.
function validRefName(ref: string): boolean {
  const parts = ref.split('/');
  return (
    parts.length >= 3 &&
    parts[0] === 'refs' &&
    parts.every((p) => p !== '' && !p.startsWith('.') && !p.endsWith('.lock')) &&
    ![...ref].some((ch) => ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f) &&
    !/[\s~^:?*[\\]|\.\.|@\{/.test(ref) &&
    !ref.endsWith('.')
  );
}

// GET git/matching-refs/{ref}: every branch or tag ref whose name starts with `refs/{ref}`, in name order.
function matchingRefs(ctx: ViewContext, prefix: string): object[] {
  const git = ctx.repo.git;
  const refs = [
    ...[...git.branches].map(([name, sha]) => ({
      ref: `refs/heads/${name}`,
      object: { type: 'commit', sha },
    })),
    ...[...git.tags].map(([name, object]) => ({ ref: `refs/tags/${name}`, object })),
  ];
  return refs
    .filter((r) => r.ref.startsWith(`refs/${prefix}`))
    .sort((x, y) => (x.ref < y.ref ? -1 : 1))
    .map((r) => refView(ctx, r.ref, r.object));
}

function createRef(ctx: ViewContext, req: WireRequest): WireResponse {
  const body = isObject(req.body) ? req.body : {};
  const ref = body['ref'];
  const sha = body['sha'];
  if (typeof ref !== 'string' || typeof sha !== 'string')
    throw unprocessable('Invalid request.\n\n"ref" and "sha" are required.');
  if (!validRefName(ref)) throw unprocessable(`${ref} is not a valid ref name.`);
  const git = ctx.repo.git;
  if (!git.commits.has(sha)) throw unprocessable('Object does not exist');
  const name = ref.replace(/^refs\/(heads|tags)\//, '');
  if (ref.startsWith('refs/heads/')) {
    if (git.branches.has(name)) throw unprocessable('Reference already exists');
    git.branches.set(name, sha);
  } else if (ref.startsWith('refs/tags/')) {
    if (git.tags.has(name)) throw unprocessable('Reference already exists');
    git.tags.set(name, { type: 'commit', sha });
  } else throw unprocessable(`${ref} is not a valid ref name.`);
  return { status: 201, body: refView(ctx, ref, { type: 'commit', sha }) };
}

function combinedStatus(ctx: ViewContext, ref: string): WireResponse {
  const repo = ctx.repo;
  const sha = repo.git.resolve(ref);
  if (!sha) throw unprocessable(`No commit found for SHA: ${ref}`);
  const statuses = repo.latestStatuses(sha);
  return ok({
    state: repo.combinedState(sha),
    statuses: statuses.map((s) => statusView(ctx, s)),
    sha,
    total_count: statuses.length,
    repository: repoView(ctx),
    commit_url: `${ctx.api}/repos/${repo.fullName}/commits/${sha}`,
    url: `${ctx.api}/repos/${repo.fullName}/commits/${sha}/status`,
  });
}

function checkRuns(ctx: ViewContext, req: WireRequest, ref: string): WireResponse {
  const repo = ctx.repo;
  const sha = repo.git.resolve(ref);
  if (!sha) throw unprocessable(`No commit found for SHA: ${ref}`);
  let runs = repo.checkRuns.filter((r) => r.head_sha === sha);
  const filter = req.query.get('filter') ?? 'latest';
  if (filter !== 'latest' && filter !== 'all') throw unprocessable(`${filter} is not a valid filter.`);
  if (filter === 'latest') {
    const newest = new Map<string, (typeof runs)[number]>();
    for (const run of runs) newest.set(run.name, run);
    runs = [...newest.values()];
  }
  const name = req.query.get('check_name');
  const status = req.query.get('status');
  if (name) runs = runs.filter((r) => r.name === name);
  if (status) runs = runs.filter((r) => r.status === status);
  const page = paged(req, runs);
  return ok(
    { total_count: runs.length, check_runs: page.items.map((r) => checkRunView(ctx, r)) },
    page.headers,
  );
}

function compare(ctx: ViewContext, basehead: string): WireResponse {
  const repo = ctx.repo;
  const [base, head, extra] = basehead.split('...');
  if (!base || !head || extra !== undefined) throw notFound();
  const baseSha = repo.git.resolve(base);
  const headSha = repo.git.resolve(head);
  if (!baseSha || !headSha)
    throw notFound('Not Found', 'https://docs.github.com/rest/commits/commits#compare-two-commits');
  const ahead = repo.git.onlyIn(headSha, baseSha);
  const behind = repo.git.onlyIn(baseSha, headSha);
  const status =
    baseSha === headSha
      ? 'identical'
      : behind.length === 0
        ? 'ahead'
        : ahead.length === 0
          ? 'behind'
          : 'diverged';
  const mergeBase = repo.git.mergeBase(baseSha, headSha);
  const commitOf = (sha: string) => commitView(ctx, repo.git.commits.get(sha)!);
  return ok({
    url: `${ctx.api}/repos/${repo.fullName}/compare/${basehead}`,
    html_url: `${repo.htmlUrl}/compare/${basehead}`,
    permalink_url: `${repo.htmlUrl}/compare/${repo.owner}:${baseSha.slice(0, 7)}...${repo.owner}:${headSha.slice(0, 7)}`,
    diff_url: `${repo.htmlUrl}/compare/${basehead}.diff`,
    patch_url: `${repo.htmlUrl}/compare/${basehead}.patch`,
    base_commit: commitOf(baseSha),
    merge_base_commit: mergeBase ? commitOf(mergeBase) : null,
    status,
    ahead_by: ahead.length,
    behind_by: behind.length,
    total_commits: ahead.length,
    // GitHub lists at most 250 commits here.
    commits: ahead.slice(0, 250).map((c) => commitView(ctx, c)),
    files: [],
  });
}

/** Answers a code route under `/repos/{owner}/{repo}`, or undefined when `rest` is not one. */
export function routeGit(ctx: ViewContext, req: WireRequest, rest: string[]): WireResponse | undefined {
  const repo = ctx.repo;
  const m = req.method;
  const [a, b, ...tail] = rest;
  const joined = [b, ...tail].filter((x) => x !== undefined).join('/');
  if (a === undefined && m === 'GET') return ok(repoView(ctx));
  if (a === 'git' && b === 'ref' && m === 'GET') return getRef(ctx, tail.join('/'));
  if (a === 'git' && b === 'refs' && tail.length === 0 && m === 'POST') return createRef(ctx, req);
  if (a === 'git' && b === 'matching-refs' && m === 'GET') return ok(matchingRefs(ctx, tail.join('/')));
  if (a === 'git' && b === 'tags' && tail.length === 1 && m === 'GET') {
    const tag = repo.git.tagObjects.get(tail[0]!);
    if (!tag) throw notFound();
    return ok({
      sha: tag.sha,
      tag: tag.tag,
      message: tag.message,
      url: `${ctx.api}/repos/${repo.fullName}/git/tags/${tag.sha}`,
      tagger: { name: 'Release', email: 'release@example.com', date: repo.now().toISOString() },
      object: {
        type: 'commit',
        sha: tag.objectSha,
        url: `${ctx.api}/repos/${repo.fullName}/git/commits/${tag.objectSha}`,
      },
    });
  }
  if (a === 'releases' && b === 'tags' && m === 'GET') {
    const name = tail.join('/');
    const release = repo.releases.find((r) => r.tag_name === name && !r.draft);
    if (!release) throw notFound();
    return ok(releaseView(ctx, release));
  }
  if (a === 'commits' && b !== undefined && m === 'GET') {
    if (tail.at(-1) === 'status') return combinedStatus(ctx, [b, ...tail.slice(0, -1)].join('/'));
    if (tail.at(-1) === 'check-runs') return checkRuns(ctx, req, [b, ...tail.slice(0, -1)].join('/'));
    return ok(commitView(ctx, repo.git.commits.get(repo.commitFor(joined))!));
  }
  if (a === 'statuses' && b !== undefined && m === 'POST') {
    const status = repo.addStatus(b, isObject(req.body) ? req.body : {});
    return { status: 201, body: statusView(ctx, status) };
  }
  if (a === 'compare' && m === 'GET') return compare(ctx, joined);
  if (a === 'branches' && b !== undefined && m === 'GET') {
    const sha = repo.git.branches.get(joined);
    if (!sha)
      throw notFound('Branch not found', 'https://docs.github.com/rest/branches/branches#get-a-branch');
    return ok({
      name: joined,
      commit: { sha, url: `${ctx.api}/repos/${repo.fullName}/commits/${sha}` },
      protected: false,
      _links: { html: `${repo.htmlUrl}/tree/${joined}` },
    });
  }
  return undefined;
}
