/** The demo's change-record systems (Jira, Google Calendar, Statuspage emulators) and what they hold at the end. */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { adfText, startJiraEmulator, type JiraEmulator } from '../test/emulators/jira/index.js';
import {
  startGoogleCalendarEmulator,
  type GoogleCalendarEmulator,
} from '../test/emulators/google-calendar/index.js';
import { startStatuspageEmulator, type StatuspageEmulator } from '../test/emulators/statuspage/index.js';
import { DEMO_CALENDAR, DEMO_PAGE } from './catalog.js';

/** Jira, Google Calendar and Statuspage emulators, and the variables that point the bot at them. */
export async function startRecordSystems() {
  const email = 'hotfix-bot@demo-project.iam.gserviceaccount.com';
  const keys = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  const jira = await startJiraEmulator();
  const google = await startGoogleCalendarEmulator({
    calendars: [DEMO_CALENDAR],
    serviceAccounts: [{ email, publicKey: keys.publicKey }],
  });
  const statuspage = await startStatuspageEmulator({
    pages: [
      {
        id: DEMO_PAGE,
        components: [
          { id: 'globexstgdecant', status: 'operational' },
          { id: 'globexstgagent', status: 'degraded_performance' },
        ],
      },
    ],
  });
  const keyFile = join(mkdtempSync(join(tmpdir(), 'hotfix-demo-sa-')), 'key.json');
  writeFileSync(keyFile, JSON.stringify({ client_email: email, private_key: keys.privateKey }));
  return {
    jira,
    google,
    statuspage,
    env: {
      JIRA_HOST: jira.url,
      JIRA_EMAIL: jira.account.email,
      JIRA_API_TOKEN: jira.account.apiToken,
      GOOGLE_APPLICATION_CREDENTIALS: keyFile,
      GOOGLE_CALENDAR_API_URL: google.rootUrl,
      STATUSPAGE_API_KEY: statuspage.apiKey,
      STATUSPAGE_API_URL: statuspage.apiUrl,
    },
    close: () => Promise.all([jira.close(), google.close(), statuspage.close()]),
  };
}

/** The change records as each system holds them at the end. */
export function recordLines(records: {
  jira: JiraEmulator;
  google: GoogleCalendarEmulator;
  statuspage: StatuspageEmulator;
}): string[] {
  const lines: string[] = [];
  for (const issue of records.jira.state.issues.values()) {
    lines.push(`Jira ${issue.key} [${issue.status}] ${issue.summary}`);
    for (const c of issue.comments)
      lines.push(
        ...adfText(c.body)
          .split('\n')
          .map((l) => `    comment: ${l}`),
      );
  }
  for (const e of records.google.events(DEMO_CALENDAR))
    lines.push(
      `Calendar ${String(e['summary'])}: ${JSON.stringify(e['start'])} -> ${JSON.stringify(e['end'])}`,
    );
  for (const i of records.statuspage.incidents(DEMO_PAGE))
    lines.push(`Statuspage maintenance ${i.id} [${i.status}] ${i.name}`);
  for (const id of ['globexstgdecant', 'globexstgagent'])
    lines.push(`Statuspage component ${id}: ${records.statuspage.component(id)?.status ?? 'missing'}`);
  return lines;
}
