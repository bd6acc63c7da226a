/**
 * The `jenkins-multi-deploy` deploy method (seed 001): one build of the multi-deploy pipeline carries every service
 * of the plan, so they deploy together. Every call is safe to repeat: start() looks for this attempt's run by its key
 * before triggering, poll() and abort() find the build again from the record or from Jenkins.
 */
import type { Hotfix, Stage } from '../../domain/hotfix.js';
import {
  CiServerError,
  type BuildParameters,
  type CiBuildStages,
  type CiServer,
  type CiStage,
} from '../../ports/ci-server.js';
import type { DeployMethod, DeployProgress } from '../../ports/deploy-method.js';
import { truncateForSlack, type Redactor } from '../../redact.js';
import {
  buildParameters,
  checkJenkinsTarget,
  clientEnvOf,
  locateRun,
  parseServices,
  REFS,
  refsOf,
  runKeyOf,
  servicesValue,
  targetOf,
} from './jenkins-run.js';

/** Console lines shown with a failure. */
export const CONSOLE_TAIL_LINES = 30;
/** The builds Jenkins lists in a job's `builds`; older ones are read from `allBuilds`. */
const LISTED_BUILDS = 100;
/** How far back (in builds of the job, newest first) the running versions are looked for before giving up. */
export const SEARCHED_BUILDS = 500;
/** The longest failure message, so it fits a Slack section with room to spare. */
const MAX_FAILURE_CHARS = 2800;

const STAGE_STATUS: Record<string, Stage['status']> = {
  SUCCESS: 'succeeded',
  IN_PROGRESS: 'running',
  PAUSED_PENDING_INPUT: 'waiting',
  FAILED: 'failed',
  ABORTED: 'failed',
  UNSTABLE: 'failed',
  NOT_EXECUTED: 'skipped',
  SKIPPED: 'skipped',
};
const FAILED_RUN = new Set(['FAILED', 'ABORTED', 'UNSTABLE', 'NOT_BUILT', 'NOT_EXECUTED']);
/** Stage statuses that say the stage itself went wrong (NOT_EXECUTED is also a stage that never ran). */
const FAILED_STAGE = new Set(['FAILED', 'ABORTED', 'UNSTABLE']);
const ENDED_RUN = new Set([...FAILED_RUN, 'SUCCESS']);

/** Stages as the record keeps them: an ended stage with how long it took, a running one without (it still grows). */
function stagesOf(stages: readonly CiStage[]): Stage[] {
  return stages.map((s) => {
    const status = STAGE_STATUS[s.status] ?? 'pending';
    const ended = status === 'succeeded' || status === 'failed';
    return { name: s.name, status, ...(ended ? { durationMs: s.durationMillis } : {}) };
  });
}

/** The rollback-matrix condition a failed stage suggests. */
function conditionOf(stage: string | undefined): string {
  if (stage && /smoke|health/i.test(stage)) return 'smoke_test_failed';
  if (stage && /migrat/i.test(stage)) return 'migration_failed';
  return 'unknown';
}

/** JenkinsDeployMethod: DeployMethod over a CiServer. */
export class JenkinsDeployMethod implements DeployMethod {
  constructor(
    private readonly ci: CiServer,
    private readonly redact: Redactor,
  ) {}

  /**
   * Per service, the tag in the newest successful build for this client and env that deployed it: among the builds
   * Jenkins lists, then among older ones (`allBuilds`, up to SEARCHED_BUILDS back). A service no such build deployed
   * is left out: its running version is not known, and nothing is guessed.
   */
  async currentVersions(hotfix: Hotfix): Promise<Record<string, string>> {
    const target = targetOf(hotfix);
    const match = clientEnvOf(hotfix, target);
    const versions: Record<string, string> = {};
    const take = (builds: BuildParameters[]): boolean => {
      for (const { service } of hotfix.services) {
        const found = builds.find((b) => parseServices(b.parameters[target.parameters.services])[service]);
        const tag = found && parseServices(found.parameters[target.parameters.services])[service];
        if (tag !== undefined && versions[service] === undefined) versions[service] = tag;
      }
      return hotfix.services.every(({ service }) => versions[service] !== undefined);
    };
    if (take(await this.ci.successfulBuilds(target.job, match))) return versions;
    const older = { from: LISTED_BUILDS, to: SEARCHED_BUILDS };
    take(await this.ci.successfulBuilds(target.job, match, older));
    return versions;
  }

  /** The job and every parameter the build will get. */
  describe(hotfix: Hotfix): string[] {
    const target = targetOf(hotfix);
    const parameters = buildParameters(hotfix, target);
    const plain = Object.entries(parameters)
      .filter(([name]) => name !== target.parameters.services)
      .map(([name, value]) => `${name}=${value}`);
    return [
      `Jenkins job ${target.job}: one build for ${hotfix.services.length} service(s)`,
      `Parameters: ${plain.join(', ')}`,
      `${target.parameters.services}: ${servicesValue(hotfix).split('\n').join('; ')}`,
    ];
  }

  /**
   * The job exists and declares every parameter the bot sends (client, env, services and the hotfix id that lets a
   * retry find its build); Jenkins that cannot be asked refuses the plan rather than passing it. Trouble a retry may
   * fix (5xx, resets, timeouts) is thrown as a retryable CiServerError whose message is that refusal, so the caller
   * can look again before refusing.
   */
  async checkTarget(hotfix: Hotfix): Promise<string | undefined> {
    const target = targetOf(hotfix);
    try {
      const check = await checkJenkinsTarget(this.ci, target);
      return check.ok ? undefined : this.redact(check.message);
    } catch (error) {
      if (error instanceof CiServerError && error.code === 'unauthorized') {
        return `Jenkins refused the bot's credentials when I checked job "${target.job}", so nothing was planned. Check JENKINS_USER and JENKINS_API_TOKEN (the user needs Job/Read and Job/Build), then plan again.`;
      }
      const why = error instanceof Error ? ` (${this.redact(error.message)})` : '';
      const refusal = `Jenkins did not answer when I checked job "${target.job}"${why}; nothing was planned; try again.`;
      if (error instanceof CiServerError && error.retryable) throw new CiServerError(error.code, refusal);
      return refusal;
    }
  }

  /** Finds this attempt's queue item or build by its key; triggers only when there is none. */
  async start(hotfix: Hotfix): Promise<Record<string, string>> {
    const target = targetOf(hotfix);
    const key = runKeyOf(hotfix);
    const found = await locateRun(this.ci, hotfix);
    if (found) return refsOf(found, key);
    const { queueItem } = await this.ci.trigger(target.job, buildParameters(hotfix, target));
    return refsOf({ state: 'queued', queueItem }, key);
  }

  /** Stages from wfapi; an input step becomes `input`; a failed build carries its redacted console tail. */
  async poll(hotfix: Hotfix): Promise<DeployProgress> {
    const target = targetOf(hotfix);
    const run = await locateRun(this.ci, hotfix);
    if (!run) return this.lost(hotfix);
    if (run.state === 'queued') return { status: 'running', stages: [] };
    if (run.state === 'started') {
      const progress = await this.follow(target.job, run.build);
      // The build the queue item became, recorded once so the live status links it and later looks go straight to it.
      const known =
        hotfix.refs[REFS.runKey] === runKeyOf(hotfix) && hotfix.refs[REFS.build] === String(run.build);
      return known ? progress : { ...progress, refs: refsOf(run, runKeyOf(hotfix)) };
    }
    // Cancelled: by the bot's own abort (the cancel's end), or by someone in Jenkins (a failure saying so).
    return {
      status: 'aborted',
      stages: [],
      message: `Jenkins queue item ${run.queueItem} of ${target.job} was cancelled before it started; nothing was deployed.`,
      condition: 'unknown',
    };
  }

  /** Posts proceed or abort once; an input no longer pending was answered already, so nothing is sent again. */
  async answer(hotfix: Hotfix, inputId: string, proceed: boolean): Promise<void> {
    const target = targetOf(hotfix);
    const run = await locateRun(this.ci, hotfix);
    if (run?.state !== 'started') {
      throw new Error(
        `No Jenkins build of ${target.job} carries ${target.parameters.hotfixId}=${runKeyOf(hotfix)}: there is no input to answer`,
      );
    }
    const pending = await this.ci.pendingInputs(target.job, run.build);
    if (!pending.some((i) => i.id === inputId)) return;
    await this.ci.answerInput(target.job, run.build, inputId, proceed);
  }

  /**
   * Cancels a queued run or stops the build (aborting a pending input first); says what stays deployed. Jenkins
   * ignores a cancel of an item that has just left the queue, so the item is looked at again after it: a build it
   * became meanwhile is stopped like any other.
   */
  async abort(hotfix: Hotfix): Promise<string> {
    const target = targetOf(hotfix);
    let run = await locateRun(this.ci, hotfix);
    let started = '';
    if (!run)
      return `No Jenkins build of ${target.job} was found for this attempt; nothing was stopped and nothing had been deployed by it.`;
    if (run.state === 'cancelled')
      return `Jenkins queue item ${run.queueItem} had already been cancelled; nothing was deployed.`;
    if (run.state === 'queued') {
      const queueItem = run.queueItem;
      await this.ci.cancelQueued(queueItem);
      run = await locateRun(this.ci, hotfix);
      if (run?.state !== 'started')
        return `Cancelled Jenkins queue item ${queueItem} of ${target.job} before it started; nothing was deployed.`;
      started = `Jenkins queue item ${queueItem} became build #${run.build} as the cancel reached it, so the build was stopped instead. `;
    }
    const described = await this.ci.stages(target.job, run.build);
    const done = described.stages.filter((s) => s.status === 'SUCCESS').map((s) => s.name);
    const kept =
      done.length > 0
        ? ` Not undone: the finished stages (${done.join(', ')}) stay as deployed; roll back to undo them.`
        : ' No stage had finished.';
    if (ENDED_RUN.has(described.status))
      return `${started}Jenkins build #${run.build} of ${target.job} had already ended (${described.status}); nothing was stopped.${kept}`;
    const inputs = await this.ci.pendingInputs(target.job, run.build);
    const answered = [];
    for (const input of inputs) {
      if ((await this.ci.answerInput(target.job, run.build, input.id, false)) === 'answered')
        answered.push(input.id);
    }
    // Aborting the input ends the build; /stop is for a build that is doing work.
    if (answered.length === 0) await this.ci.stop(target.job, run.build);
    const current = described.stages.find(
      (s) => s.status === 'IN_PROGRESS' || s.status === 'PAUSED_PENDING_INPUT',
    );
    const how =
      answered.length > 0 ? `aborted its pending input ${answered.join(', ')}` : 'asked Jenkins to stop it';
    const interrupted =
      current && answered.length === 0
        ? ` Stage ${current.name} was interrupted and may have done part of its work.`
        : '';
    return `${started}Jenkins build #${run.build} of ${target.job}: ${how}${current ? ` at stage ${current.name}` : ''}.${interrupted}${kept}`;
  }

  /**
   * An ABORTED build: reported as its failure would be (console tail and all), as `aborted`, with who aborted it when
   * the console says (Jenkins prints "Rejected by <user>" for an input's Abort, "Aborted by <user>" for a stop).
   */
  private abortedRun(failed: DeployProgress): DeployProgress {
    if (failed.status !== 'failed') return failed;
    const by = [...failed.message.matchAll(/^(?:Rejected|Aborted) by (\S.*?)\s*$/gm)].at(-1)?.[1];
    return { ...failed, status: 'aborted', ...(by ? { by } : {}) };
  }

  /** A started build's progress: its stages, an input it waits at, or how it ended. */
  private async follow(job: string, build: number): Promise<DeployProgress> {
    const described = await this.ci.stages(job, build);
    const stages = stagesOf(described.stages);
    if (described.status === 'SUCCESS') return { status: 'succeeded', stages };
    if (described.status === 'ABORTED')
      return this.abortedRun(await this.failed(job, build, described, stages));
    if (FAILED_RUN.has(described.status)) return this.failed(job, build, described, stages);
    if (described.status === 'PAUSED_PENDING_INPUT') {
      const [input] = await this.ci.pendingInputs(job, build);
      if (input) return { status: 'input', stages, input: { id: input.id, message: input.message } };
    }
    return { status: 'running', stages };
  }

  private lost(hotfix: Hotfix): DeployProgress {
    const target = targetOf(hotfix);
    return {
      status: 'failed',
      stages: [],
      message: `No Jenkins queue item or build of ${target.job} carries ${target.parameters.hotfixId}=${runKeyOf(hotfix)}; the deploy was not started or Jenkins no longer lists it.`,
      condition: 'unknown',
    };
  }

  private async failed(
    job: string,
    build: number,
    described: CiBuildStages,
    stages: Stage[],
  ): Promise<DeployProgress> {
    // The first stage that went wrong is the cause (wfapi gives the last stage the run's own status as well); a run
    // that ended NOT_BUILT stopped after the last stage it ran.
    const broken =
      described.stages.find((s) => FAILED_STAGE.has(s.status)) ??
      (described.status === 'NOT_BUILT' ? described.stages.at(-1) : undefined);
    const tail = await this.ci.consoleTail(job, build, CONSOLE_TAIL_LINES);
    const where = broken ? ` at stage ${broken.name}` : '';
    // The sentence always leads, whole: only the log under it is cut (from its start: the error is at the end).
    const head = this.redact(
      `Jenkins build #${build} of ${job} ended ${described.status}${where}. Last ${tail.length} console lines:`,
    );
    const log = truncateForSlack(this.redact(tail.join('\n')), MAX_FAILURE_CHARS - head.length - 1, 'end');
    return {
      status: 'failed',
      stages,
      message: `${head}\n${log}`,
      condition: conditionOf(broken?.name),
    };
  }
}
