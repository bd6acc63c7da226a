/**
 * The ECS run-once scenes: a deploy the process guard holds until its wait runs out, then a plan made while a process
 * runs, its deploy waiting for it, then run once.
 */
import type { AwsEmulator } from '../../test/emulators/aws/index.js';
import type { processDatabase } from '../../test/helpers/run-once-world.js';
import { STAGING_DEPLOYMENT } from '../../test/helpers/run-once-world.js';
import type { Scene, Store } from '../scene.js';
import { laterBy, until } from '../scene.js';

/** The deployment service's image, unchanged by a hotfix (seed 000). */
export const DEPLOYMENT_TAG = '2024.11.3-hotfix.2';

/**
 * The deployment service through ecs-run-once on acme staging: a nightly export runs in the client's database when
 * priya plans, so the plan and the notice show it (redacted) and the deploy waits for it once bob approves; when it
 * is gone the service is set 0 -> 1 once, its log reaches the live status (a password in it redacted), it exits 0 and
 * scales itself back to 0, and the hotfix completes. Returns the run as ECS and CloudWatch hold it.
 */
export async function playRunOnce(
  scene: Scene,
  store: Store,
  aws: AwsEmulator,
  db: ReturnType<typeof processDatabase>,
): Promise<string[]> {
  await db.query(`INSERT INTO meta.process (name) VALUES ('nightly-export acme')`);
  const refused = await refusedByTheGuard(scene, store);
  aws.runOnce.scriptNextRun(STAGING_DEPLOYMENT.cluster, STAGING_DEPLOYMENT.service, {
    lines: [
      `Deployment ${DEPLOYMENT_TAG} starting for acme staging`,
      'Connecting to postgres://deployer:Demo-Pa55word@db.acme-staging.internal/acme',
      'Applying migration 0042_order_import_retry',
      'Deployment finished; scaling the service to 0',
    ],
    stepMs: 600,
  });
  const id = await scene.plan(
    'U0PRIYA',
    `plan deployment@${DEPLOYMENT_TAG} acme staging reason="order import fix"`,
  );
  const planned = await until(store, id, (h) => h.refs['noticeTs'] !== undefined);
  const shown = await scene.slack.waitFor((s) => {
    const plan = s.messages(planned.incident.channel).find((m) => m.ts === planned.refs['planTs']);
    const text = JSON.stringify(plan?.blocks ?? []);
    return text.includes('running: ') ? text : undefined;
  }, 5000);
  await scene.click('U0BOB', 'C0CHANGECTL', planned.refs['noticeTs'] ?? '', 'hotfix_approve');
  const waiting = await until(store, id, (h) => h.stages[0]?.status === 'waiting');
  const ones = () => aws.callsOf('UpdateService').filter((c) => c.body['desiredCount'] === 1).length;
  const onesWhileWaiting = ones();
  await db.query('TRUNCATE meta.process');
  await until(store, id, (h) => h.state === 'completed' && h.finalizedSeq !== undefined);
  const service = aws.ecs.services.find((s) => s.name === STAGING_DEPLOYMENT.service);
  const row = /running: ([^"\\]*)/.exec(shown)?.[1] ?? '?';
  return [
    `--- The deployment service ${STAGING_DEPLOYMENT.service}, as ECS and CloudWatch hold it ---`,
    refused,
    `${id} planned while a process ran; the plan showed: ${row}`,
    `${id} after approval waited: "${waiting.stages[0]?.name ?? '?'}" (UpdateService to 1 while waiting: ${onesWhileWaiting})`,
    `UpdateService calls setting it to 1: ${ones()}; tasks: ${aws.runOnce.tasks.length}; desired now: ${service?.desiredCount ?? '?'}`,
    `${STAGING_DEPLOYMENT.logGroup}: ${aws.logs.groups.get(STAGING_DEPLOYMENT.logGroup)?.length ?? 0} lines, shown in the thread above with the password redacted`,
  ];
}

/**
 * A deploy the process guard holds: bob approves while the nightly export runs, the deploy waits, the export is still
 * running a quarter of an hour later (acme staging's `policy.processGuardWaitMinutes`), so the hotfix fails without
 * starting anything and says why; priya resolves it to plan again once the export is done. Returns its failure.
 */
async function refusedByTheGuard(scene: Scene, store: Store): Promise<string> {
  const id = await scene.plan(
    'U0PRIYA',
    `plan deployment@${DEPLOYMENT_TAG} acme staging reason="order import fix, before the export ends"`,
  );
  const planned = await until(store, id, (h) => h.refs['noticeTs'] !== undefined);
  await scene.click('U0BOB', 'C0CHANGECTL', planned.refs['noticeTs'] ?? '', 'hotfix_approve');
  await until(store, id, (h) => h.stages[0]?.status === 'waiting');
  laterBy(16 * 60_000);
  const failed = await until(store, id, (h) => h.state === 'failed');
  await new Promise((resolve) => setTimeout(resolve, 1200)); // the failure reaches the thread
  await scene.type(
    'U0PRIYA',
    `resolve ${id} "the nightly export is still running; planning again once it is done"`,
  );
  await until(store, id, (h) => h.state === 'resolved' && h.finalizedSeq !== undefined);
  return `${id} held by the process guard, then failed: ${failed.failure?.message.split('\n')[0] ?? '?'}`;
}
