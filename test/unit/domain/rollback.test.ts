import type { Hotfix } from '../../../src/domain/hotfix.js';
import {
  deployedSince,
  failedBeforeDeploy,
  rollbackOffered,
  rollsBack,
  runningNow,
} from '../../../src/domain/rollback.js';
import { rollbackModal } from '../../../src/slack/blocks/rollback-modal.js';
import { renderModal } from '../slack/blocks/render.js';
import { BOT, NOW, REQUESTER, hotfixIn, run } from './builders.js';

/** A hotfix as another one on the same client and env, deploying `tag` at `at`. */
function other(id: string, tag: string, at: string, changes: Partial<Hotfix> = {}): Hotfix {
  const base = hotfixIn('completed');
  return {
    ...base,
    id,
    ulid: `01ULID${id}`,
    services: base.services.map((s) => ({ ...s, tag })),
    times: { ...base.times, deployStartedAt: at },
    ...changes,
  };
}

describe('what a rollback would undo', () => {
  const mine = hotfixIn('completed');
  const deployed = Date.parse(mine.times.deployStartedAt ?? '');
  const later = (minutes: number) => new Date(deployed + minutes * 60_000).toISOString();

  it('names the hotfixes deployed to the same client and env since, newest first; not earlier, rolled-back, rehearsal or other envs', () => {
    const others = [
      other('HF-7', '24-02-05.619-hotfix.700', later(5)),
      other('HF-8', '24-02-05.619-hotfix.800', later(9)),
      other('HF-2', '24-02-05.619-hotfix.200', later(-30)),
      other('HF-9', '24-02-05.619-hotfix.900', later(12), { state: 'rolled_back' }),
      other('HF-10', '24-02-05.619-hotfix.100', later(14), { method: 'rehearsal' }),
      other('HF-11', '24-02-05.619-hotfix.110', later(15), { env: 'prod' }),
      mine,
    ];
    expect(deployedSince(mine, others).map((h) => h.id)).toEqual(['HF-8', 'HF-7']);
    expect(runningNow(mine, deployedSince(mine, others), 'decanting-service')).toEqual({
      tag: '24-02-05.619-hotfix.800',
      by: 'HF-8',
    });
    expect(runningNow(mine, [], 'decanting-service')).toEqual({ tag: mine.services[0]?.tag, by: mine.id });
  });

  it('the confirmation says which later hotfix it undoes, and from which version', () => {
    const newer = other('HF-8', '24-02-05.619-hotfix.800', later(9));
    const text = renderModal(rollbackModal(mine, undefined, [newer]));
    expect(text).toContain('decanting-service `24-02-05.619-hotfix.800` (HF-8) → `24-01-20.600`');
    expect(text).toContain(`Deployed to Acme Corp staging since ${mine.id}:* *HF-8* (completed)`);
    expect(text).toContain('HF-8: undoes decanting-service `24-02-05.619-hotfix.800`');
    expect(text).toContain('the rollback first takes it again');
    const alone = renderModal(rollbackModal(mine, undefined, []));
    expect(alone).not.toContain('Deployed to');
  });

  it('is offered for Jenkins and rehearsals once deployed, with a version to return to', () => {
    expect(rollsBack({ ...mine, method: 'rehearsal' })).toBe(true);
    expect(rollsBack({ ...mine, method: 'ecs-run-once' })).toBe(false);
    for (const state of ['verifying', 'failed', 'completed'] as const)
      expect([state, rollbackOffered(hotfixIn(state))]).toEqual([state, true]);
    for (const state of ['deploying', 'rolled_back', 'rollback_queued'] as const)
      expect([state, rollbackOffered(hotfixIn(state))]).toEqual([state, false]);
  });
});

describe('a failure before any deploy started', () => {
  const failure = (h: Hotfix) => {
    if (!h.failure) throw new Error(`${h.id} has no failure`);
    return h.failure;
  };

  it('is one when preparing failed, and stays one after a Retry that deployed', () => {
    const failed = run(hotfixIn('preparing'), {
      type: 'deploy_failed',
      message: 'Jenkins is unavailable (503)',
    });
    expect(failedBeforeDeploy(failed, failure(failed))).toBe(true);
    const later = new Date(NOW.getTime() + 5 * 60_000);
    const retried = run(run(failed, { type: 'retry' }, REQUESTER, later), {
      type: 'prepare',
      versionsBefore: {},
      deployPlan: ['build'],
    });
    const deploying = run(retried, { type: 'start_deploy' }, BOT, later);
    expect(failedBeforeDeploy(deploying, failure(failed))).toBe(true);
  });

  it('is not one once the deploy started, nor for a failed verify or rollback', () => {
    for (const state of ['failed', 'rollback_failed'] as const) {
      const h = hotfixIn(state);
      expect([state, failedBeforeDeploy(h, failure(h))]).toEqual([state, false]);
    }
    const verify = run(hotfixIn('verifying'), { type: 'verify_failed', message: 'health 503' });
    expect(failedBeforeDeploy(verify, failure(verify))).toBe(false);
  });
});
