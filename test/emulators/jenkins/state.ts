/**
 * What the emulated Jenkins holds: jobs with declared parameters, the queue, builds, and the JSON Jenkins shows for
 * each. Time comes from the clock given at start; nothing moves on its own, it is brought up to date on each look.
 */
import { advanceBuild, newBuild, wfapiStatus } from './builds.js';
import type { BuildResult, BuildScript, EmulatedBuild, JobSpec, JsonObject, QueueItem } from './types.js';

/** How long a left queue item stays visible in `/queue/item/<n>` (Jenkins' `Queue.leftItems`: 5 minutes). */
export const LEFT_ITEM_RETENTION_MS = 5 * 60_000;
/** The newest builds a job's `builds` field lists (Jenkins caps it at 100; `allBuilds` has the rest). */
export const BUILDS_LISTED = 100;

const DEFAULT_SCRIPT: BuildScript = { stages: ['Checkout', 'Deploy'] };

/** The emulated server's state. */
export class JenkinsState {
  readonly jobs = new Map<string, JobSpec>();
  readonly queue = new Map<number, QueueItem>();
  readonly builds = new Map<string, EmulatedBuild[]>();
  private readonly nextScripts = new Map<string, BuildScript[]>();
  private nextQueueId = 1;

  constructor(
    readonly now: () => number,
    readonly baseUrl: () => string,
    public queueDelayMs: number,
    public leftRetentionMs: number,
  ) {}

  /** Adds or replaces a job; `name` is its folder path (`a/b`). */
  addJob(job: JobSpec): void {
    this.jobs.set(job.name, job);
    if (!this.builds.has(job.name)) this.builds.set(job.name, []);
  }

  /** The next build of `job` follows this script (queued scripts are used in order, then the job's own). */
  scriptNextBuild(job: string, script: BuildScript): void {
    this.nextScripts.set(job, [...(this.nextScripts.get(job) ?? []), script]);
  }

  /**
   * `buildWithParameters`: undeclared parameters are dropped silently, missing ones take the default, and a request
   * identical to an item still waiting is folded into that item (Jenkins' `Queue.schedule2`).
   */
  enqueue(job: JobSpec, given: Record<string, string>): QueueItem {
    const parameters = Object.fromEntries(
      Object.entries(job.parameters).map(([name, fallback]) => [name, given[name] ?? fallback]),
    );
    const same = [...this.queue.values()].find(
      (q) =>
        q.job === job.name &&
        q.leftAt === undefined &&
        JSON.stringify(q.parameters) === JSON.stringify(parameters),
    );
    if (same) return same;
    const now = this.now();
    const item: QueueItem = {
      id: this.nextQueueId++,
      job: job.name,
      parameters,
      inQueueSince: now,
      startsAt: now + this.queueDelayMs,
      cancelled: false,
    };
    this.queue.set(item.id, item);
    return item;
  }

  /** Brings everything up to now: due queue items start builds, builds move on, old left items are purged. */
  tick(): void {
    const now = this.now();
    for (const item of [...this.queue.values()].sort((a, b) => a.id - b.id)) {
      if (item.leftAt === undefined && item.startsAt <= now) this.start(item);
      if (item.leftAt !== undefined && item.leftAt + this.leftRetentionMs <= now) this.queue.delete(item.id);
    }
    for (const list of this.builds.values()) for (const build of list) advanceBuild(build, now);
  }

  private start(item: QueueItem): void {
    const job = this.jobs.get(item.job);
    const list = this.builds.get(item.job) ?? [];
    const queued = this.nextScripts.get(item.job) ?? [];
    const script = queued.shift() ?? job?.script ?? DEFAULT_SCRIPT;
    const number = (list[list.length - 1]?.number ?? 0) + 1;
    list.push(
      newBuild(
        { job: item.job, number, queueId: item.id, parameters: item.parameters, script },
        item.startsAt,
      ),
    );
    this.builds.set(item.job, list);
    item.leftAt = item.startsAt;
    item.build = number;
  }

  /**
   * A build that ended long ago, as a job's history holds it (a deploy someone ran by hand last month): one Deploy
   * stage, ended with `result` a minute after it started, its queue item long purged.
   */
  seedBuild(job: string, parameters: Record<string, string>, result: BuildResult = 'SUCCESS'): EmulatedBuild {
    const list = this.builds.get(job) ?? [];
    const number = (list[list.length - 1]?.number ?? 0) + 1;
    const at = this.now() - 60_000;
    const build = newBuild({ job, number, queueId: 0, parameters, script: { stages: ['Deploy'] } }, at);
    const stage = result === 'SUCCESS' ? 'SUCCESS' : result === 'ABORTED' ? 'ABORTED' : 'FAILED';
    build.stages.push({ name: 'Deploy', status: stage, startTimeMillis: at, durationMillis: 60_000 });
    build.cursor = 1;
    build.result = result;
    build.endedAt = at + 60_000;
    build.console += `Finished: ${result}\n`;
    list.push(build);
    this.builds.set(job, list);
    return build;
  }

  /** A build by job and number. */
  build(job: string, number: number): EmulatedBuild | undefined {
    return this.builds.get(job)?.find((b) => b.number === number);
  }

  /** The URL of a job (`<base>job/a/job/b/`). */
  jobUrl(job: string): string {
    return `${this.baseUrl()}${job
      .split('/')
      .map((p) => `job/${encodeURIComponent(p)}/`)
      .join('')}`;
  }

  /** A build's full JSON (`/job/<j>/<n>/api/json`). */
  buildJson(build: EmulatedBuild): JsonObject {
    const end = build.endedAt ?? this.now();
    return {
      _class: 'org.jenkinsci.plugins.workflow.job.WorkflowRun',
      number: build.number,
      id: String(build.number),
      url: `${this.jobUrl(build.job)}${build.number}/`,
      building: build.result === null,
      result: build.result,
      timestamp: build.startedAt,
      duration: build.result === null ? 0 : end - build.startedAt,
      queueId: build.queueId,
      actions: [
        { _class: 'hudson.model.CauseAction', causes: [{ shortDescription: 'Started by remote API' }] },
        {
          _class: 'hudson.model.ParametersAction',
          parameters: Object.entries(build.parameters).map(([name, value]) => ({
            _class: 'hudson.model.StringParameterValue',
            name,
            value,
          })),
        },
      ],
    };
  }

  /**
   * A job's full JSON; without a tree, nested builds are shown only as number and URL, as at Jenkins' depth 0.
   * `builds` lists the newest BUILDS_LISTED; `allBuilds` (every build, newest first) is shown only to a tree that
   * names it, as Jenkins exports it at visibility -2.
   */
  jobJson(job: JobSpec, full: boolean): JsonObject {
    const builds = [...(this.builds.get(job.name) ?? [])].reverse();
    const show = (b: EmulatedBuild | undefined): JsonObject | null => {
      if (!b) return null;
      const json = this.buildJson(b);
      return full ? json : { _class: json['_class'], number: b.number, url: json['url'] };
    };
    const lastSuccessful = builds.find((b) => b.result === 'SUCCESS');
    const waiting = [...this.queue.values()].find((q) => q.job === job.name && q.leftAt === undefined);
    return {
      _class: 'org.jenkinsci.plugins.workflow.job.WorkflowJob',
      name: job.name.split('/').pop(),
      fullName: job.name,
      url: this.jobUrl(job.name),
      buildable: true,
      inQueue: waiting !== undefined,
      nextBuildNumber: (builds[0]?.number ?? 0) + 1,
      property: [
        {
          _class: 'hudson.model.ParametersDefinitionProperty',
          parameterDefinitions: Object.entries(job.parameters).map(([name, value]) => ({
            _class: 'hudson.model.StringParameterDefinition',
            name,
            type: 'StringParameterDefinition',
            defaultParameterValue: { _class: 'hudson.model.StringParameterValue', name, value },
          })),
        },
      ],
      builds: builds.slice(0, BUILDS_LISTED).map(show),
      ...(full ? { allBuilds: builds.map(show) } : {}),
      lastBuild: show(builds[0]),
      lastSuccessfulBuild: show(lastSuccessful),
      queueItem: waiting ? this.queueItemJson(waiting) : null,
    };
  }

  /** A queue item's JSON: a WaitingItem, or a LeftItem with its `executable` once the build started. */
  queueItemJson(item: QueueItem): JsonObject {
    const left = item.leftAt !== undefined;
    const json: JsonObject = {
      _class: left ? 'hudson.model.Queue$LeftItem' : 'hudson.model.Queue$WaitingItem',
      id: item.id,
      actions: [
        {
          _class: 'hudson.model.ParametersAction',
          parameters: Object.entries(item.parameters).map(([name, value]) => ({ name, value })),
        },
      ],
      blocked: false,
      buildable: false,
      inQueueSince: item.inQueueSince,
      params: Object.entries(item.parameters)
        .map(([k, v]) => `\n${k}=${v}`)
        .join(''),
      stuck: false,
      task: {
        _class: 'org.jenkinsci.plugins.workflow.job.WorkflowJob',
        name: item.job.split('/').pop(),
        url: this.jobUrl(item.job),
      },
      url: `queue/item/${item.id}/`,
      why: left ? null : 'In the quiet period.',
    };
    if (left) {
      json['cancelled'] = item.cancelled;
      json['executable'] =
        item.build === undefined
          ? null
          : {
              _class: 'org.jenkinsci.plugins.workflow.job.WorkflowRun',
              number: item.build,
              url: `${this.jobUrl(item.job)}${item.build}/`,
            };
    }
    return json;
  }

  /** wfapi/describe of a build. */
  describeJson(build: EmulatedBuild): JsonObject {
    const end = build.endedAt ?? this.now();
    return {
      id: String(build.number),
      name: `#${build.number}`,
      status: wfapiStatus(build, this.now()),
      startTimeMillis: build.startedAt,
      endTimeMillis: build.endedAt ?? 0,
      durationMillis: end - build.startedAt,
      // As the stage view plugin does, the last stage shows the run's status (FAILED, ABORTED, UNSTABLE...).
      stages: build.stages.map((s, i, all) => ({
        id: String(i + 6),
        ...s,
        ...(i === all.length - 1 ? { status: wfapiStatus(build, this.now()) } : {}),
      })),
    };
  }

  /** wfapi/pendingInputActions of a build. */
  pendingInputsJson(build: EmulatedBuild): JsonObject[] {
    const input = build.pendingInput;
    if (!input) return [];
    const base = `/${build.job
      .split('/')
      .map((p) => `job/${encodeURIComponent(p)}`)
      .join('/')}/${build.number}`;
    return [
      {
        id: input.id,
        proceedText: 'Proceed',
        message: input.message,
        inputs: [],
        proceedUrl: `${base}/wfapi/inputSubmit?inputId=${input.id}`,
        abortUrl: `${base}/input/${input.id}/abort`,
        redirectApprovalUrl: `${base}/input/`,
      },
    ];
  }
}
