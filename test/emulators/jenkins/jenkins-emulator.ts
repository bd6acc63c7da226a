/**
 * A local Jenkins: a node:http server on 127.0.0.1 speaking the REST API as the `jenkins` client and the bot call
 * it, holding jobs with declared parameters, a queue and scripted pipeline builds, recording every call, and failing
 * on demand. Point the client at `emulator.url`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

import {
  authenticate,
  CRUMB_FIELD,
  crumbFor,
  Faults,
  readForm,
  recordOf,
  send,
  type Request,
} from './http.js';
import { CallHooks, HANG_UP_GRACE_MS, watchHangUp, type HookOptions } from '../http-kit/hooks.js';
import { route } from './routes.js';
import { JenkinsState, LEFT_ITEM_RETENTION_MS } from './state.js';
import type {
  BuildResult,
  BuildScript,
  EmulatedBuild,
  Fault,
  JenkinsUser,
  JobSpec,
  QueueItem,
  RecordedCall,
} from './types.js';

/** The user and API token every emulator accepts unless told otherwise. */
export const DEFAULT_USER: JenkinsUser = {
  name: 'hotfix-bot',
  apiTokens: ['11aa22bb33cc44dd55ee66ff77889900aa'],
};

/** A request as an `onRequest` predicate sees it: authenticated and past the crumb check, about to be routed. */
export interface ObservedRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  query: Record<string, string>;
  form: Record<string, string>;
}

/** How to start the emulator. */
export interface JenkinsEmulatorOptions {
  /** Who may call. @defaultValue [DEFAULT_USER] */
  users?: JenkinsUser[];
  /** Jobs present at start. @defaultValue [] */
  jobs?: JobSpec[];
  /** Milliseconds now: builds and the queue move on by this clock. @defaultValue Date.now */
  clock?: () => number;
  /** Quiet period before a queued item starts its build. @defaultValue 5000 */
  queueDelayMs?: number;
  /** How long a left queue item stays readable. @defaultValue 5 minutes (Jenkins' own) */
  leftItemRetentionMs?: number;
  /** Jenkins 2.96+ lets API-token callers POST without a crumb; false demands one from everybody. @defaultValue true */
  apiTokenCrumbExempt?: boolean;
}

/** A running Jenkins emulator and what a test can ask of it. */
export interface JenkinsEmulator {
  /** `http://127.0.0.1:<port>`, without the trailing slash the client refuses. */
  readonly url: string;
  /** The first user's name and API token. */
  readonly user: string;
  readonly apiToken: string;
  /** Every request so far, oldest first. */
  readonly calls: readonly RecordedCall[];
  /** Calls whose method matches and whose path contains (or matches) `path`. */
  callsTo(method: string, path: string | RegExp): RecordedCall[];
  /** Adds or replaces a job (`name` is its folder path). */
  addJob(job: JobSpec): void;
  /** The next build of `job` follows this script. */
  scriptNextBuild(job: string, script: BuildScript): void;
  /** Adds a build that ended long ago with these parameters (SUCCESS unless told), as a job's history holds it. */
  seedBuild(job: string, parameters: Record<string, string>, result?: BuildResult): EmulatedBuild;
  /** A job's builds, oldest first, brought up to now. */
  builds(job: string): EmulatedBuild[];
  /** A queue item, if not purged yet. */
  queueItem(id: number): QueueItem | undefined;
  /**
   * Runs `action` on a matching request (once by default) and holds the answer until it resolves. 'before': the
   * request is not carried out yet, and is dropped if its caller hung up meanwhile; 'after': it was carried out (a
   * build was queued) but the caller has not heard back. Returns the unsubscribe function.
   */
  onRequest(
    predicate: (request: ObservedRequest) => boolean,
    action: () => void | Promise<void>,
    options?: HookOptions,
  ): () => void;
  /** Changes the quiet period of items queued from now on, or how long left items stay before they are purged. */
  setTiming(timing: Pick<JenkinsEmulatorOptions, 'queueDelayMs' | 'leftItemRetentionMs'>): void;
  /** Makes the next `times` requests to a matching path fail. @defaultValue times 1 */
  failOn(path: string | RegExp, fault: Fault, times?: number): void;
  /** Forgets every fault still waiting. */
  clearFaults(): void;
  /** Stops the server. */
  close(): Promise<void>;
}

/** A clock a test moves by hand, for the emulator's `clock` option. */
export class ManualClock {
  constructor(private at: number = Date.parse('2026-11-17T15:00:00Z')) {}
  /** Milliseconds now. */
  now = (): number => this.at;
  /** Moves time on. */
  advance(ms: number): void {
    this.at += ms;
  }
}

/** Starts a Jenkins emulator on 127.0.0.1, port 0. */
export async function startJenkinsEmulator(options: JenkinsEmulatorOptions = {}): Promise<JenkinsEmulator> {
  const users = options.users ?? [DEFAULT_USER];
  const clock = options.clock ?? Date.now;
  const exempt = options.apiTokenCrumbExempt ?? true;
  const salt = Math.random().toString(36).slice(2);
  let url = '';
  const state = new JenkinsState(
    clock,
    () => `${url}/`,
    options.queueDelayMs ?? 5000,
    options.leftItemRetentionMs ?? LEFT_ITEM_RETENTION_MS,
  );
  for (const job of options.jobs ?? []) state.addJob(job);
  const calls: RecordedCall[] = [];
  const faults = new Faults();
  const hooks = new CallHooks<ObservedRequest>('Jenkins emulator');

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const parsed = new URL(req.url ?? '/', 'http://127.0.0.1');
    const auth = authenticate(req.headers.authorization, users);
    const crumbHeader = req.headers[CRUMB_FIELD.toLowerCase()];
    const request: Request = {
      method: req.method ?? 'GET',
      path: parsed.pathname,
      query: Object.fromEntries(parsed.searchParams),
      form: await readForm(req),
      user: auth.user,
      byPassword: auth.byPassword,
      crumb: typeof crumbHeader === 'string' ? crumbHeader : undefined,
    };
    const answer = (reply: Parameters<typeof send>[1]): void => {
      calls.push(recordOf(request, reply.status, clock()));
      send(res, reply);
    };
    const fault = faults.take(request.path);
    if (fault === 'reset') {
      calls.push(recordOf(request, 0, clock()));
      req.socket.destroy();
      return;
    }
    if (fault && 'delayMs' in fault) await sleep(fault.delayMs);
    if (fault && 'status' in fault)
      return answer({ status: fault.status, text: fault.body ?? 'Service Unavailable' });
    if (auth.bad) return answer({ status: 401, text: 'Invalid password/token for user' });
    // Jenkins with security on gives anonymous nothing: Overall/Read is missing.
    if (!auth.user) return answer({ status: 403, text: 'Authentication required' });
    if (request.method === 'GET' && request.path === '/crumbIssuer/api/json') {
      return answer({
        status: 200,
        json: {
          _class: 'hudson.security.csrf.DefaultCrumbIssuer',
          crumb: crumbFor(auth.user, salt),
          crumbRequestField: CRUMB_FIELD,
        },
      });
    }
    const crumbNeeded = request.method === 'POST' && (auth.byPassword || !exempt);
    if (crumbNeeded && request.crumb !== crumbFor(auth.user, salt)) {
      return answer({ status: 403, text: 'No valid crumb was included in the request' });
    }
    const observed: ObservedRequest = {
      method: request.method,
      path: request.path,
      query: request.query,
      form: request.form,
    };
    const hungUp = watchHangUp(res);
    // A caller killed while Jenkins held its request: the request is dropped, as if it never arrived (status 499).
    if ((await hooks.run(observed, 'before')) > 0 && (await hungUp(HANG_UP_GRACE_MS))) {
      calls.push(recordOf(request, 499, clock()));
      return;
    }
    const reply = route(state, request);
    calls.push(recordOf(request, reply.status, clock()));
    // Run before answering: a caller killed just after the answer was sent could still act on it on a busy machine.
    await hooks.run(observed, 'after');
    if (!res.destroyed) send(res, reply);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, { status: 500, text: String(error) });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const first = users[0] ?? DEFAULT_USER;

  return {
    url,
    user: first.name,
    apiToken: first.apiTokens[0] ?? '',
    calls,
    callsTo: (method, path) =>
      calls.filter(
        (c) => c.method === method && (typeof path === 'string' ? c.path.includes(path) : path.test(c.path)),
      ),
    addJob: (job) => state.addJob(job),
    scriptNextBuild: (job, script) => state.scriptNextBuild(job, script),
    seedBuild: (job, parameters, result) => state.seedBuild(job, parameters, result),
    builds: (job) => {
      state.tick();
      return state.builds.get(job) ?? [];
    },
    queueItem: (id) => {
      state.tick();
      return state.queue.get(id);
    },
    setTiming: (timing) => {
      if (timing.queueDelayMs !== undefined) state.queueDelayMs = timing.queueDelayMs;
      if (timing.leftItemRetentionMs !== undefined) state.leftRetentionMs = timing.leftItemRetentionMs;
    },
    onRequest: (predicate, action, hookOptions) => hooks.add(predicate, action, hookOptions),
    failOn: (path, fault, times = 1) => faults.add(path, fault, times),
    clearFaults: () => faults.clear(),
    close: () =>
      new Promise<void>((resolve) => {
        hooks.clear();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
