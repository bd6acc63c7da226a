/**
 * How a scripted build moves on. Progress is computed lazily from the clock whenever someone looks, so a test that
 * advances a manual clock sees exactly what Jenkins would show at that moment, with no timers running.
 */
import type { BuildScript, EmulatedBuild, StageRun } from './types.js';

/** Stage length when the script names none. */
export const DEFAULT_STAGE_MS = 1000;

function durationOf(script: BuildScript, stage: string): number {
  return script.stageDurations?.[stage] ?? script.stageMs ?? DEFAULT_STAGE_MS;
}

function log(build: EmulatedBuild, line: string): void {
  build.console += `${line}\n`;
}

function finish(build: EmulatedBuild, result: EmulatedBuild['result'], at: number): void {
  build.result = result;
  build.endedAt = at;
  log(build, `Finished: ${result}`);
}

/** A new build at its first moment: the console starts as Jenkins' does, naming the parameters it was given. */
export function newBuild(
  fields: Pick<EmulatedBuild, 'job' | 'number' | 'queueId' | 'parameters' | 'script'>,
  at: number,
): EmulatedBuild {
  const build: EmulatedBuild = {
    ...fields,
    startedAt: at,
    cursor: 0,
    cursorAt: at + (fields.script.startupMs ?? 0),
    stages: [],
    result: null,
    console: '',
  };
  log(build, 'Started by remote API');
  for (const [name, value] of Object.entries(fields.parameters)) log(build, `[Parameter] ${name}=${value}`);
  log(build, '[Pipeline] Start of Pipeline');
  return build;
}

/** Moves the build forward to `now`: stages start and end, an input pauses it, a stop aborts it. */
export function advanceBuild(build: EmulatedBuild, now: number): void {
  while (build.result === null) {
    const running = build.stages.find(
      (s) => s.status === 'IN_PROGRESS' || s.status === 'PAUSED_PENDING_INPUT',
    );
    if (build.stopAt !== undefined && build.stopAt <= now) {
      if (running) {
        running.status = 'ABORTED';
        running.durationMillis = build.stopAt - running.startTimeMillis;
      }
      delete build.pendingInput;
      log(build, 'Aborted by remote API');
      finish(build, 'ABORTED', build.stopAt);
      return;
    }
    if (running) {
      if (!endStage(build, running, now)) return;
      continue;
    }
    const name = build.script.stages[build.cursor];
    if (name === undefined) {
      finish(
        build,
        build.stages.some((s) => s.status === 'UNSTABLE') ? 'UNSTABLE' : 'SUCCESS',
        build.cursorAt,
      );
      return;
    }
    if (build.cursorAt > now) return;
    startStage(build, name);
  }
}

function startStage(build: EmulatedBuild, name: string): void {
  const input = build.script.input;
  const stage: StageRun = { name, status: 'IN_PROGRESS', startTimeMillis: build.cursorAt, durationMillis: 0 };
  build.stages.push(stage);
  log(build, `[Pipeline] stage (${name})`);
  if (input?.before === name && build.answered?.id !== input.id) {
    stage.status = 'PAUSED_PENDING_INPUT';
    build.pendingInput = { id: input.id, message: input.message, since: build.cursorAt };
    log(build, `${input.message}\nProceed or Abort`);
  }
}

/** Ends the running stage if its time has come; false while it is still running or waiting for a person. */
function endStage(build: EmulatedBuild, stage: StageRun, now: number): boolean {
  if (stage.status === 'PAUSED_PENDING_INPUT') {
    const answer = build.answered;
    if (!answer || answer.at > now) return false;
    delete build.pendingInput;
    if (!answer.proceed) {
      stage.status = 'ABORTED';
      stage.durationMillis = answer.at - stage.startTimeMillis;
      log(build, `Rejected by ${answer.by}`);
      finish(build, 'ABORTED', answer.at);
      return true;
    }
    log(build, `Approved by ${answer.by}`);
    // The stage's own work starts once the person answered.
    stage.startTimeMillis = answer.at;
    stage.status = 'IN_PROGRESS';
  }
  const end = stage.startTimeMillis + durationOf(build.script, stage.name);
  if (end > now) {
    stage.durationMillis = now - stage.startTimeMillis;
    return false;
  }
  stage.durationMillis = end - stage.startTimeMillis;
  build.cursor += 1;
  build.cursorAt = end;
  const { failAt, unstableAt, notBuiltAt, failureLog = [] } = build.script;
  if (failAt === stage.name || unstableAt === stage.name || notBuiltAt === stage.name) {
    for (const line of failureLog) log(build, line);
  }
  if (failAt === stage.name) {
    stage.status = 'FAILED';
    log(build, `ERROR: stage ${stage.name} failed`);
    finish(build, 'FAILURE', end);
    return true;
  }
  stage.status = unstableAt === stage.name ? 'UNSTABLE' : 'SUCCESS';
  if (notBuiltAt === stage.name) {
    log(build, `Stage ${stage.name} set the build result to NOT_BUILT; the later stages are skipped`);
    finish(build, 'NOT_BUILT', end);
  }
  return true;
}

/** The build's status as wfapi/describe reports it (NOT_EXECUTED also before its execution exists). */
export function wfapiStatus(build: EmulatedBuild, now: number): string {
  if (build.result === null && now < build.startedAt + (build.script.startupMs ?? 0)) return 'NOT_EXECUTED';
  if (build.result === null) return build.pendingInput ? 'PAUSED_PENDING_INPUT' : 'IN_PROGRESS';
  return {
    SUCCESS: 'SUCCESS',
    FAILURE: 'FAILED',
    UNSTABLE: 'UNSTABLE',
    ABORTED: 'ABORTED',
    NOT_BUILT: 'NOT_EXECUTED',
  }[build.result];
}
