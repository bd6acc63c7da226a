import { recordNoteMessage, recordsLine } from '../../../../src/slack/blocks/record-replies.js';
import { hotfixIn } from '../../domain/builders.js';
import { limitViolations, render } from './render.js';

const hotfix = {
  ...hotfixIn('approved', { env: 'prod' }),
  refs: {
    jiraKey: 'CHG-7',
    jiraUrl: 'https://acme.atlassian.net/browse/CHG-7',
    calendarEventId: 'evt1',
    calendarUrl: 'https://www.google.com/calendar/event?eid=evt1',
    statuspageIncidentId: 'inc1',
  },
};
const jira = {
  kind: 'jira' as const,
  label: 'Jira change ticket',
  id: 'CHG-7',
  url: 'https://acme.atlassian.net/browse/CHG-7',
};
const page = { kind: 'statuspage' as const, label: 'Statuspage maintenance', id: 'inc1' };

describe('record replies', () => {
  it('links every record that exists, in one line for the plan, the notice and the status', () => {
    expect(recordsLine(hotfix)).toBe(
      'Records: Jira change ticket <https://acme.atlassian.net/browse/CHG-7|CHG-7> · change-calendar event <https://www.google.com/calendar/event?eid=evt1|evt1> · Statuspage maintenance inc1',
    );
    expect(recordsLine(hotfixIn('approved'))).toBeUndefined();
  });

  it('names the system and its error, says the hotfix is held, and offers Retry only when held', () => {
    const held = recordNoteMessage(hotfix, {
      kind: 'failed',
      record: 'calendar',
      failure: 'credentials',
      message: 'Google Calendar answered 403: the service account has no access to the calendar',
      held: true,
    });
    expect(render(held)).toMatchSnapshot();
    expect(limitViolations(held.blocks)).toEqual([]);
    const optional = recordNoteMessage(
      { ...hotfix, severity: 1 },
      { kind: 'failed', record: 'jira', failure: 'unavailable', message: 'Jira answered 503', held: false },
    );
    expect(optional.text).toContain('goes on without it');
    expect(JSON.stringify(optional.blocks)).not.toContain('hotfix_retry');
  });

  it('drops Retry once retried, linking the record that exists now or pointing at the newer failure', () => {
    const failure = {
      kind: 'failed' as const,
      record: 'jira' as const,
      failure: 'unavailable' as const,
      message: 'Jira answered 503',
      held: false,
    };
    const created = recordNoteMessage(hotfix, { ...failure, retried: { link: jira } });
    expect(render(created)).toMatchSnapshot();
    expect(JSON.stringify(created.blocks)).not.toContain('hotfix_retry');
    expect(created.text).toContain('Retried: the Jira change ticket exists now');
    const again = recordNoteMessage(hotfix, { ...failure, held: true, retried: 'again' });
    expect(JSON.stringify(again.blocks)).not.toContain('hotfix_retry');
    expect(again.text).toContain('it failed again, see the newer message below');
  });

  it('names a ticket update that failed, and that the hotfix goes on', () => {
    const note = recordNoteMessage(hotfix, {
      kind: 'not_updated',
      record: 'jira',
      what: "mark the deploy's start on CHG-7",
      failure: 'unavailable',
      message: 'Jira could not move CHG-7 through "Start Progress": HTTP 503',
    });
    expect(note.text).toBe(
      `The bot could not mark the deploy's start on CHG-7. Jira could not move CHG-7 through "Start Progress": HTTP 503 ${hotfix.id} goes on; do it by hand in Jira. It did not answer properly; it is usually back within minutes.`,
    );
    expect(limitViolations(note.blocks)).toEqual([]);
  });

  it('says what was closed and names what was left open', () => {
    const note = recordNoteMessage(hotfix, {
      kind: 'closed',
      closed: [{ link: jira, what: 'timeline added, now Done' }],
      leftOpen: [{ link: page, why: 'Statuspage answered 503' }],
    });
    expect(render(note)).toMatchSnapshot();
  });
});
