/**
 * The Jenkins endpoints the `jenkins` client and the bot use, with Jenkins' status codes: 201 + `Location` for a
 * queued build, 302 for `/stop`, 404 for an input that is no longer pending, 403 for a missing crumb where one is
 * needed.
 */
import { applyTree, parseTree } from './tree.js';
import type { Reply, Request } from './http.js';
import type { JenkinsState } from './state.js';
import type { EmulatedBuild, JobSpec } from './types.js';

const NOT_FOUND: Reply = { status: 404, text: 'Not Found' };

/** Splits `/job/a/job/b/12/wfapi/describe` into the job path and what follows it. */
function splitJobPath(path: string): { job: string; rest: string[] } | undefined {
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  const names: string[] = [];
  let i = 0;
  while (parts[i] === 'job' && parts[i + 1] !== undefined) {
    names.push(parts[i + 1]!);
    i += 2;
  }
  if (names.length === 0) return undefined;
  return { job: names.join('/'), rest: parts.slice(i) };
}

function json(request: Request, value: unknown): Reply {
  const tree = request.query['tree'];
  return { status: 200, json: tree ? applyTree(value, parseTree(tree)) : value };
}

/** Answers one authenticated, crumb-checked request. */
export function route(state: JenkinsState, request: Request): Reply {
  state.tick();
  const { method, path } = request;
  if (method === 'GET' && path === '/api/json')
    return json(request, { _class: 'hudson.model.Hudson', mode: 'NORMAL' });
  if (method === 'GET' && path === '/queue/api/json') {
    const waiting = [...state.queue.values()].filter((q) => q.leftAt === undefined);
    return json(request, {
      _class: 'hudson.model.Queue',
      discoverableItems: [],
      items: waiting.map((q) => state.queueItemJson(q)),
    });
  }
  const queueItem = /^\/queue\/item\/(\d+)\/(api\/json|cancelQueue)\/?$/.exec(path);
  if (queueItem) {
    const item = state.queue.get(Number(queueItem[1]));
    if (!item) return NOT_FOUND;
    if (queueItem[2] === 'api/json' && method === 'GET') return json(request, state.queueItemJson(item));
    if (queueItem[2] === 'cancelQueue' && method === 'POST') {
      if (item.leftAt === undefined) {
        item.cancelled = true;
        item.leftAt = state.now();
      }
      return { status: 204 };
    }
    return { status: 405, text: 'Method Not Allowed' };
  }
  const split = splitJobPath(path);
  const job = split && state.jobs.get(split.job);
  if (!split || !job) return NOT_FOUND;
  return jobRoute(state, request, job, split.rest);
}

function jobRoute(state: JenkinsState, request: Request, job: JobSpec, rest: string[]): Reply {
  const [first, ...tail] = rest;
  const what = rest.join('/');
  if (request.method === 'GET' && what === 'api/json')
    return json(request, state.jobJson(job, request.query['tree'] !== undefined));
  if (request.method === 'POST' && what === 'buildWithParameters') {
    if (Object.keys(job.parameters).length === 0)
      return { status: 400, text: `${job.name} is not parameterized` };
    const item = state.enqueue(job, { ...request.query, ...request.form });
    return { status: 201, headers: { Location: `${state.baseUrl()}queue/item/${item.id}/` } };
  }
  if (first === undefined || !/^\d+$/.test(first)) return NOT_FOUND;
  const build = state.build(job.name, Number(first));
  if (!build) return NOT_FOUND;
  return buildRoute(state, request, build, tail.join('/'));
}

function buildRoute(state: JenkinsState, request: Request, build: EmulatedBuild, what: string): Reply {
  const { method } = request;
  if (method === 'GET' && what === 'api/json') return json(request, state.buildJson(build));
  if (method === 'GET' && what === 'wfapi/describe') return { status: 200, json: state.describeJson(build) };
  if (method === 'GET' && what === 'wfapi/pendingInputActions')
    return { status: 200, json: state.pendingInputsJson(build) };
  if (what === 'logText/progressiveText' && (method === 'GET' || method === 'POST'))
    return progressiveText(request, build);
  if (method === 'POST' && what === 'stop') {
    if (build.result === null && build.stopAt === undefined) build.stopAt = state.now();
    state.tick();
    return { status: 302, headers: { Location: `${state.jobUrl(build.job)}${build.number}/` } };
  }
  const input = /^input\/([^/]+)\/(proceedEmpty|abort)$/.exec(what);
  if (input && method === 'POST') {
    // An input that was answered (or never asked) has no page any more: Jenkins answers 404.
    if (build.pendingInput?.id !== input[1]) return NOT_FOUND;
    build.answered = {
      id: input[1]!,
      proceed: input[2] === 'proceedEmpty',
      at: state.now(),
      by: request.user ?? 'anonymous',
    };
    state.tick();
    return { status: 200, text: '' };
  }
  if (input) return { status: 405, text: 'Method Not Allowed' };
  return NOT_FOUND;
}

/** `logText/progressiveText?start=<byte>`: the text from there, `X-Text-Size` (the next start), `X-More-Data`. */
function progressiveText(request: Request, build: EmulatedBuild): Reply {
  const all = Buffer.from(build.console, 'utf8');
  const asked = Number(request.form['start'] ?? request.query['start'] ?? 0) || 0;
  // Jenkins' LargeText treats a start past the end as a log that rolled over and sends it all again.
  const start = asked > all.length ? 0 : asked;
  const headers: Record<string, string> = { 'X-Text-Size': String(all.length) };
  if (build.result === null) headers['X-More-Data'] = 'true';
  return { status: 200, text: all.subarray(start).toString('utf8'), headers };
}
