import {
  CONFIG_VARIABLES,
  ConfigError,
  describeConfig,
  loadConfig,
  secretsOf,
  type Config,
} from '../../src/config.js';
import { createRedactor } from '../../src/redact.js';

const BOT = 'xoxb-1111-2222-botTOKENvalue';
const SIGNING = 'signing-secret-0123456789abcdef';
const APP = 'xapp-1-A111-appTOKENvalue';
const JENKINS_TOKEN = 'jenkins-api-token-11aa22bb';
const JIRA_TOKEN = 'jira-api-token-ATATT3xFf';
const STATUSPAGE_KEY = 'statuspage-key-9f8e7d6c';
const GITHUB = 'ghp_githubTOKENvalue0123456789abcdefABCD';
const REDIS_PASSWORD = 'redis-pa55word-xyz';

const minimal = { SLACK_BOT_TOKEN: BOT, SLACK_SIGNING_SECRET: SIGNING };

const everything = {
  ...minimal,
  SLACK_APP_TOKEN: APP,
  SLACK_API_URL: 'http://127.0.0.1:4001/api',
  PORT: '8080',
  REDIS_URL: `redis://bot:${REDIS_PASSWORD}@127.0.0.1:6380/2`,
  JENKINS_URL: 'http://127.0.0.1:8080',
  JENKINS_USER: 'hotfix-bot',
  JENKINS_API_TOKEN: JENKINS_TOKEN,
  AWS_REGION: 'eu-west-1',
  AWS_ENDPOINT_URL: 'http://127.0.0.1:4566',
  JIRA_HOST: 'http://127.0.0.1:4002',
  JIRA_EMAIL: 'bot@example.test',
  JIRA_API_TOKEN: JIRA_TOKEN,
  GOOGLE_APPLICATION_CREDENTIALS: '/etc/hotfix/google.json',
  GOOGLE_CALENDAR_API_URL: 'http://127.0.0.1:4003/',
  STATUSPAGE_API_KEY: STATUSPAGE_KEY,
  GITHUB_TOKEN: GITHUB,
  GITHUB_API_URL: 'http://127.0.0.1:4004',
};
const ALL_SECRETS = [BOT, SIGNING, APP, JENKINS_TOKEN, JIRA_TOKEN, STATUSPAGE_KEY, GITHUB, REDIS_PASSWORD];

function problemsOf(env: NodeJS.ProcessEnv): readonly string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected loadConfig to throw a ConfigError');
}

describe('loadConfig', () => {
  it('applies the documented defaults when only the Slack credentials are set', () => {
    const config = loadConfig(minimal);
    expect(config).toMatchObject({
      role: 'all',
      logLevel: 'info',
      http: { port: 3000 },
      slack: { botToken: BOT, signingSecret: SIGNING, apiUrl: 'https://slack.com/api/', socketMode: false },
      redis: { url: 'redis://127.0.0.1:6379' },
      catalog: { path: 'manifests/catalog.yml' },
    });
    expect(config.slack.appToken).toBeUndefined();
  });

  it('reports systems without credentials as disabled, naming what is missing', () => {
    const { systems } = loadConfig(minimal);
    expect(systems.jenkins).toEqual({
      enabled: false,
      missing: ['JENKINS_URL', 'JENKINS_USER', 'JENKINS_API_TOKEN'],
    });
    expect(systems.aws).toEqual({ enabled: false, missing: ['AWS_REGION'] });
    expect(systems.jira).toEqual({ enabled: false, missing: ['JIRA_HOST', 'JIRA_EMAIL', 'JIRA_API_TOKEN'] });
    expect(systems.google).toEqual({ enabled: false, missing: ['GOOGLE_APPLICATION_CREDENTIALS'] });
    expect(systems.statuspage).toEqual({ enabled: false, missing: ['STATUSPAGE_API_KEY'] });
    expect(systems.github).toEqual({ enabled: false, missing: ['GITHUB_TOKEN'] });
  });

  it('enables every system whose credentials are complete, with their URLs and defaults', () => {
    const config = loadConfig(everything);
    expect(config.slack).toMatchObject({
      socketMode: true,
      appToken: APP,
      apiUrl: 'http://127.0.0.1:4001/api/',
    });
    expect(config.http.port).toBe(8080);
    expect(config.systems).toEqual({
      jenkins: { enabled: true, url: 'http://127.0.0.1:8080', user: 'hotfix-bot', apiToken: JENKINS_TOKEN },
      aws: { enabled: true, region: 'eu-west-1', endpointUrl: 'http://127.0.0.1:4566' },
      jira: { enabled: true, host: 'http://127.0.0.1:4002', email: 'bot@example.test', apiToken: JIRA_TOKEN },
      google: { enabled: true, credentialsFile: '/etc/hotfix/google.json', apiUrl: 'http://127.0.0.1:4003/' },
      statuspage: { enabled: true, apiKey: STATUSPAGE_KEY, apiUrl: 'https://api.statuspage.io/v1' },
      github: { enabled: true, token: GITHUB, apiUrl: 'http://127.0.0.1:4004' },
    });
  });

  it('lists every problem in one error, each line naming its variable', () => {
    const problems = problemsOf({
      HOTFIX_ROLE: 'wbe',
      PORT: 'abc',
      REDIS_URL: 'http://127.0.0.1:6379',
      LOG_LEVEL: 'loud',
      AWS_REGION: 'Europe',
      JENKINS_URL: 'http://127.0.0.1:8080',
    });
    expect(problems).toEqual([
      'HOTFIX_ROLE: found "wbe", expected one of web, worker, all',
      'SLACK_BOT_TOKEN: missing, expected a bot token (xoxb-...)',
      expect.stringMatching(/^SLACK_SIGNING_SECRET: missing, expected .*signing secret.*SLACK_APP_TOKEN/),
      'PORT: found "abc", expected an integer from 0 to 65535',
      'REDIS_URL: found "http://127.0.0.1:6379", expected a redis:// or rediss:// URL',
      expect.stringMatching(/^JENKINS_USER: missing, expected .*because JENKINS_URL is set/),
      expect.stringMatching(/^JENKINS_API_TOKEN: missing, expected a Jenkins API token, because JENKINS_URL/),
      'AWS_REGION: found "Europe", expected an AWS region such as eu-west-1',
      'LOG_LEVEL: found "loud", expected one of fatal, error, warn, info, debug, trace, silent',
    ]);
  });

  it('puts every problem into the error message too', () => {
    expect(() => loadConfig({ PORT: '70000' })).toThrow(
      /SLACK_BOT_TOKEN: missing[\s\S]*PORT: found "70000", expected an integer from 0 to 65535/,
    );
  });

  it.each([
    [
      'a Jenkins URL without its token',
      { JENKINS_URL: 'http://j:8080', JENKINS_USER: 'bot' },
      ['JENKINS_API_TOKEN'],
    ],
    [
      'a Jenkins token without its URL',
      { JENKINS_API_TOKEN: JENKINS_TOKEN },
      ['JENKINS_URL', 'JENKINS_USER'],
    ],
    ['a Jira host alone', { JIRA_HOST: 'https://x.atlassian.net' }, ['JIRA_EMAIL', 'JIRA_API_TOKEN']],
    ['an AWS endpoint without a region', { AWS_ENDPOINT_URL: 'http://127.0.0.1:4566' }, ['AWS_REGION']],
    [
      'a calendar URL without credentials',
      { GOOGLE_CALENDAR_API_URL: 'http://g' },
      ['GOOGLE_APPLICATION_CREDENTIALS'],
    ],
    ['a Statuspage URL without a key', { STATUSPAGE_API_URL: 'http://s' }, ['STATUSPAGE_API_KEY']],
    ['a GitHub URL without a token', { GITHUB_API_URL: 'http://g' }, ['GITHUB_TOKEN']],
  ])('refuses %s, naming the missing variables', (_name, partial, missing) => {
    const problems = problemsOf({ ...minimal, ...partial });
    expect(problems.map((line) => line.split(':')[0])).toEqual(missing);
  });

  it('never prints a secret value in the error, saying "set" or "empty" instead', () => {
    const problems = problemsOf({
      SLACK_BOT_TOKEN: 'xoxp-user-token-not-a-bot-token',
      SLACK_APP_TOKEN: 'not-an-app-token-value',
      JIRA_API_TOKEN: JIRA_TOKEN,
      JENKINS_API_TOKEN: '   ',
      JENKINS_URL: 'http://127.0.0.1:8080',
      REDIS_URL: `redis//:${REDIS_PASSWORD}@host`,
    });
    const text = problems.join('\n');
    for (const secret of [
      'xoxp-user-token-not-a-bot-token',
      'not-an-app-token-value',
      JIRA_TOKEN,
      REDIS_PASSWORD,
    ]) {
      expect(text).not.toContain(secret);
    }
    expect(problems).toContain('SLACK_BOT_TOKEN: set (value hidden), expected a bot token (xoxb-...)');
    expect(problems).toContain(
      'JENKINS_API_TOKEN: empty, expected a Jenkins API token, because JENKINS_URL is set ' +
        '(jenkins needs all of JENKINS_URL, JENKINS_USER, JENKINS_API_TOKEN, or none)',
    );
    expect(problems).toContain(
      'REDIS_URL: found a value that is not a valid URL, expected a redis:// or rediss:// URL',
    );
  });

  it('writes problems the log redactor leaves readable', () => {
    const problems = problemsOf({
      JENKINS_URL: 'http://j:8080',
      JIRA_EMAIL: 'nope',
      STATUSPAGE_API_URL: 'http://s',
    });
    const redact = createRedactor([]);
    expect(problems.map(redact)).toEqual(problems);
  });

  it('refuses credentials inside API URLs, showing the URL without them', () => {
    const problems = problemsOf({
      ...minimal,
      GITHUB_TOKEN: GITHUB,
      GITHUB_API_URL: 'https://me:hunter22@gh.test',
    });
    expect(problems).toEqual([
      'GITHUB_API_URL: found "https://gh.test/", expected an http(s) URL without credentials',
    ]);
  });

  it('needs no signing secret for a worker, nor with Socket Mode, but always a bot token', () => {
    expect(loadConfig({ HOTFIX_ROLE: 'worker', SLACK_BOT_TOKEN: BOT }).role).toBe('worker');
    expect(loadConfig({ SLACK_BOT_TOKEN: BOT, SLACK_APP_TOKEN: APP }).slack.socketMode).toBe(true);
    expect(problemsOf({ HOTFIX_ROLE: 'worker' })).toEqual([
      'SLACK_BOT_TOKEN: missing, expected a bot token (xoxb-...)',
    ]);
  });
});

describe('describeConfig', () => {
  it('says which systems are on and where, and why the others are off', () => {
    const lines = describeConfig(
      loadConfig({
        ...minimal,
        JENKINS_URL: 'http://127.0.0.1:8080',
        JENKINS_USER: 'u',
        JENKINS_API_TOKEN: JENKINS_TOKEN,
      }),
    );
    expect(lines).toContain('jenkins: enabled (http://127.0.0.1:8080)');
    expect(lines).toContain(
      'jira: disabled (JIRA_HOST, JIRA_EMAIL, JIRA_API_TOKEN not set); plans that need it are refused',
    );
    expect(lines).toContain('slack: HTTP on port 3000 (POST /slack/events), API https://slack.com/api/');
  });

  it('contains no secret and strips passwords from URLs', () => {
    const text = describeConfig(loadConfig(everything)).join('\n');
    for (const secret of ALL_SECRETS) expect(text).not.toContain(secret);
    expect(text).toContain('redis: redis://127.0.0.1:6380/2');
    expect(text).not.toContain('bot@');
  });
});

describe('secretsOf', () => {
  it('returns every secret present, including the password inside REDIS_URL', () => {
    const config: Config = loadConfig(everything);
    expect(secretsOf(config)).toEqual(expect.arrayContaining(ALL_SECRETS));
  });

  it('includes the AWS SDK credentials it finds in the environment, though the bot never uses them itself', () => {
    const env = {
      ...minimal,
      AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG',
      AWS_SESSION_TOKEN: 'FwoGZXIvYXdzEBY',
    };
    expect(secretsOf(loadConfig(env))).toEqual(
      expect.arrayContaining(['wJalrXUtnFEMI/K7MDENG', 'FwoGZXIvYXdzEBY']),
    );
  });

  it('returns only what is set', () => {
    expect(secretsOf(loadConfig(minimal))).toEqual([BOT, SIGNING]);
  });
});

describe('CONFIG_VARIABLES', () => {
  it('lists every variable of DESIGN.md section 4 once, each with a description', () => {
    const names = CONFIG_VARIABLES.map((v) => v.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual(
      expect.arrayContaining(['HOTFIX_ROLE', 'SLACK_APP_TOKEN', 'AWS_ENDPOINT_URL', 'LOG_LEVEL']),
    );
    expect(names).toHaveLength(23);
    for (const variable of CONFIG_VARIABLES) expect(variable.description).not.toBe('');
    expect(CONFIG_VARIABLES.filter((v) => v.secret).map((v) => v.name)).toEqual([
      'SLACK_BOT_TOKEN',
      'SLACK_SIGNING_SECRET',
      'SLACK_APP_TOKEN',
      'JENKINS_API_TOKEN',
      'JIRA_API_TOKEN',
      'STATUSPAGE_API_KEY',
      'GITHUB_TOKEN',
    ]);
  });
});
