/**
 * A local Jira Cloud REST v3 API on 127.0.0.1 for jira.js `Version3Client`: basic auth (email + API token, 401
 * otherwise), issues, enhanced JQL search (`/rest/api/3/search/jql`, which jira.js 5 calls), comments and
 * (added, and listed a page at a time) and workflow transitions; faults on demand; every call recorded.
 */
import {
  HttpError,
  startHttpEmulator,
  type HttpEmulator,
  type WireRequest,
  type WireResponse,
} from '../http-kit/server.js';
import { JiraState, type JiraIssue, type JiraProject } from './state.js';
import type { JiraWorkflow } from './workflow.js';

/** How to start the emulator. */
export interface JiraEmulatorOptions {
  /** The only account accepted. @defaultValue { email: 'bot@example.com', apiToken: 'jira-test-token' } */
  account?: { email: string; apiToken: string };
  /** @defaultValue one project CHG with issue types Change and Task */
  projects?: JiraProject[];
  workflow?: JiraWorkflow;
}

/** A running Jira emulator. */
export interface JiraEmulator extends HttpEmulator {
  readonly account: { email: string; apiToken: string };
  readonly state: JiraState;
  issue(key: string): JiraIssue | undefined;
}

function authorised(req: WireRequest, account: { email: string; apiToken: string }): boolean {
  const m = /^Basic\s+(.+)$/i.exec(req.headers.authorization ?? '');
  if (!m?.[1]) return false;
  return Buffer.from(m[1], 'base64').toString('utf8') === `${account.email}:${account.apiToken}`;
}

function route(state: JiraState, base: string, req: WireRequest): WireResponse {
  const m = req.method;
  const path = req.path.replace(/\/+$/, '');
  if (path === '/rest/api/3/issue' && m === 'POST') {
    const issue = state.create(req.body);
    return {
      status: 201,
      body: { id: issue.id, key: issue.key, self: `${base}/rest/api/3/issue/${issue.id}` },
    };
  }
  if (path === '/rest/api/3/search/jql' && m === 'GET') {
    const issues = state.search(req.query.get('jql') ?? '').map((i) => state.view(i, base));
    return { status: 200, body: { issues, isLast: true } };
  }
  if (path === '/rest/api/3/search' && (m === 'GET' || m === 'POST'))
    // Atlassian removed the old search (CHANGE-2046); Jira Cloud answers 410 Gone.
    throw new HttpError(410, {
      errorMessages: ['The requested API has been removed. Please use /rest/api/3/search/jql.'],
    });
  const issuePath = /^\/rest\/api\/3\/issue\/([^/]+)(?:\/(comment|transitions))?$/.exec(path);
  if (issuePath?.[1]) {
    const key = decodeURIComponent(issuePath[1]);
    const sub = issuePath[2];
    if (!sub && m === 'GET') return { status: 200, body: state.view(state.issue(key), base) };
    if (!sub && m === 'PUT') {
      state.edit(key, req.body);
      return { status: 204 };
    }
    if (sub === 'comment' && m === 'GET') return { status: 200, body: state.comments(key, req.query) };
    if (sub === 'comment' && m === 'POST') return { status: 201, body: state.comment(key, req.body) };
    if (sub === 'transitions' && m === 'GET') {
      const transitions = state.available(key).map((t) => ({ id: t.id, name: t.name, to: { name: t.to } }));
      return { status: 200, body: { expand: 'transitions', transitions } };
    }
    if (sub === 'transitions' && m === 'POST') {
      state.transition(key, req.body);
      return { status: 204 };
    }
  }
  throw new HttpError(404, { errorMessages: [`No route for ${m} ${path}`], errors: {} });
}

/** Starts a Jira emulator. */
export async function startJiraEmulator(options: JiraEmulatorOptions = {}): Promise<JiraEmulator> {
  const account = options.account ?? { email: 'bot@example.com', apiToken: 'jira-test-token' };
  const state = new JiraState(
    options.projects ?? [{ key: 'CHG', id: '10000', issueTypes: ['Change', 'Task'] }],
    options.workflow,
  );
  let base = '';
  const server = await startHttpEmulator((req) => {
    if (!authorised(req, account))
      throw new HttpError(401, {
        errorMessages: ['Client must be authenticated to access this resource.'],
        errors: {},
      });
    return route(state, base, req);
  });
  base = server.url;
  return {
    ...server,
    get calls() {
      return server.calls;
    },
    account,
    state,
    issue: (key) => state.issues.get(key),
  };
}
