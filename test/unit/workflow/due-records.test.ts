import { dueSteps } from '../../../src/workflow/due-steps.js';
import type { Hotfix } from '../../../src/domain/hotfix.js';
import { NOW, hotfixIn } from '../domain/builders.js';

const LATER = new Date(NOW.getTime() + 60_000);
const approvedAt = NOW.toISOString();

function sev1(state: Hotfix['state'] = 'queued'): Hotfix {
  const h = hotfixIn('approved', { severity: 1 });
  return { ...h, state, times: { ...h.times, approvedAt } };
}
const owesRecords = (h: Hotfix) => dueSteps(h, LATER).some((j) => j.step === 'open_records');

describe('the reconciler and change records', () => {
  it('brings back the lost records job of a Sev 1 whose required records are neither created nor failed', () => {
    expect(owesRecords(sev1())).toBe(true);
  });

  it('leaves alone a Sev 1 whose records exist or failed this round, one that ended, and other severities', () => {
    const done = sev1();
    done.steps = { record_jira: { result: { at: approvedAt, detail: 'CHG-1' } } };
    expect(owesRecords(done)).toBe(false);
    const failed = sev1();
    failed.steps = { record_jira_failed_0: { result: { at: approvedAt, detail: 'unavailable: 503' } } };
    expect(owesRecords(failed)).toBe(false);
    expect(owesRecords(sev1('cancelled'))).toBe(false);
    expect(owesRecords({ ...sev1(), severity: 3 })).toBe(false);
    expect(dueSteps(sev1(), new Date(NOW.getTime() + 1000)).some((j) => j.step === 'open_records')).toBe(
      false,
    );
  });
});
