/**
 * Checks between sections: names used in one place must exist in another, and every env must have the target each
 * service's deploy method needs. Runs on whatever zod could read, even when other parts are malformed, so it reads
 * the data defensively and stays silent about anything the structural checks already report.
 */
import type { z } from 'zod';
import { expectedOneOf } from './messages.js';
import { isMapping } from './primitives.js';

type Report = (path: PropertyKey[], message: string) => void;

interface Known {
  services: Record<string, unknown>;
  clients: string[];
  envs: string[];
  records: Record<string, unknown>;
}

/** Zod refinement over the whole catalog. */
export function checkCrossReferences(catalog: unknown, ctx: z.RefinementCtx): void {
  const report: Report = (path, message) => ctx.addIssue({ code: 'custom', path, message, input: undefined });
  const root = mapping(catalog);
  const clients = mapping(root.clients);
  const policy = mapping(root.policy);
  const known: Known = {
    services: mapping(root.services),
    clients: Object.keys(clients),
    envs: [
      ...new Set(Object.values(clients).flatMap((client) => Object.keys(mapping(mapping(client).envs)))),
    ],
    records: mapping(policy.records),
  };
  for (const [clientName, client] of Object.entries(clients)) {
    for (const [envName, env] of Object.entries(mapping(mapping(client).envs))) {
      if (isMapping(env)) checkEnv(report, ['clients', clientName, 'envs', envName], envName, env, known);
    }
  }
  checkPolicy(report, policy, known);
  const needsJira = Object.entries(known.records).find(([, rule]) => anySeverity(rule).includes('jira'));
  if (needsJira && root.changeTickets === undefined)
    report(
      ['changeTickets'],
      `missing, expected the Jira project, issue type and transition names of change tickets because policy.records.${needsJira[0]} requires a jira record`,
    );
}

function checkEnv(
  report: Report,
  path: PropertyKey[],
  envName: string,
  env: Record<string, unknown>,
  known: Known,
) {
  const services = Object.keys(known.services);
  for (const service of Object.keys(mapping(env.healthUrls))) {
    checkName(report, [...path, 'healthUrls', service], service, services, 'a service named under services');
  }
  for (const service of Object.keys(mapping(env.ecsImage))) {
    checkName(report, [...path, 'ecsImage', service], service, services, 'a service named under services');
  }
  checkTargets(report, path, env, known.services);
  checkHealthUrls(report, path, env, known.services);
  checkRecordTargets(report, path, env, envName, anySeverity(known.records[envName]));
}

function checkTargets(
  report: Report,
  path: PropertyKey[],
  env: Record<string, unknown>,
  services: Record<string, unknown>,
) {
  const byMethod = (method: string) =>
    Object.entries(services)
      .filter(([, service]) => mapping(service).method === method)
      .map(([name]) => name);
  const jenkins = byMethod('jenkins-multi-deploy');
  if (jenkins.length > 0 && env.jenkins === undefined) {
    report(
      [...path, 'jenkins'],
      `missing, expected a Jenkins target (job, parameters) for ${servicesUsing(jenkins, 'jenkins-multi-deploy')}`,
    );
  }
  const runOnce = byMethod('ecs-run-once');
  if (runOnce.length > 0 && env.ecsRunOnce === undefined) {
    const expected = 'an ECS run-once target (cluster, service, container)';
    report(
      [...path, 'ecsRunOnce'],
      `missing, expected ${expected} for ${servicesUsing(runOnce, 'ecs-run-once')}`,
    );
  }
  // A malformed ecsImage is reported by the schema; only an absent entry is missing.
  if (env.ecsImage !== undefined && !isMapping(env.ecsImage)) return;
  for (const service of byMethod('ecs-image').filter((name) => mapping(env.ecsImage)[name] === undefined)) {
    const expected = 'an ECS image target (cluster, service, container)';
    report(
      [...path, 'ecsImage', service],
      `missing, expected ${expected} for ${servicesUsing([service], 'ecs-image')}`,
    );
  }
}

/**
 * A service with health checks is checked at the env's health URL after every deploy: an env that lists health URLs
 * but not this service's would fail a deploy that worked, so it is refused here. Rehearsals play their checks.
 */
function checkHealthUrls(
  report: Report,
  path: PropertyKey[],
  env: Record<string, unknown>,
  services: Record<string, unknown>,
) {
  if (env.healthUrls !== undefined && !isMapping(env.healthUrls)) return;
  // An env that names no health URL at all (or misspells the field, reported already) is left to the verify step,
  // which fails the check saying the URL is missing; a misspelt service name is reported already too.
  const urls = Object.keys(mapping(env.healthUrls));
  if (urls.length === 0 || urls.some((name) => services[name] === undefined)) return;
  for (const [name, service] of Object.entries(services)) {
    const spec = mapping(service);
    if (spec.method === 'rehearsal' || list(spec.healthChecks).length === 0) continue;
    if (mapping(env.healthUrls)[name] !== undefined) continue;
    report(
      [...path, 'healthUrls', name],
      `missing, expected the base URL of service ${name}, which has health checks (services.${name}.healthChecks)`,
    );
  }
}

function servicesUsing(names: string[], method: string): string {
  return `${names.length === 1 ? 'service' : 'services'} ${names.join(', ')} (method ${method})`;
}

/** Records the policy requires for this env need somewhere to be written. */
function checkRecordTargets(
  report: Report,
  path: PropertyKey[],
  env: Record<string, unknown>,
  envName: string,
  kinds: unknown[],
) {
  const because = (kind: string) => `because policy.records.${envName} requires a ${kind} record`;
  if (kinds.includes('calendar') && env.calendarId === undefined) {
    report([...path, 'calendarId'], `missing, expected a change calendar id ${because('calendar')}`);
  }
  if (kinds.includes('statuspage') && env.statuspage === undefined) {
    report(
      [...path, 'statuspage'],
      `missing, expected a Statuspage page and components ${because('statuspage')}`,
    );
  }
}

function checkPolicy(report: Report, policy: Record<string, unknown>, known: Known) {
  const envs = 'an env named under clients.*.envs';
  list(policy.approvals).forEach((rule, i) => {
    list(mapping(rule).envs).forEach((env, j) =>
      checkName(report, ['policy', 'approvals', i, 'envs', j], env, known.envs, envs),
    );
  });
  list(policy.freezeWindows).forEach((window, i) => {
    const path = ['policy', 'freezeWindows', i];
    const clients = 'a client named under clients';
    list(mapping(window).clients).forEach((c, j) =>
      checkName(report, [...path, 'clients', j], c, known.clients, clients),
    );
    list(mapping(window).envs).forEach((env, j) =>
      checkName(report, [...path, 'envs', j], env, known.envs, envs),
    );
  });
  for (const section of ['records', 'autoRollback', 'processGuardWaitMinutes']) {
    for (const env of Object.keys(mapping(policy[section])))
      checkName(report, ['policy', section, env], env, known.envs, envs);
  }
}

function checkName(report: Report, path: PropertyKey[], name: unknown, known: string[], what: string) {
  if (typeof name === 'string' && !known.includes(name)) report(path, expectedOneOf(name, known, what));
}

/** Every record kind an env's rule names, whether one list or one per severity. */
function anySeverity(rule: unknown): unknown[] {
  return Array.isArray(rule) ? rule : Object.values(mapping(rule)).flatMap(list);
}

function mapping(value: unknown): Record<string, unknown> {
  return isMapping(value) ? value : {};
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
