/**
 * Maps what Octokit throws (RequestError, or a fetch failure it wrapped) to a SourceHostError. Rate limits follow
 * GitHub's documented rules: `retry-after` first; else `x-ratelimit-remaining: 0` means wait until
 * `x-ratelimit-reset`; else a secondary limit without either means wait at least a minute. A 403 that is none of
 * these is a missing permission. The original error is dropped: its request copy is not for logs or people.
 */
import { SourceHostError } from '../../ports/source-host.js';

const SECONDARY_DEFAULT_MS = 60_000;

interface OctokitFailure {
  status?: unknown;
  message?: unknown;
  response?: { headers?: Record<string, string | undefined>; data?: unknown };
}

function header(error: OctokitFailure, name: string): string | undefined {
  return error.response?.headers?.[name];
}

// GitHub's message, without the documentation link Octokit appends.
function githubMessage(error: OctokitFailure): string {
  const data = error.response?.data as { message?: unknown; errors?: unknown } | undefined;
  const message = typeof data?.message === 'string' ? data.message : '';
  const errors = Array.isArray(data?.errors)
    ? data.errors.map((e: { message?: unknown; field?: unknown; code?: unknown }) =>
        typeof e.message === 'string' ? e.message : `${String(e.field)} ${String(e.code)}`,
      )
    : [];
  return [message, ...errors].filter(Boolean).join(': ');
}

/** How long GitHub asked us to wait, or undefined when the answer is not a rate limit. */
export function rateLimitWaitMs(error: OctokitFailure, nowMs: number): number | undefined {
  const status = error.status;
  if (status !== 403 && status !== 429) return undefined;
  const retryAfter = Number.parseInt(header(error, 'retry-after') ?? '', 10);
  if (Number.isFinite(retryAfter)) return Math.max(0, retryAfter * 1000);
  if (header(error, 'x-ratelimit-remaining') === '0') {
    const reset = Number.parseInt(header(error, 'x-ratelimit-reset') ?? '', 10);
    return Number.isFinite(reset) ? Math.max(0, reset * 1000 - nowMs) : SECONDARY_DEFAULT_MS;
  }
  if (status === 429 || /secondary rate limit/i.test(githubMessage(error))) return SECONDARY_DEFAULT_MS;
  return undefined;
}

/** A SourceHostError saying what `doing` was and why it failed; 404 means the repository is missing or hidden. */
export function asSourceHostError(
  error: unknown,
  doing: string,
  repo: string,
  nowMs: number,
): SourceHostError {
  if (error instanceof SourceHostError) return error;
  const e = (error ?? {}) as OctokitFailure;
  const status = typeof e.status === 'number' ? e.status : undefined;
  if (!e.response) {
    return new SourceHostError(
      'unreachable',
      `GitHub could not be reached while ${doing}; try again shortly`,
    );
  }
  const wait = rateLimitWaitMs(e, nowMs);
  if (wait !== undefined) {
    const seconds = Math.ceil(wait / 1000);
    return new SourceHostError(
      'rate_limited',
      `GitHub's rate limit stopped ${doing}; it can be tried again in ${seconds} s`,
      wait,
      status,
    );
  }
  if (status === 401)
    return new SourceHostError(
      'unauthorized',
      `GitHub refused the bot's token while ${doing} (401): check GITHUB_TOKEN`,
      undefined,
      status,
    );
  if (status === 403) {
    return new SourceHostError(
      'unauthorized',
      `GitHub's token lacks a permission needed for ${doing} (403): give it access to ${repo}`,
      undefined,
      status,
    );
  }
  if (status === 404) {
    return new SourceHostError(
      'repo_not_found',
      `GitHub has no repository ${repo}, or GITHUB_TOKEN cannot see it: check the service's repo in the catalog`,
      undefined,
      status,
    );
  }
  if (status !== undefined && status >= 500)
    return new SourceHostError(
      'unavailable',
      `GitHub is unavailable (${status}) while ${doing}; try again shortly`,
      undefined,
      status,
    );
  if (status === 409 || status === 422) {
    const why = githubMessage(e);
    return new SourceHostError(
      'refused',
      `GitHub refused ${doing}${why ? `: ${why}` : ''}`,
      undefined,
      status,
    );
  }
  return new SourceHostError(
    'unexpected',
    `GitHub gave an unexpected answer (${String(status)}) while ${doing}`,
    undefined,
    status,
  );
}

/** True when Octokit's failure is GitHub's 404 (not a missing network). */
export function isNotFound(error: unknown): boolean {
  const e = error as OctokitFailure | undefined;
  return e?.status === 404 && e.response !== undefined;
}

/** True for a 422 whose GitHub message contains `text`. */
export function isUnprocessable(error: unknown, text: RegExp): boolean {
  const e = error as OctokitFailure | undefined;
  return e?.status === 422 && e.response !== undefined && text.test(githubMessage(e));
}
