/**
 * The SourceHost port on GitHub (Octokit) against the GitHub emulator: tags (annotated ones followed to the commit),
 * CI checks from commit statuses and check runs over several pages, compare and the default-branch check, the
 * deployment record found again by the hotfix ULID with idempotent statuses, the forward-port pull request, branch
 * creation, and outside trouble: short waits retried, long ones handed back, missing repositories named.
 */
import { GithubSourceHost } from '../../src/adapters/github/github-source-host.js';
import { ciVerdict } from '../../src/domain/ci-verdict.js';
import { SourceHostError, type DeploymentDraft } from '../../src/ports/source-host.js';
import { startGithubEmulator, type GhRepo, type GithubEmulator } from '../emulators/github/index.js';

const REPO = 'example-org/decanting-service';
const ULID = '01JD00000000000000000000AB';

async function caught(promise: Promise<unknown>): Promise<SourceHostError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof SourceHostError) return error;
    throw error;
  }
  throw new Error('expected a SourceHostError');
}

describe('GitHub source host', () => {
  let gh: GithubEmulator;
  let repo: GhRepo;
  let host: GithubSourceHost;
  let running: string;
  let target: string;

  beforeEach(async () => {
    gh = await startGithubEmulator();
    repo = gh.createRepo(REPO);
    running = repo.git.branches.get('main')!;
    repo.git.tag('24-02-05.619', running, true);
    repo.git.commit('hotfix/HOCS-1', 'Fix decanting totals', running);
    target = repo.git.commit('hotfix/HOCS-1', 'Guard against empty totes');
    repo.git.tag('24-02-05.619-hotfix.627', target, true);
    host = new GithubSourceHost({ apiUrl: gh.url, token: gh.token, retry: { backoffMs: 10 } });
  });
  afterEach(() => gh.close());

  describe('tags', () => {
    it('finds an annotated tag at its commit, with its release when there is one', async () => {
      repo.addRelease('24-02-05.619-hotfix.627', 'Hotfix 627');
      expect(await host.findTag(REPO, '24-02-05.619-hotfix.627')).toEqual({
        found: true,
        tag: '24-02-05.619-hotfix.627',
        sha: target,
        url: `https://github.com/${REPO}/tree/24-02-05.619-hotfix.627`,
        release: {
          name: 'Hotfix 627',
          url: `https://github.com/${REPO}/releases/tag/24-02-05.619-hotfix.627`,
        },
      });
    });

    it('finds a lightweight tag without a release', async () => {
      repo.git.tag('light', target, false);
      const found = await host.findTag(REPO, 'light');
      expect(found).toMatchObject({ found: true, sha: target });
      expect(found).not.toHaveProperty('release');
    });

    it('says a tag is missing in a sentence naming the repository and the tag', async () => {
      expect(await host.findTag(REPO, '24-02-05.999')).toEqual({
        found: false,
        tag: '24-02-05.999',
        message: `${REPO} has no tag 24-02-05.999: check the version, or push the tag (git push origin 24-02-05.999).`,
      });
    });

    it('refuses a missing repository readably and without retrying', async () => {
      const error = await caught(host.findTag('example-org/gone', 'v1'));
      expect(error).toMatchObject({ code: 'repo_not_found', retryable: false, status: 404 });
      expect(error.message).toBe(
        "GitHub has no repository example-org/gone, or GITHUB_TOKEN cannot see it: check the service's repo in the catalog",
      );
    });
  });

  describe('CI checks', () => {
    it('reads statuses and every page of check runs into checks the verdict can judge', async () => {
      repo.addStatus(target, { state: 'success', context: 'ci/jenkins', target_url: 'https://ci.example/1' });
      for (let i = 0; i < 120; i += 1)
        repo.addCheckRun(target, {
          name: `test-${i}`,
          status: 'completed',
          conclusion: i % 2 ? 'success' : 'skipped',
        });
      const { sha, checks } = await host.commitChecks(REPO, target);
      expect(sha).toBe(target);
      expect(checks).toHaveLength(121);
      expect(checks[0]).toEqual({
        name: 'ci/jenkins',
        state: 'passed',
        detail: 'success',
        url: 'https://ci.example/1',
      });
      expect(ciVerdict(checks).kind).toBe('green');
      expect(gh.calls.filter((c) => c.path.endsWith('/check-runs'))).toHaveLength(2);
    });

    it('names failing checks with their links, and what is still running', async () => {
      repo.addStatus(target, { state: 'error', context: 'ci/jenkins', target_url: 'https://ci.example/2' });
      const run = repo.addCheckRun(target, { name: 'unit', status: 'completed', conclusion: 'timed_out' });
      repo.addCheckRun(target, { name: 'e2e', status: 'in_progress' });
      repo.addCheckRun(target, { name: 'lint', status: 'completed', conclusion: 'neutral' });
      const verdict = ciVerdict((await host.commitChecks(REPO, target)).checks);
      expect(verdict).toEqual({
        kind: 'red',
        failed: [
          { name: 'ci/jenkins', state: 'failed', detail: 'error', url: 'https://ci.example/2' },
          { name: 'unit', state: 'failed', detail: 'timed_out', url: run.html_url },
        ],
        pending: [expect.objectContaining({ name: 'e2e', state: 'pending', detail: 'in_progress' })],
      });
    });

    it('reads only the newest run of a re-run check', async () => {
      repo.addCheckRun(target, { name: 'unit', status: 'completed', conclusion: 'failure' });
      repo.addCheckRun(target, { name: 'unit', status: 'queued' });
      expect(ciVerdict((await host.commitChecks(REPO, target)).checks)).toMatchObject({ kind: 'pending' });
    });

    it('reports no checks at all as no checks, not as pending or green', async () => {
      expect((await host.commitChecks(REPO, target)).checks).toEqual([]);
    });
  });

  describe('compare and the default branch', () => {
    it('counts the commits between the running tag and the target with the compare link', async () => {
      expect(await host.compare(REPO, '24-02-05.619', '24-02-05.619-hotfix.627')).toEqual({
        status: 'ahead',
        aheadBy: 2,
        behindBy: 0,
        totalCommits: 2,
        url: `https://github.com/${REPO}/compare/24-02-05.619...24-02-05.619-hotfix.627`,
      });
    });

    it('says a hotfix tag is not on the default branch until its pull request is merged', async () => {
      const before = await host.onDefaultBranch(REPO, '24-02-05.619-hotfix.627');
      expect(before).toMatchObject({ defaultBranch: 'main', contained: false, comparison: { aheadBy: 2 } });
      repo.git.commit('main', 'mainline work');
      const pr = await host.ensureForwardPort(REPO, 'hotfix/HOCS-1', {
        title: 'Forward-port HOCS-1',
        body: 'From HF-7',
      });
      repo.mergePull(pr.number);
      const after = await host.onDefaultBranch(REPO, '24-02-05.619-hotfix.627');
      expect(after).toMatchObject({ contained: true, comparison: { status: 'behind', aheadBy: 0 } });
    });
  });

  describe('deployment records', () => {
    const draft: DeploymentDraft = {
      repo: REPO,
      ref: '24-02-05.619-hotfix.627',
      environment: 'acme-prod',
      ulid: ULID,
      hotfixId: 'HF-7',
      description: 'HF-7: decanting-service 24-02-05.619-hotfix.627 to acme prod',
      production: true,
    };

    it('creates the deployment once, carrying the ULID, even while a status context is still pending', async () => {
      repo.addStatus(target, { state: 'pending', context: 'ci/slow-nightly' });
      const first = await host.ensureDeployment(draft);
      expect(first).toEqual({
        id: expect.any(Number),
        ref: draft.ref,
        sha: target,
        environment: 'acme-prod',
        ulid: ULID,
      });
      const again = await host.ensureDeployment(draft);
      expect(again.id).toBe(first.id);
      expect(repo.deployments).toHaveLength(1);
      expect(repo.deployments[0]).toMatchObject({
        task: 'deploy:hotfix',
        payload: { hotfix_ulid: ULID, hotfix_id: 'HF-7' },
        production_environment: true,
      });
      expect(
        await host.findDeployment(REPO, 'acme-prod', draft.ref, '01JD00000000000000000000ZZ'),
      ).toBeUndefined();
    });

    it('moves through statuses once each and finds its newest state again', async () => {
      const d = await host.ensureDeployment(draft);
      await host.setDeploymentState(REPO, d, 'in_progress', {
        description: 'Deploying',
        logUrl: 'https://jenkins.example/job/1',
      });
      await host.setDeploymentState(REPO, d, 'in_progress', { description: 'Deploying' });
      await host.setDeploymentState(REPO, d, 'success', { description: 'Verified' });
      await host.setDeploymentState(REPO, d, 'inactive', { description: 'Rolled back' });
      expect(repo.deployments[0]?.statuses.map((s) => s.state)).toEqual([
        'inactive',
        'success',
        'in_progress',
      ]);
      expect(repo.deployments[0]?.statuses.at(-1)?.log_url).toBe('https://jenkins.example/job/1');
      expect(await host.findDeployment(REPO, 'acme-prod', draft.ref, ULID)).toMatchObject({
        id: d.id,
        state: 'inactive',
      });
    });

    it('finds its deployment among more than a page of others in the environment', async () => {
      for (let i = 0; i < 105; i += 1)
        await host.ensureDeployment({
          ...draft,
          ulid: `01JD0000000000000000000${String(i).padStart(3, '0')}`,
        });
      await host.ensureDeployment(draft);
      const listed = () =>
        gh.calls.filter((c) => c.method === 'GET' && c.path.endsWith('/deployments')).length;
      const before = listed();
      expect(await host.findDeployment(REPO, 'acme-prod', draft.ref, ULID)).toMatchObject({ ulid: ULID });
      expect(listed() - before).toBe(2); // 106 deployments: two pages of 100
      // The oldest sits on the second page.
      const oldest = '01JD0000000000000000000000';
      expect(await host.findDeployment(REPO, 'acme-prod', draft.ref, oldest)).toMatchObject({ ulid: oldest });
      expect(repo.deployments).toHaveLength(106);
    });
  });

  describe('forward-port pull request', () => {
    const text = {
      title: 'Forward-port HOCS-1 to main',
      body: 'Hotfix HF-7 deployed 24-02-05.619-hotfix.627.',
    };

    it('opens the pull request from the hotfix branch to the default branch once', async () => {
      const pr = await host.ensureForwardPort(REPO, 'hotfix/HOCS-1', text);
      expect(pr).toEqual({
        number: 1,
        url: `https://github.com/${REPO}/pull/1`,
        state: 'open',
        head: 'hotfix/HOCS-1',
        base: 'main',
      });
      expect(await host.ensureForwardPort(REPO, 'hotfix/HOCS-1', text)).toEqual(pr);
      expect(repo.pulls).toHaveLength(1);
      expect(repo.pulls[0]).toMatchObject({ title: text.title, body: text.body });
    });

    it('reports the pull request merged, and finds the merged one rather than opening another', async () => {
      const pr = await host.ensureForwardPort(REPO, 'hotfix/HOCS-1', text);
      repo.mergePull(pr.number);
      expect(await host.pullRequest(REPO, pr.number)).toMatchObject({ state: 'merged' });
      expect(await host.ensureForwardPort(REPO, 'hotfix/HOCS-1', text)).toMatchObject({
        number: pr.number,
        state: 'merged',
      });
    });

    it('opens a new one when the earlier one was closed without merging', async () => {
      const pr = await host.ensureForwardPort(REPO, 'hotfix/HOCS-1', text);
      repo.closePull(pr.number);
      expect(await host.pullRequest(REPO, pr.number)).toMatchObject({ state: 'closed' });
      expect(await host.ensureForwardPort(REPO, 'hotfix/HOCS-1', text)).toMatchObject({
        number: 2,
        state: 'open',
      });
    });

    it('is refused readably when the branch does not exist', async () => {
      const error = await caught(host.ensureForwardPort(REPO, 'hotfix/NOPE-1', text));
      expect(error).toMatchObject({ code: 'refused', retryable: false, status: 422 });
      expect(error.message).toContain('opening the pull request from hotfix/NOPE-1');
    });
  });

  describe('branches', () => {
    it('creates hotfix/<ticket> at the tag commit once and says when it was already there', async () => {
      expect(await host.branchSha(REPO, 'hotfix/HOCS-2')).toBeUndefined();
      expect(await host.createBranch(REPO, 'hotfix/HOCS-2', running)).toBe('created');
      expect(await host.branchSha(REPO, 'hotfix/HOCS-2')).toBe(running);
      expect(await host.createBranch(REPO, 'hotfix/HOCS-2', target)).toBe('exists');
      expect(repo.git.branches.get('hotfix/HOCS-2')).toBe(running);
      expect(host.branchUrl(REPO, 'hotfix/HOCS-2')).toBe(`https://github.com/${REPO}/tree/hotfix/HOCS-2`);
    });

    it('finds the hotfix branch a tag came from: at its tip, else the closest one holding it, else none', async () => {
      expect(await host.hotfixBranchOf(REPO, target)).toBe('hotfix/HOCS-1');
      repo.git.commit('hotfix/HOCS-1', 'Later work on the branch');
      repo.git.commit('hotfix/HOCS-0', 'Other fix', running);
      expect(await host.hotfixBranchOf(REPO, target)).toBe('hotfix/HOCS-1');
      await host.createBranch(REPO, 'hotfix/HOCS-9', target);
      expect(await host.hotfixBranchOf(REPO, target)).toBe('hotfix/HOCS-9');
      const onMainOnly = repo.git.commit('main', 'mainline');
      expect(await host.hotfixBranchOf(REPO, onMainOnly)).toBeUndefined();
    });

    it('tells a missing repository from a missing branch', async () => {
      expect((await caught(host.branchSha('example-org/gone', 'hotfix/HOCS-2'))).code).toBe('repo_not_found');
    });
  });

  describe('outside trouble', () => {
    it('retries a 5xx and a short secondary rate limit, honouring retry-after', async () => {
      gh.failNext(/\/git\/ref\//, { status: 502 });
      expect(await host.findTag(REPO, '24-02-05.619')).toMatchObject({ found: true });
      gh.secondaryLimitNext({ status: 403, retryAfterSeconds: 1 });
      const started = Date.now();
      expect(await host.findTag(REPO, '24-02-05.619')).toMatchObject({ found: true });
      expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    });

    it('hands a long secondary rate limit back as retry-after instead of waiting', async () => {
      gh.secondaryLimitNext({ status: 429, retryAfterSeconds: 90 });
      const error = await caught(host.compare(REPO, '24-02-05.619', '24-02-05.619-hotfix.627'));
      expect(error).toMatchObject({
        code: 'rate_limited',
        retryable: true,
        retryAfterMs: 90_000,
        status: 429,
      });
      expect(error.message).toContain('in 90 s');
    });

    it('waits a minute on a secondary rate limit that gives no retry-after', async () => {
      gh.secondaryLimitNext({ status: 403 });
      expect(await caught(host.compare(REPO, '24-02-05.619', 'main'))).toMatchObject({
        code: 'rate_limited',
        retryAfterMs: 60_000,
      });
    });

    it('hands the primary limit back with the time until its reset', async () => {
      gh.exhaustPrimaryLimit();
      const error = await caught(host.commitChecks(REPO, target));
      expect(error.code).toBe('rate_limited');
      expect(error.retryAfterMs).toBeGreaterThan(3_500_000);
      expect(error.retryAfterMs).toBeLessThanOrEqual(3_600_000);
    });

    it('gives up on a lasting outage with a retryable error, after its retries', async () => {
      gh.failNext(/\/compare\//, { status: 503 }, 3);
      const error = await caught(host.compare(REPO, '24-02-05.619', 'main'));
      expect(error).toMatchObject({ code: 'unavailable', retryable: true, status: 503 });
      expect(gh.calls.filter((c) => c.path.includes('/compare/'))).toHaveLength(3);
    });

    it('counts a stall past the timeout, and a closed port, as unreachable', async () => {
      const slow = new GithubSourceHost({
        apiUrl: gh.url,
        token: gh.token,
        timeoutMs: 100,
        retry: { retries: 0 },
      });
      gh.failNext(/\/compare\//, { delayMs: 500 });
      expect(await caught(slow.compare(REPO, '24-02-05.619', 'main'))).toMatchObject({
        code: 'unreachable',
        retryable: true,
      });
      const nowhere = new GithubSourceHost({
        apiUrl: 'http://127.0.0.1:1',
        token: gh.token,
        retry: { retries: 0 },
      });
      expect(await caught(nowhere.compare(REPO, 'a', 'b'))).toMatchObject({ code: 'unreachable' });
    });

    it('says a refused token is the problem, never retries it and never shows it', async () => {
      const bad = new GithubSourceHost({
        apiUrl: gh.url,
        token: 'ghp_wrongsecret',
        retry: { backoffMs: 10 },
      });
      const error = await caught(bad.findTag(REPO, '24-02-05.619'));
      expect(error).toMatchObject({ code: 'unauthorized', retryable: false, status: 401 });
      expect(error.message).toContain('check GITHUB_TOKEN');
      expect(error.message).not.toContain('ghp_wrongsecret');
      expect(gh.calls).toHaveLength(1);
    });
  });
});
