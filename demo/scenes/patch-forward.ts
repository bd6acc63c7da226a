/**
 * The patch-forward scene: a rehearsal on globex staging fails at its smoke test; a second fix is already waiting for
 * globex staging; Priya clicks *Patch forward*, posts the prefilled plan with the fixed tag, bob approves it, and in
 * that one write the failed hotfix is superseded and its lock passes to the patch, ahead of the waiter.
 */
import { sendViewSubmission } from '../../test/emulators/slack/index.js';
import type { Hotfix } from '../../src/domain/hotfix.js';
import type { Locks } from '../../src/ports/locks.js';
import type { Scene, Store } from '../scene.js';
import { noticeHeadline, proceed, SECRET, until } from '../scene.js';

const KEY = 'globex/staging';

/** Plays the scene; returns what the lock and the notices said at each step. */
export async function playPatchForward(scene: Scene, store: Store, locks: Locks): Promise<string[]> {
  const lines: string[] = [];
  const holder = async (label: string) => {
    const held = await locks.holder(KEY);
    const hotfix = held ? await store.load(held.ulid) : undefined;
    const waiting = await Promise.all((await locks.waiting(KEY)).map((u) => store.load(u)));
    const queue = waiting.map((h) => h?.id ?? '?').join(', ') || 'nobody';
    lines.push(
      `${label.padEnd(28)} ${KEY} held by ${hotfix?.id ?? 'nobody'} (fence #${held?.token ?? '-'}), waiting: ${queue}`,
    );
  };

  const failedId = await scene.plan(
    'U0PRIYA',
    'plan failing-drill@24-02-05.619-hotfix.640 globex staging incident=INC-4240 reason="duplicate pick lists"',
  );
  await approvedByBob(scene, store, failedId);
  await proceed(
    scene,
    'U0PRIYA',
    await until(store, failedId, (h) => h.state === 'awaiting_input' && !!h.refs['statusTs']),
  );
  const failed = await until(store, failedId, (h) => h.state === 'failed');
  await holder(`${failedId} failed`);

  const waiterId = await scene.plan(
    'U0CAROL',
    'plan runbook-drill@24-02-05.619-hotfix.641 globex staging reason="label printer timeout"',
  );
  await approvedByBob(scene, store, waiterId);
  await until(store, waiterId, (h) => h.state === 'queued');
  await holder(`${waiterId} queued`);

  // Priya patches forward from the failed hotfix's live status: the plan form opens prefilled; she changes the tag.
  await proceed(scene, 'U0PRIYA', failed, 'hotfix_patch_forward');
  const form = await scene.slack.waitFor(
    (s) =>
      [...s.views]
        .reverse()
        .find((v) => v.user === 'U0PRIYA' && String(v.view['private_metadata']).includes(failed.ulid)),
    5000,
  );
  const text = (value: string) => ({ value: { type: 'plain_text_input', value } });
  const choice = (value: string) => ({ value: { type: 'static_select', selected_option: { value } } });
  const view = {
    id: form.id,
    callback_id: 'hotfix_plan',
    private_metadata: String(form.view['private_metadata']),
    state: {
      values: {
        services: text('failing-drill@24-02-05.619-hotfix.642'),
        client: choice('globex'),
        env: choice('staging'),
        severity: choice('3'),
        incident: text('INC-4240'),
        reason: text('duplicate pick lists: the fix of the fix'),
      },
    },
  };
  await sendViewSubmission(scene.events, SECRET, { user: 'U0PRIYA', view }, { emulator: scene.slack });
  const told = await scene.slack.waitFor(
    (s) => s.ephemerals('U0PRIYA').find((e) => /HF-\d+ is planned/.test(e.text)),
    5000,
  );
  const patchId = /HF-\d+/.exec(told.text)?.[0] ?? '';
  const patch = await until(store, patchId, (h) => h.refs['noticeTs'] !== undefined);
  await holder(`${patchId} planned`);

  await scene.click('U0BOB', 'C0CHANGECTL', patch.refs['noticeTs'] ?? '', 'hotfix_approve');
  const superseded = await until(
    store,
    failedId,
    (h) => h.state === 'superseded' && h.finalizedSeq !== undefined,
  );
  await holder(`${patchId} approved`);
  await new Promise((resolve) => setTimeout(resolve, 1200)); // final redraws
  lines.push(`${failedId}'s notice now reads:  ${noticeHeadline(scene.slack, superseded)}`);

  // The patch is a rehearsal of the same scripted failure: it fails too, and is resolved; then the waiter runs.
  const running = await until(store, patchId, (h) => h.state === 'awaiting_input' && !!h.refs['statusTs']);
  await proceed(scene, 'U0PRIYA', running);
  await until(store, patchId, (h) => h.state === 'failed');
  await scene.type('U0PRIYA', `resolve ${patchId} "rehearsal: the failure was scripted"`);
  const waiter = await until(store, waiterId, (h) => h.state === 'awaiting_input' && !!h.refs['statusTs']);
  await holder(`${patchId} resolved`);
  await proceed(scene, 'U0CAROL', waiter);
  await until(store, waiterId, (h) => h.state === 'completed' && h.finalizedSeq !== undefined);
  return lines;
}

async function approvedByBob(scene: Scene, store: Store, id: string): Promise<Hotfix> {
  const planned = await until(store, id, (h) => h.refs['noticeTs'] !== undefined);
  await scene.click('U0BOB', 'C0CHANGECTL', planned.refs['noticeTs'] ?? '', 'hotfix_approve');
  return until(store, id, (h) => h.times.approvedAt !== undefined);
}
