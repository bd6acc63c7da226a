/**
 * The forward-port scene (seed 003): a fix cut on `hotfix/HOCS-1234` from the release tag is deployed through Jenkins
 * to globex staging; once it completes the bot opens the pull request from that branch to main, links it in the
 * incident thread for its owner, reminds her on its schedule, and says so when someone merges it on GitHub. The
 * fixes of the earlier scenes are on main already, so each of their threads hears once that nothing needs bringing
 * back.
 */
import type { GithubEmulator } from '../../test/emulators/github/index.js';
import type { HealthEmulator } from '../../test/emulators/health/index.js';
import type { Scene, Store } from '../scene.js';
import { deployedWithProceed, until } from '../scene.js';

const DECANTING = 'example-org/decanting-service';
/** The fix of this scene: only on its hotfix branch. */
export const FORWARD_PORT_TAG = '24-02-05.619-hotfix.634';

/** This scene's fix on `hotfix/HOCS-1234`, cut from the release tag, its CI green (`startDemoGithub` holds the rest). */
export function seedForwardPort(gh: GithubEmulator): void {
  const decanting = gh.repo(DECANTING);
  const release = decanting.git.tagCommit('24-02-05.619') ?? '';
  const fix = decanting.git.commit('hotfix/HOCS-1234', 'Print each pick list once', release);
  decanting.git.tag(FORWARD_PORT_TAG, fix, true);
  decanting.addStatus(fix, { state: 'success', context: 'ci/jenkins' });
  decanting.addCheckRun(fix, { name: 'unit', status: 'completed', conclusion: 'success' });
}

/** Plays the scene; answers what GitHub holds at the end, for the demo's printout. */
export async function playForwardPort(
  scene: Scene,
  store: Store,
  health: HealthEmulator,
  gh: GithubEmulator,
): Promise<string[]> {
  health.running('/v1/health', FORWARD_PORT_TAG);
  const id = await deployedWithProceed(
    scene,
    store,
    `plan decanting-service@${FORWARD_PORT_TAG} globex staging reason="pick lists print twice, HOCS-1234"`,
  );
  await until(store, id, (h) => h.refs['forwardPortPr.decanting-service'] !== undefined);
  // The owner is reminded at least once before the pull request is merged.
  await until(store, id, (h) => Object.keys(h.steps).some((s) => s.startsWith('forward_port_remind_')));
  const repo = gh.repo(DECANTING);
  const number = Number((await until(store, id, () => true)).refs['forwardPortPr.decanting-service']);
  repo.mergePull(number);
  await until(store, id, (h) => h.steps['forward_port']?.result !== undefined);
  await new Promise((resolve) => setTimeout(resolve, 1200)); // final redraws
  return repo.pulls.map(
    (pr) => `#${pr.number} ${pr.merged_at ? 'merged' : pr.state}: ${pr.head} -> ${pr.base} "${pr.title}"`,
  );
}
