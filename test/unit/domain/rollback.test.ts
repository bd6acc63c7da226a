import type { Hotfix } from '../../../src/domain/hotfix.js';
import { deployedSince, rollbackOffered, rollsBack, runningNow } from '../../../src/domain/rollback.js';
import { rollbackModal } from '../../../src/slack/blocks/rollback-modal.js';
import { renderModal } from '../slack/blocks/render.js';
import { hotfixIn } from './builders.js';

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
