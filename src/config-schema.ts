/**
 * The zod schema of the environment: one rule per variable, then the rules across variables (Slack credentials per
 * role, each outside system's all-or-none credentials). Issue messages complete "expected ..."; config.ts adds the
 * variable name and what was found.
 */
import { z } from 'zod';

import { LOG_LEVELS, ROLES, variable as spec, type ConfigVariableName } from './config-variables.js';

/** Each system's variables: all of `required` or none; `optional` ones only make sense with them. */
export const SYSTEMS = {
  jenkins: { required: ['JENKINS_URL', 'JENKINS_USER', 'JENKINS_API_TOKEN'], optional: [] },
  aws: { required: ['AWS_REGION'], optional: ['AWS_ENDPOINT_URL'] },
  jira: { required: ['JIRA_HOST', 'JIRA_EMAIL', 'JIRA_API_TOKEN'], optional: [] },
  google: { required: ['GOOGLE_APPLICATION_CREDENTIALS'], optional: ['GOOGLE_CALENDAR_API_URL'] },
  statuspage: { required: ['STATUSPAGE_API_KEY'], optional: ['STATUSPAGE_API_URL'] },
  github: { required: ['GITHUB_TOKEN'], optional: ['GITHUB_API_URL'] },
} as const satisfies Record<
  string,
  { required: readonly ConfigVariableName[]; optional: readonly ConfigVariableName[] }
>;

/** The outside systems that can be enabled or disabled. */
export type SystemName = keyof typeof SYSTEMS;

function isUrl(value: string, protocols: readonly string[], credentialsAllowed: boolean): boolean {
  try {
    const url = new URL(value);
    return (
      protocols.includes(url.protocol) && (credentialsAllowed || (url.username === '' && url.password === ''))
    );
  } catch {
    return false;
  }
}

const expected = (name: ConfigVariableName): { error: string } => ({ error: spec(name).expected });
const text = () => z.string().optional();
const httpUrl = (name: ConfigVariableName) =>
  z
    .string()
    .refine((v) => isUrl(v, ['http:', 'https:'], false), expected(name))
    .optional();
const prefixed = (name: ConfigVariableName, prefix: string) =>
  z
    .string()
    .refine((v) => v.startsWith(prefix) && v.length > prefix.length, expected(name))
    .optional();

/** Validates the normalized environment (unset and empty values are `undefined`). */
export const EnvSchema = z
  .object({
    HOTFIX_ROLE: z.enum(ROLES, expected('HOTFIX_ROLE')).optional(),
    SLACK_BOT_TOKEN: prefixed('SLACK_BOT_TOKEN', 'xoxb-'),
    SLACK_SIGNING_SECRET: text(),
    SLACK_APP_TOKEN: prefixed('SLACK_APP_TOKEN', 'xapp-'),
    SLACK_API_URL: httpUrl('SLACK_API_URL'),
    PORT: z
      .string()
      .regex(/^\d{1,5}$/, expected('PORT'))
      .refine((v) => Number(v) <= 65535, expected('PORT'))
      .optional(),
    REDIS_URL: z
      .string()
      .refine((v) => isUrl(v, ['redis:', 'rediss:'], true), expected('REDIS_URL'))
      .optional(),
    HOTFIX_CATALOG: text(),
    JENKINS_URL: httpUrl('JENKINS_URL'),
    JENKINS_USER: text(),
    JENKINS_API_TOKEN: text(),
    AWS_REGION: z
      .string()
      .regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, expected('AWS_REGION'))
      .optional(),
    AWS_ENDPOINT_URL: httpUrl('AWS_ENDPOINT_URL'),
    JIRA_HOST: httpUrl('JIRA_HOST'),
    JIRA_EMAIL: z.email(expected('JIRA_EMAIL')).optional(),
    JIRA_API_TOKEN: text(),
    GOOGLE_APPLICATION_CREDENTIALS: text(),
    GOOGLE_CALENDAR_API_URL: httpUrl('GOOGLE_CALENDAR_API_URL'),
    STATUSPAGE_API_KEY: text(),
    STATUSPAGE_API_URL: httpUrl('STATUSPAGE_API_URL'),
    GITHUB_TOKEN: text(),
    GITHUB_API_URL: httpUrl('GITHUB_API_URL'),
    LOG_LEVEL: z.enum(LOG_LEVELS, expected('LOG_LEVEL')).optional(),
  } satisfies Record<ConfigVariableName, z.ZodType>)
  // `when` makes the cross-variable rules run even when a single variable failed, so all problems come out at once.
  .superRefine(
    (env, ctx) => crossCheck(env, (name, message) => ctx.addIssue({ code: 'custom', path: [name], message })),
    { when: () => true },
  );

/** The environment after validation. */
export type Env = z.output<typeof EnvSchema>;
type Report = (name: ConfigVariableName, expectation: string) => void;

function crossCheck(env: Env, report: Report): void {
  if (env.SLACK_BOT_TOKEN === undefined) report('SLACK_BOT_TOKEN', spec('SLACK_BOT_TOKEN').expected);
  const servesSlack = env.HOTFIX_ROLE !== 'worker';
  if (servesSlack && env.SLACK_SIGNING_SECRET === undefined && env.SLACK_APP_TOKEN === undefined) {
    report(
      'SLACK_SIGNING_SECRET',
      `${spec('SLACK_SIGNING_SECRET').expected} when HOTFIX_ROLE is web or all (or set SLACK_APP_TOKEN for Socket Mode)`,
    );
  }
  for (const [system, { required, optional }] of Object.entries(SYSTEMS)) {
    const present = [...required, ...optional].filter((name) => env[name] !== undefined);
    if (present.length === 0) continue;
    for (const name of required.filter((n) => env[n] === undefined)) {
      const because = `${present.join(', ')} ${present.length === 1 ? 'is' : 'are'} set`;
      report(
        name,
        `${spec(name).expected}, because ${because} (${system} needs all of ${required.join(', ')}, or none)`,
      );
    }
  }
}
