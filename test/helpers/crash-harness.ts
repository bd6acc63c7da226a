/**
 * Test helper for crash tests: the web and worker roles as real child processes (test/helpers/bot-process.ts) on one
 * Redis database, all calling the in-test Slack emulator over HTTP, and a SIGKILL on a worker at a chosen Slack call
 * (or at a hook of another emulator, such as a Jenkins request).
 * Nothing outlives the test: stop() escalates to SIGKILL, an 'exit' handler kills leftovers, and a child whose
 * parent died exits by itself.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { Socket } from 'node:net';
import { createInterface } from 'node:readline';
import type { Hotfix } from '../../src/domain/hotfix.js';
import type { HotfixStore } from '../../src/ports/hotfix-store.js';
import type { ObservedCall, SlackEmulator } from '../emulators/slack/index.js';
import { CALLER_PRODUCT } from './bot-process.js';
import { testEnv } from './test-bot.js';
import { freshDatabase } from './redis.js';

const ROOT = join(__dirname, '..', '..');
const ENTRY = join(__dirname, 'bot-process.ts');
/** `node --require tsx/cjs` runs the entry in one process; the tsx CLI adds a parent a SIGKILL would orphan. */
const TSX_CJS = require.resolve('tsx/cjs');
const READY_TIMEOUT_MS = 20_000;
const STOP_GRACE_MS = 3000;
const KEPT_LINES = 500;

/** How a child process ended. */
export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** One bot child process. */
export interface ChildHandle {
  readonly role: 'web' | 'worker';
  readonly pid: number;
  /** The port from its READY line: the web role's Slack endpoint, a worker's health server. */
  readonly port: number;
  /** Settles once the process has exited. */
  readonly exited: Promise<ChildExit>;
  /** False once it has exited. */
  readonly running: boolean;
  /** Its last output lines, oldest first. */
  readonly stdout: readonly string[];
  readonly stderr: readonly string[];
  /** Its last `lines` lines of stdout and stderr, labelled, for failure reports. */
  tail(lines?: number): string;
}

/** What to start. */
export interface ClusterOptions {
  /** The Redis database, emptied first; one no other test file uses. */
  db: number;
  slack: SlackEmulator;
  /** Added to every child's environment (LOG_LEVEL defaults to info: output is only kept, not printed). */
  env?: Record<string, string>;
  /** @defaultValue 1 */
  workers?: number;
  /** @defaultValue true */
  web?: boolean;
}

/** A kill armed on a Slack call. */
export interface KillTrigger {
  /** The worker that was killed, once it has exited. */
  readonly killed: Promise<ChildHandle>;
  /** Disarms the trigger if it has not fired. */
  cancel(): void;
}

/** Running bot processes and the crash controls. */
export interface Cluster {
  /** `http://127.0.0.1:<web port>/slack/events`; throws when started without web. */
  readonly eventsUrl: string;
  readonly webPort: number;
  readonly redisUrl: string;
  readonly web: ChildHandle | undefined;
  /** Every worker started, including dead ones, oldest first. */
  readonly workers: readonly ChildHandle[];
  /** Starts one more worker; resolves once it is ready. */
  startWorker(): Promise<ChildHandle>;
  /** Signals a worker and waits for it to exit. */
  killWorker(handle: ChildHandle, signal?: NodeJS.Signals): Promise<ChildExit>;
  /**
   * Kills a worker when Slack sees a matching call from it: `worker` a given one, or 'caller' whichever made the call.
   * 'before': while Slack holds the call (it never lands); 'after': once Slack carried it out, before the worker
   * hears back (it landed, and the worker cannot have recorded it).
   */
  killOnCall(
    predicate: (call: ObservedCall) => boolean,
    worker: ChildHandle | 'caller',
    when?: 'before' | 'after',
  ): KillTrigger;
  /**
   * Kills the one running worker when a hook `arm` registers fires: for emulators whose requests do not say which
   * process sent them (Jenkins). `arm` gets the kill action and returns the hook's unsubscribe function, e.g.
   * `(kill) => jenkins.onRequest(predicate, kill, { when: 'after' })`. Fails the action if more than one is running.
   */
  killOnHook(arm: (kill: () => Promise<void>) => () => void): KillTrigger;
  /** The last lines of every child's output. */
  logs(lines?: number): string;
  /** SIGTERM to every child, SIGKILL to any still running after 3 s; safe to call twice. */
  stop(): Promise<void>;
}

const live = new Set<ChildProcess>();
// A test that never reached its stop() must not leave bots consuming jobs from its Redis database.
process.on('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

function keepLines(stream: NodeJS.ReadableStream, into: string[], onLine?: (line: string) => void): void {
  createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => {
    into.push(line);
    if (into.length > KEPT_LINES) into.shift();
    onLine?.(line);
  });
}

/** Spawns one bot process and resolves once it printed READY; rejects (after killing it) if it never does. */
async function spawnBot(role: ChildHandle['role'], env: NodeJS.ProcessEnv): Promise<ChildHandle> {
  const child = spawn(process.execPath, ['--require', TSX_CJS, ENTRY], {
    cwd: ROOT,
    env: { ...env, HOTFIX_ROLE: role },
    // The IPC channel is how a child notices that its parent died.
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  live.add(child);
  // Unreferenced: a test that forgets stop() lets its process exit, and the exit hook then kills the child.
  child.unref();
  for (const stream of [child.stdout, child.stderr]) (stream as Socket | null)?.unref();
  child.channel?.unref();
  const stdout: string[] = [];
  const stderr: string[] = [];
  let running = true;
  const exited = new Promise<ChildExit>((resolve) => {
    child.once('exit', (code, signal) => {
      running = false;
      live.delete(child);
      resolve({ code, signal });
    });
  });
  let port = 0;
  const ready = new Promise<number>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no READY within ${READY_TIMEOUT_MS} ms`)),
      READY_TIMEOUT_MS,
    );
    keepLines(child.stdout!, stdout, (line) => {
      const match = /^READY (\d+)$/.exec(line);
      if (!match) return;
      clearTimeout(timer);
      resolve(Number(match[1]));
    });
    keepLines(child.stderr!, stderr);
    child.once('error', reject);
    void exited.then((how) => {
      clearTimeout(timer);
      reject(new Error(`exited before READY (${how.signal ?? `code ${how.code}`})`));
    });
  });
  const handle: ChildHandle = {
    role,
    get pid() {
      return child.pid ?? -1;
    },
    get port() {
      return port;
    },
    exited,
    get running() {
      return running;
    },
    stdout,
    stderr,
    tail(lines = 30) {
      const label = `${role} pid ${child.pid ?? '?'}${running ? '' : ' (exited)'}`;
      const out = stdout.slice(-lines).map((l) => `  out| ${l}`);
      const err = stderr.slice(-lines).map((l) => `  err| ${l}`);
      return [`--- ${label}`, ...out, ...err].join('\n');
    },
  };
  try {
    port = await ready;
  } catch (error) {
    child.kill('SIGKILL');
    await exited;
    const why = error instanceof Error ? error.message : String(error);
    throw new Error(`bot ${role} process did not start: ${why}\n${handle.tail()}`, { cause: error });
  }
  return handle;
}

/** Sends a signal, ignoring a process that exited a moment ago. */
function signalPid(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

/** Signals a child and waits for it to exit; escalates to SIGKILL after `graceMs`. */
async function terminate(handle: ChildHandle, signal: NodeJS.Signals, graceMs: number): Promise<ChildExit> {
  if (!handle.running) return handle.exited;
  signalPid(handle.pid, signal);
  const timer = setTimeout(() => {
    if (handle.running) signalPid(handle.pid, 'SIGKILL');
  }, graceMs);
  try {
    return await handle.exited;
  } finally {
    clearTimeout(timer);
  }
}

/** The pid an emulated call came from, from the user-agent product every bot process adds. */
function callerPid(call: ObservedCall): number | undefined {
  const agent = call.headers['user-agent'] ?? '';
  const match = new RegExp(`${CALLER_PRODUCT}/(\\d+)`).exec(agent);
  return match ? Number(match[1]) : undefined;
}

/** Empties Redis database `db`, starts the web process and the workers, and resolves once all are ready. */
export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  const { slack } = options;
  const redisUrl = await freshDatabase(options.db);
  // Only what node and tsx need from this process: the bot sees a test environment, as in startTestBot.
  const inherited = ['PATH', 'HOME', 'TMPDIR'].filter((name) => process.env[name] !== undefined);
  const env: NodeJS.ProcessEnv = {
    ...Object.fromEntries(inherited.map((name) => [name, process.env[name]])),
    ...testEnv(slack, redisUrl, { LOG_LEVEL: 'info', ...options.env }),
    HOTFIX_TEST_BOT_ID: slack.bot.botId,
    HOTFIX_TEST_BOT_USER_ID: slack.bot.userId,
  };
  const all: ChildHandle[] = [];
  const workers: ChildHandle[] = [];
  const disarms = new Set<() => void>();
  let web: ChildHandle | undefined;
  let stopped: Promise<void> | undefined;

  const startWorker = async () => {
    if (stopped) throw new Error('crash harness: startWorker after stop()');
    const worker = await spawnBot('worker', env);
    all.push(worker);
    workers.push(worker);
    return worker;
  };
  const webOrThrow = () => {
    if (!web) throw new Error('crash harness: this cluster was started without a web process');
    return web;
  };

  const cluster: Cluster = {
    get eventsUrl() {
      return `http://127.0.0.1:${webOrThrow().port}/slack/events`;
    },
    get webPort() {
      return webOrThrow().port;
    },
    redisUrl,
    get web() {
      return web;
    },
    workers,
    startWorker,
    killWorker: (handle, signal = 'SIGKILL') => terminate(handle, signal, STOP_GRACE_MS),
    killOnCall(predicate, worker, when = 'before') {
      let target: ChildHandle | undefined;
      let fired: (killed: ChildHandle) => void = () => undefined;
      const killed = new Promise<ChildHandle>((resolve) => (fired = resolve));
      const disarm = slack.onCall(
        (call) => {
          if (!predicate(call)) return false;
          const pid = callerPid(call);
          const from = workers.find((w) => w.running && w.pid === pid);
          if (!from || (worker !== 'caller' && from !== worker)) return false;
          // A once-hook: the predicate says yes at most once, right before its action runs.
          target = from;
          return true;
        },
        async () => {
          if (!target) return;
          await terminate(target, 'SIGKILL', STOP_GRACE_MS);
          fired(target);
        },
        { once: true, when },
      );
      disarms.add(disarm);
      return { killed, cancel: disarm };
    },
    killOnHook(arm) {
      let fired: (killed: ChildHandle) => void = () => undefined;
      const killed = new Promise<ChildHandle>((resolve) => (fired = resolve));
      const disarm = arm(async () => {
        const running = workers.filter((w) => w.running);
        const [target] = running;
        if (running.length !== 1 || !target)
          throw new Error(`crash harness: ${running.length} workers running; a hook kill needs exactly one`);
        await terminate(target, 'SIGKILL', STOP_GRACE_MS);
        fired(target);
      });
      disarms.add(disarm);
      return { killed, cancel: disarm };
    },
    logs: (lines) => all.map((child) => child.tail(lines)).join('\n'),
    stop() {
      stopped ??= (async () => {
        for (const disarm of disarms) disarm();
        await Promise.all(all.map((child) => terminate(child, 'SIGTERM', STOP_GRACE_MS)));
      })();
      return stopped;
    },
  };

  try {
    const starting: Promise<unknown>[] = [];
    if (options.web ?? true) starting.push(spawnBot('web', env).then((handle) => all.push((web = handle))));
    for (let i = 0; i < (options.workers ?? 1); i += 1) starting.push(startWorker());
    // allSettled: every child that did start is known to stop() below.
    const results = await Promise.allSettled(starting);
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  } catch (error) {
    await cluster.stop();
    throw error;
  }
  return cluster;
}

/** Runs `body` with a started cluster and always stops it; a failure carries the children's last output lines. */
export async function withCluster<T>(
  options: ClusterOptions,
  body: (cluster: Cluster) => Promise<T>,
): Promise<T> {
  const cluster = await startCluster(options);
  try {
    return await body(cluster);
  } catch (error) {
    if (error instanceof Error) error.message += `\n\nBot processes, last output lines:\n${cluster.logs(20)}`;
    throw error;
  } finally {
    await cluster.stop();
  }
}

/** Polls the store until the record satisfies `ready`; fails naming the state and refs it last saw. */
export async function until(
  store: Pick<HotfixStore, 'load'>,
  ulid: string,
  ready: (h: Hotfix) => boolean,
  ms = 25_000,
): Promise<Hotfix> {
  const deadline = Date.now() + ms;
  for (;;) {
    const h = await store.load(ulid);
    if (h && ready(h)) return h;
    if (Date.now() > deadline)
      throw new Error(`not reached within ${ms} ms: ${h?.state} ${JSON.stringify(h?.refs)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Waits for a kill, failing with the crash point's name instead of the test's timeout. */
export async function killed(trigger: { killed: Promise<unknown> }, what: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no worker was killed at ${what} within 20 s`)), 20_000);
  });
  try {
    await Promise.race([trigger.killed, late]);
  } finally {
    clearTimeout(timer);
  }
}
