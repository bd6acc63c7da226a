import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CatalogError, loadCatalog, parseCatalog } from '../../../src/catalog/index.js';
import { EXAMPLE_PATH, exampleText, SOURCE } from './example-catalog.js';

describe('loading the example catalog', () => {
  const catalog = loadCatalog(EXAMPLE_PATH);

  it('has one service per deploy method, named from its key', () => {
    const methods = Object.values(catalog.services).map(({ name, method }) => [name, method]);
    expect(methods).toEqual([
      ['decanting-service', 'jenkins-multi-deploy'],
      ['external-agent', 'ecs-image'],
      ['deployment', 'ecs-run-once'],
      ['runbook-drill', 'rehearsal'],
    ]);
  });

  it('has clients with staging and prod, and only prod is production', () => {
    expect(Object.keys(catalog.clients)).toEqual(['acme', 'globex']);
    for (const client of Object.values(catalog.clients)) {
      expect(Object.values(client.envs).map(({ name, production }) => [name, production])).toEqual([
        ['staging', false],
        ['prod', true],
      ]);
    }
    expect(catalog.clients.globex?.timezone).toBe('Europe/London');
  });

  it('gives every env of every client the Jenkins job shared through the YAML anchor', () => {
    const jobs = Object.values(catalog.clients).flatMap((client) =>
      Object.values(client.envs).map((env) => env.jenkins),
    );
    expect(jobs).toHaveLength(4);
    for (const jenkins of jobs) {
      expect(jenkins).toEqual({
        job: 'multi_deploy_pipeline',
        parameters: { client: 'CLIENT', env: 'ENV', services: 'SERVICES', hotfixId: 'HOTFIX_ID' },
      });
    }
  });

  it('names ECS targets after the env and client', () => {
    const prod = catalog.clients.acme?.envs.prod;
    expect(prod?.ecsImage).toEqual({
      'external-agent': {
        cluster: 'prod-acme',
        service: 'prod-external-agent-acme',
        container: 'external-agent',
      },
    });
    expect(prod?.ecsRunOnce?.logGroup).toBe('/ecs/prod-deployment-acme');
    expect(prod?.processGuard).toEqual({
      connectionEnv: 'PROCESS_GUARD_URL_ACME_PROD',
      table: 'meta.process',
    });
  });

  it('fills in what the YAML leaves out: health checks default to none', () => {
    expect(catalog.services.deployment?.healthChecks).toEqual([]);
    expect(catalog.policy.planners).toEqual({ users: [], groups: [] });
    expect(catalog.policy.operators).toEqual({ users: [], groups: ['S0ONCALL'] });
  });

  it('reads the policy as written', () => {
    const { policy } = catalog;
    expect(policy.approvals).toEqual([
      { envs: ['prod'], severities: [1], required: 1 },
      { envs: ['prod'], required: 2 },
      { required: 1 },
    ]);
    expect(policy.freezeWindows.map((window) => [window.kind, window.name, window.override])).toEqual([
      ['dates', 'year-end freeze', 'with-reason'],
      ['weekly', 'globex sunday maintenance', 'forbidden'],
    ]);
    expect(policy.lateWeek).toEqual({ days: ['thu', 'fri'], after: '14:00', endOfDay: '16:00' });
    expect(policy.records).toEqual({ prod: ['jira', 'calendar', 'statuspage'], staging: ['jira'] });
    expect(policy.autoRollback).toEqual({ prod: false, staging: true });
    expect(catalog.channels.changeControl).toEqual({
      id: 'C0CHANGECTL',
      name: 'announcements-change-control',
    });
  });

  it('parses the same from text as from the file', () => {
    expect(parseCatalog(exampleText, SOURCE)).toEqual(catalog);
  });
});

describe('a catalog that cannot be read', () => {
  it('names the file it could not read', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'catalog-')), 'missing.yml');
    expect(() => loadCatalog(path)).toThrow(CatalogError);
    expect(() => loadCatalog(path)).toThrow(`${path}: cannot read the catalog (ENOENT`);
  });

  it('says an empty file is empty', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'catalog-')), 'empty.yml');
    writeFileSync(path, '# nothing yet\n');
    expect(() => loadCatalog(path)).toThrow(
      `${path}: the file is empty, expected a mapping with services, clients, channels and policy`,
    );
  });
});

describe('CatalogError', () => {
  it('is an Error whose message lists every problem on its own line', () => {
    const error = new CatalogError(['a.yml: x: first', 'a.yml: y: second']);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('CatalogError');
    expect(error.problems).toEqual(['a.yml: x: first', 'a.yml: y: second']);
    expect(error.message).toBe(
      'The catalog is invalid (2 problems):\n  - a.yml: x: first\n  - a.yml: y: second',
    );
  });
});
