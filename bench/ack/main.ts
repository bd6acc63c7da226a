/**
 * `npm run bench:ack`: how fast Slack gets its answer. Signed `/hotfix help`, `/hotfix status`, `/hotfix plan` (a
 * distinct tag each) and Approve clicks at 50 and 200 requests/s, sent open-loop to the built bot (web role, with the
 * worker role in its own process) and, in the same run, to a bare Bolt app that only acks. Prints p50 / p99 / max,
 * the count of non-200 answers and the ratio to the bare app per kind and rate, and writes them as JSON.
 *
 * Budget (DESIGN.md section 6): p99 under 50 ms at 200/s for every kind; help and status at most max(1.3x, +5 ms) of
 * the bare app.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, startPrivateRedis } from '../../dev/private-redis.js';
import { WebClient } from '@slack/web-api';
import { sendBlockAction, sendSlashCommand } from '../../test/emulators/slack/index.js';
import type { RunFigures } from './load.js';
import { runOpenLoop } from './load.js';
import { startCapture } from './capture.js';

const SECRET = 'bench-signing-secret-7c1d';
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROOT = join(__dirname, '..', '..');
const ALL_KINDS = ['help', 'status', 'plan', 'approve'] as const;
type Kind = (typeof ALL_KINDS)[number];
/** `BENCH_KINDS=plan,approve` measures only those (approve needs plan before it). */
const KINDS = ALL_KINDS.filter((k) =>
  (process.env.BENCH_KINDS ?? ALL_KINDS.join(',')).split(',').includes(k),
);
const RATES = (process.env.BENCH_RATES ?? '50,200').split(',').map(Number);
let planned = 0;

interface Target {
  name: 'bot' | 'bare';
  url: string;
}

/** Starts a child process and resolves once `ready()` says so. */
async function child(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  ready: (out: string) => boolean,
) {
  // Its own process group, so stopping it also stops what it started (npx -> tsx -> node).
  const proc = spawn(command, args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'ignore'],
    detached: true,
  });
  let out = '';
  await new Promise<void>((resolve, reject) => {
    if (ready('')) return resolve();
    proc.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (ready(out)) resolve();
    });
    proc.once('exit', (code) => reject(new Error(`${args.join(' ')} exited with ${code}:\n${out}`)));
  });
  return { proc, out: () => out };
}

async function waitReady(port: number): Promise<void> {
  for (let i = 0; i < 300; i++) {
    const ok = await fetch(`http://127.0.0.1:${port}/readyz`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`nothing ready on port ${port}`);
}

/** Where the Slack emulator answers, and its bot token. */
interface Slack {
  apiUrl: string;
  token: string;
}

async function startBotProcesses(slack: Slack, redisUrl: string) {
  const env = (role: string, port: number) => ({
    HOTFIX_ROLE: role,
    SLACK_BOT_TOKEN: slack.token,
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: slack.apiUrl,
    REDIS_URL: redisUrl,
    PORT: String(port),
    LOG_LEVEL: 'error',
  });
  const webPort = await freePort();
  const workerPort = await freePort();
  // BENCH_WORKER_NODE_OPTIONS=--cpu-prof profiles the worker the same way.
  const workerFlags = (process.env.BENCH_WORKER_NODE_OPTIONS ?? '').split(' ').filter(Boolean);
  const worker = await child('node', [...workerFlags, 'dist/main.js'], env('worker', workerPort), () => true);
  await waitReady(workerPort);
  // BENCH_WEB_NODE_OPTIONS=--cpu-prof profiles the web process (the profile lands in the working directory).
  const webFlags = (process.env.BENCH_WEB_NODE_OPTIONS ?? '').split(' ').filter(Boolean);
  // BENCH_WEB_CPU=0 pins the web process to that CPU (taskset); run the bench itself under `taskset -c 1` to keep the
  // worker, Redis, the emulator and the load generator off it, as separate machines would in production.
  const pin = process.env.BENCH_WEB_CPU;
  const node = ['node', ...webFlags, 'dist/main.js'];
  const [command, ...args] = pin === undefined ? node : ['taskset', '-c', pin, ...node];
  const web = await child(command ?? 'node', args, env('web', webPort), () => true);
  await waitReady(webPort);
  return {
    url: `http://127.0.0.1:${webPort}/slack/events`,
    procs: [web.proc, worker.proc],
    webPid: web.proc.pid,
    workerPid: worker.proc.pid,
  };
}

/** The request of `kind` number `i`, signed as Slack signs it, sent to `url` (the capture server). */
function requestOf(kind: Kind, url: string, target: Target['name'], notices: Notice[]) {
  return (i: number) => {
    const opts = {};
    const command = (text: string) =>
      sendSlashCommand(url, SECRET, { text, user_id: 'U0PRIYA', channel_id: 'C0INC4211' }, opts);
    switch (kind) {
      case 'help':
        return command('help');
      case 'status':
        return command('status');
      case 'plan':
        // A tag no earlier plan used, so every plan is new work for the bot.
        planned += 1;
        return command(
          `plan runbook-drill@24-02-05.${planned}-hotfix.${target === 'bot' ? 1 : 2} acme staging`,
        );
      case 'approve': {
        // The button as it was first posted: a click on an already-approved hotfix is answered (refused) too.
        const notice = notices[i % notices.length];
        if (!notice) throw new Error('no notices to approve');
        const action = { action_id: 'hotfix_approve', value: notice.value };
        return sendBlockAction(
          url,
          SECRET,
          { user: 'U0BOB', channel: 'C0CHANGECTL', message: { ts: notice.ts }, actions: [action] },
          opts,
        );
      }
    }
  };
}

async function main(): Promise<void> {
  const redis = await startPrivateRedis();
  const procs: ChildProcess[] = [];
  const capture = await startCapture();
  try {
    const emulator = await child('npx', ['tsx', 'bench/ack/slack.ts'], {}, (o) => /READY \S+ \S+/.test(o));
    procs.push(emulator.proc);
    const [, apiUrl = '', token = ''] = /READY (\S+) (\S+)/.exec(emulator.out()) ?? [];
    const slack: Slack = { apiUrl, token };
    const bot = await startBotProcesses(slack, redis.url);
    procs.push(...bot.procs);
    const bare = await child(
      'npx',
      ['tsx', 'bench/ack/bare-bolt.ts'],
      { BENCH_SIGNING_SECRET: SECRET },
      (o) => /READY \d+/.test(o),
    );
    procs.push(bare.proc);
    const barePort = /READY (\d+)/.exec(bare.out())?.[1];
    const targets: Target[] = [
      { name: 'bare', url: `http://127.0.0.1:${barePort}/slack/events` },
      { name: 'bot', url: bot.url },
    ];
    const results: Record<string, Record<string, RunFigures>> = {};
    let notices: Notice[] = [];
    for (const kind of KINDS) {
      if (kind === 'approve') notices = await noticesToApprove(slack);
      for (const rate of RATES) {
        for (const target of targets) {
          // Built and signed beforehand; a one-second warm-up at the same rate is not measured.
          const make = requestOf(kind, capture.url, target.name, notices);
          for (let i = 0; i < rate * (SECONDS + 1); i++) await make(i);
          const requests = capture.take();
          await runOpenLoop(target.url, rate, requests.slice(0, rate));
          const cpuBefore = target.name === 'bot' ? cpuMs(bot.webPid) : undefined;
          const workerBefore = target.name === 'bot' ? cpuMs(bot.workerPid) : undefined;
          const figures = await runOpenLoop(target.url, rate, requests.slice(rate));
          if (cpuBefore !== undefined) {
            // The web's work after each ack (enqueues, logging) ends shortly after the last answer.
            await new Promise((resolve) => setTimeout(resolve, 500));
            const spent = (cpuMs(bot.webPid) ?? cpuBefore) - cpuBefore;
            figures.webCpuMsPerRequest = spent / Math.max(figures.sent, 1);
            // The worker's share of the same cores during the run (it may still be announcing the plans after it).
            const worker = (cpuMs(bot.workerPid) ?? 0) - (workerBefore ?? 0);
            figures.workerCpuMsPerRequest = worker / Math.max(figures.sent, 1);
          }
          (results[`${kind}@${rate}`] ??= {})[target.name] = figures;
        }
      }
    }
    report(results);
  } finally {
    await Promise.all(procs.map(stop));
    await capture.close();
    await redis.stop();
  }
}

/**
 * CPU time a process has used so far (user + system), from /proc: it counts what the web itself spends per request,
 * whatever else shares the machine. Undefined where there is no /proc (macOS).
 */
function cpuMs(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    // Fields after the parenthesised command name; utime and stime are the 12th and 13th of them, in clock ticks.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? ticks * TICK_MS : undefined;
  } catch {
    return undefined;
  }
}

/** Linux's USER_HZ is 100 on every architecture Node runs on. */
const TICK_MS = 10;

/** A change-control notice and its Approve button's value. */
interface Notice {
  ts: string;
  value: string;
}

/** Stops a child's whole process group: SIGTERM, then SIGKILL after 3 s. */
async function stop(proc: ChildProcess): Promise<void> {
  if (proc.pid === undefined || proc.exitCode !== null) return;
  const group = -proc.pid;
  const exited = new Promise((resolve) => proc.once('exit', resolve));
  process.kill(group, 'SIGTERM');
  await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 3000))]);
  try {
    process.kill(group, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

/** The notices of hotfixes the plan runs created, waiting for approval: one distinct notice per click. */
async function noticesToApprove(slack: Slack): Promise<Notice[]> {
  const client = new WebClient(slack.token, { slackApiUrl: slack.apiUrl });
  const read = async () => {
    const found: Notice[] = [];
    let cursor: string | undefined;
    do {
      const page = await client.conversations.history({
        channel: 'C0CHANGECTL',
        limit: 999,
        ...(cursor ? { cursor } : {}),
      });
      for (const m of page.messages ?? []) {
        const value = approveValue(m.blocks);
        if (value && m.ts) found.push({ ts: m.ts, value });
      }
      cursor = page.response_metadata?.next_cursor || undefined;
    } while (cursor);
    return found;
  };
  // The worker announces every plan; wait until it has stopped posting.
  const deadline = Date.now() + 120_000;
  let notices = await read();
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const again = await read();
    if (again.length === notices.length || Date.now() > deadline) return again;
    notices = again;
  }
}

/** The value of the Approve button somewhere in a message's blocks. */
function approveValue(node: unknown): string | undefined {
  if (Array.isArray(node)) {
    for (const child of node) {
      const found = approveValue(child);
      if (found) return found;
    }
    return undefined;
  }
  if (typeof node !== 'object' || node === null) return undefined;
  const record = node as Record<string, unknown>;
  if (record.action_id === 'hotfix_approve' && typeof record.value === 'string') return record.value;
  for (const child of Object.values(record)) {
    const found = approveValue(child);
    if (found) return found;
  }
  return undefined;
}

function report(results: Record<string, Record<string, RunFigures>>): void {
  const rows: string[] = [
    'kind@rate        target  p50 ms  p99 ms  max ms  non-200  p99 vs bare  CPU ms/request: web  worker',
  ];
  const verdicts: string[] = [];
  for (const [key, byTarget] of Object.entries(results)) {
    const bare = byTarget.bare;
    for (const [name, f] of Object.entries(byTarget)) {
      const ratio = bare && name === 'bot' ? `${(f.p99 / Math.max(bare.p99, 0.001)).toFixed(2)}x` : '';
      rows.push(
        `${key.padEnd(16)} ${name.padEnd(6)} ${f.p50.toFixed(1).padStart(7)} ${f.p99.toFixed(1).padStart(7)} ${f.max.toFixed(1).padStart(7)} ${String(f.non200).padStart(8)}  ${ratio.padEnd(11)}  ${f.webCpuMsPerRequest?.toFixed(2).padStart(19) ?? ''}  ${f.workerCpuMsPerRequest?.toFixed(2).padStart(6) ?? ''}`,
      );
    }
    const bot = byTarget.bot;
    if (bot && key.endsWith('@200'))
      verdicts.push(
        `${key}: p99 ${bot.p99.toFixed(1)} ms ${bot.p99 < 50 ? 'within' : 'OVER'} the 50 ms budget`,
      );
    if (bot && bare && /^(help|status)@/.test(key)) {
      const allowed = Math.max(bare.p99 * 1.3, bare.p99 + 5);
      verdicts.push(
        `${key}: p99 ${bot.p99.toFixed(1)} ms vs allowed ${allowed.toFixed(1)} ms (bare ${bare.p99.toFixed(1)} ms) ${bot.p99 <= allowed ? 'within' : 'OVER'}`,
      );
    }
  }
  console.log(rows.join('\n'));
  console.log(`\n${verdicts.join('\n')}`);
  const file = join(ROOT, 'bench', 'ack', 'results.json');
  writeFileSync(file, JSON.stringify({ at: new Date().toISOString(), seconds: SECONDS, results }, null, 2));
  console.log(`\nwritten to ${file}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
