/**
 * What a Jira Cloud site holds for the bot: projects with their issue types, issues (fields, labels, status,
 * comments) and the workflow issues move through. Validation answers the way Jira's v3 API does:
 * 400 `{ errorMessages, errors: { field: message } }`.
 */
import { HttpError, isObject, type Json, type JsonObject } from '../http-kit/server.js';
import { adfProblem } from './adf.js';
import {
  CHANGE_WORKFLOW,
  statusCategory,
  statusId,
  type JiraTransition,
  type JiraWorkflow,
} from './workflow.js';

export interface JiraProject {
  key: string;
  id: string;
  issueTypes: string[];
}

export interface JiraIssue {
  id: string;
  key: string;
  project: JiraProject;
  issueType: string;
  summary: string;
  description: Json | undefined;
  labels: string[];
  status: string;
  comments: { id: string; body: Json; created: string }[];
  transitions: { from: string; to: string; name: string }[];
  created: string;
}

const badRequest = (errors: Record<string, string>, errorMessages: string[] = []): HttpError =>
  new HttpError(400, { errorMessages, errors });

function refOf(value: Json | undefined): { key?: string; id?: string; name?: string } {
  if (!isObject(value)) return {};
  const pick = (k: string): string | undefined =>
    typeof value[k] === 'string' ? (value[k] as string) : undefined;
  const out: { key?: string; id?: string; name?: string } = {};
  for (const k of ['key', 'id', 'name'] as const) {
    const v = pick(k);
    if (v !== undefined) out[k] = v;
  }
  return out;
}

/** Projects, issues and the workflow, mutated by the wire handlers. */
export class JiraState {
  readonly issues = new Map<string, JiraIssue>();
  private nextId = 10001;
  private readonly counters = new Map<string, number>();

  constructor(
    readonly projects: JiraProject[],
    readonly workflow: JiraWorkflow = CHANGE_WORKFLOW,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** POST /rest/api/3/issue: project and issue type must exist; summary required; description must be ADF. */
  create(body: Json | undefined): JiraIssue {
    const fields = isObject(body) && isObject(body['fields']) ? body['fields'] : undefined;
    if (!fields) throw badRequest({}, ['Issue must have fields']);
    const errors: Record<string, string> = {};
    const p = refOf(fields['project']);
    const project = this.projects.find((x) => x.key === p.key || x.id === p.id);
    if (!project) errors['project'] = 'valid project is required';
    const t = refOf(fields['issuetype']);
    const issueType = project?.issueTypes.find((name) => name === t.name || `${project.id}-${name}` === t.id);
    if (!issueType) errors['issuetype'] = 'valid issue type is required';
    const summary = fields['summary'];
    if (typeof summary !== 'string' || summary.trim() === '')
      errors['summary'] = 'You must specify a summary of the issue.';
    else if (summary.length > 255) errors['summary'] = 'Summary must be less than 255 characters.';
    else if (/[\r\n]/.test(summary))
      errors['summary'] = 'The summary is invalid because it contains newline characters.';
    const description = fields['description'];
    const problem = description === undefined || description === null ? undefined : adfProblem(description);
    if (problem) errors['description'] = problem;
    const labels = fields['labels'] ?? [];
    if (!Array.isArray(labels) || labels.some((l) => typeof l !== 'string'))
      errors['labels'] = 'labels must be strings';
    else {
      const spaced = labels.find((l) => typeof l === 'string' && /\s/.test(l));
      if (spaced !== undefined)
        errors['labels'] = `The label '${String(spaced)}' contains spaces which is invalid.`;
    }
    for (const key of Object.keys(fields))
      if (!['project', 'issuetype', 'summary', 'description', 'labels'].includes(key))
        errors[key] = `Field '${key}' cannot be set. It is not on the appropriate screen, or unknown.`;
    if (Object.keys(errors).length > 0 || !project || !issueType) throw badRequest(errors);
    const n = (this.counters.get(project.key) ?? 0) + 1;
    this.counters.set(project.key, n);
    const issue: JiraIssue = {
      id: String(this.nextId++),
      key: `${project.key}-${n}`,
      project,
      issueType,
      summary: summary as string,
      description: description ?? undefined,
      labels: labels as string[],
      status: this.workflow.initial,
      comments: [],
      transitions: [],
      created: this.now().toISOString(),
    };
    this.issues.set(issue.key, issue);
    return issue;
  }

  /**
   * PUT /rest/api/3/issue/{key}: `fields` with summary and description, checked as on create; any other field is not
   * on the edit screen of a change ticket (Jira's 400).
   */
  edit(idOrKey: string, body: Json | undefined): void {
    const issue = this.issue(idOrKey);
    const fields = isObject(body) && isObject(body['fields']) ? body['fields'] : undefined;
    if (!fields) throw badRequest({}, ['Issue must have fields or update']);
    const errors: Record<string, string> = {};
    const summary = fields['summary'];
    if (summary !== undefined) {
      if (typeof summary !== 'string' || summary.trim() === '')
        errors['summary'] = 'You must specify a summary of the issue.';
      else if (summary.length > 255) errors['summary'] = 'Summary must be less than 255 characters.';
      else if (/[\r\n]/.test(summary))
        errors['summary'] = 'The summary is invalid because it contains newline characters.';
    }
    const description = fields['description'];
    const problem = description === undefined || description === null ? undefined : adfProblem(description);
    if (problem) errors['description'] = problem;
    for (const key of Object.keys(fields))
      if (!['summary', 'description'].includes(key))
        errors[key] = `Field '${key}' cannot be set. It is not on the appropriate screen, or unknown.`;
    if (Object.keys(errors).length > 0) throw badRequest(errors);
    if (typeof summary === 'string') issue.summary = summary;
    if (description !== undefined) issue.description = description ?? undefined;
  }

  /** An issue by key or id, or Jira's 404. */
  issue(idOrKey: string): JiraIssue {
    const issue = this.issues.get(idOrKey) ?? [...this.issues.values()].find((i) => i.id === idOrKey);
    if (!issue)
      throw new HttpError(404, {
        errorMessages: ['Issue does not exist or you do not have permission to see it.'],
        errors: {},
      });
    return issue;
  }

  comment(idOrKey: string, body: Json | undefined): JiraIssue['comments'][number] {
    const issue = this.issue(idOrKey);
    const adf = isObject(body) ? body['body'] : undefined;
    const problem = adfProblem(adf);
    if (problem || adf === undefined)
      throw badRequest({ comment: problem ?? 'Comment body can not be empty!' });
    const comment = { id: String(this.nextId++), body: adf, created: this.now().toISOString() };
    issue.comments.push(comment);
    return comment;
  }

  /**
   * GET .../comment: a page of comments as Jira Cloud answers it (`startAt`, `maxResults` up to 5000, `orderBy`
   * `created` or `-created`), each with its ADF body.
   */
  comments(idOrKey: string, query: URLSearchParams): JsonObject {
    const issue = this.issue(idOrKey);
    const number = (name: string, fallback: number): number => {
      const raw = query.get(name);
      if (raw === null || raw === '') return fallback;
      const n = Number(raw);
      if (!Number.isInteger(n) || n < 0) throw badRequest({}, [`'${name}' must be a non-negative integer.`]);
      return n;
    };
    const startAt = number('startAt', 0);
    const maxResults = Math.min(number('maxResults', 5000), 5000);
    const order = query.get('orderBy') ?? 'created';
    if (!['created', '+created', '-created'].includes(order))
      throw badRequest({}, [`Cannot order comments by '${order}'.`]);
    const sorted = order === '-created' ? [...issue.comments].reverse() : issue.comments;
    return {
      startAt,
      maxResults,
      total: issue.comments.length,
      comments: sorted.slice(startAt, startAt + maxResults).map((c) => ({ ...c })),
    };
  }

  /** The transitions available from the issue's current status. */
  available(idOrKey: string): JiraTransition[] {
    return this.workflow.transitions[this.issue(idOrKey).status] ?? [];
  }

  /** POST .../transitions: only an id offered from the current status is accepted. */
  transition(idOrKey: string, body: Json | undefined): void {
    const issue = this.issue(idOrKey);
    const id = isObject(body) ? refOf(body['transition']).id : undefined;
    const transition = this.available(idOrKey).find((t) => t.id === id);
    if (!transition) throw badRequest({}, [`Transition id '${id ?? ''}' is not valid for this issue.`]);
    issue.transitions.push({ from: issue.status, to: transition.to, name: transition.name });
    issue.status = transition.to;
  }

  /** An issue as GET /issue and search return it. */
  view(issue: JiraIssue, baseUrl: string): JsonObject {
    return {
      id: issue.id,
      key: issue.key,
      self: `${baseUrl}/rest/api/3/issue/${issue.id}`,
      fields: {
        summary: issue.summary,
        description: issue.description ?? null,
        labels: issue.labels,
        project: { id: issue.project.id, key: issue.project.key },
        issuetype: { id: `${issue.project.id}-${issue.issueType}`, name: issue.issueType },
        status: {
          id: statusId(issue.status),
          name: issue.status,
          statusCategory: statusCategory(issue.status, this.workflow),
        },
        created: issue.created,
      },
    };
  }

  /** The issues a JQL query selects. Only `field = value` clauses joined by AND, on project and labels. */
  search(jql: string): JiraIssue[] {
    const clauses = jql
      .split(/\s+AND\s+/i)
      .map((c) => c.trim())
      .filter(Boolean);
    if (clauses.length === 0) throw badRequest({}, ['The JQL query is unbounded: add a restriction.']);
    const tests = clauses.map((clause) => {
      const m = /^(project|labels)\s*=\s*"?([^"\s]+)"?$/i.exec(clause);
      if (!m)
        throw badRequest({}, [`Error in the JQL Query: this emulator does not understand '${clause}'.`]);
      const [, field, value] = m;
      return (i: JiraIssue): boolean =>
        field?.toLowerCase() === 'project' ? i.project.key === value : i.labels.includes(value ?? '');
    });
    return [...this.issues.values()].filter((i) => tests.every((t) => t(i)));
  }
}
