/** The Jenkins multi-deploy scenes: a hotfix through the pipeline to completion, then one rolled back. */
import { sendViewSubmission } from '../../test/emulators/slack/index.js';
import type { JenkinsEmulator } from '../../test/emulators/jenkins/index.js';
import type { HealthEmulator } from '../../test/emulators/health/index.js';
import type { Scene, Store } from '../scene.js';
import { planApprovedByBob, proceed, SECRET, until } from '../scene.js';

/** The catalog's multi-deploy job as the demo's Jenkins has it: the four parameters, three stages, a Proceed input. */
export const JENKINS_JOB = {
  name: 'multi_deploy_pipeline',
  parameters: { CLIENT: '', ENV: '', SERVICES: '', HOTFIX_ID: '' },
  script: {
    stages: ['Checkout', 'Deploy', 'Smoke test'],
    stageMs: 700,
    input: { before: 'Deploy', id: 'Proceed', message: 'Deploy to the environment now?' },
  },
};

/**
 * decanting-service through Jenkins on globex staging: the plan is checked against the job, bob approves, one build
 * runs, Priya answers its Proceed input in Slack, the build succeeds, and the service's health endpoint reports the
 * new version through a short soak window, so the hotfix completes and frees the environment.
 */
export async function playJenkins(scene: Scene, store: Store, health: HealthEmulator): Promise<void> {
  health.running('/v1/health', '24-02-05.619-hotfix.630');
  await deployThroughJenkins(scene, store, 'HF-4', '630', 'pick lists print twice, the real fix');
  const done = await until(store, 'HF-4', (h) => h.state === 'completed' && h.finalizedSeq !== undefined);
  // The records are closed by a job of their own; the thread says so once they are.
  await scene.slack.waitFor(
    (s) =>
      s
        .messages('C0INC4211')
        .find((m) => m.ts === done.refs['planTs'])
        ?.replies.find((r) => JSON.stringify(r.metadata ?? {}).includes('note_closed_')),
    10_000,
  );
  await new Promise((resolve) => setTimeout(resolve, 1200)); // final redraws
}

/** Plans decanting-service `24-02-05.619-hotfix.<build>` on globex staging as `id`; bob approves; Priya proceeds. */
export async function deployThroughJenkins(
  scene: Scene,
  store: Store,
  id: string,
  build: string,
  reason: string,
): Promise<void> {
  await planApprovedByBob(
    scene,
    store,
    id,
    `plan decanting-service@24-02-05.619-hotfix.${build} globex staging reason="${reason}"`,
  );
  const waiting = await until(
    store,
    id,
    (h) => h.state === 'awaiting_input' && h.refs['statusTs'] !== undefined,
  );
  await proceed(scene, 'U0PRIYA', waiting);
}

/**
 * A follow-up to HF-4 whose service keeps reporting HF-4's version, so its health check fails; Priya clicks Rollback
 * on its live status, confirms in the form that names what it returns to, and the bot runs the job again with
 * HF-4's version (answering that build's Proceed itself: the rollback was confirmed), checks it and ends the hotfix
 * rolled back, freeing the environment.
 */
export async function playRollback(scene: Scene, store: Store, health: HealthEmulator): Promise<void> {
  health.running('/v1/health', '24-02-05.619-hotfix.630');
  await deployThroughJenkins(scene, store, 'HF-5', '631', 'faster pick-list printing');
  const failed = await until(store, 'HF-5', (h) => h.state === 'failed');
  await proceed(scene, 'U0PRIYA', failed, 'hotfix_rollback');
  const form = await scene.slack.waitFor(
    (s) => [...s.views].reverse().find((v) => v.view['callback_id'] === 'hotfix_rollback_reason'),
    5000,
  );
  const view = {
    id: form.id,
    callback_id: 'hotfix_rollback_reason',
    private_metadata: String(form.view['private_metadata']),
    state: {
      values: {
        reason: { value: { type: 'plain_text_input', value: 'health still reports 630 after the deploy' } },
      },
    },
  };
  await sendViewSubmission(scene.events, SECRET, { user: 'U0PRIYA', view }, { emulator: scene.slack });
  await until(store, 'HF-5', (h) => h.state === 'rolled_back' && h.finalizedSeq !== undefined);
  await new Promise((resolve) => setTimeout(resolve, 1200)); // final redraws
}

/** The builds of the multi-deploy job as Jenkins saw them. */
export function jenkinsBuilds(jenkins: JenkinsEmulator): string[] {
  return jenkins.builds(JENKINS_JOB.name).map((b) => {
    const parameters = Object.entries(b.parameters)
      .map(([name, value]) => `${name}=${value.replace(/\n/g, '; ')}`)
      .join(' ');
    const answer = b.answered
      ? `, input ${b.answered.id} answered ${b.answered.proceed ? 'Proceed' : 'Abort'}`
      : '';
    return `#${b.number} ${b.result ?? 'running'}${answer}: ${parameters}`;
  });
}
