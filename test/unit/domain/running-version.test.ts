import type { Hotfix } from '../../../src/domain/hotfix.js';
import { rollbackTarget } from '../../../src/domain/rollback.js';
import { isVersion, runningVersion, versionsRead } from '../../../src/domain/running-version.js';
import { REQUESTER, hotfixIn, run } from './builders.js';

const TAG = '24-02-05.619-hotfix.627';
const BEFORE = '24-01-20.600';

/** A hotfix in `state` whose deploy started `minutes` after the others' (newer deploys decide). */
function at(state: Parameters<typeof hotfixIn>[0], minutes: number, tag = TAG): Hotfix {
  const hotfix = hotfixIn(state, {
    services: [{ service: 'decanting-service', tag, method: 'jenkins-multi-deploy' }],
  });
  const started = new Date(Date.parse('2026-11-17T15:00:00Z') + minutes * 60_000).toISOString();
  return hotfix.times.deployStartedAt
    ? { ...hotfix, times: { ...hotfix.times, deployStartedAt: started } }
    : hotfix;
}

describe('runningVersion: what the records say runs in an environment', () => {
  it('is the tag of the newest completed hotfix', () => {
    const older = at('completed', 0, '24-02-05.619-hotfix.600');
    const newer = at('completed', 10, TAG);
    expect(runningVersion([older, newer], 'decanting-service')).toEqual({
      known: true,
      tag: TAG,
      hotfixId: newer.id,
      how: 'completed',
    });
  });

  it('is the captured version after a rollback', () => {
    expect(runningVersion([at('rolled_back', 0)], 'decanting-service')).toMatchObject({
      known: true,
      tag: BEFORE,
      how: 'rolled_back',
    });
  });

  it('is the captured version while a deploy runs', () => {
    expect(runningVersion([at('completed', 0, 'x'), at('verifying', 5)], 'decanting-service')).toMatchObject({
      known: true,
      tag: BEFORE,
      how: 'captured',
    });
  });

  it('is not known while a deploy runs, nor after its rollback, when the running version was not read', () => {
    // Preparing leaves out a service whose running version the method could not read.
    const unread = (h: Hotfix): Hotfix => ({ ...h, versionsBefore: {} });
    for (const state of ['verifying', 'rolled_back'] as const) {
      expect(
        runningVersion([at('completed', 0, 'x'), unread(at(state, 5))], 'decanting-service'),
      ).toMatchObject({
        known: false,
        state: state.replace(/_/g, ' '),
      });
    }
  });

  it('treats the sentence older records hold in place of a version as not read, for the running version and the rollback', () => {
    const sentence =
      'unknown (no successful multi_deploy_pipeline build for acme staging among those Jenkins lists deployed it)';
    const old = (h: Hotfix): Hotfix => ({ ...h, versionsBefore: { 'decanting-service': sentence } });
    for (const state of ['verifying', 'rolled_back'] as const) {
      expect(runningVersion([at('completed', 0, 'x'), old(at(state, 5))], 'decanting-service')).toMatchObject(
        { known: false, state: state.replace(/_/g, ' ') },
      );
    }
    const failed = old(at('failed', 5));
    expect(versionsRead(failed)).toEqual({});
    expect(rollbackTarget(failed)).toBeUndefined();
    expect(versionsRead(at('failed', 5))).toEqual({ 'decanting-service': BEFORE });
    expect(versionsRead({})).toBeUndefined();
    expect([BEFORE, 'sha256:ab12', sentence, '', undefined].map(isVersion)).toEqual([
      true,
      true,
      false,
      false,
      false,
    ]);
  });

  it.each(['failed', 'rollback_failed', 'resolved'] as const)('is not guessed after a hotfix %s', (state) => {
    expect(runningVersion([at('completed', 0), at(state, 5)], 'decanting-service')).toMatchObject({
      known: false,
      state: state.replace(/_/g, ' '),
    });
  });

  it('ignores plans that never deployed, rehearsals and other services', () => {
    const rehearsal = hotfixIn('completed', {
      method: 'rehearsal',
      services: [{ service: 'decanting-service', tag: 'drill', method: 'rehearsal' }],
    });
    const planned = at('planned', 0);
    const cancelled = run(at('approved', 0), { type: 'cancel', reason: 'not needed' }, REQUESTER);
    expect(runningVersion([rehearsal, planned, cancelled], 'decanting-service')).toBeUndefined();
    expect(runningVersion([at('completed', 0)], 'external-agent')).toBeUndefined();
  });
});
