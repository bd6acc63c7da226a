/**
 * One-shot ECS services (seed 000's "deployment" service): scaled 0 -> 1, the service starts one task, which writes
 * its log to CloudWatch Logs line by line and stops with an exit code. A task that exits 0 scales its own service back
 * to 0; one that fails (after logging its own rollback) leaves the desired count at 1, so ECS starts it again, as a
 * real service does, until someone sets the count to 0.
 */
import type { LogsState } from './logs-state.js';
import type { ServiceRecord } from './ecs-types.js';
import type { JsonObject } from './wire.js';
import { epochSeconds } from './wire.js';

/** What the next run of a one-shot service does. */
export interface RunOnceScript {
  /** Lines the task logs, one per step. */
  lines: string[];
  /** The container's exit code. @defaultValue 0 */
  exitCode?: number;
  /** Milliseconds per line. @defaultValue the emulator's stepMs */
  stepMs?: number;
}

/** How a one-shot service logs. */
export interface RunOnceSeed {
  logGroup: string;
  container: string;
}

interface RunOnceTask {
  arn: string;
  service: ServiceRecord;
  taskDefinition: string;
  createdAt: number;
  script: RunOnceScript;
  written: number;
  stoppedAt?: number;
  /** Set when ECS stopped the task (scaled to 0) before it exited by itself. */
  stopped?: { exitCode: number; reason: string };
}

/** The one-shot services of an emulated account and their tasks, oldest first. */
export class RunOnceTasks {
  readonly tasks: RunOnceTask[] = [];
  private readonly seeds = new Map<string, RunOnceSeed>();
  private readonly scripts = new Map<string, RunOnceScript[]>();
  private sequence = 0;

  constructor(
    private readonly logs: LogsState,
    private readonly clock: () => number,
    private readonly region: string,
    private readonly account: string,
    private readonly stepMs: number,
  ) {}

  /** Makes `cluster/service` a one-shot service that logs to `seed.logGroup`. */
  configure(cluster: string, service: string, seed: RunOnceSeed): void {
    this.seeds.set(`${cluster}/${service}`, seed);
    this.logs.createGroup(seed.logGroup);
  }

  /** The next run of `cluster/service` follows `script` (default: three lines, exit 0). */
  scriptNextRun(cluster: string, service: string, script: RunOnceScript): void {
    const key = `${cluster}/${service}`;
    this.scripts.set(key, [...(this.scripts.get(key) ?? []), script]);
  }

  /** Whether a service is one-shot. */
  handles(service: ServiceRecord): boolean {
    return this.seeds.has(`${service.cluster}/${service.name}`);
  }

  /** After a desired-count change: starts a task when one is wanted and none runs, stops it at 0 (SIGTERM). */
  scaled(service: ServiceRecord): void {
    if (!this.handles(service)) return;
    this.advance(service);
    const running = this.running(service);
    if (service.desiredCount >= 1 && !running) this.start(service, this.clock());
    if (service.desiredCount < 1 && running) {
      running.stopped = { exitCode: 143, reason: 'Scaling activity initiated by (deployment ecs-svc)' };
      this.stop(service, running, this.clock());
    }
  }

  /** Brings the service's tasks up to the clock: lines written, tasks stopped, failed runs restarted. */
  advance(service: ServiceRecord): void {
    const seed = this.seeds.get(`${service.cluster}/${service.name}`);
    if (!seed) return;
    for (let guard = 0; guard < 1000; guard += 1) {
      const task = this.running(service);
      if (!task) return;
      const stepMs = task.script.stepMs ?? this.stepMs;
      const due = Math.floor((this.clock() - task.createdAt) / stepMs);
      while (task.written < Math.min(due, task.script.lines.length)) {
        const at = task.createdAt + (task.written + 1) * stepMs;
        this.logs.put(seed.logGroup, streamOf(seed, task), [task.script.lines[task.written] ?? ''], at);
        task.written += 1;
      }
      if (due <= task.script.lines.length) return;
      this.stop(service, task, task.createdAt + (task.script.lines.length + 1) * stepMs);
      if (service.desiredCount < 1 || task.stoppedAt === undefined) return;
      // A failed run leaves the service at 1 desired: ECS replaces the stopped task.
      this.start(service, task.stoppedAt);
    }
  }

  /** ListTasks/DescribeTasks task objects of the service with this desired status. */
  describe(service: ServiceRecord, desiredStatus: string): JsonObject[] {
    const seed = this.seeds.get(`${service.cluster}/${service.name}`);
    return this.tasks
      .filter((t) => t.service === service)
      .filter((t) => (desiredStatus === 'STOPPED') === (t.stoppedAt !== undefined))
      .map((t) => this.taskObject(t, seed?.container ?? 'app'));
  }

  private running(service: ServiceRecord): RunOnceTask | undefined {
    return this.tasks.find((t) => t.service === service && t.stoppedAt === undefined);
  }

  private start(service: ServiceRecord, at: number): void {
    this.sequence += 1;
    const key = `${service.cluster}/${service.name}`;
    const script = this.scripts.get(key)?.shift() ?? { lines: ['Deployment started', 'Deployment finished'] };
    this.tasks.push({
      arn: `arn:aws:ecs:${this.region}:${this.account}:task/${service.cluster}/${(0xa000 + this.sequence).toString(16)}0f1e2d3c4b5a69788796a5b4c3d2e1`,
      service,
      taskDefinition: service.taskDefinition,
      createdAt: at,
      script,
      written: 0,
    });
    this.setRunning(service, 1);
  }

  private stop(service: ServiceRecord, task: RunOnceTask, at: number): void {
    task.stoppedAt = at;
    this.setRunning(service, 0);
    // The deployment service scales itself back to 0 when it succeeded (seed 000).
    if (!task.stopped && (task.script.exitCode ?? 0) === 0) {
      service.desiredCount = 0;
      for (const d of service.deployments) d.desiredCount = 0;
    }
  }

  private setRunning(service: ServiceRecord, count: number): void {
    for (const d of service.deployments.filter((d) => d.status === 'PRIMARY')) {
      d.runningCount = count;
      d.pendingCount = 0;
    }
  }

  private taskObject(t: RunOnceTask, container: string): JsonObject {
    const stopped = t.stoppedAt !== undefined;
    const exitCode = t.stopped?.exitCode ?? t.script.exitCode ?? 0;
    return {
      taskArn: t.arn,
      clusterArn: `arn:aws:ecs:${this.region}:${this.account}:cluster/${t.service.cluster}`,
      taskDefinitionArn: t.taskDefinition,
      group: `service:${t.service.name}`,
      lastStatus: stopped ? 'STOPPED' : 'RUNNING',
      desiredStatus: stopped ? 'STOPPED' : 'RUNNING',
      createdAt: epochSeconds(t.createdAt),
      startedAt: epochSeconds(t.createdAt),
      startedBy: t.service.deployments[0]?.id ?? 'ecs-svc',
      launchType: 'FARGATE',
      containers: [
        {
          name: container,
          lastStatus: stopped ? 'STOPPED' : 'RUNNING',
          ...(stopped ? { exitCode } : {}),
        },
      ],
      ...(stopped
        ? {
            stoppedAt: epochSeconds(t.stoppedAt ?? 0),
            stopCode: t.stopped ? 'ServiceSchedulerInitiated' : 'EssentialContainerExited',
            stoppedReason: t.stopped?.reason ?? 'Essential container in task exited',
          }
        : {}),
    };
  }
}

/** The awslogs driver's stream name: prefix/container/task id. */
function streamOf(seed: RunOnceSeed, task: RunOnceTask): string {
  return `ecs/${seed.container}/${task.arn.split('/').pop() ?? ''}`;
}
