/** The ECS run-once scene: a plan refused by the process guard, then the deployment service run once. */
import type { AwsEmulator } from '../../test/emulators/aws/index.js';
import type { processDatabase } from '../../test/helpers/run-once-world.js';
import { STAGING_DEPLOYMENT } from '../../test/helpers/run-once-world.js';
import type { Scene, Store } from '../scene.js';
import { planApprovedByBob, until } from '../scene.js';

/** The deployment service's image, unchanged by a hotfix (seed 000). */
export const DEPLOYMENT_TAG = '2024.11.3-hotfix.2';

/**
 * The deployment service through ecs-run-once on acme staging: while a nightly export runs in the client's database
 * the plan is refused, naming it; once it is gone bob approves, the service is set 0 -> 1 once, its log reaches the
 * live status (a password in it redacted), it exits 0 and scales itself back to 0, and the hotfix completes. Returns the run as ECS and CloudWatch hold it.
 */
export async function playRunOnce(
  scene: Scene,
  store: Store,
  aws: AwsEmulator,
  db: ReturnType<typeof processDatabase>,
): Promise<string[]> {
  await db.query(`INSERT INTO meta.process (name) VALUES ('nightly-export acme')`);
  await scene.type('U0PRIYA', `plan deployment@${DEPLOYMENT_TAG} acme staging reason="order import fix"`);
  await until(store, 'HF-8', (h) => h.state === 'cancelled');
  const refused = await scene.slack.waitFor(
    (s) => s.ephemerals('U0PRIYA').find((e) => e.text.startsWith('HF-8 was not put up for approval')),
    5000,
  );
  await db.query('TRUNCATE meta.process');
  aws.runOnce.scriptNextRun(STAGING_DEPLOYMENT.cluster, STAGING_DEPLOYMENT.service, {
    lines: [
      `Deployment ${DEPLOYMENT_TAG} starting for acme staging`,
      'Connecting to postgres://deployer:Demo-Pa55word@db.acme-staging.internal/acme',
      'Applying migration 0042_order_import_retry',
      'Deployment finished; scaling the service to 0',
    ],
    stepMs: 600,
  });
  await planApprovedByBob(
    scene,
    store,
    'HF-9',
    `plan deployment@${DEPLOYMENT_TAG} acme staging reason="order import fix, nightly export done"`,
  );
  await until(store, 'HF-9', (h) => h.state === 'completed' && h.finalizedSeq !== undefined);
  const service = aws.ecs.services.find((s) => s.name === STAGING_DEPLOYMENT.service);
  return [
    `--- The deployment service ${STAGING_DEPLOYMENT.service}, as ECS and CloudWatch hold it ---`,
    `HF-8 refused, as priya read it: ${refused.text.split('\n').slice(0, 3).join(' / ')}`,
    `UpdateService calls setting it to 1: ${aws.callsOf('UpdateService').filter((c) => c.body['desiredCount'] === 1).length}; tasks: ${aws.runOnce.tasks.length}; desired now: ${service?.desiredCount ?? '?'}`,
    `${STAGING_DEPLOYMENT.logGroup}: ${aws.logs.groups.get(STAGING_DEPLOYMENT.logGroup)?.length ?? 0} lines, shown in the thread above with the password redacted`,
  ];
}
