/** Schema for `services`: what can be deployed, how, and which tags are acceptable. */
import { z } from 'zod';
import { DEPLOY_METHODS } from '../domain/catalog.js';
import { CI_PENDING_ACTIONS, DEFAULT_CI_POLICY } from '../domain/ci-gate.js';
import { foundExpected, messageOf } from './messages.js';
import { formatted, isMapping, namedRecord, text, userId } from './primitives.js';

/** Why `source` is unusable as a tag pattern, or undefined when it is fine. */
export function tagPatternProblem(source: string): string | undefined {
  try {
    new RegExp(source);
  } catch (error) {
    return foundExpected(source, `a valid regular expression (${messageOf(error)})`);
  }
  // Unanchored, `\d+` would accept `abc1`: the pattern is the only thing standing between a typo and a deploy.
  if (!source.startsWith('^') || !source.endsWith('$')) {
    return foundExpected(source, 'a pattern anchored with ^ and $, so that it must match the whole tag');
  }
  return undefined;
}

const tagPattern = z.string().superRefine((source, ctx) => {
  const problem = tagPatternProblem(source);
  if (problem) ctx.addIssue({ code: 'custom', input: source, message: problem });
});

function exampleMatchesPattern(
  service: { tagPattern?: unknown; tagExample?: unknown },
  ctx: z.RefinementCtx,
): void {
  const { tagPattern: pattern, tagExample: example } = service;
  if (typeof pattern !== 'string' || typeof example !== 'string' || tagPatternProblem(pattern)) return;
  if (new RegExp(pattern).test(example)) return;
  const message = foundExpected(example, `a tag matching tagPattern ${pattern}`);
  ctx.addIssue({ code: 'custom', input: example, path: ['tagExample'], message });
}

const healthCheck = z.strictObject({
  name: text,
  path: formatted(/^\//, 'a URL path starting with /, like /v1/health'),
  versionField: text.exactOptional(),
  status: z.number().int().min(100).max(599).default(200),
  timeoutSeconds: z.number().positive().max(60).default(5),
});

const soak = z.strictObject({
  seconds: z
    .number()
    .positive()
    .max(24 * 3600),
  everySeconds: z.number().positive().max(3600),
});

const rehearsal = z.strictObject({
  stages: z.array(text).min(1),
  stageSeconds: z.number().min(0).max(3600),
  input: z.strictObject({ before: text, message: text }).exactOptional(),
  failAt: text.exactOptional(),
  healthFailsAt: z.number().int().min(1).exactOptional(),
});

/**
 * A GitHub repository as `owner/repo`: the owner is letters, digits and single hyphens (not at either end, at most 39);
 * the name is letters, digits, `.`, `_` and `-` (at most 100, not `.` or `..`, no `.git`).
 */
export const GITHUB_REPO =
  /^(?=.{1,39}\/)[A-Za-z0-9](?:-?[A-Za-z0-9])*\/(?!\.{1,2}$)(?!.*\.git$)[A-Za-z0-9._-]{1,100}$/;

// What plans do while CI runs on the target tag (hold and re-check, or refuse), and how long a held plan waits.
const ci = z.strictObject({
  whenPending: z.enum(CI_PENDING_ACTIONS).default(DEFAULT_CI_POLICY.whenPending),
  waitMinutes: z
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(DEFAULT_CI_POLICY.waitMinutes),
});

const service = z
  .strictObject({
    repo: formatted(GITHUB_REPO, 'a repository as owner/repo'),
    method: z.enum(DEPLOY_METHODS),
    tagPattern,
    tagExample: text,
    owners: z.array(userId).min(1),
    healthChecks: z.array(healthCheck).default([]),
    soak: soak.exactOptional(),
    rehearsal: rehearsal.exactOptional(),
    ci: ci.exactOptional(),
  })
  .superRefine(exampleMatchesPattern, { when: (payload) => isMapping(payload.value) });

/** `services`: keyed by service name. */
export const servicesSchema = namedRecord(service, 'service');
