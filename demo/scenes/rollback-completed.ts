/**
 * Rollback after completion: decanting-service `…633` goes through Jenkins on globex staging and completes; then a
 * release manager, watching change control, clicks Rollback beside its state on the notice, confirms in the form
 * that names what it returns to, and the bot takes globex staging again, re-runs the job with the version before
 * (answering that build's Proceed itself: the rollback was confirmed), checks it and ends the hotfix rolled back.
 */
import { sendViewSubmission } from '../../test/emulators/slack/index.js';
import type { HealthEmulator } from '../../test/emulators/health/index.js';
import { plainFromMrkdwn } from '../../test/emulators/slack/index.js';
import type { Scene, Store } from '../scene.js';
import { deployedWithProceed, SECRET, until } from '../scene.js';

const TAG = '24-02-05.619-hotfix.633';

/** Plays the scene; returns the rollback form's text as the release manager read it. */
export async function playRollbackAfterCompletion(
  scene: Scene,
  store: Store,
  health: HealthEmulator,
): Promise<string[]> {
  health.running('/v1/health', TAG);
  const id = await deployedWithProceed(
    scene,
    store,
    `plan decanting-service@${TAG} globex staging reason="orders stuck in decanting after the night batch"`,
  );
  const done = await until(store, id, (h) => h.state === 'completed' && h.finalizedSeq !== undefined);
  const before = done.versionsBefore?.['decanting-service'] ?? '';

  // The notice now carries Rollback beside its state; the release manager clicks it there.
  const noticeTs = done.refs['noticeTs'] ?? '';
  await scene.slack.waitFor(
    (s) =>
      s
        .messages('C0CHANGECTL')
        .find((m) => m.ts === noticeTs && JSON.stringify(m.blocks).includes('hotfix_rollback')),
    5000,
  );
  await scene.click('U0RELMGR1', 'C0CHANGECTL', noticeTs, 'hotfix_rollback');
  const form = await scene.slack.waitFor(
    (s) =>
      [...s.views]
        .reverse()
        .find((v) => v.user === 'U0RELMGR1' && String(v.view['private_metadata']).includes(done.ulid)),
    5000,
  );
  health.running('/v1/health', before);
  const view = {
    id: form.id,
    callback_id: 'hotfix_rollback_reason',
    private_metadata: String(form.view['private_metadata']),
    state: {
      values: {
        reason: {
          value: {
            type: 'plain_text_input',
            value: 'pick lists wrong since the deploy; back to the last good build',
          },
        },
      },
    },
  };
  await sendViewSubmission(scene.events, SECRET, { user: 'U0RELMGR1', view }, { emulator: scene.slack });
  await until(store, id, (h) => h.state === 'rolled_back' && (h.finalizedSeq ?? 0) >= h.stateSince.seq);
  await new Promise((resolve) => setTimeout(resolve, 1200)); // final redraws
  const names = {
    user: (u: string) => scene.slack.user(u)?.name,
    channel: (c: string) => scene.slack.channel(c)?.name,
    userGroup: (g: string) => scene.slack.userGroup(g)?.handle,
  };
  const blocks = (form.view['blocks'] ?? []) as { text?: { text?: string } }[];
  return blocks.flatMap((b) => (b.text?.text ? plainFromMrkdwn(b.text.text, names).split('\n') : []));
}
