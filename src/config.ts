/**
 * The environment, read and validated once at start-up (DESIGN.md section 4). Every problem is collected into one
 * ConfigError so an operator fixes the deployment in one pass; messages name the variable and what was expected, and
 * never print a secret's value.
 */
import {
  CONFIG_VARIABLES,
  variable as spec,
  type ConfigVariableName,
  type LogLevel,
  type Role,
} from './config-variables.js';
import { EnvSchema, SYSTEMS, type Env, type SystemName } from './config-schema.js';

export { CONFIG_VARIABLES, type ConfigVariableName, type LogLevel, type Role };

const NAMES = CONFIG_VARIABLES.map(({ name }) => name);

/** An outside system that is off because its credentials are absent; plans that need it are refused. */
export interface DisabledSystem {
  readonly enabled: false;
  readonly missing: readonly ConfigVariableName[];
}
/** An outside system's settings, or why it is disabled. */
export type SystemConfig<T> = ({ readonly enabled: true } & T) | DisabledSystem;

/** The validated configuration, grouped by concern. */
export interface Config {
  /** HOTFIX_ROLE: which parts of the bot this process runs. */
  readonly role: Role;
  /** LOG_LEVEL. */
  readonly logLevel: LogLevel;
  /** PORT for Slack events (HTTP mode), /healthz, /readyz and /metrics. */
  readonly http: { readonly port: number };
  /** Slack credentials and where the Web API is. */
  readonly slack: {
    readonly botToken: string;
    /** Always ends with `/`, as the Web API client appends method names to it. */
    readonly apiUrl: string;
    /** True when SLACK_APP_TOKEN is set: Slack is served over Socket Mode instead of HTTP. */
    readonly socketMode: boolean;
    readonly signingSecret?: string;
    readonly appToken?: string;
  };
  /** REDIS_URL; may carry a password, so print it with stripUserinfo. */
  readonly redis: { readonly url: string };
  /** HOTFIX_CATALOG. */
  readonly catalog: { readonly path: string };
  /** Values of AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN if present: not used here, only redacted. */
  readonly ambientSecrets: readonly string[];
  /** Each outside system, enabled with its settings or disabled with the variables that would enable it. */
  readonly systems: {
    readonly jenkins: SystemConfig<{
      readonly url: string;
      readonly user: string;
      readonly apiToken: string;
    }>;
    readonly aws: SystemConfig<{ readonly region: string; readonly endpointUrl?: string }>;
    readonly jira: SystemConfig<{ readonly host: string; readonly email: string; readonly apiToken: string }>;
    readonly google: SystemConfig<{ readonly credentialsFile: string; readonly apiUrl: string }>;
    readonly statuspage: SystemConfig<{ readonly apiKey: string; readonly apiUrl: string }>;
    readonly github: SystemConfig<{ readonly token: string; readonly apiUrl: string }>;
  };
}

/**
 * Secrets the bot never uses itself but that SDKs read from the environment (the AWS default credential chain).
 * They are not configuration, so they are not validated; they are collected only so the redactor knows them.
 */
const AMBIENT_SECRETS = ['AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN'] as const;

/** Thrown by loadConfig with every problem found, one line each. */
export class ConfigError extends Error {
  /** Reason code, for callers that branch on the kind of failure. */
  readonly code = 'config_invalid';
  /** One line per problem, each naming its variable. */
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(`Invalid configuration (${problems.length} problem(s)):\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/** Shows a URL without its user name and password. */
export function stripUserinfo(value: string): string {
  try {
    const url = new URL(value);
    if (url.username === '' && url.password === '') return value;
    url.username = '';
    url.password = '';
    return url.href;
  } catch {
    return value;
  }
}

/** What was found in a variable, without ever showing a secret. */
function describeFound(name: ConfigVariableName, raw: string | undefined): string {
  if (raw === undefined) return 'missing';
  if (raw.trim() === '') return 'empty';
  const { secret, url } = spec(name);
  if (secret) return 'set (value hidden)';
  // An unparseable URL may still carry `user:password@`; do not echo it.
  if (url && raw.includes('@') && stripUserinfo(raw) === raw) return 'found a value that is not a valid URL';
  const shown = url ? stripUserinfo(raw.trim()) : raw.trim();
  return `found ${JSON.stringify(shown.length > 80 ? `${shown.slice(0, 80)}...` : shown)}`;
}

/** Reads and validates the environment; throws one ConfigError listing every problem. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // Empty values count as unset (compose files often write `FOO=`); the message still says "empty".
  const input = Object.fromEntries(NAMES.map((name) => [name, env[name]?.trim() || undefined]));
  const parsed = EnvSchema.safeParse(input);
  const ambient = AMBIENT_SECRETS.flatMap((name) => env[name]?.trim() || []);
  if (parsed.success) return toConfig(parsed.data, ambient);
  const problems = parsed.error.issues
    .map((issue) => ({ name: String(issue.path[0]) as ConfigVariableName, message: issue.message }))
    .sort((a, b) => NAMES.indexOf(a.name) - NAMES.indexOf(b.name))
    .map(({ name, message }) => `${name}: ${describeFound(name, env[name])}, expected ${message}`);
  throw new ConfigError([...new Set(problems)]);
}

function system<T>(name: SystemName, env: Env, build: () => T): SystemConfig<T> {
  const { required } = SYSTEMS[name];
  return required.every((n) => env[n] !== undefined)
    ? { enabled: true, ...build() }
    : { enabled: false, missing: [...required] };
}

/** Only called after validation, so required values are present; `??` fallbacks are the documented defaults. */
function toConfig(env: Env, ambientSecrets: readonly string[]): Config {
  const value = valueOf(env);
  const slackApiUrl = value('SLACK_API_URL');
  return {
    role: env.HOTFIX_ROLE ?? 'all',
    logLevel: env.LOG_LEVEL ?? 'info',
    http: { port: Number(value('PORT')) },
    slack: {
      botToken: value('SLACK_BOT_TOKEN'),
      apiUrl: slackApiUrl.endsWith('/') ? slackApiUrl : `${slackApiUrl}/`,
      socketMode: env.SLACK_APP_TOKEN !== undefined,
      ...(env.SLACK_SIGNING_SECRET === undefined ? {} : { signingSecret: env.SLACK_SIGNING_SECRET }),
      ...(env.SLACK_APP_TOKEN === undefined ? {} : { appToken: env.SLACK_APP_TOKEN }),
    },
    redis: { url: value('REDIS_URL') },
    catalog: { path: value('HOTFIX_CATALOG') },
    systems: systemsOf(env),
    ambientSecrets,
  };
}

function valueOf(env: Env): (name: ConfigVariableName) => string {
  return (name) => env[name] ?? spec(name).default ?? '';
}

function systemsOf(env: Env): Config['systems'] {
  const value = valueOf(env);
  return {
    jenkins: system('jenkins', env, () => ({
      url: value('JENKINS_URL'),
      user: value('JENKINS_USER'),
      apiToken: value('JENKINS_API_TOKEN'),
    })),
    aws: system('aws', env, () => ({
      region: value('AWS_REGION'),
      ...(env.AWS_ENDPOINT_URL === undefined ? {} : { endpointUrl: env.AWS_ENDPOINT_URL }),
    })),
    jira: system('jira', env, () => ({
      host: value('JIRA_HOST'),
      email: value('JIRA_EMAIL'),
      apiToken: value('JIRA_API_TOKEN'),
    })),
    google: system('google', env, () => ({
      credentialsFile: value('GOOGLE_APPLICATION_CREDENTIALS'),
      apiUrl: value('GOOGLE_CALENDAR_API_URL'),
    })),
    statuspage: system('statuspage', env, () => ({
      apiKey: value('STATUSPAGE_API_KEY'),
      apiUrl: value('STATUSPAGE_API_URL'),
    })),
    github: system('github', env, () => ({ token: value('GITHUB_TOKEN'), apiUrl: value('GITHUB_API_URL') })),
  };
}

function systemLine<T>(name: string, s: SystemConfig<T>, where: (enabled: T) => string): string {
  return s.enabled
    ? `${name}: enabled (${where(s)})`
    : `${name}: disabled (${s.missing.join(', ')} not set); plans that need it are refused`;
}

/** Start-up lines saying what this process will do and which systems are on; safe to log. */
export function describeConfig(config: Config): string[] {
  const { slack, systems } = config;
  const receiver = slack.socketMode
    ? 'Socket Mode'
    : config.role === 'worker'
      ? 'Web API only (worker)'
      : `HTTP on port ${config.http.port} (POST /slack/events)`;
  return [
    `role: ${config.role}`,
    `slack: ${receiver}, API ${stripUserinfo(slack.apiUrl)}`,
    `redis: ${stripUserinfo(config.redis.url)}`,
    `catalog: ${config.catalog.path}`,
    `log level: ${config.logLevel}`,
    systemLine('jenkins', systems.jenkins, (s) => stripUserinfo(s.url)),
    systemLine(
      'aws',
      systems.aws,
      (s) => `region ${s.region}, endpoint ${stripUserinfo(s.endpointUrl ?? 'default')}`,
    ),
    systemLine('jira', systems.jira, (s) => stripUserinfo(s.host)),
    systemLine('google', systems.google, (s) => `${stripUserinfo(s.apiUrl)}, key file ${s.credentialsFile}`),
    systemLine('statuspage', systems.statuspage, (s) => stripUserinfo(s.apiUrl)),
    systemLine('github', systems.github, (s) => stripUserinfo(s.apiUrl)),
  ];
}

/** Passwords inside URLs, both as written (percent-encoded) and decoded, since either may be echoed. */
function urlPasswords(value: string): string[] {
  try {
    const { password } = new URL(value);
    if (password === '') return [];
    return [password, decodeURIComponent(password)];
  } catch {
    return [];
  }
}

/** Every secret value in the configuration, for the redactor. */
export function secretsOf(config: Config): string[] {
  const { slack, systems } = config;
  const values = [
    slack.botToken,
    slack.signingSecret,
    slack.appToken,
    systems.jenkins.enabled ? systems.jenkins.apiToken : undefined,
    systems.jira.enabled ? systems.jira.apiToken : undefined,
    systems.statuspage.enabled ? systems.statuspage.apiKey : undefined,
    systems.github.enabled ? systems.github.token : undefined,
    ...[config.redis.url, slack.apiUrl].flatMap(urlPasswords),
    ...config.ambientSecrets,
  ];
  return [...new Set(values.filter((v): v is string => v !== undefined && v !== ''))];
}
