/** The ECS image scenes: a new revision rolled out and verified, then a rollout ECS's circuit breaker rolls back. */
import type { AwsEmulator } from '../../test/emulators/aws/index.js';
import type { HealthEmulator } from '../../test/emulators/health/index.js';
import type { Scene, Store } from '../scene.js';
import { planApprovedByBob, until } from '../scene.js';

/** The catalog's external-agent service on acme staging, as the demo's ECS has it. */
export const ECS_AGENT = { cluster: 'staging-acme', service: 'staging-external-agent-acme' };

/**
 * external-agent through the ECS image method on acme staging: bob approves, one revision with only the image changed
 * is registered and the service follows it to COMPLETED; its health check passes through a short soak and it completes.
 * Then a second image whose tasks keep exiting: ECS's circuit breaker rolls the service back, and the
 * hotfix fails with ECS's reason (the service is stable again, on the old revision). Returns the revisions as ECS
 * holds them.
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
  await planApprovedByBob(
    scene,
    store,
    'HF-7',
    'plan external-agent@v2.14.4-hotfix.1 acme staging reason="heartbeat retry, take two"',
  );
  await until(store, 'HF-7', (h) => h.state === 'failed');
  await new Promise((resolve) => setTimeout(resolve, 1200));
  await scene.type(
    'U0PRIYA',
    'resolve HF-7 "ECS rolled the service back to :2 by itself; the image is being fixed"',
  );
  await until(store, 'HF-7', (h) => h.state === 'resolved' && h.finalizedSeq !== undefined);
  await new Promise((resolve) => setTimeout(resolve, 1200)); // final redraws
  const service = aws.ecs.services.find((s) => s.name === ECS_AGENT.service);
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
    `service ${ECS_AGENT.service} runs ${service?.taskDefinition.split('/').pop() ?? '?'}; UpdateService calls: ${aws.callsOf('UpdateService').length}`,
  ];
}
