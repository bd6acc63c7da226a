/**
 * A hotfix planned for a window hours away (seed 001: "if there is enough time before the planned deploy time,
 * create a Scheduled Maintenance"): Priya plans decanting-service on globex staging for three hours from now, bob
 * approves it at once, and the bot makes the records for the window: the change ticket, the calendar event from
 * the window's start, and a *scheduled* Statuspage maintenance that touches no component yet. Nothing deploys
 * while the window is ahead. Three hours later (the scene's clock moves on) the hotfix queues, the maintenance
 * goes in progress as the deploy takes the environment, Priya answers the build's Proceed, and the hotfix completes,
 * completing the maintenance.
 */
import type { HealthEmulator } from '../../test/emulators/health/index.js';
import type { StatuspageEmulator } from '../../test/emulators/statuspage/index.js';
import { localTime } from '../../src/domain/timing.js';
import { DEMO_PAGE } from '../catalog.js';
import type { Scene, Store } from '../scene.js';
import { laterBy, proceed, sceneNow, until } from '../scene.js';

/** The fix this scene deploys in its window. */
export const WINDOW_TAG = '24-02-05.619-hotfix.643';

/** Plays the scene; answers how the Statuspage maintenance stood at each step, for the demo's printout. */
export async function playDeployWindow(
  scene: Scene,
  store: Store,
  health: HealthEmulator,
  statuspage: StatuspageEmulator,
): Promise<string[]> {
  health.running('/v1/health', WINDOW_TAG);
  const opens = localTime(new Date(sceneNow() + 3 * 3_600_000), 'Europe/London');
  const id = await scene.plan(
    'U0PRIYA',
    `plan decanting-service@${WINDOW_TAG} globex staging at=${opens.date}T${opens.time} reason="slow label printing, low-traffic window"`,
  );
  const planned = await until(store, id, (h) => h.refs['noticeTs'] !== undefined);
  await scene.click('U0BOB', 'C0CHANGECTL', planned.refs['noticeTs'] ?? '', 'hotfix_approve');
  const waiting = await until(store, id, (h) => h.steps['window_wait']?.result !== undefined);
  const maintenance = () => {
    const found = statuspage.incidents(DEMO_PAGE).find((i) => i.id === waiting.refs['statuspageIncidentId']);
    const components = ['globexstgdecant', 'globexstgagent']
      .map((c) => `${c} ${statuspage.component(c)?.status ?? '?'}`)
      .join(', ');
    return `${found?.status ?? 'none'} for ${found?.scheduled_for ?? '?'} (components: ${components})`;
  };
  const steps = [`${id} approved, waiting for its window: maintenance ${maintenance()}`];
  await new Promise((resolve) => setTimeout(resolve, 1500)); // the reconciler looks; nothing deploys
  steps.push(
    `1.5 s later, still ${(await until(store, id, () => true)).state}: maintenance ${maintenance()}`,
  );
  laterBy(3 * 3_600_000 + 60_000);
  const asking = await until(
    store,
    id,
    (h) => h.state === 'awaiting_input' && h.refs['statusTs'] !== undefined,
  );
  await until(store, id, (h) => h.steps['statuspage_started']?.result !== undefined);
  steps.push(`the window opened, the deploy took the environment: maintenance ${maintenance()}`);
  await proceed(scene, 'U0PRIYA', asking);
  await until(store, id, (h) => h.state === 'completed' && h.finalizedSeq !== undefined);
  await until(store, id, (h) => Object.keys(h.steps).some((s) => s.startsWith('close_statuspage')));
  steps.push(`completed: maintenance ${maintenance()}`);
  await new Promise((resolve) => setTimeout(resolve, 1200)); // final redraws
  return steps;
}
