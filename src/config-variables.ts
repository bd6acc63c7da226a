/**
 * The registry of environment variables the bot reads (DESIGN.md section 4): name, one-line description, what a
 * valid value looks like, whether it is secret, and its default. config.ts validates against it; the README is
 * checked against CONFIG_VARIABLES.
 */

/** The process roles HOTFIX_ROLE accepts. */
export const ROLES = ['web', 'worker', 'all'] as const;
/** The log levels LOG_LEVEL accepts. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Which parts of the bot this process runs. */
export type Role = (typeof ROLES)[number];
/** A pino log level. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/** What the bot knows about one variable. */
export interface VariableSpec {
  /** One line for the README. */
  readonly description: string;
  /** Completes "expected ..." in a config error. */
  readonly expected: string;
  /** Its value is never printed, and it goes to the redactor. */
  readonly secret?: true;
  /** A URL: printed with any user name and password stripped. */
  readonly url?: true;
  /** The value used when it is unset or empty. */
  readonly default?: string;
}

const HTTP_URL = 'an http(s) URL without credentials';

// Declaration order is the order problems are reported in.
const SPECS = {
  HOTFIX_ROLE: {
    description: 'Process role: web, worker or all',
    expected: `one of ${ROLES.join(', ')}`,
    default: 'all',
  },
  SLACK_BOT_TOKEN: { description: 'Slack bot token', expected: 'a bot token (xoxb-...)', secret: true },
  SLACK_SIGNING_SECRET: {
    description: 'Slack signing secret for HTTP requests',
    expected: "the Slack app's signing secret",
    secret: true,
  },
  SLACK_APP_TOKEN: {
    description: 'Slack app-level token; when set, Slack is served over Socket Mode',
    expected: 'an app-level token (xapp-...)',
    secret: true,
  },
  SLACK_API_URL: {
    description: 'Slack Web API base URL',
    expected: `${HTTP_URL}, such as https://slack.com/api/`,
    url: true,
    default: 'https://slack.com/api/',
  },
  PORT: {
    description: 'HTTP port for Slack events, health and metrics',
    expected: 'an integer from 0 to 65535',
    default: '3000',
  },
  REDIS_URL: {
    description: 'Redis holding queues, locks and hotfix records',
    expected: 'a redis:// or rediss:// URL',
    url: true,
    default: 'redis://127.0.0.1:6379',
  },
  HOTFIX_CATALOG: {
    description: 'Path of the service/client catalog',
    expected: 'a file path',
    default: 'manifests/catalog.yml',
  },
  JENKINS_URL: {
    description: 'Jenkins base URL',
    expected: `${HTTP_URL}, such as https://jenkins.example.com`,
    url: true,
  },
  JENKINS_USER: { description: 'Jenkins user the API token belongs to', expected: 'a Jenkins user name' },
  JENKINS_API_TOKEN: { description: 'Jenkins API token', expected: 'a Jenkins API token', secret: true },
  AWS_REGION: {
    description: 'AWS region for ECS and CloudWatch Logs; enables AWS',
    expected: 'an AWS region such as eu-west-1',
  },
  AWS_ENDPOINT_URL: {
    description: "AWS endpoint override (the SDK's own variable)",
    expected: HTTP_URL,
    url: true,
  },
  JIRA_HOST: {
    description: 'Jira base URL',
    expected: `${HTTP_URL}, such as https://example.atlassian.net`,
    url: true,
  },
  JIRA_EMAIL: {
    description: 'Email of the Jira user the API token belongs to',
    expected: 'an email address',
  },
  JIRA_API_TOKEN: { description: 'Atlassian API token', expected: 'an Atlassian API token', secret: true },
  GOOGLE_APPLICATION_CREDENTIALS: {
    description: 'Service-account key file for the change calendar; enables Google',
    expected: 'the path of a service-account JSON key file',
  },
  GOOGLE_CALENDAR_API_URL: {
    description: 'Google APIs root URL override',
    expected: HTTP_URL,
    url: true,
    default: 'https://www.googleapis.com/',
  },
  STATUSPAGE_API_KEY: {
    description: 'Statuspage API key; enables Statuspage',
    expected: 'a Statuspage API key',
    secret: true,
  },
  STATUSPAGE_API_URL: {
    description: 'Statuspage API base URL',
    expected: HTTP_URL,
    url: true,
    default: 'https://api.statuspage.io/v1',
  },
  GITHUB_TOKEN: { description: 'GitHub token; enables GitHub', expected: 'a GitHub token', secret: true },
  GITHUB_API_URL: {
    description: 'GitHub API base URL',
    expected: HTTP_URL,
    url: true,
    default: 'https://api.github.com',
  },
  LOG_LEVEL: { description: 'Log level', expected: `one of ${LOG_LEVELS.join(', ')}`, default: 'info' },
} as const satisfies Record<string, VariableSpec>;

/** The name of an environment variable the bot reads. */
export type ConfigVariableName = keyof typeof SPECS;

/** The registry entry for one variable. */
export function variable(name: ConfigVariableName): VariableSpec {
  return SPECS[name];
}

/** Every variable the bot reads, with a one-line description, so the README can be checked against it. */
export const CONFIG_VARIABLES: readonly {
  readonly name: ConfigVariableName;
  readonly description: string;
  readonly secret: boolean;
  readonly default?: string;
}[] = (Object.keys(SPECS) as ConfigVariableName[]).map((name) => {
  const { description, secret, default: fallback } = variable(name);
  return {
    name,
    description,
    secret: secret === true,
    ...(fallback === undefined ? {} : { default: fallback }),
  };
});
