/**
 * Wire handlers for deployments (create with GitHub's checks of required contexts and auto-merge, list with filters,
 * statuses with auto-inactive) and pull requests (create with GitHub's validation, list by head/base/state, get).
 */
import {
  HttpError,
  isObject,
  type JsonObject,
  type WireRequest,
  type WireResponse,
} from '../http-kit/server.js';
import { notFound, unprocessable } from './git.js';
import { paged } from './paging.js';
import { DEPLOYMENT_STATES, payloadOf, type GhDeployment, type GhPull } from './repo.js';
import { deploymentStatusView, deploymentView, pullView, type ViewContext } from './views.js';

const str = (body: JsonObject, key: string): string | undefined =>
  typeof body[key] === 'string' ? (body[key] as string) : undefined;

// By default every status context on the commit must be success; required_contexts names the ones that must.
function checkRequiredContexts(ctx: ViewContext, sha: string, ref: string, required: unknown): void {
  const latest = ctx.repo.latestStatuses(sha);
  const names = Array.isArray(required) ? required.map(String) : latest.map((s) => s.context);
  const failing = names
    .map((context) => ({ context, state: latest.find((s) => s.context === context)?.state ?? 'missing' }))
    .filter((c) => c.state !== 'success');
  if (failing.length === 0) return;
  throw new HttpError(409, {
    message: `Conflict: Commit status checks failed for ${ref}.`,
    errors: [{ contexts: failing, resource: 'Deployment', field: 'required_contexts', code: 'invalid' }],
    documentation_url: 'https://docs.github.com/rest/deployments/deployments#create-a-deployment',
  });
}

// auto_merge (default true) merges the default branch into a ref that is behind it; a tag or sha cannot take a merge.
function autoMerge(ctx: ViewContext, ref: string, sha: string): WireResponse | undefined {
  const git = ctx.repo.git;
  const main = ctx.repo.defaultBranch;
  const mainSha = git.branches.get(main)!;
  if (git.onlyIn(mainSha, sha).length === 0) return undefined;
  if (!git.branches.has(ref) || ref === main)
    throw new HttpError(409, { message: `Conflict merging ${main} into ${ref}.` });
  git.merge(ref, mainSha, `Merge ${main} into ${ref}`);
  return { status: 202, body: { message: `Auto-merged ${main} into ${ref} on deployment.` } };
}

function createDeployment(ctx: ViewContext, req: WireRequest): WireResponse {
  const body = isObject(req.body) ? req.body : {};
  const ref = str(body, 'ref');
  if (!ref) throw unprocessable('Invalid request.\n\n"ref" wasn\'t supplied.');
  const sha = ctx.repo.git.resolve(ref);
  if (!sha) throw unprocessable(`No ref found for: ${ref}`);
  if (body['auto_merge'] !== false) {
    const merged = autoMerge(ctx, ref, sha);
    if (merged) return merged;
  }
  checkRequiredContexts(ctx, sha, ref, body['required_contexts']);
  const environment = str(body, 'environment') ?? 'production';
  const deployment: GhDeployment = {
    id: ctx.repo.deployments.length + 1_000,
    sha,
    ref,
    task: str(body, 'task') ?? 'deploy',
    payload: payloadOf(body['payload']),
    environment,
    description: str(body, 'description') ?? null,
    transient_environment: body['transient_environment'] === true,
    production_environment:
      typeof body['production_environment'] === 'boolean'
        ? body['production_environment']
        : environment === 'production',
    created_at: ctx.repo.now().toISOString(),
    statuses: [],
  };
  ctx.repo.deployments.push(deployment);
  return { status: 201, body: deploymentView(ctx, deployment) };
}

function listDeployments(ctx: ViewContext, req: WireRequest): WireResponse {
  const q = req.query;
  const matches = ctx.repo.deployments
    .filter((d) => !q.get('sha') || d.sha === q.get('sha'))
    .filter((d) => !q.get('ref') || d.ref === q.get('ref'))
    .filter((d) => !q.get('task') || d.task === q.get('task'))
    .filter((d) => !q.get('environment') || d.environment === q.get('environment'))
    .reverse();
  const page = paged(req, matches);
  return { status: 200, body: page.items.map((d) => deploymentView(ctx, d)), headers: page.headers };
}

function createDeploymentStatus(ctx: ViewContext, d: GhDeployment, req: WireRequest): WireResponse {
  const body = isObject(req.body) ? req.body : {};
  const state = str(body, 'state');
  if (!state || !(DEPLOYMENT_STATES as readonly string[]).includes(state))
    throw unprocessable(
      `Invalid request.\n\nFor 'properties/state', ${JSON.stringify(state ?? null)} is not a valid state.`,
    );
  const description = str(body, 'description') ?? '';
  if (description.length > 140)
    throw unprocessable('Validation Failed', [
      {
        resource: 'DeploymentStatus',
        field: 'description',
        code: 'custom',
        message: 'description is too long (maximum is 140 characters)',
      },
    ]);
  const at = ctx.repo.now().toISOString();
  const nextId = () => ctx.repo.deployments.reduce((n, x) => n + x.statuses.length, 1) + 5_000;
  const status = {
    id: nextId(),
    state,
    description,
    log_url: str(body, 'log_url') ?? str(body, 'target_url') ?? '',
    environment_url: str(body, 'environment_url') ?? '',
    environment: str(body, 'environment') ?? d.environment,
    created_at: at,
  };
  d.statuses.unshift(status);
  // GitHub marks earlier successful deployments of the same non-transient, non-production environment inactive.
  if (state === 'success' && body['auto_inactive'] !== false) {
    for (const other of ctx.repo.deployments) {
      const earlier =
        other.id !== d.id && other.environment === d.environment && other.created_at <= d.created_at;
      if (
        earlier &&
        !other.transient_environment &&
        !other.production_environment &&
        other.statuses[0]?.state === 'success'
      )
        other.statuses.unshift({
          ...other.statuses[0],
          id: nextId(),
          state: 'inactive',
          description: '',
          created_at: at,
        });
    }
  }
  return { status: 201, body: deploymentStatusView(ctx, d, status) };
}

function createPull(ctx: ViewContext, req: WireRequest): WireResponse {
  const repo = ctx.repo;
  const body = isObject(req.body) ? req.body : {};
  const title = str(body, 'title');
  const base = str(body, 'base');
  const headIn = str(body, 'head');
  const missing = (field: string) => ({ resource: 'PullRequest', field, code: 'missing_field' });
  const errors = [
    ...(title ? [] : [missing('title')]),
    ...(base ? [] : [missing('base')]),
    ...(headIn ? [] : [missing('head')]),
  ];
  if (errors.length > 0 || !base || !headIn || !title) throw unprocessable('Validation Failed', errors);
  const head = headIn.includes(':') ? headIn.slice(headIn.indexOf(':') + 1) : headIn;
  const invalid = (field: string) =>
    unprocessable('Validation Failed', [{ resource: 'PullRequest', field, code: 'invalid' }]);
  const headSha = repo.git.branches.get(head);
  if (!headSha) throw invalid('head');
  const baseSha = repo.git.branches.get(base);
  if (!baseSha) throw invalid('base');
  if (repo.pulls.some((p) => p.state === 'open' && p.head === head && p.base === base))
    throw unprocessable('Validation Failed', [
      {
        resource: 'PullRequest',
        code: 'custom',
        message: `A pull request already exists for ${repo.owner}:${head}.`,
      },
    ]);
  if (repo.git.onlyIn(headSha, baseSha).length === 0)
    throw unprocessable('Validation Failed', [
      { resource: 'PullRequest', code: 'custom', message: `No commits between ${base} and ${head}` },
    ]);
  const pr: GhPull = {
    number: repo.pulls.length + 1,
    title,
    body: str(body, 'body') ?? null,
    head,
    base,
    headSha,
    state: 'open',
    merged_at: null,
    draft: body['draft'] === true,
    created_at: repo.now().toISOString(),
  };
  repo.pulls.push(pr);
  return { status: 201, body: { ...pullView(ctx, pr), merged: false } };
}

function listPulls(ctx: ViewContext, req: WireRequest): WireResponse {
  const q = req.query;
  const state = q.get('state') ?? 'open';
  if (!['open', 'closed', 'all'].includes(state))
    throw unprocessable(`Validation Failed`, [{ resource: 'Issue', field: 'state', code: 'invalid' }]);
  // The head filter must be `user:ref-name`; GitHub ignores a filter in another shape.
  const headFilter = q.get('head');
  const head = headFilter && /^[^:]+:.+$/.test(headFilter) ? headFilter : undefined;
  const pulls = ctx.repo.pulls
    .filter((p) => state === 'all' || p.state === state)
    .filter((p) => !head || `${ctx.repo.owner}:${p.head}` === head)
    .filter((p) => !q.get('base') || p.base === q.get('base'))
    .slice()
    .reverse();
  const page = paged(req, pulls);
  return { status: 200, body: page.items.map((p) => pullView(ctx, p)), headers: page.headers };
}

/** Answers a deployments or pulls route under `/repos/{owner}/{repo}`, or undefined when `rest` is not one. */
export function routeWork(ctx: ViewContext, req: WireRequest, rest: string[]): WireResponse | undefined {
  const m = req.method;
  const [a, b, c] = rest;
  if (a === 'deployments') {
    if (b === undefined && m === 'POST') return createDeployment(ctx, req);
    if (b === undefined && m === 'GET') return listDeployments(ctx, req);
    const d = ctx.repo.deployment(Number(b));
    if (c === undefined && m === 'GET') return { status: 200, body: deploymentView(ctx, d) };
    if (c === 'statuses' && m === 'POST') return createDeploymentStatus(ctx, d, req);
    if (c === 'statuses' && m === 'GET') {
      const page = paged(req, d.statuses);
      return {
        status: 200,
        body: page.items.map((s) => deploymentStatusView(ctx, d, s)),
        headers: page.headers,
      };
    }
  }
  if (a === 'pulls') {
    if (b === undefined && m === 'POST') return createPull(ctx, req);
    if (b === undefined && m === 'GET') return listPulls(ctx, req);
    if (c === undefined && m === 'GET') {
      const pr = ctx.repo.pull(Number(b));
      return { status: 200, body: { ...pullView(ctx, pr), merged: pr.merged_at !== null } };
    }
  }
  if (a === 'deployments' || a === 'pulls') throw notFound();
  return undefined;
}
