/**
 * A small, complete catalog shared by the domain tests: four services (one per deploy method) and two clients in
 * different time zones, each with staging and prod. A fresh object on every call, so a test may change it freely.
 */
import type { Catalog, ClientSpec, EnvSpec } from '../../../src/domain/catalog.js';

const TAG = {
  calver: String.raw`^\d{2}-\d{2}-\d{2}\.\d+(-hotfix\.\d+)?$`,
  semver: String.raw`^v\d+\.\d+\.\d+(-hotfix\.\d+)?$`,
  yearly: String.raw`^\d{4}\.\d{1,2}\.\d+(-hotfix\.\d+)?$`,
};

function env(client: string, name: 'staging' | 'prod', pageId: string): EnvSpec {
  const production = name === 'prod';
  const cluster = `${name}-${client}`;
  const spec: EnvSpec = {
    name,
    production,
    jenkins: {
      job: 'multi_deploy_pipeline',
      parameters: { client: 'Client', env: 'Env', services: 'Services', hotfixId: 'HOTFIX_ID' },
      ...(production ? { envValue: 'production' } : {}),
    },
    ecsImage: {
      'external-agent': { cluster, service: `${cluster}-external-agent`, container: 'external-agent' },
    },
    ecsRunOnce: {
      cluster,
      service: `${cluster}-deployment`,
      container: 'deployment',
      logGroup: `/ecs/${name}-deployment-${client}`,
    },
    processGuard: {
      connectionEnv: `PG_${client.toUpperCase()}_${name.toUpperCase()}`,
      table: 'meta.process',
    },
    calendarId: `change-${client}-${name}@group.calendar.google.com`,
    healthUrls: {
      'decanting-service': `https://decanting.${name}.${client}.example.com`,
      'external-agent': `https://agent.${name}.${client}.example.com`,
    },
  };
  if (production) spec.statuspage = { pageId, componentIds: [`${client}-decanting`, `${client}-agent`] };
  return spec;
}

function client(
  name: string,
  displayName: string,
  timezone: string,
  channelId: string,
  tam: string,
): ClientSpec {
  return {
    name,
    displayName,
    timezone,
    prodSupportChannel: { id: channelId, name: `prod-support-${name}` },
    tam,
    envs: { staging: env(name, 'staging', `page-${name}`), prod: env(name, 'prod', `page-${name}`) },
  };
}

/** The catalog most domain tests plan against. */
export function testCatalog(): Catalog {
  return {
    services: {
      'decanting-service': {
        name: 'decanting-service',
        repo: 'acme-eng/decanting-service',
        method: 'jenkins-multi-deploy',
        tagPattern: TAG.calver,
        tagExample: '24-02-05.619-hotfix.627',
        owners: ['U0DECANT1'],
        healthChecks: [
          { name: 'health', path: '/v1/health', versionField: 'version', status: 200, timeoutSeconds: 5 },
        ],
      },
      'external-agent': {
        name: 'external-agent',
        repo: 'acme-eng/external-agent',
        method: 'ecs-image',
        tagPattern: TAG.semver,
        tagExample: 'v3.14.2-hotfix.1',
        owners: ['U0AGENT01'],
        healthChecks: [
          { name: 'health', path: '/v1/health', versionField: 'version', status: 200, timeoutSeconds: 5 },
        ],
      },
      deployment: {
        name: 'deployment',
        repo: 'acme-eng/deployment',
        method: 'ecs-run-once',
        tagPattern: TAG.yearly,
        tagExample: '2024.3.17-hotfix.2',
        owners: ['U0DEPLOY1'],
        healthChecks: [],
      },
      drill: {
        name: 'drill',
        repo: 'acme-eng/hotfix-drill',
        method: 'rehearsal',
        tagPattern: String.raw`^drill-\d+$`,
        tagExample: 'drill-1',
        owners: ['U0ADMIN'],
        healthChecks: [],
      },
    },
    clients: {
      acme: client('acme', 'Acme Corp', 'America/New_York', 'C0ACMESUP', 'U0TAMACME'),
      globex: client('globex', 'Globex', 'Europe/London', 'C0GLOBSUP', 'U0TAMGLOB'),
    },
    channels: { changeControl: { id: 'C0CHANGECTL', name: 'announcements-change-control' } },
    policy: {
      planners: { users: [], groups: [] },
      approvers: { users: [], groups: ['S0APPROVERS'] },
      approvals: [
        { envs: ['prod'], severities: [1], required: 1 },
        { envs: ['prod'], required: 2 },
        { required: 1 },
      ],
      breakGlass: { severities: [1], who: { users: [], groups: ['S0ONCALL'] } },
      operators: { users: [], groups: ['S0ONCALL'] },
      admins: { users: ['U0ADMIN'], groups: [] },
      planExpiryMinutes: 240,
      approvalReminderMinutes: 30,
      directoryRefreshMinutes: 10,
      freezeWindows: [],
      lateWeek: { days: ['thu', 'fri'], after: '14:00', endOfDay: '16:00' },
      records: { prod: ['jira', 'calendar', 'statuspage'], staging: ['jira'] },
      autoRollback: { prod: false, staging: true },
    },
  };
}
