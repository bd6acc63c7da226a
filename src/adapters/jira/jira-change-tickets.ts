/**
 * The ChangeTickets port on Jira Cloud through jira.js `Version3Client`. A ticket carries the label
 * `hotfix-<ulid>`, which JQL finds again; transitions are chosen by name among those Jira offers from the ticket's
 * current status, never by hard-coded id, since every Jira workflow numbers them differently.
 */
import { Version3Client, type Version3 } from 'jira.js';
import { ulidReference, type RecordText } from '../../domain/change-records.js';
import type { ChangeTicket, ChangeTickets } from '../../ports/change-tickets.js';
import { RecordSystemError } from '../../ports/record-errors.js';
import { asJiraError } from './jira-errors.js';

/** Comments read per request when looking for a marked one. */
const COMMENT_PAGE = 100;

/** Where the tickets go and how to reach Jira. */
export interface JiraChangeTicketsOptions {
  /** `https://<site>.atlassian.net`, or an emulator's. */
  host: string;
  email: string;
  apiToken: string;
  /** Project key of change tickets, e.g. `CHG`. */
  projectKey: string;
  /** Issue type name, e.g. `Change`. */
  issueType: string;
  /** Milliseconds before a call counts as failed (and retryable). @defaultValue 10000 */
  timeoutMs?: number;
}

/** Paragraphs as an Atlassian Document: Jira Cloud's v3 API takes rich text only in that form. */
export function adfOf(paragraphs: string[]): Version3.Version3Models.Document {
  return {
    type: 'doc',
    version: 1,
    content: paragraphs
      .filter((p) => p !== '')
      .map((text) => ({ type: 'paragraph', content: [{ type: 'text', text }] })),
  };
}

/** Jira refuses summaries over 255 characters or with newlines. */
function summaryOf(text: RecordText): string {
  return text.title.replace(/\s+/g, ' ').slice(0, 255);
}

/** Jira through jira.js. */
export class JiraChangeTickets implements ChangeTickets {
  private readonly client: Version3Client;

  constructor(private readonly options: JiraChangeTicketsOptions) {
    this.client = new Version3Client({
      host: options.host,
      authentication: { basic: { email: options.email, apiToken: options.apiToken } },
      baseRequestConfig: { timeout: options.timeoutMs ?? 10_000 },
    });
  }

  private async attempt<T>(what: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      throw asJiraError(error, what);
    }
  }

  private ticket(key: string, status: string | undefined): ChangeTicket {
    return {
      key,
      url: `${this.options.host.replace(/\/+$/, '')}/browse/${key}`,
      status: status ?? 'unknown',
    };
  }

  /** The ticket labelled with the hotfix reference, found by JQL. */
  async findByUlid(ulid: string): Promise<ChangeTicket | undefined> {
    const jql = `project = "${this.options.projectKey}" AND labels = "${ulidReference(ulid)}"`;
    const found = await this.attempt(`search for the ticket of hotfix ${ulid}`, () =>
      this.client.issueSearch.searchForIssuesUsingJqlEnhancedSearch({
        jql,
        fields: ['status'],
        maxResults: 2,
      }),
    );
    const issue = found.issues?.[0];
    return issue?.key ? this.ticket(issue.key, issue.fields?.status?.name) : undefined;
  }

  /** Creates the ticket unless one labelled for the hotfix exists. */
  async ensure(ulid: string, text: RecordText): Promise<ChangeTicket> {
    const existing = await this.findByUlid(ulid);
    if (existing) return existing;
    const created = await this.attempt(`create the ticket of hotfix ${ulid}`, () =>
      this.client.issues.createIssue({
        fields: {
          project: { key: this.options.projectKey },
          issuetype: { name: this.options.issueType },
          summary: summaryOf(text),
          description: adfOf(text.paragraphs),
          labels: [ulidReference(ulid)],
        },
      }),
    );
    return this.status(created.key);
  }

  /** Rewrites the summary and description as on create. */
  async updateText(key: string, text: RecordText): Promise<void> {
    await this.attempt(`update the text of ${key}`, () =>
      this.client.issues.editIssue({
        issueIdOrKey: key,
        fields: { summary: summaryOf(text), description: adfOf(text.paragraphs) },
      }),
    );
  }

  /** Adds a comment, as one ADF paragraph per line and the marker last, unless one carrying the marker exists. */
  async comment(key: string, text: string, marker: string): Promise<void> {
    if (await this.hasComment(key, marker)) return;
    await this.attempt(`comment on ${key}`, () =>
      this.client.issueComments.addComment({
        issueIdOrKey: key,
        comment: adfOf([...text.split('\n'), marker]),
      }),
    );
  }

  /** Whether a comment on the ticket carries the marker; newest first, page by page. */
  private async hasComment(key: string, marker: string): Promise<boolean> {
    // The marker is plain text in an ADF text node, so it appears verbatim in the serialised body.
    const needle = JSON.stringify(marker).slice(1, -1);
    for (let startAt = 0; ;) {
      const page = await this.attempt(`read the comments of ${key}`, () =>
        this.client.issueComments.getComments({
          issueIdOrKey: key,
          startAt,
          maxResults: COMMENT_PAGE,
          orderBy: '-created',
        }),
      );
      const comments = page.comments ?? [];
      if (comments.some((c) => JSON.stringify(c.body ?? '').includes(needle))) return true;
      startAt += comments.length;
      if (comments.length === 0 || startAt >= (page.total ?? 0)) return false;
    }
  }

  private async status(key: string): Promise<ChangeTicket> {
    const issue = await this.attempt(`read ${key}`, () =>
      this.client.issues.getIssue({ issueIdOrKey: key, fields: ['status'] }),
    );
    return this.ticket(key, issue.fields.status?.name);
  }

  /** Moves the ticket through the transition called `name`; already in a status of that name counts as done. */
  async transition(key: string, name: string): Promise<ChangeTicket> {
    const wanted = name.trim().toLowerCase();
    const { transitions = [] } = await this.attempt(`read the transitions of ${key}`, () =>
      this.client.issues.getTransitions({ issueIdOrKey: key }),
    );
    const transition = transitions.find((t) => t.name?.toLowerCase() === wanted);
    if (!transition?.id) {
      const current = await this.status(key);
      if (current.status.toLowerCase() === wanted) return current;
      const offered = transitions.map((t) => t.name).filter(Boolean);
      throw new RecordSystemError(
        'Jira',
        false,
        `Jira cannot move ${key} through "${name}" from status "${current.status}"; ` +
          (offered.length > 0
            ? `it offers ${offered.map((o) => `"${o}"`).join(', ')}`
            : 'it offers no transition'),
      );
    }
    const id = transition.id;
    await this.attempt(`move ${key} through "${name}"`, () =>
      this.client.issues.doTransition({ issueIdOrKey: key, transition: { id } }),
    );
    return this.status(key);
  }
}
