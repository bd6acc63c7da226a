/**
 * The plan-time source check and the branch command, through the GitHub adapter against the GitHub emulator: green CI
 * goes with the change over the running version, red refuses naming the failing checks with links, pending holds per
 * policy, a missing tag or repository refuses readably, GitHub trouble is never a pass; the hotfix branch is created
 * from the running tag once, found again, and never moved or pushed to while deployed; the deployment record follows
 * the hotfix's states; the forward-port pull request is opened once, reminded about, and done when merged.
 */
import { GithubSourceHost } from '../../src/adapters/github/github-source-host.js';
import { Reason } from '../../src/domain/reasons.js';
import { deploymentMarkFor } from '../../src/domain/source-records.js';
import { createHotfixBranch } from '../../src/workflow/create-hotfix-branch.js';
import { checkForwardPort, type ForwardPortInput } from '../../src/workflow/forward-port.js';
import { checkSource, type SourceGateInput } from '../../src/workflow/source-gate.js';
import { startGithubEmulator, type GhRepo, type GithubEmulator } from '../emulators/github/index.js';

const REPO = 'example-org/decanting-service';
const RUNNING = '24-02-05.619';
const TARGET = '24-02-05.619-hotfix.627';
const now = new Date('2026-11-30T10:00:00Z');

describe('plan-time source check and branch command on GitHub', () => {
  let gh: GithubEmulator;
  let repo: GhRepo;
  let host: GithubSourceHost;
  let runningSha: string;
  let targetSha: string;
  const input: SourceGateInput = {
    service: 'decanting-service',
    repo: REPO,
    tag: TARGET,
    runningTag: RUNNING,
    now,
  };

  beforeEach(async () => {
    gh = await startGithubEmulator();
    repo = gh.createRepo(REPO);
    runningSha = repo.git.branches.get('main')!;
    repo.git.tag(RUNNING, runningSha, true);
    repo.git.commit('hotfix/HOCS-1', 'Fix totals', runningSha);
    targetSha = repo.git.commit('hotfix/HOCS-1', 'Guard empty totes');
    repo.git.tag(TARGET, targetSha, true);
    host = new GithubSourceHost({ apiUrl: gh.url, token: gh.token, retry: { retries: 0 } });
  });
  afterEach(() => gh.close());

  describe('checkSource', () => {
    it('goes on green CI, with the tag commit and the change over the running version', async () => {
      repo.addStatus(targetSha, { state: 'success', context: 'ci/jenkins' });
      repo.addCheckRun(targetSha, { name: 'unit', status: 'completed', conclusion: 'success' });
      const gate = await checkSource(host, input);
      expect(gate).toMatchObject({
        outcome: 'go',
        facts: {
          sha: targetSha,
          ci: { kind: 'green' },
          change: { aheadBy: 2, url: `https://github.com/${REPO}/compare/${RUNNING}...${TARGET}` },
        },
      });
    });

    it('refuses red CI naming the failing check and its link', async () => {
      const run = repo.addCheckRun(targetSha, { name: 'unit', status: 'completed', conclusion: 'failure' });
      const gate = await checkSource(host, input);
      expect(gate).toMatchObject({ outcome: 'refused', refusal: { code: Reason.CiRed } });
      if (gate.outcome === 'refused')
        expect(gate.refusal.message).toBe(
          `decanting-service@${TARGET}: CI failed on ${targetSha.slice(0, 7)}: unit (failure): ${run.html_url}. Fix the build and tag again.`,
        );
    });

    it('holds on pending CI, then goes once it is green', async () => {
      const run = repo.addCheckRun(targetSha, { name: 'e2e', status: 'in_progress' });
      const held = await checkSource(host, { ...input, policy: { whenPending: 'hold', waitMinutes: 30 } });
      expect(held).toMatchObject({ outcome: 'hold', until: new Date('2026-11-30T10:30:00Z') });
      if (held.outcome === 'hold') expect(held.message).toContain('Waiting for CI');
      repo.completeCheckRun(run.id, 'success');
      const later = new Date('2026-11-30T10:10:00Z');
      expect(await checkSource(host, { ...input, now: later, heldSince: now })).toMatchObject({
        outcome: 'go',
      });
    });

    it('refuses pending CI when the policy says refuse, and a commit with no CI at all', async () => {
      repo.addStatus(targetSha, { state: 'pending', context: 'ci/jenkins' });
      const refused = await checkSource(host, {
        ...input,
        policy: { whenPending: 'refuse', waitMinutes: 30 },
      });
      expect(refused).toMatchObject({ outcome: 'refused', refusal: { code: Reason.CiPending } });
      repo.git.tag('untested', runningSha, false);
      const none = await checkSource(host, { ...input, tag: 'untested' });
      expect(none).toMatchObject({ outcome: 'refused', refusal: { code: Reason.CiNone } });
    });

    it('refuses a tag the repository does not have', async () => {
      const gate = await checkSource(host, { ...input, tag: '24-02-05.620' });
      expect(gate).toMatchObject({
        outcome: 'refused',
        refusal: {
          code: Reason.TagMissing,
          message: expect.stringContaining(`${REPO} has no tag 24-02-05.620`),
        },
      });
    });

    it('is trouble, never a pass, when the repository is missing or GitHub is rate limited', async () => {
      const missing = await checkSource(host, { ...input, repo: 'example-org/gone' });
      expect(missing).toMatchObject({
        outcome: 'trouble',
        retryable: false,
        refusal: { code: Reason.SourceHostTrouble },
      });
      if (missing.outcome === 'trouble')
        expect(missing.refusal.message).toMatch(/Fix that, then plan again\.$/);
      repo.addStatus(targetSha, { state: 'success', context: 'ci/jenkins' });
      gh.secondaryLimitNext({ retryAfterSeconds: 120 });
      expect(await checkSource(host, input)).toMatchObject({
        outcome: 'trouble',
        retryable: true,
        retryAfterMs: 120_000,
      });
      gh.failNext(/\/check-runs$/, { status: 500 });
      expect(await checkSource(host, input)).toMatchObject({ outcome: 'trouble', retryable: true });
    });
  });

  describe('createHotfixBranch', () => {
    const request = {
      service: 'decanting-service',
      repo: REPO,
      ticket: 'HOCS-2',
      runningTag: RUNNING,
      deployed: [],
    };

    it('creates hotfix/<ticket> at the running tag commit, then finds it there', async () => {
      const url = `https://github.com/${REPO}/tree/hotfix/HOCS-2`;
      expect(await createHotfixBranch(host, request)).toEqual({
        ok: true,
        branch: 'hotfix/HOCS-2',
        url,
        sha: runningSha,
        created: true,
      });
      expect(repo.git.branches.get('hotfix/HOCS-2')).toBe(runningSha);
      expect(await createHotfixBranch(host, request)).toMatchObject({ ok: true, created: false });
      expect(gh.calls.filter((c) => c.method === 'POST')).toHaveLength(1);
    });

    it('never moves an existing branch, and names a deployed one', async () => {
      const existing = { ...request, ticket: 'HOCS-1' };
      expect(await createHotfixBranch(host, existing)).toMatchObject({
        ok: false,
        refusal: { code: Reason.BranchExists },
      });
      const deployed = [{ where: 'acme prod', sha: targetSha, branch: 'hotfix/HOCS-1' }];
      expect(await createHotfixBranch(host, { ...existing, deployed })).toMatchObject({
        ok: false,
        refusal: { code: Reason.BranchDeployed },
      });
      expect(repo.git.branches.get('hotfix/HOCS-1')).toBe(targetSha);
      expect(gh.calls.filter((c) => c.method === 'POST')).toHaveLength(0);
    });

    it('refuses a bad ticket before calling GitHub, and a running tag that does not exist', async () => {
      expect(await createHotfixBranch(host, { ...request, ticket: 'two words' })).toMatchObject({
        ok: false,
        refusal: { code: Reason.BadBranch },
      });
      expect(gh.calls).toHaveLength(0);
      expect(await createHotfixBranch(host, { ...request, runningTag: 'v0' })).toMatchObject({
        ok: false,
        refusal: { code: Reason.TagMissing },
      });
    });

    it('turns GitHub trouble into a refusal that says whether to try again', async () => {
      gh.failNext(/\/git\/refs$/, { status: 503 });
      const answer = await createHotfixBranch(host, request);
      expect(answer).toMatchObject({
        ok: false,
        retryable: true,
        refusal: { code: Reason.SourceHostTrouble },
      });
      if (!answer.ok) expect(answer.refusal.message).toContain('GitHub is unavailable (503)');
      expect(repo.git.branches.has('hotfix/HOCS-2')).toBe(false);
    });
  });
  describe('deployment record as the hotfix moves', () => {
    it('shows queued, in progress, success, then inactive after a rollback, each once', async () => {
      const d = await host.ensureDeployment({
        repo: REPO,
        ref: TARGET,
        environment: 'acme-prod',
        ulid: '01JD00000000000000000000AB',
        hotfixId: 'HF-7',
        description: 'HF-7',
        production: true,
      });
      const path = [
        'preparing',
        'deploying',
        'awaiting_input',
        'deploying',
        'verifying',
        'completed',
        'rolling_back',
        'rolled_back',
      ] as const;
      for (const state of path) {
        const mark = deploymentMarkFor(state, true);
        if (mark) await host.setDeploymentState(REPO, d, mark, { description: `HF-7 ${state}` });
      }
      expect(repo.deployments[0]?.statuses.map((s) => s.state).reverse()).toEqual([
        'queued',
        'in_progress',
        'success',
        'inactive',
      ]);
    });
  });

  describe('checkForwardPort', () => {
    const base: ForwardPortInput = {
      hotfixId: 'HF-7',
      service: 'decanting-service',
      repo: REPO,
      tag: TARGET,
      sha: '',
      where: 'acme prod',
      everyHours: 24,
      now,
    };

    it('opens the pull request from the tag branch once, reminds, and is done once merged', async () => {
      const first = await checkForwardPort(host, { ...base, sha: targetSha });
      expect(first).toMatchObject({
        step: 'remind',
        at: new Date('2026-12-01T10:00:00Z'),
        pr: { number: 1, state: 'open', url: `https://github.com/${REPO}/pull/1` },
      });
      expect(repo.pulls[0]).toMatchObject({
        head: 'hotfix/HOCS-1',
        base: 'main',
        title: 'Forward-port HF-7: hotfix/HOCS-1 into main',
      });
      const pr = first.step === 'remind' ? first.pr : undefined;
      const lastRemindedAt = new Date('2026-12-01T10:00:00Z');
      expect(
        await checkForwardPort(host, { ...base, sha: targetSha, ...(pr ? { pr } : {}), lastRemindedAt }),
      ).toMatchObject({
        step: 'remind',
        at: new Date('2026-12-02T10:00:00Z'),
      });
      expect(repo.pulls).toHaveLength(1);
      repo.mergePull(1);
      expect(await checkForwardPort(host, { ...base, sha: targetSha, ...(pr ? { pr } : {}) })).toEqual({
        step: 'done',
        why: 'on_default_branch',
      });
    });

    it('is done without a pull request when the fix is already on main, or when waived', async () => {
      expect(await checkForwardPort(host, { ...base, tag: RUNNING, sha: runningSha })).toEqual({
        step: 'done',
        why: 'on_default_branch',
      });
      const waiver = { by: 'U0DECANT1', reason: 'main was rewritten', at: now };
      expect(await checkForwardPort(host, { ...base, sha: targetSha, waiver })).toEqual({
        step: 'done',
        why: 'not_needed',
      });
      expect(repo.pulls).toHaveLength(0);
    });

    it('says when no hotfix branch holds the tag, and when GitHub could not answer', async () => {
      const stray = repo.git.commit('release/x', 'cut elsewhere', runningSha);
      repo.git.tag('stray', stray, false);
      const none = await checkForwardPort(host, { ...base, tag: 'stray', sha: stray });
      expect(none).toMatchObject({
        step: 'no_branch',
        message: expect.stringContaining('no hotfix/ branch holds it'),
      });
      gh.failNext(/\/compare\//, { status: 502 });
      expect(await checkForwardPort(host, { ...base, sha: targetSha })).toMatchObject({
        step: 'trouble',
        retryable: true,
      });
    });
  });
});
