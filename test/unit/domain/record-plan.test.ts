import { decide } from '../../../src/domain/decide.js';
import { timelineText } from '../../../src/domain/change-records.js';
import type { Hotfix } from '../../../src/domain/hotfix.js';
import {
  heldBy,
  plannedRecords,
  recordLinks,
  recordsOf,
  recordsUnavailable,
  rehearsedRecords,
} from '../../../src/domain/record-plan.js';
import { Reason } from '../../../src/domain/reasons.js';
import type { RecordKind } from '../../../src/domain/catalog.js';
import { NOW, ONCALL, hotfixIn } from './builders.js';

const ALL = new Set<RecordKind>(['jira', 'calendar', 'statuspage']);
const NONE = new Set<RecordKind>();

function failed(h: Hotfix, kind: RecordKind, round = 0): Hotfix {
  const step = `record_${kind}_failed_${round}`;
  return {
    ...h,
    steps: { ...h.steps, [step]: { result: { at: NOW.toISOString(), detail: 'unavailable: 503' } } },
  };
}

describe('which change records a hotfix gets', () => {
  const prod = hotfixIn('approved', { env: 'prod' });
  const staging = hotfixIn('approved');

  it('requires what policy.records names for the env, and adds enabled systems the env is set up for as optional', () => {
    expect(recordsOf(staging, NONE)).toEqual([{ kind: 'jira', required: true }]);
    expect(recordsOf(prod, ALL)).toEqual([
      { kind: 'jira', required: true },
      { kind: 'calendar', required: true },
      { kind: 'statuspage', required: true },
    ]);
    // Fixture staging has a change calendar but no Statuspage page: the calendar event comes as an optional record.
    expect(recordsOf(staging, ALL)).toEqual([
      { kind: 'jira', required: true },
      { kind: 'calendar', required: false },
    ]);
  });

  it('gives a rehearsal none, and shows it what a real deploy would get', () => {
    const drill = { ...prod, method: 'rehearsal' as const };
    expect(recordsOf(drill, ALL)).toEqual([]);
    expect(rehearsedRecords(drill, ALL).map((r) => r.kind)).toEqual(['jira', 'calendar', 'statuspage']);
    expect(rehearsedRecords(prod, ALL)).toEqual([]);
  });

  it('refuses a plan whose env requires a record from a system that is not configured, naming each', () => {
    const scope = {
      env: prod.snapshot.env,
      envName: 'prod',
      method: prod.method,
      policy: prod.snapshot.policy,
      severity: 3,
    };
    const refusal = recordsUnavailable(scope, new Set<RecordKind>(['jira']));
    expect(refusal?.code).toBe(Reason.RecordSystemDisabled);
    expect(refusal?.message).toContain('Google Calendar and Statuspage are not configured');
    expect(recordsUnavailable(scope, ALL)).toBeUndefined();
    expect(recordsUnavailable({ ...scope, method: 'rehearsal' }, NONE)).toBeUndefined();
    expect(plannedRecords({ ...scope, envName: 'dev' }, NONE)).toEqual([]);
  });

  it('reads policy.records per env and severity: a list for every severity, or sevN with a default', () => {
    const policy = {
      ...prod.snapshot.policy,
      records: {
        prod: { default: ['jira', 'calendar', 'statuspage'] as RecordKind[], sev4: ['jira'] as RecordKind[] },
        staging: ['jira'] as RecordKind[],
        dev: { sev1: ['jira'] as RecordKind[] },
      },
    };
    const at = (envName: string, severity: number) =>
      plannedRecords(
        { env: prod.snapshot.env, envName, method: 'jenkins-multi-deploy', policy, severity },
        NONE,
      )
        .filter((r) => r.required)
        .map((r) => r.kind);
    expect(at('prod', 2)).toEqual(['jira', 'calendar', 'statuspage']);
    expect(at('prod', 4)).toEqual(['jira']);
    expect(at('staging', 1)).toEqual(['jira']);
    expect(at('dev', 1)).toEqual(['jira']);
    expect(at('dev', 3)).toEqual([]);
    // A sev 4 prod hotfix is held only by what sev 4 requires.
    const minor = {
      ...prod,
      state: 'approved' as const,
      severity: 4 as const,
      snapshot: { ...prod.snapshot, policy },
    };
    expect(heldBy(failed(failed(minor, 'calendar'), 'jira'))).toEqual(['jira']);
    // The refusal at plan time follows the severity too.
    const scope = { env: prod.snapshot.env, envName: 'prod', method: prod.method, policy, severity: 4 };
    expect(recordsUnavailable(scope, new Set<RecordKind>(['jira']))).toBeUndefined();
    expect(recordsUnavailable({ ...scope, severity: 2 }, new Set<RecordKind>(['jira']))?.message).toContain(
      'at severity 2',
    );
  });

  it('is held by a required record that failed this round, never at Sev 1, and not once a Retry starts a new round', () => {
    expect(heldBy(failed(staging, 'jira'))).toEqual(['jira']);
    expect(heldBy(staging)).toEqual([]);
    expect(heldBy(failed({ ...staging, severity: 1 }, 'jira'))).toEqual([]);
    expect(heldBy(failed({ ...staging, recordRound: 1 }, 'jira'))).toEqual([]);
    // An optional record (calendar is not required in staging) never holds.
    expect(heldBy(failed(staging, 'calendar'))).toEqual([]);
  });

  it('accepts Retry on an approved hotfix only while its records hold it, starting the next round', () => {
    const refused = decide(staging, { type: 'retry' }, { now: NOW, actor: ONCALL });
    expect(refused).toMatchObject({ ok: false, refusal: { code: Reason.NotHeld } });
    const accepted = decide(failed(staging, 'jira'), { type: 'retry' }, { now: NOW, actor: ONCALL });
    expect(accepted).toMatchObject({ ok: true, events: [{ type: 'records_retried', round: 1 }] });
  });

  it('extends the maintenance an hour from the click, once for a double click, and only when there is one', () => {
    const failedHotfix = { ...hotfixIn('failed'), refs: { statuspageIncidentId: 'inc1' } };
    const first = decide(failedHotfix, { type: 'extend_maintenance' }, { now: NOW, actor: ONCALL });
    const until = new Date(Math.ceil((NOW.getTime() + 3600_000) / 60_000) * 60_000).toISOString();
    expect(first).toMatchObject({ ok: true, events: [{ type: 'maintenance_extended', until }] });
    const extended = { ...failedHotfix, maintenanceUntil: until };
    const soon = new Date(NOW.getTime() + 5_000);
    expect(decide(extended, { type: 'extend_maintenance' }, { now: soon, actor: ONCALL })).toMatchObject({
      ok: true,
      events: [],
    });
    const later = new Date(NOW.getTime() + 30 * 60_000);
    expect(decide(extended, { type: 'extend_maintenance' }, { now: later, actor: ONCALL })).toMatchObject({
      ok: true,
      events: [{ type: 'maintenance_extended' }],
    });
    const none = decide(hotfixIn('failed'), { type: 'extend_maintenance' }, { now: NOW, actor: ONCALL });
    expect(none).toMatchObject({ ok: false });
    const ended = decide(
      { ...failedHotfix, state: 'completed' },
      { type: 'extend_maintenance' },
      {
        now: NOW,
        actor: ONCALL,
      },
    );
    expect(ended).toMatchObject({ ok: false });
  });

  it('links each record that exists, in a fixed order', () => {
    const refs = {
      statuspageIncidentId: 'inc1',
      jiraKey: 'CHG-7',
      jiraUrl: 'https://jira.example/browse/CHG-7',
    };
    expect(recordLinks({ ...staging, refs })).toEqual([
      { kind: 'jira', label: 'Jira change ticket', id: 'CHG-7', url: 'https://jira.example/browse/CHG-7' },
      { kind: 'statuspage', label: 'Statuspage maintenance', id: 'inc1' },
    ]);
  });
});

describe('the change ticket timeline', () => {
  it('tells the audit trail with who and when, the duration and the deviations, leaving bookkeeping out', () => {
    const ended: Hotfix = {
      ...hotfixIn('approved'),
      state: 'resolved',
      attempts: 2,
      breakGlass: { by: 'U0ONCALL', at: NOW.toISOString(), reason: 'orders down' },
      times: {
        plannedAt: NOW.toISOString(),
        deployStartedAt: '2026-11-17T15:10:00.000Z',
        endedAt: '2026-11-17T16:25:00.000Z',
      },
    };
    const envelope = { by: 'U0ONCALL', planVersion: 1 };
    const text = timelineText(ended, [
      { ...envelope, at: '2026-11-17T15:10:00.000Z', type: 'deploy_started', attempt: 1 },
      { ...envelope, at: '2026-11-17T15:11:00.000Z', type: 'step_recorded', step: 'record_jira' },
      { ...envelope, at: '2026-11-17T16:25:00.000Z', type: 'resolved', reason: 'fixed by hand' },
    ]);
    expect(text.split('\n')).toEqual([
      "Timeline of HF-1 (UTC), from the bot's audit trail:",
      '2026-11-17 15:10:00 U0ONCALL: deploy started',
      '2026-11-17 16:25:00 U0ONCALL: resolved by hand: fixed by hand',
      'Deploy to end: 1 h 15 min.',
      'Deploy attempts: 2.',
      'Deviations: break-glass approval by U0ONCALL: orders down.',
      'Ended resolved.',
    ]);
  });
});
