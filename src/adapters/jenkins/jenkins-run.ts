/**
 * What a Jenkins deploy of a hotfix is made of: the catalog's job and parameter names, the run key that lets a retry
 * find the build an earlier attempt started, and the parameters of seed 001's multi-deploy pipeline.
 */
import type { JenkinsTarget } from '../../domain/catalog.js';
import type { Hotfix } from '../../domain/hotfix.js';
import type { CiServer, JobCheck, RunLocation } from '../../ports/ci-server.js';

/** The refs a Jenkins deploy writes into the record. */
export const REFS = {
  runKey: 'jenkinsRunKey',
  queueItem: 'jenkinsQueueItem',
  build: 'jenkinsBuild',
  buildUrl: 'jenkinsBuildUrl',
} as const;

/** The env's Jenkins target from the hotfix's catalog snapshot; absent means the catalog was not validated. */
export function targetOf(hotfix: Hotfix): JenkinsTarget {
  const target = hotfix.snapshot.env.jenkins;
  if (!target) {
    throw new Error(
      `catalog: clients.${hotfix.client}.envs.${hotfix.env}.jenkins is missing for a Jenkins deploy`,
    );
  }
  return target;
}

/**
 * The value of the hotfix-id parameter for this attempt: the ULID and the attempt number, so a retry (a new attempt)
 * triggers a new build while a repeated start of the same attempt finds the one already triggered.
 */
export function runKeyOf(hotfix: Hotfix): string {
  return `${hotfix.ulid}-${Math.max(1, hotfix.attempts)}`;
}

/** The SERVICES parameter: one `service tag` line per service, as typed into the job by hand (seed 001). */
export function servicesValue(hotfix: Hotfix): string {
  return hotfix.services.map((s) => `${s.service} ${s.tag}`).join('\n');
}

/** Reads `service tag` lines back into a map (blank and malformed lines are ignored). */
export function parseServices(value: string | undefined): Record<string, string> {
  const entries = (value ?? '')
    .split(/\r?\n/)
    .map((line) => line.trim().split(/\s+/))
    .filter((parts): parts is [string, string] => parts.length === 2 && parts[0] !== '');
  return Object.fromEntries(entries);
}

/** The client and env values Jenkins knows this hotfix's env by. */
export function clientEnvOf(hotfix: Hotfix, target: JenkinsTarget): Record<string, string> {
  return {
    [target.parameters.client]: target.clientValue ?? hotfix.client,
    [target.parameters.env]: target.envValue ?? hotfix.env,
  };
}

/** Every parameter of the build for this attempt. */
export function buildParameters(hotfix: Hotfix, target: JenkinsTarget): Record<string, string> {
  return {
    ...clientEnvOf(hotfix, target),
    [target.parameters.services]: servicesValue(hotfix),
    [target.parameters.hotfixId]: runKeyOf(hotfix),
  };
}

/** The plan-time check: the job exists and declares all four parameters. Unreachable Jenkins throws. */
export function checkJenkinsTarget(ci: CiServer, target: JenkinsTarget): Promise<JobCheck> {
  return ci.checkJob(target.job, Object.values(target.parameters));
}

/** The refs for a run's location. */
export function refsOf(location: RunLocation, runKey: string): Record<string, string> {
  const refs: Record<string, string> = { [REFS.runKey]: runKey };
  if (location.queueItem !== undefined) refs[REFS.queueItem] = String(location.queueItem);
  // Refs are merged into the record: a run not started yet clears the build an earlier attempt recorded, or the
  // next look would follow that earlier build as this attempt's.
  refs[REFS.build] = location.state === 'started' ? String(location.build) : '';
  refs[REFS.buildUrl] = location.state === 'started' ? location.url : '';
  return refs;
}

/**
 * Where this attempt's run is: from the record's refs when they belong to this attempt, else (and once Jenkins
 * purged the queue item) by searching for the run key.
 */
export async function locateRun(ci: CiServer, hotfix: Hotfix): Promise<RunLocation | undefined> {
  const { job, parameters } = targetOf(hotfix);
  const key = runKeyOf(hotfix);
  const refs = hotfix.refs[REFS.runKey] === key ? hotfix.refs : {};
  const build = Number(refs[REFS.build]);
  if (Number.isInteger(build) && build > 0) return { state: 'started', build, url: ci.buildUrl(job, build) };
  const queueItem = Number(refs[REFS.queueItem]);
  if (Number.isInteger(queueItem) && queueItem > 0) {
    const found = await ci.resolveQueueItem(queueItem);
    if (found) return found;
  }
  return ci.findRun(job, parameters.hotfixId, key);
}
