/**
 * Seed 003's branch rules: `hotfix/<ticket>` from the release tag, a name git accepts, one branch per hotfix, never
 * moving an existing branch, and never pushing to a hotfix branch that is deployed now.
 */
import { decideHotfixBranch, hotfixBranchName, pushRefusal } from '../../../src/domain/hotfix-branch.js';
import { Reason } from '../../../src/domain/reasons.js';

const TAG_SHA = 'a'.repeat(40);
const OTHER_SHA = 'b'.repeat(40);

describe('hotfixBranchName', () => {
  it.each([
    ['HOCS-1234', 'hotfix/HOCS-1234'],
    ['  HOCS-1234 ', 'hotfix/HOCS-1234'],
    ['hotfix/HOCS-1234', 'hotfix/HOCS-1234'],
    ['inc_42.b', 'hotfix/inc_42.b'],
  ])('%s -> %s', (ticket, branch) => {
    expect(hotfixBranchName(ticket)).toEqual({ ok: true, branch });
  });

  it.each(['', 'two words', 'a..b', 'x.lock', '.hidden', 'a/b', 'a~1', 'end.', 'x'.repeat(101)])(
    'refuses %p with the shape of a good ticket',
    (ticket) => {
      const result = hotfixBranchName(ticket);
      expect(result).toMatchObject({ ok: false, refusal: { code: Reason.BadBranch } });
      if (!result.ok) expect(result.refusal.message).toContain('HOCS-1234');
    },
  );
});

describe('decideHotfixBranch', () => {
  const branch = 'hotfix/HOCS-1234';

  it('creates a branch that does not exist at the tag commit', () => {
    expect(decideHotfixBranch({ branch, fromSha: TAG_SHA, existingSha: undefined, deployed: [] })).toEqual({
      ok: true,
      move: { action: 'create', branch, sha: TAG_SHA },
    });
  });

  it('answers with the existing branch when it is already at the tag commit, pushing nothing', () => {
    const deployed = [{ where: 'acme prod', sha: TAG_SHA, branch }];
    expect(decideHotfixBranch({ branch, fromSha: TAG_SHA, existingSha: TAG_SHA, deployed })).toEqual({
      ok: true,
      move: { action: 'exists', branch, sha: TAG_SHA },
    });
  });

  it('refuses to move a branch that exists at another commit', () => {
    const result = decideHotfixBranch({ branch, fromSha: TAG_SHA, existingSha: OTHER_SHA, deployed: [] });
    expect(result).toMatchObject({ ok: false, refusal: { code: Reason.BranchExists } });
    if (!result.ok) expect(result.refusal.message).toContain('bbbbbbb');
  });

  it('refuses, naming where, a branch that is deployed now', () => {
    const deployed = [{ where: 'acme prod', sha: OTHER_SHA }];
    const result = decideHotfixBranch({ branch, fromSha: TAG_SHA, existingSha: OTHER_SHA, deployed });
    expect(result).toMatchObject({ ok: false, refusal: { code: Reason.BranchDeployed } });
    if (!result.ok) expect(result.refusal.message).toMatch(/^hotfix\/HOCS-1234 is deployed in acme prod now/);
  });

  it('refuses a branch outside hotfix/', () => {
    expect(
      decideHotfixBranch({ branch: 'HOCS-1', fromSha: TAG_SHA, existingSha: undefined, deployed: [] }),
    ).toMatchObject({
      ok: false,
      refusal: { code: Reason.BadBranch },
    });
  });
});

describe('pushRefusal', () => {
  it('forbids pushing to a hotfix branch deployed now, by name or by commit, and allows others', () => {
    expect(
      pushRefusal('hotfix/A', TAG_SHA, [{ where: 'acme prod', sha: OTHER_SHA, branch: 'hotfix/A' }])?.code,
    ).toBe(Reason.BranchDeployed);
    expect(pushRefusal('hotfix/A', TAG_SHA, [{ where: 'acme prod', sha: TAG_SHA }])?.code).toBe(
      Reason.BranchDeployed,
    );
    expect(pushRefusal('hotfix/A', TAG_SHA, [{ where: 'acme prod', sha: OTHER_SHA }])).toBeUndefined();
    expect(pushRefusal('main', TAG_SHA, [{ where: 'acme prod', sha: TAG_SHA }])).toBeUndefined();
  });
});
