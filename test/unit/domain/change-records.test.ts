import {
  eventText,
  maintenanceText,
  stakeholdersOf,
  ticketText,
  ulidReference,
} from '../../../src/domain/change-records.js';
import { APPROVER_A, hotfixIn, planned } from './builders.js';

const ULID = '01JD0000000000000000000001';

describe('change-control record texts', () => {
  it('the ticket names services with current -> target versions, client, env, severity, people, incident, thread', () => {
    const hotfix = hotfixIn('deploying', {
      incident: { channel: 'C0INC', key: 'INC-7', startedAt: '2026-11-17T14:00:00.000Z' },
    });
    const text = ticketText(hotfix, {
      threadLink: 'https://slack.example/archives/C0INC/p1',
      names: { U0REQUESTER: 'Rita Requester' },
    });
    expect(text.title).toBe('Hotfix HF-1: decanting-service 24-02-05.619-hotfix.627 to acme staging (sev 3)');
    expect(text.paragraphs).toEqual([
      'Hotfix HF-1 for Acme Corp (acme) staging, severity 3.',
      'Services (current -> target): decanting-service: 24-01-20.600 -> 24-02-05.619-hotfix.627.',
      'Requested by Rita Requester.',
      `Approved by ${APPROVER_A.userId}.`,
      'Reason: orders stuck in decanting',
      'Incident: INC-7',
      'Slack thread: https://slack.example/archives/C0INC/p1',
      `Reference: hotfix-${ULID.toLowerCase()}`,
    ]);
  });

  it('the ticket of a plan not yet prepared says the current version is unknown and nobody approved yet', () => {
    const text = ticketText(planned());
    expect(text.paragraphs).toContain(
      'Services (current -> target): decanting-service: unknown -> 24-02-05.619-hotfix.627.',
    );
    expect(text.paragraphs).toContain('Approved by nobody yet.');
    expect(text.paragraphs.some((p) => p.startsWith('Incident:'))).toBe(false);
  });

  it('the event names every stakeholder once, since a service account cannot invite them', () => {
    const hotfix = hotfixIn('deploying');
    expect(stakeholdersOf(hotfix)).toEqual(['U0REQUESTER', APPROVER_A.userId, 'U0TAMACME', 'U0DECANT1']);
    const text = eventText(hotfix, { ticketKey: 'CHG-3', names: { U0TAMACME: 'Tam Acme' } });
    expect(text.paragraphs).toContain(
      `Stakeholders: U0REQUESTER, ${APPROVER_A.userId}, Tam Acme, U0DECANT1.`,
    );
    expect(text.paragraphs).toContain('Change ticket: CHG-3');
  });

  it('the public maintenance names the services and the reference, and nothing internal', () => {
    const hotfix = hotfixIn('deploying', {
      incident: { channel: 'C0INC', key: 'INC-7', startedAt: '2026-11-17T14:00:00.000Z' },
    });
    const text = maintenanceText(hotfix);
    expect(text.title).toBe('Maintenance: update of decanting-service');
    const all = [text.title, ...text.paragraphs].join('\n');
    expect(all).toContain(ulidReference(hotfix.ulid));
    expect(all).not.toMatch(/INC-7|U0REQUESTER|orders stuck/);
  });
});
