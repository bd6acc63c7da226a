/**
 * One emulated GitHub repository: its git graph plus what GitHub keeps beside it: releases, commit statuses, check
 * runs, deployments with their statuses, and pull requests. Mutations here are the wire's and the tests' seeding.
 */
import { isObject, type Json, type JsonObject } from '../http-kit/server.js';
import { GitGraph, notFound, unprocessable } from './git.js';

export const STATUS_STATES = ['error', 'failure', 'pending', 'success'] as const;
export const CHECK_STATUSES = [
  'queued',
  'in_progress',
  'completed',
  'waiting',
  'requested',
  'pending',
] as const;
export const CHECK_CONCLUSIONS = [
  'success',
  'failure',
  'neutral',
  'cancelled',
  'skipped',
  'timed_out',
  'action_required',
  'stale',
  'startup_failure',
] as const;
export const DEPLOYMENT_STATES = [
  'error',
  'failure',
  'inactive',
  'in_progress',
  'queued',
  'pending',
  'success',
] as const;

export interface GhStatus {
  id: number;
  sha: string;
  state: string;
  context: string;
  description: string | null;
  target_url: string | null;
  created_at: string;
}

export interface GhCheckRun {
  id: number;
  head_sha: string;
  name: string;
  status: string;
  conclusion: string | null;
  html_url: string;
  details_url: string | null;
  started_at: string;
  completed_at: string | null;
}

export interface GhRelease {
  id: number;
  tag_name: string;
  name: string;
  draft: boolean;
  prerelease: boolean;
}

export interface GhDeploymentStatus {
  id: number;
  state: string;
  description: string;
  log_url: string;
  environment_url: string;
  environment: string;
  created_at: string;
}

export interface GhDeployment {
  id: number;
  sha: string;
  ref: string;
  task: string;
  payload: Json;
  environment: string;
  description: string | null;
  transient_environment: boolean;
  production_environment: boolean;
  created_at: string;
  /** Newest first, as the API lists them. */
  statuses: GhDeploymentStatus[];
}

export interface GhPull {
  number: number;
  title: string;
  body: string | null;
  head: string;
  base: string;
  headSha: string;
  state: 'open' | 'closed';
  merged_at: string | null;
  draft: boolean;
  created_at: string;
}

/** A repository and everything the emulator keeps for it. */
export class GhRepo {
  readonly git: GitGraph;
  readonly releases: GhRelease[] = [];
  readonly statuses: GhStatus[] = [];
  readonly checkRuns: GhCheckRun[] = [];
  readonly deployments: GhDeployment[] = [];
  readonly pulls: GhPull[] = [];

  constructor(
    readonly owner: string,
    readonly name: string,
    readonly id: number,
    public defaultBranch: string,
    readonly webUrl: string,
    private readonly ids: () => number,
    readonly now: () => Date,
  ) {
    this.git = new GitGraph(`${owner}/${name}`, now);
    this.git.commit(defaultBranch, 'Initial commit');
  }

  get fullName(): string {
    return `${this.owner}/${this.name}`;
  }

  get htmlUrl(): string {
    return `${this.webUrl}/${this.fullName}`;
  }

  /** A commit sha for `ref`, or GitHub's 422 "No commit found". */
  commitFor(ref: string): string {
    const sha = this.git.resolve(ref);
    if (!sha) throw unprocessable(`No commit found for SHA: ${ref}`);
    return sha;
  }

  addRelease(tag: string, name = tag, draft = false): GhRelease {
    const release = { id: this.ids(), tag_name: tag, name, draft, prerelease: false };
    this.releases.push(release);
    return release;
  }

  /** POST /statuses/{sha}: GitHub keeps every status; the combined view shows the newest per context. */
  addStatus(sha: string, input: JsonObject): GhStatus {
    const state = input['state'];
    if (typeof state !== 'string' || !(STATUS_STATES as readonly string[]).includes(state))
      throw unprocessable('Validation Failed', [{ resource: 'Status', field: 'state', code: 'custom' }]);
    const status: GhStatus = {
      id: this.ids(),
      sha: this.commitFor(sha),
      state,
      context: typeof input['context'] === 'string' ? input['context'] : 'default',
      description: typeof input['description'] === 'string' ? input['description'] : null,
      target_url: typeof input['target_url'] === 'string' ? input['target_url'] : null,
      created_at: this.now().toISOString(),
    };
    this.statuses.push(status);
    return status;
  }

  /** The newest status of each context on `sha`. */
  latestStatuses(sha: string): GhStatus[] {
    const byContext = new Map<string, GhStatus>();
    for (const s of this.statuses.filter((x) => x.sha === sha)) byContext.set(s.context, s);
    return [...byContext.values()];
  }

  /** The combined state: failure if any error/failure, pending if any pending or none at all, else success. */
  combinedState(sha: string): string {
    const latest = this.latestStatuses(sha);
    if (latest.some((s) => s.state === 'failure' || s.state === 'error')) return 'failure';
    if (latest.length === 0 || latest.some((s) => s.state === 'pending')) return 'pending';
    return 'success';
  }

  /** Adds a check run (a new run of the same name is a re-run; `filter=latest` shows only the newest). */
  addCheckRun(
    sha: string,
    run: { name: string; status: string; conclusion?: string; detailsUrl?: string },
  ): GhCheckRun {
    if (!(CHECK_STATUSES as readonly string[]).includes(run.status))
      throw new Error(`bad check status ${run.status}`);
    const completed = run.status === 'completed';
    if (completed !== (run.conclusion !== undefined))
      throw new Error('a conclusion comes with status completed only');
    if (run.conclusion && !(CHECK_CONCLUSIONS as readonly string[]).includes(run.conclusion))
      throw new Error(`bad conclusion ${run.conclusion}`);
    const id = this.ids();
    const at = this.now().toISOString();
    const checkRun: GhCheckRun = {
      id,
      head_sha: this.commitFor(sha),
      name: run.name,
      status: run.status,
      conclusion: run.conclusion ?? null,
      html_url: `${this.htmlUrl}/runs/${id}`,
      details_url: run.detailsUrl ?? null,
      started_at: at,
      completed_at: completed ? at : null,
    };
    this.checkRuns.push(checkRun);
    return checkRun;
  }

  /** Finishes a check run. */
  completeCheckRun(id: number, conclusion: string): void {
    const run = this.checkRuns.find((r) => r.id === id);
    if (!run) throw new Error(`no check run ${id}`);
    run.status = 'completed';
    run.conclusion = conclusion;
    run.completed_at = this.now().toISOString();
  }

  deployment(id: number): GhDeployment {
    const found = this.deployments.find((d) => d.id === id);
    if (!found) throw notFound();
    return found;
  }

  pull(number: number): GhPull {
    const found = this.pulls.find((p) => p.number === number);
    if (!found) throw notFound();
    return found;
  }

  /** Merges an open pull request into its base, as the merge button does. */
  mergePull(number: number): void {
    const pr = this.pull(number);
    if (pr.state !== 'open') throw new Error(`pull request ${number} is ${pr.state}`);
    const headSha = this.git.branches.get(pr.head) ?? pr.headSha;
    this.git.merge(pr.base, headSha, `Merge pull request #${number} from ${this.owner}/${pr.head}`);
    pr.state = 'closed';
    pr.merged_at = this.now().toISOString();
  }

  /** Closes a pull request without merging it. */
  closePull(number: number): void {
    this.pull(number).state = 'closed';
  }
}

/** Reads a payload given as an object or as a JSON string, as the deployments API accepts both. */
export function payloadOf(value: Json | undefined): Json {
  if (value === undefined || value === null) return {};
  if (typeof value === 'string') {
    try {
      return JSON.parse(value) as Json;
    } catch {
      throw unprocessable('Invalid request.\n\nFor \'properties/payload\', "not json" is not an object.');
    }
  }
  if (!isObject(value)) throw unprocessable('Invalid request.\n\npayload must be an object or a string.');
  return value;
}
