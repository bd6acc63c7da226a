/**
 * The ChangeTickets port against the Jira emulator through jira.js: one ticket per hotfix found again by its ULID,
 * ADF description and comments, transitions chosen by name from those Jira offers, and failures as
 * RecordSystemError saying whether to retry.
 */
import { ticketText, ulidReference } from '../../src/domain/change-records.js';
import { Version3Client } from 'jira.js';
import { JiraChangeTickets } from '../../src/adapters/jira/jira-change-tickets.js';
import { asJiraError } from '../../src/adapters/jira/jira-errors.js';
import { RecordSystemError } from '../../src/ports/record-errors.js';
import { adfText, startJiraEmulator, type JiraEmulator } from '../emulators/jira/index.js';
import { hotfixIn } from '../unit/domain/builders.js';

const hotfix = hotfixIn('deploying', {
  incident: { channel: 'C0INC', key: 'INC-7', startedAt: '2026-11-17T14:00:00.000Z' },
});
const text = ticketText(hotfix, { threadLink: 'https://slack.example/archives/C0INC/p1' });

async function caught(promise: Promise<unknown>): Promise<RecordSystemError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof RecordSystemError) return error;
    throw error;
  }
  throw new Error('expected a RecordSystemError');
}

describe('Jira change tickets', () => {
  let jira: JiraEmulator;
  let tickets: JiraChangeTickets;
  const make = (
    overrides: Partial<ConstructorParameters<typeof JiraChangeTickets>[0]> = {},
  ): JiraChangeTickets =>
    new JiraChangeTickets({
      host: jira.url,
      ...jira.account,
      projectKey: 'CHG',
      issueType: 'Change',
      ...overrides,
    });

  beforeEach(async () => {
    jira = await startJiraEmulator();
    tickets = make();
  });
  afterEach(() => jira.close());

  it('creates the ticket once, with its ADF description and ULID label, and finds it again by the ULID', async () => {
    const created = await tickets.ensure(hotfix.ulid, text);
    expect(created).toEqual({ key: 'CHG-1', url: `${jira.url}/browse/CHG-1`, status: 'Open' });
    const issue = jira.issue('CHG-1');
    expect(issue?.summary).toBe(text.title);
    expect(issue?.labels).toEqual([ulidReference(hotfix.ulid)]);
    expect(adfText(issue?.description)).toBe(text.paragraphs.join('\n'));

    expect(await tickets.findByUlid(hotfix.ulid)).toEqual(created);
    expect(await tickets.ensure(hotfix.ulid, text)).toEqual(created);
    expect(jira.state.issues.size).toBe(1);
    expect(jira.calls.some((c) => c.path === '/rest/api/3/search/jql')).toBe(true);
    expect(await tickets.findByUlid('01JD0000000000000000000099')).toBeUndefined();
  });

  it('comments in ADF, ending with the marker', async () => {
    await tickets.ensure(hotfix.ulid, text);
    await tickets.comment('CHG-1', 'Deploy started\nby U0REQUESTER', '[mark 1]');
    expect(jira.issue('CHG-1')?.comments.map((c) => adfText(c.body))).toEqual([
      'Deploy started\nby U0REQUESTER\n[mark 1]',
    ]);
  });

  it('rewrites the summary and description, and the emulator refuses fields a change ticket cannot edit', async () => {
    await tickets.ensure(hotfix.ulid, text);
    await tickets.updateText('CHG-1', { title: 'Revised\ntitle', paragraphs: ['New plan.', 'Second line.'] });
    expect(jira.issue('CHG-1')?.summary).toBe('Revised title');
    expect(adfText(jira.issue('CHG-1')?.description)).toBe('New plan.\nSecond line.');
    const client = new Version3Client({ host: jira.url, authentication: { basic: jira.account } });
    const refused = await client.issues.editIssue({ issueIdOrKey: 'CHG-1', fields: { labels: ['x'] } }).then(
      () => undefined,
      (e: unknown) => asJiraError(e, 'edit CHG-1'),
    );
    expect(refused?.status).toBe(400);
    expect(jira.issue('CHG-1')?.labels).toEqual([ulidReference(hotfix.ulid)]);
  });

  it('adds no second comment carrying a marker already there, however many comments precede it', async () => {
    await tickets.ensure(hotfix.ulid, text);
    await tickets.comment('CHG-1', 'Timeline', '[mark 1]');
    // More comments than one page of the search, so the marked one is only found by paging.
    for (let n = 0; n < 101; n += 1) await tickets.comment('CHG-1', `note ${n}`, `[other ${n}]`);
    await tickets.comment('CHG-1', 'Timeline again', '[mark 1]');
    // A marker that only starts like an existing one is a different moment.
    await tickets.comment('CHG-1', 'Timeline 10', '[mark 10]');
    const bodies = jira.issue('CHG-1')?.comments.map((c) => adfText(c.body)) ?? [];
    expect(bodies.filter((b) => b.includes('[mark 1]'))).toEqual(['Timeline\n[mark 1]']);
    expect(bodies.filter((b) => b.includes('[mark 10]'))).toHaveLength(1);
    expect(bodies).toHaveLength(103);
    const pages = jira.calls.filter(
      (c) => c.method === 'GET' && c.path === '/rest/api/3/issue/CHG-1/comment',
    );
    expect(pages.some((c) => c.query.includes('startAt=100'))).toBe(true);
  });

  it('moves the ticket by transition name, looking the id up, and treats an arrived status as done', async () => {
    await tickets.ensure(hotfix.ulid, text);
    expect((await tickets.transition('CHG-1', 'start progress')).status).toBe('In Progress');
    expect((await tickets.transition('CHG-1', 'Done')).status).toBe('Done');
    // A retry after the move happened: the transition is gone, the status has its name.
    expect((await tickets.transition('CHG-1', 'Done')).status).toBe('Done');
    expect(jira.issue('CHG-1')?.transitions.map((t) => t.name)).toEqual(['Start Progress', 'Done']);
  });

  it('refuses a transition the current status does not offer, naming what it offers', async () => {
    await tickets.ensure(hotfix.ulid, text);
    const error = await caught(tickets.transition('CHG-1', 'Done'));
    expect(error.retryable).toBe(false);
    expect(error.message).toBe(
      'Jira cannot move CHG-1 through "Done" from status "Open"; it offers "Start Progress", "Cancel"',
    );
    expect(jira.issue('CHG-1')?.status).toBe('Open');
  });

  it('Jira refuses a transition id not offered from the current status with 400, mapped to a readable refusal', async () => {
    await tickets.ensure(hotfix.ulid, text);
    // What a stale id looks like (someone moved the ticket between our read and our post): jira.js posts it as is.
    const client = new Version3Client({ host: jira.url, authentication: { basic: jira.account } });
    const thrown = await client.issues.doTransition({ issueIdOrKey: 'CHG-1', transition: { id: '21' } }).then(
      () => undefined,
      (e: unknown) => e,
    );
    const error = asJiraError(thrown, 'move CHG-1 through "Done"');
    expect(error).toMatchObject({ retryable: false, status: 400 });
    expect(error.message).toBe(
      `Jira could not move CHG-1 through "Done": HTTP 400 Transition id '21' is not valid for this issue.`,
    );
    expect(jira.issue('CHG-1')?.status).toBe('Open');
  });

  it('the emulator validates fields as Jira does: summary, labels, unknown fields, plain-text rich text', async () => {
    const client = new Version3Client({ host: jira.url, authentication: { basic: jira.account } });
    const create = (fields: Record<string, unknown>) =>
      client.issues
        .createIssue({
          fields: {
            project: { key: 'CHG' },
            issuetype: { name: 'Change' },
            summary: 'ok',
            ...fields,
          } as never,
        })
        .then(
          () => undefined,
          (e: unknown) =>
            (e as { response?: { data?: { errors?: Record<string, string> } } }).response?.data?.errors,
        );
    expect(await create({ summary: 'two\nlines' })).toEqual({
      summary: 'The summary is invalid because it contains newline characters.',
    });
    expect(await create({ labels: ['has space'] })).toEqual({
      labels: "The label 'has space' contains spaces which is invalid.",
    });
    expect(await create({ customfield_10010: 'x' })).toEqual({
      customfield_10010:
        "Field 'customfield_10010' cannot be set. It is not on the appropriate screen, or unknown.",
    });
    expect(await create({ description: { type: 'paragraph', content: [] } })).toEqual({
      description: 'Operation value must be an Atlassian Document (see the Atlassian Document Format)',
    });
    expect(jira.state.issues.size).toBe(0);
  });

  it('names a project or issue type Jira does not have, not retryably', async () => {
    const error = await caught(make({ issueType: 'Hotfix' }).ensure(hotfix.ulid, text));
    expect(error).toMatchObject({ system: 'Jira', retryable: false, status: 400 });
    expect(error.message).toBe(
      `Jira could not create the ticket of hotfix ${hotfix.ulid}: HTTP 400 issuetype: valid issue type is required`,
    );
  });

  it('says bad credentials were refused, without the token in the message', async () => {
    const error = await caught(make({ apiToken: 'jira-wrong-secret' }).findByUlid(hotfix.ulid));
    expect(error).toMatchObject({ retryable: false, status: 401 });
    expect(error.message).toContain('JIRA_API_TOKEN');
    expect(error.message).not.toContain('jira-wrong-secret');
  });

  it('surfaces 5xx, 429 with Retry-After and a stall as retryable', async () => {
    jira.failNext(/search\/jql$/, { status: 502 });
    expect(await caught(tickets.findByUlid(hotfix.ulid))).toMatchObject({ retryable: true, status: 502 });
    jira.failNext(/search\/jql$/, { status: 429, retryAfterSeconds: 7 });
    expect(await caught(tickets.findByUlid(hotfix.ulid))).toMatchObject({
      retryable: true,
      status: 429,
      retryAfterSeconds: 7,
    });
    jira.failNext(/search\/jql$/, { delayMs: 500 });
    const stalled = await caught(make({ timeoutMs: 100 }).findByUlid(hotfix.ulid));
    expect(stalled.retryable).toBe(true);
    expect(stalled.message).toContain('no answer in time');
  });
});
