/**
 * A local GitHub REST API (https://api.github.com) on 127.0.0.1 for the real Octokit (`baseUrl`): token auth
 * (`Authorization: token|Bearer <t>`, 401 otherwise), repositories with git refs, annotated tags, releases, commits,
 * combined status and check runs, compare, branches, deployments and their statuses, pull requests. Every answer
 * carries the primary rate-limit headers; past the hourly limit it answers 403 (or 429) with
 * `x-ratelimit-remaining: 0`. A secondary rate limit (403/429, with or without `retry-after`), 5xx and stalls can be
 * injected. Every call is recorded.
 */
import {
  HttpError,
  startHttpEmulator,
  type HttpEmulator,
  type WireRequest,
  type WireResponse,
} from '../http-kit/server.js';
import { notFound } from './git.js';
import { GhRepo } from './repo.js';
import { routeGit } from './routes-git.js';
import { routeWork } from './routes-work.js';

/** How to start the emulator. */
export interface GithubEmulatorOptions {
  /** Tokens accepted. @defaultValue ['ghp_testtoken'] */
  tokens?: string[];
  /** Requests per token per hour (GitHub gives a personal token 5,000). @defaultValue 5000 */
  hourlyLimit?: number;
  /** The status past the primary limit; GitHub answers 403 or 429. @defaultValue 403 */
  primaryLimitStatus?: 403 | 429;
  /** Where people open pages. @defaultValue 'https://github.com' */
  webUrl?: string;
  now?: () => Date;
}

/** A secondary rate limit to answer the next calls with. */
export interface SecondaryLimit {
  /** @defaultValue 403 */
  status?: 403 | 429;
  /** Seconds in `retry-after`; GitHub does not always send one. */
  retryAfterSeconds?: number;
}

/** A running GitHub emulator. */
export interface GithubEmulator extends HttpEmulator {
  readonly token: string;
  /** Adds a repository (`owner/name`) with one commit on its default branch. */
  createRepo(fullName: string, options?: { defaultBranch?: string }): GhRepo;
  repo(fullName: string): GhRepo;
  /** The next `times` calls get a secondary rate limit. */
  secondaryLimitNext(limit?: SecondaryLimit, times?: number): void;
  /** Uses up the token's hourly requests, so the next call meets the primary limit. */
  exhaustPrimaryLimit(token?: string): void;
}

const DOCS = 'https://docs.github.com/rest';

function tokenOf(req: WireRequest): string | undefined {
  const m = /^(?:token|bearer)\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  return m?.[1];
}

/** Starts a GitHub emulator. */
export async function startGithubEmulator(options: GithubEmulatorOptions = {}): Promise<GithubEmulator> {
  const tokens = options.tokens ?? ['ghp_testtoken'];
  const now = options.now ?? (() => new Date());
  const limit = options.hourlyLimit ?? 5000;
  const webUrl = options.webUrl ?? 'https://github.com';
  const repos = new Map<string, GhRepo>();
  const used = new Map<string, { count: number; resetAt: number }>();
  const secondary: { limit: SecondaryLimit; remaining: number }[] = [];
  let nextId = 1;
  const ids = () => nextId++;

  const windowOf = (token: string) => {
    const t = Math.floor(now().getTime() / 1000);
    const current = used.get(token);
    if (current && current.resetAt > t) return current;
    const fresh = { count: 0, resetAt: t + 3600 };
    used.set(token, fresh);
    return fresh;
  };

  const rateHeaders = (w: { count: number; resetAt: number }): Record<string, string> => ({
    'x-ratelimit-limit': String(limit),
    'x-ratelimit-remaining': String(Math.max(0, limit - w.count)),
    'x-ratelimit-used': String(Math.min(limit, w.count)),
    'x-ratelimit-reset': String(w.resetAt),
    'x-ratelimit-resource': 'core',
  });

  const route = (req: WireRequest): WireResponse => {
    const segments = req.path.split('/').filter(Boolean).map(decodeURIComponent);
    const [root, owner, name, ...rest] = segments;
    if (root !== 'repos' || !owner || !name) throw notFound();
    const repo = repos.get(`${owner}/${name}`.toLowerCase());
    if (!repo) throw notFound('Not Found', `${DOCS}/repos/repos#get-a-repository`);
    const ctx = { repo, api: `http://${req.headers.host ?? '127.0.0.1'}` };
    const answer = routeGit(ctx, req, rest) ?? routeWork(ctx, req, rest);
    if (!answer) throw notFound();
    return answer;
  };

  const server = await startHttpEmulator((req) => {
    const token = tokenOf(req);
    if (!req.headers.authorization)
      throw new HttpError(401, {
        message: 'Requires authentication',
        documentation_url: DOCS,
        status: '401',
      });
    if (!token || !tokens.includes(token))
      throw new HttpError(401, { message: 'Bad credentials', documentation_url: DOCS, status: '401' });
    const w = windowOf(token);
    if (w.count >= limit) {
      throw new HttpError(
        options.primaryLimitStatus ?? 403,
        {
          message:
            'API rate limit exceeded for user ID 1. If you reach out to GitHub Support for help, please include the request ID.',
          documentation_url: `${DOCS}/overview/rate-limits-for-the-rest-api`,
          status: String(options.primaryLimitStatus ?? 403),
        },
        rateHeaders(w),
      );
    }
    w.count += 1;
    const throttle = secondary[0];
    if (throttle) {
      throttle.remaining -= 1;
      if (throttle.remaining <= 0) secondary.shift();
      const retry = throttle.limit.retryAfterSeconds;
      throw new HttpError(
        throttle.limit.status ?? 403,
        {
          message:
            'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
          documentation_url: `${DOCS}/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits`,
          status: String(throttle.limit.status ?? 403),
        },
        { ...rateHeaders(w), ...(retry === undefined ? {} : { 'retry-after': String(retry) }) },
      );
    }
    try {
      const answer = route(req);
      return { ...answer, headers: { ...rateHeaders(w), ...answer.headers } };
    } catch (error) {
      if (error instanceof HttpError)
        throw new HttpError(error.status, error.body, { ...rateHeaders(w), ...error.headers });
      throw error;
    }
  });

  return {
    ...server,
    get calls() {
      return server.calls;
    },
    token: tokens[0] ?? '',
    createRepo(fullName, repoOptions = {}) {
      const [owner, name] = fullName.split('/');
      if (!owner || !name) throw new Error(`expected owner/name, got ${fullName}`);
      const repo = new GhRepo(owner, name, ids(), repoOptions.defaultBranch ?? 'main', webUrl, ids, now);
      repos.set(fullName.toLowerCase(), repo);
      return repo;
    },
    repo(fullName) {
      const repo = repos.get(fullName.toLowerCase());
      if (!repo) throw new Error(`no repository ${fullName}`);
      return repo;
    },
    secondaryLimitNext(limitSpec = {}, times = 1) {
      secondary.push({ limit: limitSpec, remaining: times });
    },
    exhaustPrimaryLimit(token = tokens[0] ?? '') {
      windowOf(token).count = limit;
    },
  };
}
