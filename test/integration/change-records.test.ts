/**
 * Change-control records on the started bot, end to end, with Jira, Google Calendar, Statuspage, Jenkins and Slack
 * emulated at the wire: created on approval before the hotfix queues and linked; closed on each ending with the
 * thread told; a required record failing, holding the hotfix, then retried; Sev 1 not held back; a record created
 * by an attempt that died before recording it found again instead of duplicated; plans refused when a required
 * system is not configured; a plan whose deploy window is hours away gets a scheduled maintenance that starts with
 * its deploy (the bot's clock is moved on to the window).
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import type { JsonObject } from '../emulators/slack/index.js';
import { clickButton, sendSlashCommand, sendViewSubmission } from '../emulators/slack/index.js';
import { startJenkinsEmulator, type JenkinsEmulator } from '../emulators/jenkins/index.js';
import { adfText, startJiraEmulator, type JiraEmulator } from '../emulators/jira/index.js';
import {
  startGoogleCalendarEmulator,
  type GoogleCalendarEmulator,
} from '../emulators/google-calendar/index.js';
import { startStatuspageEmulator, type StatuspageEmulator } from '../emulators/statuspage/index.js';
import { JiraChangeTickets } from '../../src/adapters/jira/jira-change-tickets.js';
import { ticketText } from '../../src/domain/change-records.js';
import type { Hotfix } from '../../src/domain/hotfix.js';
import { localTime } from '../../src/domain/timing.js';
import { transact } from '../../src/workflow/transact.js';
import { BOT } from '../../src/workflow/system-actor.js';
import { submitForm } from '../helpers/forms.js';
import type { TestBot } from '../helpers/test-bot.js';
import { SIGNING_SECRET, fastCatalog, startTestBot, waitForRecord } from '../helpers/test-bot.js';

const JOB = 'multi_deploy_pipeline';
const PARAMETERS = { CLIENT: '', ENV: '', SERVICES: '', HOTFIX_ID: '' };
const TAG = '24-02-05.619-hotfix.627';
const CALENDAR = 'acme-staging-changes@group.calendar.google.com';
const PAGE = 'acme0stagingpg';
const SA_EMAIL = 'hotfix-bot@acme-project.iam.gserviceaccount.com';

/** The test catalog with acme staging requiring all three records (only the ticket at sev 4), on its own calendar and Statuspage page. */
function recordsCatalog(): string {
  const doc = parseDocument(readFileSync(fastCatalog(), 'utf8'));
  // By severity: a sev 4 needs only its ticket there; the others need all three.
  doc.setIn(
    ['policy', 'records'],
    doc.createNode({ staging: { default: ['jira', 'calendar', 'statuspage'], sev4: ['jira'] } }),
  );
  // Verified by the build's success: the records' endings are what these tests follow, not health checks.
  doc.deleteIn(['services', 'decanting-service', 'healthChecks']);
  doc.deleteIn(['services', 'decanting-service', 'soak']);
  // Records are required per env name, so globex staging needs its own calendar and page as well.
  for (const client of ['acme', 'globex']) {
    doc.setIn(
      ['clients', client, 'envs', 'staging', 'calendarId'],
      client === 'acme' ? CALENDAR : `${client}-staging`,
    );
    doc.setIn(
      ['clients', client, 'envs', 'staging', 'statuspage'],
      doc.createNode({
        pageId: client === 'acme' ? PAGE : `${client}stagingpg`,
        componentIds: ['stgdecant', 'stgagent'],
      }),
    );
  }
  const path = join(mkdtempSync(join(tmpdir(), 'hotfix-records-')), 'catalog.yml');
  writeFileSync(path, doc.toString());
  return path;
}

const keys = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  publicKeyEncoding: { type: 'spki', format: 'pem' },
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
});

let jenkins: JenkinsEmulator;
let jira: JiraEmulator;
let google: GoogleCalendarEmulator;
let statuspage: StatuspageEmulator;
let t: TestBot;
/** How far the bot's clock runs ahead of the real one: the deploy-window tests move it on to a window. */
let clockAhead = 0;
const botNow = () => new Date(Date.now() + clockAhead);

beforeAll(async () => {
  jenkins = await startJenkinsEmulator({ queueDelayMs: 50, jobs: [{ name: JOB, parameters: PARAMETERS }] });
  jira = await startJiraEmulator();
  google = await startGoogleCalendarEmulator({
    calendars: [CALENDAR],
    serviceAccounts: [{ email: SA_EMAIL, publicKey: keys.publicKey }],
  });
  statuspage = await startStatuspageEmulator({
    // Many hotfixes in one minute here; waiting out Statuspage's limit (tested in rate-limits.test.ts) is not the point.
    perMinute: 600,
    pages: [
      {
        id: PAGE,
        components: [
          { id: 'stgdecant', status: 'operational' },
          // In an incident before any hotfix: completing the maintenance must leave it there.
          { id: 'stgagent', status: 'partial_outage' },
        ],
      },
    ],
  });
  const keyFile = join(mkdtempSync(join(tmpdir(), 'hotfix-sa-')), 'key.json');
  writeFileSync(keyFile, JSON.stringify({ client_email: SA_EMAIL, private_key: keys.privateKey }));
  t = await startTestBot(7, {
    clock: { now: botNow },
    env: {
      HOTFIX_CATALOG: recordsCatalog(),
      JENKINS_URL: jenkins.url,
      JENKINS_USER: jenkins.user,
      JENKINS_API_TOKEN: jenkins.apiToken,
      JIRA_HOST: jira.url,
      JIRA_EMAIL: jira.account.email,
      JIRA_API_TOKEN: jira.account.apiToken,
      GOOGLE_APPLICATION_CREDENTIALS: keyFile,
      GOOGLE_CALENDAR_API_URL: google.rootUrl,
      STATUSPAGE_API_KEY: statuspage.apiKey,
      STATUSPAGE_API_URL: statuspage.apiUrl,
    },
  });
});
afterAll(async () => {
  await t?.stop();
  await Promise.all([jenkins.close(), jira.close(), google.close(), statuspage.close()]);
});

const opts = () => ({ emulator: t.slack });
const slash = (text: string, user = 'U0PRIYA') =>
  sendSlashCommand(t.eventsUrl, SIGNING_SECRET, { text, user_id: user, channel_id: 'C0INC4211' }, opts());
const textOf = (body: unknown) => String((body as { text?: unknown }).text ?? JSON.stringify(body));
const keyOf = (m: { metadata?: unknown }) =>
  (m.metadata as { event_payload?: JsonObject } | undefined)?.event_payload?.['key'];

async function planned(extra = ''): Promise<Hotfix> {
  const answer = await slash(`plan decanting-service@${TAG} acme staging ${extra}`.trim());
  const id = /HF-\d+/.exec(textOf(answer.body))?.[0];
  if (!id) throw new Error(`not planned: ${textOf(answer.body)}`);
  return waitForRecord(
    t.bot,
    (await t.bot.deps.store.findById(id))!.ulid,
    (h) => h.refs['noticeTs'] !== undefined,
  );
}

async function approve(hotfix: Hotfix): Promise<void> {
  await clickButton(
    t.eventsUrl,
    SIGNING_SECRET,
    { user: 'U0BOB', channel: 'C0CHANGECTL', ts: hotfix.refs['noticeTs']!, action_id: 'hotfix_approve' },
    opts(),
  );
}

const replies = (h: Hotfix) =>
  t.slack.messages('C0INC4211').find((m) => m.ts === h.refs['planTs'])?.replies ?? [];
const reply = (h: Hotfix, key: RegExp) =>
  t.slack.waitFor(() => replies(h).find((r) => key.test(String(keyOf(r) ?? ''))), 8000);
const issuesOf = (h: Hotfix) =>
  [...jira.state.issues.values()].filter((i) => i.labels.includes(`hotfix-${h.ulid.toLowerCase()}`));
const planShows = (h: Hotfix, pattern: RegExp) =>
  t.slack.waitFor(() => {
    const plan = t.slack.messages('C0INC4211').find((m) => m.ts === h.refs['planTs']);
    return plan && pattern.test(JSON.stringify(plan.blocks)) ? plan : undefined;
  }, 8000);

describe('change records', () => {
  it('creates the three records on approval before the hotfix queues, links them, and closes each when it ends', async () => {
    jenkins.scriptNextBuild(JOB, { stages: ['Deploy'], stageMs: 100 });
    const hotfix = await planned();
    await approve(hotfix);
    const queued = await waitForRecord(t.bot, hotfix.ulid, (h) => h.times.queuedAt !== undefined, 15_000);
    // Every record existed before the hotfix joined the queue.
    for (const kind of ['jira', 'calendar', 'statuspage'])
      expect(Date.parse(queued.steps[`record_${kind}`]!.result!.at)).toBeLessThanOrEqual(
        Date.parse(queued.times.queuedAt!),
      );
    const [issue] = issuesOf(hotfix);
    expect(issuesOf(hotfix)).toHaveLength(1);
    expect(queued.refs['jiraKey']).toBe(issue?.key);
    expect(issue?.summary).toContain(`Hotfix ${hotfix.id}`);
    // People by name, not by Slack id: Jira and the calendar know no Slack ids.
    expect(adfText(issue?.description)).toContain('Requested by Priya Raman.');
    expect(adfText(issue?.description)).toContain('Approved by Bob Okafor.');
    expect(adfText(issue?.description)).not.toMatch(/\bU0[A-Z0-9]+\b/);
    expect(google.events(CALENDAR)).toHaveLength(1);
    const description = String(google.events(CALENDAR)[0]?.['description']);
    expect(description).toContain(`Change ticket: ${issue?.key}`);
    expect(description).toMatch(/Stakeholders: Priya Raman, .*Bob Okafor.*\./);
    expect(description).not.toMatch(/\bU0[A-Z0-9]+\b/);
    expect(statuspage.incidents(PAGE)).toHaveLength(1);
    expect(statuspage.component('stgdecant')?.status).toBe('under_maintenance');
    await planShows(
      hotfix,
      new RegExp(`Jira change ticket <${jira.url}/browse/${issue?.key}\\|${issue?.key}>`),
    );

    // The deploy start comments on the ticket; with no health checks the build's success completes the hotfix.
    const ended = await waitForRecord(t.bot, hotfix.ulid, (h) => h.state === 'completed', 20_000);
    const closed = await reply(ended, /^note_closed_/);
    // The final live status links the records too.
    await t.slack.waitFor(
      () =>
        replies(ended).find(
          (r) =>
            (r.metadata as { event_payload?: JsonObject } | undefined)?.event_payload?.['kind'] ===
              'status' &&
            JSON.stringify(r.blocks).includes(
              `Records: Jira change ticket <${jira.url}/browse/${issue?.key}|`,
            ) &&
            JSON.stringify(r.blocks).includes('completed'),
        ),
      8000,
    );
    expect(JSON.stringify(closed.blocks)).toContain('Jira change ticket');
    expect(JSON.stringify(closed.blocks)).not.toContain('left open');
    expect(jira.issue(issue!.key)?.status).toBe('Done');
    const comments = jira.issue(issue!.key)?.comments.map((c) => adfText(c.body)) ?? [];
    expect(comments.some((c) => c.includes('the deploy to acme staging started'))).toBe(true);
    const timeline = comments.find((c) => c.includes('Timeline of')) ?? '';
    expect(timeline).toContain('health verified; completed');
    expect(timeline).toMatch(/ Bob Okafor: approved/);
    expect(timeline).not.toMatch(/\bU0[A-Z0-9]+\b/);
    expect(statuspage.incidents(PAGE)[0]?.status).toBe('completed');
    expect(statuspage.component('stgdecant')?.status).toBe('operational');
    expect(statuspage.component('stgagent')?.status).toBe('partial_outage');
    expect(google.events(CALENDAR)[0]?.['end']).toEqual({ dateTime: ended.times.endedAt });
  });

  it('reopens the ticket of a completed hotfix that is rolled back afterwards, with one timeline per ending', async () => {
    jenkins.scriptNextBuild(JOB, { stages: ['Deploy'], stageMs: 100 });
    const hotfix = await planned();
    await approve(hotfix);
    const done = await waitForRecord(t.bot, hotfix.ulid, (h) => h.state === 'completed', 20_000);
    await reply(done, /^note_closed_/);
    const [issue] = issuesOf(hotfix);
    expect(jira.issue(issue!.key)?.status).toBe('Done');

    jenkins.scriptNextBuild(JOB, { stages: ['Deploy'], stageMs: 100 });
    await slash(`rollback ${hotfix.id}`);
    const form = await t.slack.waitFor(() =>
      t.slack.views.find(
        (v) =>
          v.view['callback_id'] === 'hotfix_rollback_reason' &&
          String(v.view['private_metadata']).includes(hotfix.ulid),
      ),
    );
    const reason = { reason: { value: { type: 'plain_text_input', value: 'errors after the deploy' } } };
    await sendViewSubmission(
      t.eventsUrl,
      SIGNING_SECRET,
      {
        user: 'U0PRIYA',
        view: {
          id: form.id,
          callback_id: 'hotfix_rollback_reason',
          private_metadata: String(form.view['private_metadata']),
          state: { values: reason },
        },
      },
      opts(),
    );
    const rolled = await waitForRecord(t.bot, hotfix.ulid, (h) => h.state === 'rolled_back', 20_000);
    await t.slack.waitFor(
      () =>
        replies(rolled).filter((r) => /^note_closed_/.test(String(keyOf(r) ?? ''))).length >= 2 || undefined,
      10_000,
    );
    expect(jira.issue(issue!.key)?.status).toBe('Failed');
    const comments = jira.issue(issue!.key)?.comments.map((c) => adfText(c.body)) ?? [];
    const timelines = comments.filter((c) => c.includes('Timeline of'));
    expect(timelines).toHaveLength(2);
    expect(timelines[1]).toContain('rollback started: errors after the deploy');
  });

  it('holds the hotfix when a required record fails, names the system and error, and Retry creates it', async () => {
    const hotfix = await planned();
    google.failNext(/events$/, { status: 503 }, 1, 'POST');
    await approve(hotfix);
    const held = await reply(hotfix, /^note_record_calendar_failed_0$/);
    expect(held.text).toMatch(
      /The change-calendar event of HF-\d+ was not created\. Google Calendar could not create the event .*HTTP 503/,
    );
    expect(JSON.stringify(held.blocks)).toContain('hotfix_retry');
    await new Promise((resolve) => setTimeout(resolve, 600));
    const still = await t.bot.deps.store.load(hotfix.ulid);
    expect(still?.state).toBe('approved');
    expect(await t.bot.deps.locks.waiting('acme/staging')).not.toContain(hotfix.ulid);

    await clickButton(
      t.eventsUrl,
      SIGNING_SECRET,
      {
        user: 'U0PRIYA',
        channel: 'C0INC4211',
        ts: held.ts,
        action_id: 'hotfix_retry',
      },
      opts(),
    );
    const queued = await waitForRecord(t.bot, hotfix.ulid, (h) => h.times.queuedAt !== undefined, 15_000);
    expect(queued.refs['calendarEventId']).toBeDefined();
    expect(issuesOf(hotfix)).toHaveLength(1);
    // Cancelled before its deploy: the records are closed as cancelled.
    await slash(`cancel ${hotfix.id} "not needed after all"`);
    const ended = await waitForRecord(t.bot, hotfix.ulid, (h) => h.state === 'cancelled');
    await reply(ended, /^note_closed_/);
    expect(jira.issue(queued.refs['jiraKey']!)?.status).toBe('Cancelled');
    // The failure message was redrawn at the retry: its Retry is done with, and it links the record that exists now.
    const redrawn = await t.slack.waitFor(() => {
      const now = replies(hotfix).find((r) => r.ts === held.ts);
      return now && !JSON.stringify(now.blocks).includes('hotfix_retry') ? now : undefined;
    }, 8000);
    expect(JSON.stringify(redrawn.blocks)).toContain('Retried: the change-calendar event exists now');
  });

  it('follows policy.records by severity: a record only other severities require fails without holding a sev 4', async () => {
    const hotfix = await planned('sev=4');
    google.failNext(/events$/, { status: 503 }, 1, 'POST');
    await approve(hotfix);
    const queued = await waitForRecord(t.bot, hotfix.ulid, (h) => h.times.queuedAt !== undefined, 15_000);
    const failed = await reply(hotfix, /^note_record_calendar_failed_0$/);
    expect(failed.text).toContain('goes on without it');
    expect(JSON.stringify(failed.blocks)).not.toContain('hotfix_retry');
    expect(queued.refs['jiraKey']).toBeDefined();
    await slash(`cancel ${hotfix.id} "checked the sev 4 path"`);
    await reply(await waitForRecord(t.bot, hotfix.ulid, (h) => h.state === 'cancelled'), /^note_closed_/);
  });

  it('never holds a Sev 1 back: its records go alongside and the thread says when each exists or failed', async () => {
    // A build long enough that the records are told while it runs, as they go alongside it.
    jenkins.scriptNextBuild(JOB, { stages: ['Deploy'], stageMs: 3000 });
    const hotfix = await planned('sev=1');
    jira.failNext(/\/rest\/api\/3\/issue$/, { status: 503 }, 1, 'POST');
    await approve(hotfix);
    await waitForRecord(t.bot, hotfix.ulid, (h) => h.times.queuedAt !== undefined, 15_000);
    const failed = await reply(hotfix, /^note_record_jira_failed_0$/);
    expect(failed.text).toContain('goes on without it');
    expect(JSON.stringify(failed.blocks)).not.toContain('hotfix_retry');
    await reply(hotfix, /^note_record_calendar$/);
    await reply(hotfix, /^note_record_statuspage$/);
    await waitForRecord(t.bot, hotfix.ulid, (h) => h.state === 'completed', 15_000);
  });

  it('marks the ticket failed when the deploy fails, keeps the maintenance open while failed, and closes all when resolved', async () => {
    jenkins.scriptNextBuild(JOB, { stages: ['Deploy'], stageMs: 100, failAt: 'Deploy' });
    const hotfix = await planned();
    await approve(hotfix);
    const failed = await waitForRecord(t.bot, hotfix.ulid, (h) => h.state === 'failed', 15_000);
    const key = failed.refs['jiraKey']!;
    await t.slack.waitFor(() => (jira.issue(key)?.status === 'Failed' ? true : undefined), 8000);
    const comments = () => jira.issue(key)?.comments.map((c) => adfText(c.body)) ?? [];
    expect(comments().some((c) => c.includes('the deploy failed'))).toBe(true);
    // Seed 001: the window is not closed out while the problem is ongoing.
    const maintenance = statuspage.incidents(PAGE).find((i) => i.id === failed.refs['statuspageIncidentId']);
    expect(maintenance?.status).toBe('in_progress');
    const booked = maintenance?.scheduled_until;
    expect(booked).toBeTruthy();

    // The failure reply offers Extend maintenance; a double click extends once.
    const failure = await t.slack.waitFor(
      () => replies(failed).find((r) => JSON.stringify(r.blocks).includes('hotfix_extend_maintenance')),
      8000,
    );
    const click = () =>
      clickButton(
        t.eventsUrl,
        SIGNING_SECRET,
        { user: 'U0PRIYA', channel: 'C0INC4211', ts: failure.ts, action_id: 'hotfix_extend_maintenance' },
        opts(),
      );
    await Promise.all([click(), click()]);
    const extended = await waitForRecord(t.bot, hotfix.ulid, (h) => h.maintenanceUntil !== undefined);
    const until = extended.maintenanceUntil!;
    expect(Date.parse(until)).toBeGreaterThan(Date.parse(booked!));
    const told = await reply(extended, /^note_extended_/);
    expect(told.text).toContain('now ends');
    await t.slack.waitFor(
      () =>
        statuspage.incidents(PAGE).find((i) => i.id === maintenance?.id)?.scheduled_until === until
          ? true
          : undefined,
      8000,
    );
    const event = google.events(CALENDAR).find((e) => e['id'] === failed.refs['calendarEventId']);
    expect(event?.['end']).toEqual({ dateTime: until });
    const events = await t.bot.deps.store.events(hotfix.ulid);
    expect(events.filter((e) => e.type === 'maintenance_extended')).toHaveLength(1);
    expect(statuspage.incidents(PAGE).find((i) => i.id === maintenance?.id)?.status).toBe('in_progress');

    await slash(`resolve ${hotfix.id} "rolled back by hand in Jenkins"`);
    const ended = await waitForRecord(t.bot, hotfix.ulid, (h) => h.state === 'resolved');
    await reply(ended, /^note_closed_/);
    expect(statuspage.incidents(PAGE).find((i) => i.id === maintenance?.id)?.status).toBe('completed');
    expect(jira.issue(key)?.status).toBe('Failed');
    expect(comments().some((c) => c.includes('resolved by hand: rolled back by hand in Jenkins'))).toBe(true);
  });

  it('tries a record that will not close again, then names it in the thread as left open', async () => {
    const hotfix = await planned();
    // Held by its calendar event, so it is cancelled before any deploy could start (a cancel is not what is tested).
    google.failNext(/events$/, { status: 503 }, 1, 'POST');
    await approve(hotfix);
    await reply(hotfix, /^note_record_calendar_failed_0$/);
    const queued = (await t.bot.deps.store.load(hotfix.ulid))!;
    const incident = queued.refs['statuspageIncidentId']!;
    statuspage.failNext(new RegExp(`/incidents/${incident}$`), { status: 503 }, 10, 'PATCH');
    await slash(`cancel ${hotfix.id} "window moved"`);
    const ended = await waitForRecord(t.bot, hotfix.ulid, (h) => h.state === 'cancelled');
    const note = await reply(ended, /^note_closed_/);
    expect(JSON.stringify(note.blocks)).toMatch(/Statuspage maintenance .* was left open/);
    expect(jira.issue(queued.refs['jiraKey']!)?.status).toBe('Cancelled');
    const patches = statuspage.calls.filter((c) => c.method === 'PATCH' && c.path.endsWith(incident));
    expect(patches).toHaveLength(4);
  });

  it('adds the timeline once when closing the ticket is tried again after its comment landed', async () => {
    const hotfix = await planned();
    // Held by its calendar event, so no deploy moves the ticket before the ending does.
    google.failNext(/events$/, { status: 503 }, 1, 'POST');
    await approve(hotfix);
    await reply(hotfix, /^note_record_calendar_failed_0$/);
    const key = (await t.bot.deps.store.load(hotfix.ulid))!.refs['jiraKey']!;
    // The timeline comment lands, then the move fails: the close is tried again and must find its comment.
    jira.failNext(new RegExp(`/issue/${key}/transitions$`), { status: 503 }, 1, 'POST');
    await slash(`cancel ${hotfix.id} "window moved"`);
    const ended = await waitForRecord(t.bot, hotfix.ulid, (h) => h.state === 'cancelled');
    const note = await reply(ended, /^note_closed_/);
    expect(JSON.stringify(note.blocks)).not.toContain('left open');
    expect(jira.issue(key)?.status).toBe('Cancelled');
    const timelines = (jira.issue(key)?.comments ?? []).filter((c) =>
      adfText(c.body).includes('Timeline of'),
    );
    expect(timelines).toHaveLength(1);
    const closed = (await t.bot.deps.store.load(hotfix.ulid))!;
    expect(closed.steps[`close_jira_${ended.stateSince.seq}_try_1`]?.result?.detail).toMatch(/^failed: /);
  });

  it('tells the thread when the ticket cannot be moved as the deploy starts, and the hotfix goes on', async () => {
    jenkins.scriptNextBuild(JOB, { stages: ['Deploy'], stageMs: 100 });
    const hotfix = await planned();
    // Creating the records moves no ticket: the first move is the deploy's start.
    jira.failNext(/\/transitions$/, { status: 503 }, 1, 'POST');
    await approve(hotfix);
    const note = await reply(hotfix, /^note_jira_started_1$/);
    const key = (await t.bot.deps.store.load(hotfix.ulid))!.refs['jiraKey']!;
    expect(note.text).toContain(`The bot could not mark the deploy's start on ${key}.`);
    expect(note.text).toMatch(/503/);
    expect(note.text).toContain('goes on; do it by hand in Jira');
    await waitForRecord(t.bot, hotfix.ulid, (h) => h.state === 'completed', 20_000);
  });

  it('brings the ticket and event text up to date when a plan with records is revised, and again when re-approved', async () => {
    const hotfix = await planned();
    // Held before the queue by its Statuspage maintenance, with the ticket and the event made: still revisable.
    statuspage.failNext(/incidents$/, { status: 503 }, 1, 'POST');
    await approve(hotfix);
    await reply(hotfix, /^note_record_statuspage_failed_0$/);
    const held = (await t.bot.deps.store.load(hotfix.ulid))!;
    const key = held.refs['jiraKey']!;
    const eventId = held.refs['calendarEventId']!;
    await clickButton(
      t.eventsUrl,
      SIGNING_SECRET,
      { user: 'U0PRIYA', channel: 'C0INC4211', ts: held.refs['planTs']!, action_id: 'hotfix_revise_open' },
      opts(),
    );
    await submitForm(t.slack, t.eventsUrl, {
      user: 'U0PRIYA',
      callbackId: 'hotfix_revise',
      hotfix: held,
      values: {
        services: { value: { type: 'plain_text_input', value: 'decanting-service@24-02-05.619-hotfix.628' } },
        severity: { value: { type: 'static_select', selected_option: { value: '2' } } },
      },
    });
    const event = () => google.events(CALENDAR).find((e) => e['id'] === eventId);
    await t.slack.waitFor(() => (jira.issue(key)?.summary.includes('hotfix.628') ? true : undefined), 8000);
    expect(jira.issue(key)?.summary).toContain('(sev 2)');
    expect(adfText(jira.issue(key)?.description)).toContain('Approved by nobody yet.');
    await t.slack.waitFor(
      () => (String(event()?.['summary']).includes('hotfix.628') ? true : undefined),
      8000,
    );
    expect(String(event()?.['description'])).toContain('severity 2');
    expect(issuesOf(hotfix)).toHaveLength(1);

    const revised = await waitForRecord(t.bot, hotfix.ulid, (h) => h.planVersion === 2);
    // The notice offers Approve again once it is redrawn for version 2.
    await t.slack.waitFor(() => {
      const notice = t.slack.messages('C0CHANGECTL').find((m) => m.ts === revised.refs['noticeTs']);
      const blocks = JSON.stringify(notice?.blocks ?? []);
      return blocks.includes('hotfix_approve') && /planVersion\\+":2/.test(blocks) ? true : undefined;
    }, 8000);
    await approve(revised);
    await t.slack.waitFor(
      () => (adfText(jira.issue(key)?.description).includes('Approved by Bob Okafor.') ? true : undefined),
      8000,
    );
    await slash(`cancel ${hotfix.id} "revised plan checked"`);
    await reply(await waitForRecord(t.bot, hotfix.ulid, (h) => h.state === 'cancelled'), /^note_closed_/);
  });

  it('finds a ticket an attempt created but did not record, instead of creating a second', async () => {
    const hotfix = await planned();
    // What a worker that died right after Jira answered leaves behind: its intent on the record, the ticket in Jira,
    // and no result.
    const intent = {
      type: 'record_intent' as const,
      step: 'record_jira',
      key: `${hotfix.ulid}.record_jira.dead`,
    };
    expect((await transact(t.bot.deps, { ulid: hotfix.ulid }, intent, BOT)).ok).toBe(true);
    const tickets = new JiraChangeTickets({
      host: jira.url,
      ...jira.account,
      projectKey: 'CHG',
      issueType: 'Change',
    });
    const orphan = await tickets.ensure(hotfix.ulid, ticketText(hotfix));
    await approve(hotfix);
    const queued = await waitForRecord(t.bot, hotfix.ulid, (h) => h.times.queuedAt !== undefined, 15_000);
    expect(queued.refs['jiraKey']).toBe(orphan.key);
    expect(queued.steps['record_jira']?.result?.detail).toBe(orphan.key);
    expect(issuesOf(hotfix)).toHaveLength(1);
    await slash(`cancel ${hotfix.id} "drill over"`);
    await waitForRecord(t.bot, hotfix.ulid, (h) => h.state === 'cancelled');
  });

  it('shows a rehearsal the records a real deploy would create, as a step of the drill, and creates none', async () => {
    const before = {
      issues: jira.state.issues.size,
      events: google.events(CALENDAR).length,
      incidents: statuspage.incidents(PAGE).length,
    };
    const answer = await slash(`plan runbook-drill@${TAG} acme staging`);
    const id = /HF-\d+/.exec(textOf(answer.body))?.[0];
    const hotfix = await waitForRecord(
      t.bot,
      (await t.bot.deps.store.findById(id!))!.ulid,
      (h) => h.refs['noticeTs'] !== undefined,
    );
    await approve(hotfix);
    const drilled = await waitForRecord(t.bot, hotfix.ulid, (h) => h.stages.length > 0, 15_000);
    expect(drilled.stages[0]?.name).toBe('Change records (shown, not created)');
    const plan = drilled.deployPlan?.join('\n') ?? '';
    expect(plan).toContain('would create the Jira change ticket (required): "Hotfix');
    expect(plan).toContain('would create the change-calendar event (required)');
    expect(plan).toContain(
      'would create the Statuspage maintenance (required): "Maintenance: update of runbook-drill"',
    );
    // People by the names the records would carry, as a real deploy's records name them.
    expect(plan).toContain('Requested by Priya Raman.');
    expect(plan).not.toMatch(/\bU0[A-Z0-9]+\b/);
    await slash(`cancel ${hotfix.id} "drill done"`);
    await waitForRecord(t.bot, hotfix.ulid, (h) => h.state === 'cancelled');
    expect({
      issues: jira.state.issues.size,
      events: google.events(CALENDAR).length,
      incidents: statuspage.incidents(PAGE).length,
    }).toEqual(before);
    expect(drilled.refs['jiraKey']).toBeUndefined();
  });

  it('refuses a plan at plan time when its env requires a record from a system that is not configured', async () => {
    const bare = await startTestBot(8, {
      env: {
        HOTFIX_CATALOG: recordsCatalog(),
        JENKINS_URL: jenkins.url,
        JENKINS_USER: jenkins.user,
        JENKINS_API_TOKEN: jenkins.apiToken,
      },
    });
    try {
      const answer = await sendSlashCommand(
        bare.eventsUrl,
        SIGNING_SECRET,
        { text: `plan decanting-service@${TAG} acme staging`, user_id: 'U0PRIYA', channel_id: 'C0INC4211' },
        { emulator: bare.slack },
      );
      expect(textOf(answer.body)).toContain('Jira and Google Calendar and Statuspage are not configured');
      // A rehearsal creates no records, so it needs none of those systems.
      const drill = await sendSlashCommand(
        bare.eventsUrl,
        SIGNING_SECRET,
        { text: `plan runbook-drill@${TAG} acme staging`, user_id: 'U0PRIYA', channel_id: 'C0INC4211' },
        { emulator: bare.slack },
      );
      expect(textOf(drill.body)).toMatch(/HF-\d+/);
    } finally {
      await bare.stop();
    }
  });
});

describe('a plan whose deploy window is hours away', () => {
  /** `at=` for the moment `hours` ahead of the bot's clock, as acme's people write it (New York time). */
  const windowIn = (hours: number) => {
    const local = localTime(new Date(botNow().getTime() + hours * 3_600_000), 'America/New_York');
    return `at=${local.date}T${local.time}`;
  };

  it('is approved ahead, gets a scheduled maintenance, and deploys when the window opens', async () => {
    // An earlier test leaves a maintenance open (a record that would not close): start from a quiet page.
    statuspage.state.setComponentStatus(PAGE, 'stgdecant', 'operational');
    statuspage.state.setComponentStatus(PAGE, 'stgagent', 'operational');
    const builds = jenkins.builds(JOB).length;
    const hotfix = await planned(windowIn(3));
    expect(hotfix.deployAt).toBeDefined();
    const opens = hotfix.deployAt!;
    await planShows(hotfix, /Deploy window.*opens/);
    const notice = () => t.slack.messages('C0CHANGECTL').find((m) => m.ts === hotfix.refs['noticeTs']);
    expect(JSON.stringify(notice()?.blocks)).toContain('Deploys when the deploy window opens');
    await approve(hotfix);
    const waiting = await waitForRecord(
      t.bot,
      hotfix.ulid,
      (h) => h.steps['window_wait']?.result !== undefined,
      15_000,
    );
    expect(waiting.state).toBe('approved');
    expect(waiting.times.queuedAt).toBeUndefined();
    const approvedReply = await t.slack.waitFor(
      () => replies(waiting).find((r) => /is approved/.test(String(r.text))),
      8000,
    );
    expect(String(approvedReply.text)).toContain('it waits for its deploy window');
    // Every record is made for the window; the public one is scheduled and touches no component yet.
    const [incident] = statuspage.incidents(PAGE).filter((i) => JSON.stringify(i).includes(hotfix.ulid));
    expect(incident).toMatchObject({ status: 'scheduled', scheduled_for: opens });
    expect(statuspage.component('stgdecant')?.status).toBe('operational');
    const event = google.events(CALENDAR).find((e) => JSON.stringify(e).includes(hotfix.ulid.toLowerCase()));
    expect(Date.parse(String((event?.['start'] as { dateTime?: string } | undefined)?.dateTime))).toBe(
      Date.parse(opens),
    );
    const [issue] = issuesOf(hotfix);
    expect(adfText(issue?.description)).toMatch(
      /Deploy window opens \w{3} \d{4}-\d{2}-\d{2} \d{2}:\d{2} America\/New_York/,
    );
    // Nothing deploys while the window is ahead, however often the reconciler looks.
    await new Promise((r) => setTimeout(r, 1500));
    expect((await t.bot.deps.store.load(hotfix.ulid))?.state).toBe('approved');
    expect(jenkins.builds(JOB)).toHaveLength(builds);

    // Meanwhile a component goes into an incident: completing the maintenance must leave it there.
    statuspage.state.setComponentStatus(PAGE, 'stgagent', 'major_outage');
    jenkins.scriptNextBuild(JOB, { stages: ['Deploy'], stageMs: 100 });
    clockAhead += Date.parse(opens) - botNow().getTime() + 60_000;
    const started = await waitForRecord(
      t.bot,
      hotfix.ulid,
      (h) => h.steps['statuspage_started']?.result !== undefined,
      20_000,
    );
    expect(started.steps['statuspage_started']?.result?.detail).toBe('in_progress');
    expect(statuspage.component('stgdecant')?.status).toBe('under_maintenance');
    const done = await waitForRecord(t.bot, hotfix.ulid, (h) => h.state === 'completed', 20_000);
    expect(Date.parse(done.times.queuedAt!)).toBeGreaterThanOrEqual(Date.parse(opens));
    // The owner hears that the window opened: a new reply with a mention, as Slack notifies nobody of an edit.
    const opened = await t.slack.waitFor(
      () => replies(done).find((r) => /The deploy window of HF-\d+ opened/.test(String(r.text))),
      8000,
    );
    expect(String(opened.text)).toContain('<@U0PRIYA>');
    await reply(done, /^note_closed_/);
    expect(jenkins.builds(JOB)).toHaveLength(builds + 1);
    const closed = statuspage.incidents(PAGE).find((i) => i.id === incident?.id);
    expect(closed?.status).toBe('completed');
    expect(statuspage.component('stgdecant')?.status).toBe('operational');
    expect(statuspage.component('stgagent')?.status).toBe('major_outage');
    statuspage.state.setComponentStatus(PAGE, 'stgagent', 'partial_outage');
  });

  it('cancelled before its window, calls off the scheduled maintenance without touching a component', async () => {
    const builds = jenkins.builds(JOB).length;
    const hotfix = await planned(windowIn(5));
    await approve(hotfix);
    await waitForRecord(t.bot, hotfix.ulid, (h) => h.steps['window_wait']?.result !== undefined, 15_000);
    statuspage.state.setComponentStatus(PAGE, 'stgdecant', 'degraded_performance');
    await slash(`cancel ${hotfix.id} "fixed by a config change instead"`);
    const cancelled = await waitForRecord(t.bot, hotfix.ulid, (h) => h.state === 'cancelled');
    const closed = await reply(cancelled, /^note_closed_/);
    expect(JSON.stringify(closed.blocks)).not.toContain('left open');
    // The window stays on the change calendar, marked called off: an event cannot end before it starts.
    const event = google.events(CALENDAR).find((e) => JSON.stringify(e).includes(hotfix.ulid.toLowerCase()));
    expect(String(event?.['summary'])).toMatch(/^Called off: Hotfix /);
    expect(String(event?.['description'])).toContain('ended cancelled before its deploy window opened');
    const incident = statuspage.incidents(PAGE).find((i) => JSON.stringify(i).includes(hotfix.ulid));
    expect(incident?.status).toBe('completed');
    expect(statuspage.component('stgdecant')?.status).toBe('degraded_performance');
    expect(jenkins.builds(JOB)).toHaveLength(builds);
    statuspage.state.setComponentStatus(PAGE, 'stgdecant', 'operational');
  });

  it('refuses a window that has passed, saying what time it is for the client', async () => {
    const answer = await slash(`plan decanting-service@${TAG} acme staging ${windowIn(-1)}`);
    expect(textOf(answer.body)).toMatch(
      /has passed \(it is \d{4}-\d{2}-\d{2} \d{2}:\d{2} in America\/New_York\)/,
    );
  });
});
