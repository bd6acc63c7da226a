/**
 * The CiServer port on Jenkins, through the `jenkins` client. Credentials travel in the Authorization header only:
 * the base URL the client holds, every URL this adapter returns and every error message it writes are free of them.
 */
import {
  CiServerError,
  type BuildParameters,
  type CiBuildStages,
  type CiInput,
  type CiServer,
  type JobCheck,
  type RunLocation,
} from '../../ports/ci-server.js';
import { asCiError, statusOf } from './jenkins-errors.js';
import {
  bodyOf,
  BuildStateJson,
  createJenkinsClient,
  DescribeJson,
  JobBuildsJson,
  JobParametersJson,
  LogJson,
  parametersOf,
  PendingInputsJson,
  QueueItemJson,
  QueueItemsJson,
  type JenkinsClient,
} from './jenkins-wire.js';

/** How to reach Jenkins. */
export interface JenkinsCiServerOptions {
  /** JENKINS_URL; any `user:password@` in it is ignored (the header carries the credentials). */
  url: string;
  /** JENKINS_USER. */
  user: string;
  /** JENKINS_API_TOKEN. */
  apiToken: string;
  /** Per-request timeout. @defaultValue 10000 */
  timeoutMs?: number;
}

const BUILD_FIELDS = '[number,url,result,building,actions[parameters[name,value]]]';
const BUILDS_TREE = `builds${BUILD_FIELDS}`;
const QUEUE_TREE = 'items[id,task[url],actions[parameters[name,value]]]';

/** `folder/job` -> `/job/folder/job/job`, each part encoded. */
export function jobPath(job: string): string {
  return job
    .split('/')
    .filter(Boolean)
    .map((part) => `/job/${encodeURIComponent(part)}`)
    .join('');
}

/** JenkinsCiServer: the CiServer port over Jenkins' REST API. */
export class JenkinsCiServer implements CiServer {
  private readonly client: JenkinsClient;
  private readonly base: URL;

  constructor(options: JenkinsCiServerOptions) {
    this.base = new URL(options.url);
    this.base.username = '';
    this.base.password = '';
    const baseUrl = this.base.toString().replace(/\/+$/, '');
    this.client = createJenkinsClient({
      baseUrl,
      user: options.user,
      apiToken: options.apiToken,
      timeoutMs: options.timeoutMs ?? 10_000,
    });
  }

  /** Whether the job exists and declares the parameters; an unreachable Jenkins throws, it never passes. */
  async checkJob(job: string, required: readonly string[]): Promise<JobCheck> {
    let declared: string[];
    try {
      const json = JobParametersJson.parse(
        await this.client.job.get(job, { tree: 'property[parameterDefinitions[name]]' }),
      );
      declared = json.property.flatMap((p) => (p.parameterDefinitions ?? []).map((d) => d.name));
    } catch (error) {
      if (statusOf(error) === 404 || (error as { notFound?: unknown })?.notFound === true) {
        const message = `Jenkins has no job "${job}" at ${this.base.origin}${this.base.pathname.replace(/\/$/, '')}: check the catalog's jenkins.job for this env`;
        return { ok: false, reason: 'job_missing', message, missing: [] };
      }
      throw asCiError(error, `reading the parameters of job ${job}`);
    }
    const missing = required.filter((name) => !declared.includes(name));
    if (missing.length === 0) return { ok: true };
    // Jenkins drops undeclared parameters silently: a build would run without them, and a retry could not find it.
    const message = `Jenkins job "${job}" does not declare the parameter${missing.length > 1 ? 's' : ''} ${missing.join(', ')}; it declares ${declared.join(', ') || 'none'}. Add ${missing.length > 1 ? 'them' : 'it'} to the job, or fix the catalog's jenkins.parameters.`;
    return { ok: false, reason: 'parameter_missing', message, missing };
  }

  /**
   * Successful builds whose parameters include every `match` pair, newest first: among the newest 100 (`builds`), or
   * in a range of `allBuilds`, which Jenkins loads only as far as the range asks.
   */
  async successfulBuilds(
    job: string,
    match: Record<string, string>,
    range?: { from: number; to: number },
  ): Promise<BuildParameters[]> {
    const tree = range ? `allBuilds${BUILD_FIELDS}{${range.from},${range.to}}` : BUILDS_TREE;
    const json = await this.call(`reading the builds of job ${job}`, async () =>
      JobBuildsJson.parse(await this.client.job.get(job, { tree })),
    );
    return (range ? json.allBuilds : json.builds)
      .filter((b) => b.result === 'SUCCESS')
      .map((b) => ({ build: b.number, parameters: parametersOf(b.actions) }))
      .filter((b) => Object.entries(match).every(([k, v]) => b.parameters[k] === v))
      .sort((a, b) => b.build - a.build);
  }

  /** Queues one build. */
  async trigger(job: string, parameters: Record<string, string>): Promise<{ queueItem: number }> {
    const queueItem = await this.call(`triggering job ${job}`, () =>
      this.client.job.build({ name: job, parameters }),
    );
    if (typeof queueItem !== 'number' || !Number.isInteger(queueItem)) {
      throw new CiServerError('unexpected', `Jenkins queued job ${job} but named no queue item`);
    }
    return { queueItem };
  }

  /** Searches the queue, then the job's listed builds, for the run whose parameter `name` is `value`. */
  async findRun(job: string, name: string, value: string): Promise<RunLocation | undefined> {
    const doing = `looking for the build of job ${job} with ${name}=${value}`;
    const queued = await this.call(doing, async () =>
      QueueItemsJson.parse(await this.client.queue.list({ tree: QUEUE_TREE })),
    );
    const wanted = `${this.base.pathname.replace(/\/$/, '')}${jobPath(job)}/`;
    const item = queued.find(
      (q) =>
        q.task &&
        new URL(q.task.url, this.base).pathname === wanted &&
        parametersOf(q.actions)[name] === value,
    );
    if (item) return { state: 'queued', queueItem: item.id };
    const json = await this.call(doing, async () =>
      JobBuildsJson.parse(await this.client.job.get(job, { tree: BUILDS_TREE })),
    );
    const build = json.builds.find((b) => parametersOf(b.actions)[name] === value);
    return build
      ? { state: 'started', build: build.number, url: this.buildUrl(job, build.number) }
      : undefined;
  }

  /** Where a queue item is; undefined once Jenkins purged it (about five minutes after it left the queue). */
  async resolveQueueItem(queueItem: number): Promise<RunLocation | undefined> {
    let json;
    try {
      json = QueueItemJson.parse(await this.client.queue.item(queueItem));
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw asCiError(error, `reading queue item ${queueItem}`);
    }
    if (json.executable) {
      const path = new URL(json.executable.url, this.base).pathname;
      return {
        state: 'started',
        queueItem,
        build: json.executable.number,
        url: new URL(path, this.base).toString(),
      };
    }
    if (json.cancelled === true) return { state: 'cancelled', queueItem };
    return { state: 'queued', queueItem };
  }

  /** wfapi/describe. */
  async stages(job: string, build: number): Promise<CiBuildStages> {
    const doing = `reading the stages of ${job} #${build}`;
    const json = await this.call(doing, async () =>
      DescribeJson.parse(await this.client._get({ path: `${jobPath(job)}/${build}/wfapi/describe` }, bodyOf)),
    );
    // wfapi says NOT_EXECUTED both for a NOT_BUILT run and for one whose execution has not been created yet (a
    // build that just left the queue), as the stage view plugin's RunExt.initStatus maps them: the build's own
    // `building` flag and result tell them apart, so a NOT_BUILT run is named as Jenkins names it.
    let status = json.status;
    if (status === 'NOT_EXECUTED') {
      const run = await this.call(doing, async () =>
        BuildStateJson.parse(await this.client.build.get(job, build, { tree: 'building,result' })),
      );
      if (run.building) status = 'IN_PROGRESS';
      else if (run.result === 'NOT_BUILT') status = 'NOT_BUILT';
    }
    return {
      status,
      stages: json.stages.map(({ name, status, durationMillis }) => ({ name, status, durationMillis })),
    };
  }

  /** wfapi/pendingInputActions. */
  async pendingInputs(job: string, build: number): Promise<CiInput[]> {
    const json = await this.call(`reading the pending inputs of ${job} #${build}`, async () =>
      PendingInputsJson.parse(
        await this.client._get({ path: `${jobPath(job)}/${build}/wfapi/pendingInputActions` }, bodyOf),
      ),
    );
    return json.map(({ id, message }) => ({ id, message }));
  }

  /** POSTs proceedEmpty or abort (with a crumb); a 404 means the input is no longer pending. */
  async answerInput(
    job: string,
    build: number,
    inputId: string,
    proceed: boolean,
  ): Promise<'answered' | 'not_pending'> {
    const action = proceed ? 'proceedEmpty' : 'abort';
    try {
      await this.client._post(
        { path: `${jobPath(job)}/${build}/input/${encodeURIComponent(inputId)}/${action}` },
        bodyOf,
      );
      return 'answered';
    } catch (error) {
      if (statusOf(error) === 404) return 'not_pending';
      throw asCiError(error, `answering input ${inputId} of ${job} #${build}`);
    }
  }

  /** POST /stop (Jenkins answers 302, which the client expects). */
  async stop(job: string, build: number): Promise<void> {
    await this.call(`stopping ${job} #${build}`, () => this.client.build.stop(job, build));
  }

  /** POST cancelQueue; Jenkins answers 204 (newer) or 302 (older), both fine. */
  async cancelQueued(queueItem: number): Promise<void> {
    try {
      await this.client._post({ path: `/queue/item/${queueItem}/cancelQueue` }, bodyOf);
    } catch (error) {
      if (statusOf(error) === 302) return;
      throw asCiError(error, `cancelling queue item ${queueItem}`);
    }
  }

  /** The last lines of the console. Jenkins sends the whole log from a start past its end, so read from 0. */
  async consoleTail(job: string, build: number, lines: number): Promise<string[]> {
    const log = await this.call(`reading the console of ${job} #${build}`, async () =>
      LogJson.parse(await this.client.build.log(job, build, { start: 0, meta: true })),
    );
    const all = log.text.replace(/\n$/, '').split('\n');
    return all.slice(Math.max(0, all.length - lines));
  }

  /** The build's page, without credentials. */
  buildUrl(job: string, build: number): string {
    return new URL(`${this.base.pathname.replace(/\/$/, '')}${jobPath(job)}/${build}/`, this.base).toString();
  }

  private async call<T>(doing: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      throw asCiError(error, doing);
    }
  }
}
