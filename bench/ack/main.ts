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
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, startPrivateRedis } from '../../dev/private-redis.js';
import type { SlackEmulator } from '../../test/emulators/slack/index.js';
import { clickButton, sendSlashCommand, startSlackEmulator } from '../../test/emulators/slack/index.js';
import type { RunFigures } from './load.js';
import { runOpenLoop } from './load.js';

const SECRET = 'bench-signing-secret-7c1d';
const RATES = [50, 200];
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROOT = join(__dirname, '..', '..');
const KINDS = ['help', 'status', 'plan', 'approve'] as const;
type Kind = (typeof KINDS)[number];

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
  const proc = spawn(command, args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  await new Promise<void>((resolve, reject) => {
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

async function startBotProcesses(slack: SlackEmulator, redisUrl: string) {
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
  const worker = await child('node', ['dist/main.js'], env('worker', workerPort), () => true);
  await waitReady(workerPort);
  const web = await child('node', ['dist/main.js'], env('web', webPort), () => true);
  await waitReady(webPort);
  return { url: `http://127.0.0.1:${webPort}/slack/events`, procs: [web.proc, worker.proc] };
}

/** The request of `kind` number `i`, signed as Slack signs it. */
function requestOf(kind: Kind, target: Target, slack: SlackEmulator, notices: string[]) {
  return (i: number) => {
    const opts = { emulator: slack };
    const command = (text: string) =>
      sendSlashCommand(target.url, SECRET, { text, user_id: 'U0PRIYA', channel_id: 'C0INC4211' }, opts);
    switch (kind) {
      case 'help':
        return command('help');
      case 'status':
        return command('status');
      case 'plan':
        return command(
          `plan runbook-drill@24-02-05.${target.name === 'bot' ? 1 : 2}${i}-hotfix.${i} acme staging`,
        );
      case 'approve': {
        const ts = notices[i % notices.length] ?? '';
        return clickButton(
          target.url,
          SECRET,
          { user: 'U0BOB', channel: 'C0CHANGECTL', ts, action_id: 'hotfix_approve' },
          opts,
        );
      }
    }
  };
}

async function main(): Promise<void> {
  const redis = await startPrivateRedis();
  const slack = await startSlackEmulator();
  const procs: ChildProcess[] = [];
  try {
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
    let notices: string[] = [];
    for (const kind of KINDS) {
      if (kind === 'approve') notices = await noticesToApprove(slack);
      for (const rate of RATES) {
        for (const target of targets) {
          // A short warm-up at the same rate, not measured.
          await runOpenLoop(rate, 1, requestOf(kind, { ...target, name: target.name }, slack, notices));
          const figures = await runOpenLoop(rate, SECONDS, requestOf(kind, target, slack, notices));
          (results[`${kind}@${rate}`] ??= {})[target.name] = figures;
        }
      }
    }
    report(results);
  } finally {
    for (const proc of procs) proc.kill('SIGTERM');
    await slack.close();
    await redis.stop();
  }
}

/** The notices of hotfixes the plan runs created, waiting for approval: one distinct notice per click. */
async function noticesToApprove(slack: SlackEmulator): Promise<string[]> {
  const deadline = Date.now() + 120_000;
  let last = -1;
  for (;;) {
    const count = slack.messages('C0CHANGECTL').length;
    // The worker announces every plan; wait until it has stopped posting.
    if (count === last || Date.now() > deadline) break;
    last = count;
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
  return slack
    .messages('C0CHANGECTL')
    .filter((m) => JSON.stringify(m.blocks ?? []).includes('hotfix_approve'))
    .map((m) => m.ts);
}

function report(results: Record<string, Record<string, RunFigures>>): void {
  const rows: string[] = ['kind@rate        target  p50 ms  p99 ms  max ms  non-200  p99 vs bare'];
  const verdicts: string[] = [];
  for (const [key, byTarget] of Object.entries(results)) {
    const bare = byTarget.bare;
    for (const [name, f] of Object.entries(byTarget)) {
      const ratio = bare && name === 'bot' ? `${(f.p99 / Math.max(bare.p99, 0.001)).toFixed(2)}x` : '';
      rows.push(
        `${key.padEnd(16)} ${name.padEnd(6)} ${f.p50.toFixed(1).padStart(7)} ${f.p99.toFixed(1).padStart(7)} ${f.max.toFixed(1).padStart(7)} ${String(f.non200).padStart(8)}  ${ratio}`,
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
