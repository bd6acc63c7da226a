/**
 * The GitHub emulator, driven through the real Octokit: the documented answers the adapter relies on (refs and
 * annotated tags, releases, combined status, check runs across pages, compare, deployments and their statuses, pull
 * requests, creating refs), token auth, and the primary and secondary rate-limit answers.
 */
import { Octokit } from '@octokit/rest';
import { startGithubEmulator, type GhRepo, type GithubEmulator } from '../emulators/github/index.js';

const where = { owner: 'example-org', repo: 'decanting-service' };
// Octokit logs every failed request at error level; these tests expect failures.
const log = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

async function failure(promise: Promise<unknown>): Promise<{
  status: number;
  message: string;
  response?: { headers: Record<string, string>; data: unknown };
}> {
  try {
    await promise;
  } catch (error) {
    return error as {
      status: number;
      message: string;
      response?: { headers: Record<string, string>; data: unknown };
    };
  }
  throw new Error('expected the call to fail');
}

describe('GitHub emulator through Octokit', () => {
  let gh: GithubEmulator;
  let octokit: Octokit;
  let repo: GhRepo;

  beforeEach(async () => {
    gh = await startGithubEmulator();
    octokit = new Octokit({ auth: gh.token, baseUrl: gh.url, log });
    repo = gh.createRepo('example-org/decanting-service');
  });
  afterEach(() => gh.close());

  it('answers 401 without a token and with a wrong one', async () => {
    const anonymous = new Octokit({ baseUrl: gh.url, log });
    expect(await failure(anonymous.rest.repos.get(where))).toMatchObject({
      status: 401,
      message: expect.stringContaining('Requires authentication'),
    });
    const wrong = new Octokit({ auth: 'ghp_wrong', baseUrl: gh.url, log });
    expect(await failure(wrong.rest.repos.get(where))).toMatchObject({
      status: 401,
      message: expect.stringContaining('Bad credentials'),
    });
  });

  it('serves the repository with its default branch, and 404 for one that does not exist', async () => {
    const { data, headers } = await octokit.rest.repos.get(where);
    expect(data).toMatchObject({ full_name: 'example-org/decanting-service', default_branch: 'main' });
    expect(headers['x-ratelimit-limit']).toBe('5000');
    expect(headers['x-ratelimit-remaining']).toBe('4999');
    expect((await failure(octokit.rest.repos.get({ owner: 'example-org', repo: 'nope' }))).status).toBe(404);
  });

  it('resolves a lightweight tag to its commit and an annotated tag through its tag object', async () => {
    const c1 = repo.git.commit('main', 'fix');
    repo.git.tag('24-02-05.619', c1, false);
    repo.git.tag('24-02-05.619-hotfix.627', c1, true);
    const light = await octokit.rest.git.getRef({ ...where, ref: 'tags/24-02-05.619' });
    expect(light.data).toMatchObject({ ref: 'refs/tags/24-02-05.619', object: { type: 'commit', sha: c1 } });
    const annotated = await octokit.rest.git.getRef({ ...where, ref: 'tags/24-02-05.619-hotfix.627' });
    expect(annotated.data.object.type).toBe('tag');
    expect(annotated.data.object.sha).not.toBe(c1);
    const tag = await octokit.rest.git.getTag({ ...where, tag_sha: annotated.data.object.sha });
    expect(tag.data).toMatchObject({ tag: '24-02-05.619-hotfix.627', object: { type: 'commit', sha: c1 } });
    expect((await failure(octokit.rest.git.getRef({ ...where, ref: 'tags/missing' }))).status).toBe(404);
  });

  it('serves a commit by sha, branch or tag, and 422 "No commit found" for an unknown ref', async () => {
    const c1 = repo.git.commit('main', 'Fix totals');
    repo.git.tag('v1', c1, true);
    for (const ref of [c1, c1.slice(0, 7), 'main', 'v1']) {
      const { data } = await octokit.rest.repos.getCommit({ ...where, ref });
      expect(data).toMatchObject({ sha: c1, commit: { message: 'Fix totals' } });
      expect(data.parents).toHaveLength(1);
    }
    const unknown = await failure(octokit.rest.repos.getCommit({ ...where, ref: 'nope' }));
    expect(unknown).toMatchObject({
      status: 422,
      message: expect.stringContaining('No commit found for SHA: nope'),
    });
  });

  it('lists matching refs by prefix, branches and tags, and none for an unknown prefix', async () => {
    const sha = repo.git.branches.get('main')!;
    repo.git.commit('hotfix/HOCS-2', 'b', sha);
    repo.git.commit('hotfix/HOCS-1', 'a', sha);
    repo.git.tag('hotfix-like', sha, false);
    const { data } = await octokit.rest.git.listMatchingRefs({ ...where, ref: 'heads/hotfix/' });
    expect(data.map((r) => r.ref)).toEqual(['refs/heads/hotfix/HOCS-1', 'refs/heads/hotfix/HOCS-2']);
    const tags = await octokit.rest.git.listMatchingRefs({ ...where, ref: 'tags/hotfix' });
    expect(tags.data.map((r) => r.ref)).toEqual(['refs/tags/hotfix-like']);
    expect((await octokit.rest.git.listMatchingRefs({ ...where, ref: 'heads/nope' })).data).toEqual([]);
  });

  it('finds published releases by tag only', async () => {
    const c1 = repo.git.commit('main', 'fix');
    repo.git.tag('v1', c1, false);
    repo.addRelease('v1');
    repo.addRelease('v2-draft', 'draft', true);
    const { data } = await octokit.rest.repos.getReleaseByTag({ ...where, tag: 'v1' });
    expect(data).toMatchObject({
      tag_name: 'v1',
      html_url: 'https://github.com/example-org/decanting-service/releases/tag/v1',
    });
    expect((await failure(octokit.rest.repos.getReleaseByTag({ ...where, tag: 'v2-draft' }))).status).toBe(
      404,
    );
  });

  it('combines the newest status per context: failure wins, no statuses reads pending', async () => {
    const c1 = repo.git.commit('main', 'fix');
    const empty = await octokit.rest.repos.getCombinedStatusForRef({ ...where, ref: c1 });
    expect(empty.data).toMatchObject({ state: 'pending', total_count: 0, statuses: [] });
    await octokit.rest.repos.createCommitStatus({ ...where, sha: c1, state: 'pending', context: 'ci/build' });
    await octokit.rest.repos.createCommitStatus({ ...where, sha: c1, state: 'success', context: 'ci/build' });
    expect((await octokit.rest.repos.getCombinedStatusForRef({ ...where, ref: c1 })).data).toMatchObject({
      state: 'success',
      total_count: 1,
    });
    await octokit.rest.repos.createCommitStatus({
      ...where,
      sha: c1,
      state: 'error',
      context: 'ci/lint',
      target_url: 'https://ci.example/lint/1',
    });
    const red = await octokit.rest.repos.getCombinedStatusForRef({ ...where, ref: c1 });
    expect(red.data.state).toBe('failure');
    expect(red.data.statuses.map((s) => [s.context, s.state])).toEqual([
      ['ci/build', 'success'],
      ['ci/lint', 'error'],
    ]);
    expect(
      (await failure(octokit.rest.repos.createCommitStatus({ ...where, sha: c1, state: 'bogus' as 'error' })))
        .status,
    ).toBe(422);
  });

  it('lists the latest check run per name by default, every run with filter=all, across pages by Link', async () => {
    const c1 = repo.git.commit('main', 'fix');
    for (let i = 0; i < 5; i += 1)
      repo.addCheckRun(c1, { name: `job-${i}`, status: 'completed', conclusion: 'success' });
    repo.addCheckRun(c1, { name: 'job-0', status: 'in_progress' });
    const first = await octokit.rest.checks.listForRef({ ...where, ref: c1, per_page: 2 });
    expect(first.data.total_count).toBe(5);
    expect(first.headers.link).toContain('rel="next"');
    const all = await octokit.paginate(octokit.rest.checks.listForRef, { ...where, ref: c1, per_page: 2 });
    expect(all).toHaveLength(5);
    expect(all.find((r) => r.name === 'job-0')?.status).toBe('in_progress');
    const every = await octokit.paginate(octokit.rest.checks.listForRef, {
      ...where,
      ref: c1,
      per_page: 2,
      filter: 'all',
    });
    expect(every).toHaveLength(6);
  });

  it('compares refs: ahead, behind, identical and diverged, with counts and the compare page', async () => {
    const base = repo.git.branches.get('main')!;
    repo.git.tag('v1', base, false);
    const fix = repo.git.commit('hotfix/HOCS-1', 'fix', base);
    repo.git.commit('hotfix/HOCS-1', 'fix 2');
    repo.git.tag('v1-hotfix.1', repo.git.branches.get('hotfix/HOCS-1')!, true);
    const ahead = await octokit.rest.repos.compareCommitsWithBasehead({
      ...where,
      basehead: 'v1...v1-hotfix.1',
    });
    expect(ahead.data).toMatchObject({
      status: 'ahead',
      ahead_by: 2,
      behind_by: 0,
      total_commits: 2,
      html_url: 'https://github.com/example-org/decanting-service/compare/v1...v1-hotfix.1',
    });
    expect(ahead.data.commits.map((c) => c.commit.message)).toEqual(['fix', 'fix 2']);
    expect(
      (await octokit.rest.repos.compareCommitsWithBasehead({ ...where, basehead: 'v1-hotfix.1...v1' })).data
        .status,
    ).toBe('behind');
    expect(
      (await octokit.rest.repos.compareCommitsWithBasehead({ ...where, basehead: 'v1...main' })).data.status,
    ).toBe('identical');
    repo.git.commit('main', 'mainline work');
    const diverged = await octokit.rest.repos.compareCommitsWithBasehead({
      ...where,
      basehead: 'main...hotfix/HOCS-1',
    });
    expect(diverged.data).toMatchObject({ status: 'diverged', ahead_by: 2, behind_by: 1 });
    expect(diverged.data.merge_base_commit.sha).toBe(base);
    expect(fix).toHaveLength(40);
    expect(
      (await failure(octokit.rest.repos.compareCommitsWithBasehead({ ...where, basehead: 'v1...nope' })))
        .status,
    ).toBe(404);
  });

  it('creates a branch ref once: 422 "Reference already exists" after, 422 for a missing commit', async () => {
    const sha = repo.git.branches.get('main')!;
    const created = await octokit.rest.git.createRef({ ...where, ref: 'refs/heads/hotfix/HOCS-2', sha });
    expect(created.status).toBe(201);
    expect((await octokit.rest.repos.getBranch({ ...where, branch: 'hotfix/HOCS-2' })).data.commit.sha).toBe(
      sha,
    );
    const again = await failure(
      octokit.rest.git.createRef({ ...where, ref: 'refs/heads/hotfix/HOCS-2', sha }),
    );
    expect(again).toMatchObject({
      status: 422,
      message: expect.stringContaining('Reference already exists'),
    });
    expect(
      (await failure(octokit.rest.git.createRef({ ...where, ref: 'refs/heads/x', sha: 'f'.repeat(40) })))
        .status,
    ).toBe(422);
    expect(
      (await failure(octokit.rest.git.createRef({ ...where, ref: 'refs/heads/bad..name', sha }))).status,
    ).toBe(422);
    expect((await failure(octokit.rest.repos.getBranch({ ...where, branch: 'nope' }))).status).toBe(404);
  });

  it('refuses a deployment while a status context is not success unless required_contexts says otherwise', async () => {
    const sha = repo.git.branches.get('main')!;
    repo.git.tag('v1', sha, false);
    await octokit.rest.repos.createCommitStatus({ ...where, sha, state: 'pending', context: 'ci/build' });
    const blocked = await failure(
      octokit.rest.repos.createDeployment({ ...where, ref: 'v1', auto_merge: false }),
    );
    expect(blocked).toMatchObject({
      status: 409,
      message: expect.stringContaining('Commit status checks failed for v1'),
    });
    const made = await octokit.rest.repos.createDeployment({
      ...where,
      ref: 'v1',
      environment: 'acme-prod',
      auto_merge: false,
      required_contexts: [],
      task: 'deploy:hotfix',
      payload: { hotfix_ulid: 'U1' },
    });
    expect(made.status).toBe(201);
    expect(made.data).toMatchObject({
      ref: 'v1',
      sha,
      environment: 'acme-prod',
      task: 'deploy:hotfix',
      payload: { hotfix_ulid: 'U1' },
    });
    expect(
      (await failure(octokit.rest.repos.createDeployment({ ...where, ref: 'nope', required_contexts: [] })))
        .status,
    ).toBe(422);
  });

  it('auto-merges the default branch into a branch that is behind it, and refuses to for a tag', async () => {
    const base = repo.git.branches.get('main')!;
    repo.git.tag('v1', base, false);
    repo.git.commit('topic', 'topic work', base);
    repo.git.commit('main', 'newer main');
    const merged = await octokit.rest.repos.createDeployment({
      ...where,
      ref: 'topic',
      required_contexts: [],
    });
    expect(merged.status).toBe(202);
    expect(merged.data).toMatchObject({ message: 'Auto-merged main into topic on deployment.' });
    expect(
      (await failure(octokit.rest.repos.createDeployment({ ...where, ref: 'v1', required_contexts: [] })))
        .status,
    ).toBe(409);
  });

  it('lists deployments filtered by environment, ref and task, newest first, with statuses newest first', async () => {
    const sha = repo.git.branches.get('main')!;
    repo.git.tag('v1', sha, false);
    const make = (environment: string, task = 'deploy:hotfix') =>
      octokit.rest.repos.createDeployment({
        ...where,
        ref: 'v1',
        environment,
        task,
        auto_merge: false,
        required_contexts: [],
      });
    const a = (await make('acme-prod')).data as { id: number };
    await make('acme-staging');
    await make('acme-prod', 'deploy');
    const b = (await make('acme-prod')).data as { id: number };
    const listed = await octokit.rest.repos.listDeployments({
      ...where,
      environment: 'acme-prod',
      ref: 'v1',
      task: 'deploy:hotfix',
    });
    expect(listed.data.map((d) => d.id)).toEqual([b.id, a.id]);
    expect((await octokit.rest.repos.getDeployment({ ...where, deployment_id: a.id })).data).toMatchObject({
      id: a.id,
      environment: 'acme-prod',
    });
    await octokit.rest.repos.createDeploymentStatus({ ...where, deployment_id: a.id, state: 'in_progress' });
    await octokit.rest.repos.createDeploymentStatus({
      ...where,
      deployment_id: a.id,
      state: 'success',
      log_url: 'https://ci/1',
    });
    const statuses = await octokit.rest.repos.listDeploymentStatuses({ ...where, deployment_id: a.id });
    expect(statuses.data.map((s) => s.state)).toEqual(['success', 'in_progress']);
    expect(statuses.data[0]).toMatchObject({ log_url: 'https://ci/1', environment: 'acme-prod' });
    expect(
      (
        await failure(
          octokit.rest.repos.createDeploymentStatus({
            ...where,
            deployment_id: a.id,
            state: 'done' as 'success',
          }),
        )
      ).status,
    ).toBe(422);
    expect(
      (await failure(octokit.rest.repos.listDeploymentStatuses({ ...where, deployment_id: 99 }))).status,
    ).toBe(404);
  });

  it('marks an earlier successful non-production deployment inactive when a newer one succeeds', async () => {
    const sha = repo.git.branches.get('main')!;
    const make = async () =>
      (
        (
          await octokit.rest.repos.createDeployment({
            ...where,
            ref: sha,
            environment: 'acme-staging',
            auto_merge: false,
            required_contexts: [],
          })
        ).data as { id: number }
      ).id;
    const first = await make();
    await octokit.rest.repos.createDeploymentStatus({ ...where, deployment_id: first, state: 'success' });
    const second = await make();
    await octokit.rest.repos.createDeploymentStatus({ ...where, deployment_id: second, state: 'success' });
    const states = await octokit.rest.repos.listDeploymentStatuses({ ...where, deployment_id: first });
    expect(states.data.map((s) => s.state)).toEqual(['inactive', 'success']);
  });

  it('opens one pull request per head and base, lists it by owner:head, and reports it merged', async () => {
    const base = repo.git.branches.get('main')!;
    repo.git.commit('hotfix/HOCS-3', 'fix', base);
    const made = await octokit.rest.pulls.create({
      ...where,
      head: 'hotfix/HOCS-3',
      base: 'main',
      title: 'Forward-port HOCS-3',
    });
    expect(made.data).toMatchObject({
      number: 1,
      state: 'open',
      merged: false,
      head: { ref: 'hotfix/HOCS-3' },
      base: { ref: 'main' },
    });
    const dup = await failure(
      octokit.rest.pulls.create({ ...where, head: 'hotfix/HOCS-3', base: 'main', title: 'again' }),
    );
    expect(dup).toMatchObject({
      status: 422,
      message: expect.stringContaining('A pull request already exists for example-org:hotfix/HOCS-3'),
    });
    const listed = await octokit.rest.pulls.list({
      ...where,
      head: 'example-org:hotfix/HOCS-3',
      base: 'main',
    });
    expect(listed.data.map((p) => p.number)).toEqual([1]);
    repo.mergePull(1);
    expect((await octokit.rest.pulls.list({ ...where, head: 'example-org:hotfix/HOCS-3' })).data).toEqual([]);
    const merged = await octokit.rest.pulls.get({ ...where, pull_number: 1 });
    expect(merged.data).toMatchObject({ state: 'closed', merged: true });
    expect(merged.data.merged_at).not.toBeNull();
    const none = await failure(
      octokit.rest.pulls.create({ ...where, head: 'hotfix/HOCS-3', base: 'main', title: 'nothing left' }),
    );
    expect(none).toMatchObject({
      status: 422,
      message: expect.stringContaining('No commits between main and hotfix/HOCS-3'),
    });
    expect(
      (await failure(octokit.rest.pulls.create({ ...where, head: 'nope', base: 'main', title: 't' }))).status,
    ).toBe(422);
  });

  it('answers the primary limit with 403 and x-ratelimit-remaining 0 until the reset', async () => {
    gh.exhaustPrimaryLimit();
    const limited = await failure(octokit.rest.repos.get(where));
    expect(limited.status).toBe(403);
    expect(limited.message).toContain('API rate limit exceeded');
    expect(limited.response?.headers['x-ratelimit-remaining']).toBe('0');
    expect(Number(limited.response?.headers['x-ratelimit-reset'])).toBeGreaterThan(Date.now() / 1000);
  });

  it('answers the primary limit with 429 when configured so', async () => {
    const strict = await startGithubEmulator({ hourlyLimit: 1, primaryLimitStatus: 429 });
    try {
      strict.createRepo('example-org/decanting-service');
      const client = new Octokit({ auth: strict.token, baseUrl: strict.url, log });
      await client.rest.repos.get(where);
      const limited = await failure(client.rest.repos.get(where));
      expect(limited.status).toBe(429);
      expect(limited.response?.headers['x-ratelimit-remaining']).toBe('0');
    } finally {
      await strict.close();
    }
  });

  it('answers a secondary limit with retry-after when told to, then serves again', async () => {
    gh.secondaryLimitNext({ status: 429, retryAfterSeconds: 3 });
    const limited = await failure(octokit.rest.repos.get(where));
    expect(limited).toMatchObject({ status: 429, message: expect.stringContaining('secondary rate limit') });
    expect(limited.response?.headers['retry-after']).toBe('3');
    expect((await octokit.rest.repos.get(where)).status).toBe(200);
  });
});
