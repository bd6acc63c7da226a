import type { Document } from 'yaml';
import { parseCatalog } from '../../../src/catalog/index.js';
import { exampleWith, problemsIn, remove, rename, set, SOURCE, withoutLines } from './example-catalog.js';

const acmeProd = ['clients', 'acme', 'envs', 'prod'];
const globexProd = ['clients', 'globex', 'envs', 'prod'];
const PARAMETERS = { client: 'CLIENT', env: 'ENV', services: 'SERVICES', hotfixId: 'HOTFIX_ID' };

type Case = [string, (doc: Document) => void, string | string[]];

const inExample = (expected: string | string[]) =>
  [expected].flat().map((problem) => `${SOURCE}: ${problem}`);

/** Each edit breaks exactly one thing, so each must produce exactly the one problem named. */
const structural: Case[] = [
  [
    'a number where a string belongs',
    set([...globexProd, 'jenkins'], { job: 42, parameters: PARAMETERS }),
    'clients.globex.envs.prod.jenkins.job: found 42 (number), expected a string',
  ],
  [
    'a missing required field',
    remove(['services', 'deployment', 'repo']),
    'services.deployment.repo: missing, expected a repository as owner/repo',
  ],
  [
    'a quoted boolean',
    set([...acmeProd, 'production'], 'yes'),
    'clients.acme.envs.prod.production: found "yes" (string), expected true or false',
  ],
  [
    'an unknown deploy method',
    set(['services', 'external-agent', 'method'], 'ecs-imag'),
    'services.external-agent.method: found "ecs-imag", expected one of: jenkins-multi-deploy, ecs-image, ecs-run-once, rehearsal. Did you mean `ecs-image`?',
  ],
  [
    'a regular expression that does not compile',
    set(['services', 'external-agent', 'tagPattern'], '^v(\\d+$'),
    'services.external-agent.tagPattern: found "^v(\\d+$", expected a valid regular expression (Invalid regular expression: /^v(\\d+$/: Unterminated group)',
  ],
  [
    'a tag pattern that is not anchored',
    set(['services', 'external-agent', 'tagPattern'], 'v\\d+'),
    'services.external-agent.tagPattern: found "v\\d+", expected a pattern anchored with ^ and $, so that it must match the whole tag',
  ],
  [
    'a tag example the pattern rejects',
    set(['services', 'decanting-service', 'tagExample'], '24-02-05-hotfix'),
    'services.decanting-service.tagExample: found "24-02-05-hotfix", expected a tag matching tagPattern ^\\d{2}-\\d{2}-\\d{2}\\.\\d+(-hotfix\\.\\d+)?$',
  ],
  [
    'a service name people could not type',
    (doc) => doc.setIn(['services', 'Bad Name'], doc.getIn(['services', 'deployment'])),
    'services["Bad Name"]: found "Bad Name", expected a service name of lowercase letters, digits and dashes, as typed in /hotfix commands',
  ],
  [
    'an ECS rollout timeout that is not a whole number of minutes',
    set([...acmeProd, 'ecsImage', 'external-agent', 'timeoutMinutes'], 0.5),
    'clients.acme.envs.prod.ecsImage.external-agent.timeoutMinutes: found 0.5 (number), expected a whole number',
  ],
  [
    'an unknown time zone',
    set(['clients', 'globex', 'timezone'], 'Europe/Londn'),
    'clients.globex.timezone: found "Europe/Londn", expected an IANA time zone like Europe/London',
  ],
  [
    'a channel name where the channel id belongs',
    set(['clients', 'acme', 'prodSupportChannel', 'id'], '#prod-support-acme'),
    'clients.acme.prodSupportChannel.id: found "#prod-support-acme", expected a Slack channel id like C0123ABCD',
  ],
  [
    'a user id where a group id belongs',
    set(['policy', 'approvers', 'groups'], ['U0CTOALICE']),
    'policy.approvers.groups[0]: found "U0CTOALICE", expected a Slack user group id like S0123ABCD',
  ],
  [
    'a health URL that is not a URL',
    set([...acmeProd, 'healthUrls', 'external-agent'], 'agent.acme-prod'),
    'clients.acme.envs.prod.healthUrls.external-agent: found "agent.acme-prod", expected an http(s) URL like https://host.example.com',
  ],
  [
    'a connection string pasted where its variable name belongs',
    set([...acmeProd, 'processGuard', 'connectionEnv'], 'postgres://bot:hunter2@db/prod'),
    'clients.acme.envs.prod.processGuard.connectionEnv: found something that is not a variable name (not shown, in case it is a secret), expected the name of an environment variable like PROCESS_GUARD_URL_ACME_PROD',
  ],
  [
    'a misspelt weekday',
    set(['policy', 'lateWeek', 'days'], ['thu', 'fry']),
    'policy.lateWeek.days[1]: found "fry", expected one of: mon, tue, wed, thu, fri, sat, sun. Did you mean `fri`?',
  ],
  [
    'a time that is not HH:MM',
    set(['policy', 'lateWeek', 'after'], '2pm'),
    'policy.lateWeek.after: found "2pm", expected a time HH:MM like 14:00 (24-hour, quoted)',
  ],
  [
    'a date that does not exist',
    set(['policy', 'freezeWindows', 0, 'from'], '2026-02-30'),
    'policy.freezeWindows[0].from: found "2026-02-30", expected a real date YYYY-MM-DD or date and time YYYY-MM-DDTHH:MM',
  ],
  [
    'a dated freeze window that ends before it starts',
    set(['policy', 'freezeWindows', 0, 'to'], '2026-12-24T00:00'),
    'policy.freezeWindows[0].to: found "2026-12-24T00:00", expected a date or time after from 2026-12-24 (a date-only to includes that whole day; a to with a time is exclusive)',
  ],
  [
    'a weekly freeze window that is empty',
    set(['policy', 'freezeWindows', 1, 'from'], '06:00'),
    'policy.freezeWindows[1].to: found "06:00", expected a time other than from 06:00 (the window would be empty)',
  ],
  [
    'an unknown kind of freeze window',
    set(['policy', 'freezeWindows', 1, 'kind'], 'weakly'),
    'policy.freezeWindows[1].kind: found "weakly", expected one of: dates, weekly. Did you mean `weekly`?',
  ],
  [
    'a rule needing no approvals',
    set(['policy', 'approvals', 1, 'required'], 0),
    'policy.approvals[1].required: found 0 (number), expected a number at least 1',
  ],
  [
    'a severity outside 1-4',
    set(['policy', 'breakGlass', 'severities'], [5]),
    'policy.breakGlass.severities[0]: found 5 (number), expected a severity from 1 to 4',
  ],
  [
    'nobody to approve',
    set(['policy', 'approvers'], { users: [], groups: [] }),
    'policy.approvers: found no users or groups, expected at least one approver, or no plan needing approval could proceed',
  ],
  [
    'a misspelt record kind',
    set(['policy', 'records', 'prod'], ['jira', 'calender', 'statuspage']),
    'policy.records.prod[1]: found "calender", expected one of: jira, calendar, statuspage. Did you mean `calendar`?',
  ],
  [
    'a misspelt record kind in one severity of an env',
    set(['policy', 'records', 'prod'], { default: ['jira'], sev1: ['calender'] }),
    'policy.records.prod.sev1[0]: found "calender", expected one of: jira, calendar, statuspage. Did you mean `calendar`?',
  ],
  [
    'a severity key that is not sev1 to sev4 or default',
    set(['policy', 'records', 'prod'], { default: ['jira'], sev5: ['jira'] }),
    'policy.records.prod: unknown field "sev5"; did you mean "sev1"?',
  ],
  [
    'a misspelt field',
    rename(acmeProd, 'healthUrls', 'helthUrls'),
    'clients.acme.envs.prod: unknown field "helthUrls"; did you mean "healthUrls"?',
  ],
  [
    'a field that resembles nothing known',
    set(['services', 'deployment', 'colour'], 'blue'),
    'services.deployment: unknown field "colour"; expected one of: repo, method, tagPattern, tagExample, owners, healthChecks, soak, rehearsal, ci',
  ],
  [
    'a misspelt top-level section',
    rename([], 'channels', 'chanels'),
    [
      'channels: missing, expected a mapping',
      '(top level): unknown field "chanels"; did you mean "channels"?',
    ],
  ],
];

describe('a catalog with one structural problem', () => {
  it.each(structural)('reports %s with its field path', (_, edit, expected) => {
    expect(withoutLines(problemsIn(exampleWith(edit)))).toEqual(inExample(expected));
  });
});

describe('a catalog with one broken cross-reference', () => {
  it.each<Case>([
    [
      'a health URL for an unknown service',
      rename([...acmeProd, 'healthUrls'], 'external-agent', 'external-agnt'),
      'clients.acme.envs.prod.healthUrls.external-agnt: found "external-agnt", expected a service named under services: decanting-service, external-agent, deployment, runbook-drill. Did you mean `external-agent`?',
    ],
    [
      'an ECS image target for an unknown service, leaving the real one without',
      rename([...globexProd, 'ecsImage'], 'external-agent', 'externl-agent'),
      [
        'clients.globex.envs.prod.ecsImage.external-agent: missing, expected an ECS image target (cluster, service, container) for service external-agent (method ecs-image)',
        'clients.globex.envs.prod.ecsImage.externl-agent: found "externl-agent", expected a service named under services: decanting-service, external-agent, deployment, runbook-drill. Did you mean `external-agent`?',
      ],
    ],
    [
      'an env without the Jenkins target its jenkins-multi-deploy service needs',
      remove([...globexProd, 'jenkins']),
      'clients.globex.envs.prod.jenkins: missing, expected a Jenkins target (job, parameters) for service decanting-service (method jenkins-multi-deploy)',
    ],
    [
      'an env without the run-once target its ecs-run-once service needs',
      remove(['clients', 'acme', 'envs', 'staging', 'ecsRunOnce']),
      'clients.acme.envs.staging.ecsRunOnce: missing, expected an ECS run-once target (cluster, service, container) for service deployment (method ecs-run-once)',
    ],
    [
      'an env without the health URL of a service that has health checks',
      remove([...acmeProd, 'healthUrls', 'external-agent']),
      'clients.acme.envs.prod.healthUrls.external-agent: missing, expected the base URL of service external-agent, which has health checks (services.external-agent.healthChecks)',
    ],
    [
      'a prod env without the calendar its required records need',
      remove([...acmeProd, 'calendarId']),
      'clients.acme.envs.prod.calendarId: missing, expected a change calendar id because policy.records.prod requires a calendar record',
    ],
    [
      'no Jira settings while a required record is jira',
      remove(['changeTickets']),
      'changeTickets: missing, expected the Jira project, issue type and transition names of change tickets because policy.records.prod requires a jira record',
    ],
    [
      'a Jira transition left empty',
      set(['changeTickets', 'transitions', 'complete'], ''),
      'changeTickets.transitions.complete: found an empty string, expected a non-empty string',
    ],
    [
      'a freeze window for an unknown client',
      set(['policy', 'freezeWindows', 1, 'clients'], ['globx']),
      'policy.freezeWindows[1].clients[0]: found "globx", expected a client named under clients: acme, globex. Did you mean `globex`?',
    ],
    [
      'a freeze window for an unknown env',
      set(['policy', 'freezeWindows', 0, 'envs'], ['production']),
      'policy.freezeWindows[0].envs[0]: found "production", expected an env named under clients.*.envs: staging, prod',
    ],
    [
      'an approval rule for an unknown env',
      set(['policy', 'approvals', 1, 'envs'], ['prd']),
      'policy.approvals[1].envs[0]: found "prd", expected an env named under clients.*.envs: staging, prod. Did you mean `prod`?',
    ],
    [
      'auto-rollback for an unknown env',
      rename(['policy', 'autoRollback'], 'staging', 'stagin'),
      'policy.autoRollback.stagin: found "stagin", expected an env named under clients.*.envs: staging, prod. Did you mean `staging`?',
    ],
  ])('reports %s', (_, edit, expected) => {
    expect(withoutLines(problemsIn(exampleWith(edit)))).toEqual(inExample(expected));
  });
});

describe('what a catalog may leave out or bend', () => {
  it('accepts a one-day dated freeze and a weekly freeze that runs past midnight', () => {
    const text = exampleWith(
      set(['policy', 'freezeWindows', 0, 'to'], '2026-12-24'),
      set(['policy', 'freezeWindows', 1, 'from'], '22:00'),
    );
    expect(() => parseCatalog(text, SOURCE)).not.toThrow();
  });

  it('needs no deploy target in any env when the only service is a rehearsal', () => {
    const rehearsal = { repo: 'example-org/drill', method: 'rehearsal', tagPattern: '^.+$', tagExample: 'x' };
    const targetless = ['acme', 'globex'].flatMap((client) =>
      ['staging', 'prod'].flatMap((env) =>
        ['jenkins', 'ecsImage', 'ecsRunOnce', 'healthUrls'].map((field) =>
          remove(['clients', client, 'envs', env, field]),
        ),
      ),
    );
    const text = exampleWith(
      set(['services'], { drill: { ...rehearsal, owners: ['U0DRILL'] } }),
      ...targetless,
    );
    expect(parseCatalog(text, SOURCE).clients.acme?.envs.prod?.jenkins).toBeUndefined();
  });
});

describe('a catalog with several problems', () => {
  it('reports them all in one error, in file order, each with its line', () => {
    const text = exampleWith(
      set(['policy', 'planExpiryMinutes'], 'four hours'),
      set(['services', 'external-agent', 'method'], 'ecs'),
      rename(['clients', 'globex'], 'timezone', 'timeZone'),
      remove([...globexProd, 'jenkins']),
    );
    const lines = text.split('\n');
    const lineOf = (needle: string, after = 0) =>
      lines.findIndex((line, i) => i >= after && line.includes(needle)) + 1;
    expect(problemsIn(text)).toEqual([
      `${SOURCE}: services.external-agent.method: found "ecs", expected one of: jenkins-multi-deploy, ecs-image, ecs-run-once, rehearsal (line ${lineOf('method: ecs')})`,
      `${SOURCE}: clients.globex.timezone: missing, expected an IANA time zone like Europe/London (line ${lineOf('globex:')})`,
      `${SOURCE}: clients.globex: unknown field "timeZone"; did you mean "timezone"? (line ${lineOf('timeZone:')})`,
      // The whole of globex prod is checked although globex itself is malformed.
      `${SOURCE}: clients.globex.envs.prod.jenkins: missing, expected a Jenkins target (job, parameters) for service decanting-service (method jenkins-multi-deploy) (line ${lineOf('prod:', lineOf('globex:'))})`,
      `${SOURCE}: policy.planExpiryMinutes: found "four hours", expected a whole number of minutes (line ${lineOf('planExpiryMinutes')})`,
    ]);
  });
});
