/**
 * The ECS image scenes: a new revision rolled out and verified, then a rollout ECS's circuit breaker rolls back, rolled
 * back from Slack.
 */
import type { AwsEmulator } from '../../test/emulators/aws/index.js';
import type { HealthEmulator } from '../../test/emulators/health/index.js';
import type { Hotfix } from '../../src/domain/hotfix.js';
import { sendViewSubmission } from '../../test/emulators/slack/index.js';
import type { Scene, Store } from '../scene.js';
import { planApprovedByBob, proceed, SECRET, until } from '../scene.js';

/** The catalog's external-agent service on acme staging, as the demo's ECS has it. */
export const ECS_AGENT = { cluster: 'staging-acme', service: 'staging-external-agent-acme' };

/**
 * external-agent through the ECS image method on acme staging: bob approves, one revision with only the image changed
 * is registered and the service follows it to COMPLETED; its health check passes through a short soak and it completes.
 * Then a second image whose tasks keep exiting: ECS's circuit breaker rolls the service back, the hotfix fails with
 * ECS's reason, and Priya rolls it back from Slack (seed 002's panic rollback: the bad revision deregistered). Returns
 * the revisions as ECS holds them and the rollback's steps.
 */
export async function playEcs(
  scene: Scene,
  store: Store,
  aws: AwsEmulator,
  health: HealthEmulator,
): Promise<string[]> {
  health.running('/healthz', 'v2.14.3-hotfix.1');
  await planApprovedByBob(
    scene,
    store,
    'HF-6',
    'plan external-agent@v2.14.3-hotfix.1 acme staging reason="agent drops heartbeats"',
  );
  await until(store, 'HF-6', (h) => h.state === 'completed' && h.finalizedSeq !== undefined);

  aws.ecs.scriptNextRollout(ECS_AGENT.cluster, ECS_AGENT.service, {
    outcome: 'fail',
    failAfterSteps: 3,
    reason: 'essential container in task exited (exit code 137)',
  });
  const id = await scene.plan(
    'U0PRIYA',
    'plan external-agent@v2.14.4-hotfix.1 acme staging reason="heartbeat retry, take two"',
  );
  const planned = await until(store, id, (h) => h.refs['noticeTs'] !== undefined);
  await scene.click('U0BOB', 'C0CHANGECTL', planned.refs['noticeTs'] ?? '', 'hotfix_approve');
  const failed = await until(store, id, (h) => h.state === 'failed' && h.refs['statusTs'] !== undefined);
  await panicRollback(scene, store, failed);
  const service = aws.ecs.services.find((s) => s.name === ECS_AGENT.service);
  const calls = (operation: string) => aws.callsOf(operation).length;
  return [
    ...aws.ecs.taskDefinitions
      .filter((td) => td.family === ECS_AGENT.service)
      .map((td) => {
        const image = String(
          (td.body['containerDefinitions'] as { image?: string }[] | undefined)?.[0]?.image,
        );
        const tags = td.tags.map((t) => `${t.key}=${t.value}`).join(' ');
        return `${td.family}:${td.revision} ${td.status} ${image}${tags ? ` [${tags}]` : ''}`;
      }),
    `service ${ECS_AGENT.service} runs ${service?.taskDefinition.split('/').pop() ?? '?'}; UpdateService calls: ${calls('UpdateService')}, StopServiceDeployment: ${calls('StopServiceDeployment')}, DeregisterTaskDefinition: ${calls('DeregisterTaskDefinition')}`,
    `${id} ended ${(await store.findById(id))?.state ?? '?'} by its panic rollback, whose steps were:`,
    ...((await store.findById(id))?.stages ?? []).map((stage) => `  ${stage.status}: ${stage.name}`),
  ];
}

/**
 * Priya clicks Rollback on the failed hotfix's live status and confirms in the form naming the task definition it
 * returns to: seed 002's panic rollback. ECS's circuit breaker already put the service back, so the bot sends nothing
 * back, follows the service until every task runs the old revision, deregisters the bad one and checks the health.
 */
async function panicRollback(scene: Scene, store: Store, failed: Hotfix): Promise<void> {
  await proceed(scene, 'U0PRIYA', failed, 'hotfix_rollback');
  const form = await scene.slack.waitFor(
    (s) =>
      [...s.views]
        .reverse()
        .find(
          (v) =>
            v.view['callback_id'] === 'hotfix_rollback_reason' &&
            String(v.view['private_metadata']).includes(failed.ulid),
        ),
    5000,
  );
  const view = {
    id: form.id,
    callback_id: 'hotfix_rollback_reason',
    private_metadata: String(form.view['private_metadata']),
    state: {
      values: {
        reason: {
          value: { type: 'plain_text_input', value: 'tasks exit with 137; back to the last good revision' },
        },
      },
    },
  };
  await sendViewSubmission(scene.events, SECRET, { user: 'U0PRIYA', view }, { emulator: scene.slack });
  await until(store, failed.id, (h) => h.state === 'rolled_back' && h.finalizedSeq !== undefined);
  await new Promise((resolve) => setTimeout(resolve, 1200)); // final redraws
}
