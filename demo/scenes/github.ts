/**
 * GitHub in the demo: the GitHub emulator (reached by the bot through the real Octokit) holding the repositories of
 * the catalog's services, every tag the scenes deploy with green CI, so every plan of the demo passes its tag and CI
 * check and says so; and the GitHub scene: a plan whose tag's CI is still running is held ("waiting for CI"), goes to
 * change control once CI turns green, is approved, deployed, and its GitHub deployment ends in success.
 */
import { startGithubEmulator, type GithubEmulator } from '../../test/emulators/github/index.js';
import type { Scene, Store } from '../scene.js';
import { proceed, until } from '../scene.js';

const DECANTING = 'example-org/decanting-service';
/** The tag the GitHub scene deploys; its end-to-end check is still running when it is planned. */
export const PENDING_TAG = '24-02-05.619-hotfix.632';

/** Tags the other scenes deploy (and the versions running before them), by repository. */
const TAGS: Record<string, { base: string; tags: string[] }> = {
  [DECANTING]: {
    base: '24-02-05.619',
    tags: ['627', '628', '629', '630', '631', '633', '640', '641', '642', '643'].map(
      (n) => `24-02-05.619-hotfix.${n}`,
    ),
  },
  'example-org/external-agent': {
    base: 'v2.14.2',
    tags: ['v2.14.3-hotfix.1', 'v2.14.4-hotfix.1'],
  },
  'example-org/deployment': { base: '2024.11.3', tags: ['2024.11.3-hotfix.2'] },
};

/** The GitHub emulator with the demo's repositories and tags, and the environment that points the bot at it. */
export async function startDemoGithub(
  now: () => Date,
): Promise<{ github: GithubEmulator; env: Record<string, string> }> {
  const github = await startGithubEmulator({ now });
  for (const [name, { base, tags }] of Object.entries(TAGS)) {
    const repo = github.createRepo(name);
    const main = repo.git.branches.get('main') ?? '';
    repo.git.tag(base, main, true);
    // On main: the earlier scenes' fixes need no forward-port (the forward-port scene has one that does).
    for (const tag of tags) {
      const sha = repo.git.commit('main', `Release ${tag}`);
      repo.git.tag(tag, sha, true);
      repo.addStatus(sha, { state: 'success', context: 'ci/jenkins' });
      repo.addCheckRun(sha, { name: 'unit', status: 'completed', conclusion: 'success' });
    }
  }
  return { github, env: { GITHUB_TOKEN: github.token, GITHUB_API_URL: github.url } };
}

/**
 * Priya plans runbook-drill at a tag whose end-to-end check is still running: the plan shows "waiting for CI" and no
 * notice goes to change control; the check passes, the bot's next look finds CI green and posts the notice (with the
 * change over the version running on globex staging); bob approves, Priya proceeds, and the GitHub deployment of the
 * tag to `globex-staging` goes in progress, then success. Returns what GitHub holds at the end, for the printout.
 */
export async function playGithub(scene: Scene, store: Store, github: GithubEmulator): Promise<string[]> {
  const repo = github.repo(DECANTING);
  const sha = repo.git.commit('main', 'Guard empty totes');
  repo.git.tag(PENDING_TAG, sha, true);
  repo.addStatus(sha, { state: 'success', context: 'ci/jenkins' });
  const e2e = repo.addCheckRun(sha, { name: 'e2e', status: 'in_progress' });
  const id = await scene.plan(
    'U0PRIYA',
    `plan runbook-drill@${PENDING_TAG} globex staging reason="empty totes stop the decanting line"`,
  );
  const held = await until(store, id, (h) => h.refs['planTs'] !== undefined);
  // The plan message while it waits, as the incident channel reads it then (it is redrawn once CI is green).
  const waiting = await scene.slack.waitFor(() => {
    const plan = scene.slack.messages('C0INC4211').find((m) => m.ts === held.refs['planTs']);
    return /Waiting for CI[^"\\]*/.exec(JSON.stringify(plan?.blocks ?? []))?.[0];
  }, 8000);
  await new Promise((resolve) => setTimeout(resolve, 2500)); // the bot looks at CI again: still running
  const stillHeld = await until(store, id, () => true);
  const lines = [
    `${id}'s plan while CI ran: "${waiting}"`,
    `change-control notice while CI ran: ${stillHeld.refs['noticeTs'] ? 'posted' : 'not posted'}`,
  ];
  repo.completeCheckRun(e2e.id, 'success');
  const announced = await until(store, id, (h) => h.refs['noticeTs'] !== undefined);
  await scene.click('U0BOB', 'C0CHANGECTL', announced.refs['noticeTs'] ?? '', 'hotfix_approve');
  const running = await until(
    store,
    id,
    (h) => h.state === 'awaiting_input' && h.refs['statusTs'] !== undefined,
  );
  await proceed(scene, 'U0PRIYA', running);
  const done = await until(store, id, (h) => h.state === 'completed' && h.finalizedSeq !== undefined);
  await new Promise((resolve) => setTimeout(resolve, 1200)); // final redraws and the deployment's last status
  for (const deployment of repo.deployments.filter((d) => JSON.stringify(d.payload).includes(done.ulid))) {
    // GitHub lists statuses newest first; read oldest first.
    const states = [...deployment.statuses].reverse().map((s) => s.state);
    lines.push(
      `deployment ${deployment.id} of ${deployment.ref} to ${deployment.environment}: ${states.join(' -> ')}`,
    );
  }
  return lines;
}
