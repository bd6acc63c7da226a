/** The rehearsal scenes: two hotfixes queued on one environment, then a rehearsal scripted to fail. */
import type { Hotfix } from '../../src/domain/hotfix.js';
import type { Scene, Store } from '../scene.js';
import { noticeHeadline, proceed, until } from '../scene.js';

export async function play(scene: Scene, store: Store): Promise<void> {
  await scene.type('U0PRIYA', 'plan decantng-service@24-02-05.619 acme prdo');
  await scene.type(
    'U0PRIYA',
    'plan runbook-drill@24-02-05.619-hotfix.627 acme prod sev=2 incident=INC-4211 reason="orders stuck in decanting since the 24-02-05 release"',
  );
  const first = await until(store, 'HF-1', (h) => h.refs['noticeTs'] !== undefined);
  await scene.click('U0PRIYA', 'C0CHANGECTL', first.refs['noticeTs'] ?? '', 'hotfix_approve'); // four eyes: refused
  await scene.approve('U0CTOALICE', first);
  await until(store, 'HF-1', (h) => h.approvals.length === 1);
  await scene.approve('U0BOB', first);
  await until(store, 'HF-1', (h) => h.state === 'awaiting_input');

  // Meanwhile carol plans a second fix for the same environment: it queues behind HF-1.
  await scene.type(
    'U0CAROL',
    'plan runbook-drill@24-02-05.619-hotfix.628 acme prod sev=1 reason="follow-up: label printer timeout"',
  );
  const second = await until(store, 'HF-2', (h) => h.refs['noticeTs'] !== undefined);
  await scene.approve('U0BOB', second);
  await until(store, 'HF-2', (h) => h.state === 'queued');
  await new Promise((resolve) => setTimeout(resolve, 1200)); // the status messages catch up

  const running = await until(store, 'HF-1', (h) => h.refs['statusTs'] !== undefined);
  await proceed(scene, 'U0PRIYA', running);
  await until(store, 'HF-1', (h) => h.state === 'completed' && h.finalizedSeq !== undefined);

  const next = await until(
    store,
    'HF-2',
    (h) => h.state === 'awaiting_input' && h.refs['statusTs'] !== undefined,
  );
  await proceed(scene, 'U0CAROL', next);
  await until(store, 'HF-2', (h) => h.state === 'completed' && h.finalizedSeq !== undefined);
  await new Promise((resolve) => setTimeout(resolve, 1200)); // final redraws
  await scene.type('U0PRIYA', 'list');
}

/**
 * A rehearsal scripted to fail: the owner is asked to proceed with a mention, the smoke test fails, the failure is
 * announced in the thread and in change control, and the owner resolves it. Returns the notice's first line after
 * each step, waiting for each redraw, to show the notice is current throughout.
 */
export async function playFailure(scene: Scene, store: Store): Promise<string[]> {
  const seen: string[] = [];
  const expect = async (label: string, hotfix: Hotfix, pattern: RegExp) => {
    const line = await scene.slack.waitFor(() => {
      const text = noticeHeadline(scene.slack, hotfix);
      return pattern.test(text) ? text : undefined;
    }, 8000);
    seen.push(`${label.padEnd(24)} ${line}`);
  };
  await scene.type(
    'U0PRIYA',
    'plan failing-drill@24-02-05.619-hotfix.629 globex prod sev=2 incident=INC-4230 reason="pick lists print twice since this morning"',
  );
  const third = await until(store, 'HF-3', (h) => h.refs['noticeTs'] !== undefined);
  await expect('planned', third, /Approve a Sev 2/);
  await scene.approve('U0CTOALICE', third);
  await until(store, 'HF-3', (h) => h.approvals.length === 1);
  await scene.approve('U0BOB', third);
  const waiting = await until(
    store,
    'HF-3',
    (h) => h.state === 'awaiting_input' && h.refs['statusTs'] !== undefined,
  );
  await expect('asks to proceed', waiting, /waits for a Proceed/);
  await proceed(scene, 'U0PRIYA', waiting);
  await expect('proceeded', waiting, /Deploying to|FAILED/);
  const failed = await until(store, 'HF-3', (h) => h.state === 'failed');
  await expect('failed', failed, /FAILED/);
  await scene.type(
    'U0PRIYA',
    'resolve HF-3 "the smoke test failure was scripted; the rehearsal changed nothing"',
  );
  const resolved = await until(store, 'HF-3', (h) => h.state === 'resolved' && h.finalizedSeq !== undefined);
  await expect('resolved', resolved, /Resolved by hand/);
  await new Promise((resolve) => setTimeout(resolve, 1200)); // final redraws
  return seen;
}
