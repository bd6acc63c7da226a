/**
 * Verification by task revision (issue 13, "for ECS methods the tasks on the expected revision"): every running task
 * of a service on the task-definition revision it must run, judged like a health check, with what was expected and
 * what was seen. A service put back on another revision (ECS's circuit breaker, a hand-made change during the soak
 * window) fails its hotfix here even though its health URL answers.
 */
import type { HealthResult } from '../../domain/health.js';
import { ContainersError, type Containers } from '../../ports/containers.js';
import { shortName, type EcsImageService } from './ecs-image-target.js';

/** The name the check has in the live status and the failure message. */
export const TASK_REVISION_CHECK = 'tasks on revision';

/** One service's running tasks against `arn` (undefined: the deploy recorded no revision, which fails the check). */
export async function tasksOnRevision(
  ecs: Containers,
  s: EcsImageService,
  arn: string | undefined,
): Promise<HealthResult> {
  const base = { service: s.service, check: TASK_REVISION_CHECK };
  if (!arn)
    return { ...base, ok: false, expected: 'a revision recorded by the deploy', seen: 'none recorded' };
  const expected = `every running task of ${s.target.service} on ${shortName(arn)}`;
  let tasks: string[];
  try {
    tasks = await ecs.runningTaskDefinitions(s.target.cluster, s.target.service);
  } catch (error) {
    // Throttling and 5xx are tried again by the job; anything else is what the check saw.
    if (!(error instanceof ContainersError) || error.retryable) throw error;
    return { ...base, ok: false, expected, seen: error.message };
  }
  const ok = tasks.length > 0 && tasks.every((t) => t === arn);
  return { ...base, ok, expected, seen: tasksSeen(tasks) };
}

/** "2 running tasks on family:3" or "1 on family:3, 1 on family:2"; "no running tasks". */
function tasksSeen(tasks: readonly string[]): string {
  if (tasks.length === 0) return 'no running tasks';
  const counts = new Map<string, number>();
  for (const t of tasks) counts.set(t, (counts.get(t) ?? 0) + 1);
  const parts = [...counts].map(([arn, n]) => `${n} on ${shortName(arn)}`);
  const total = `${tasks.length} running task${tasks.length === 1 ? '' : 's'}`;
  return counts.size === 1 ? `${total} on ${shortName(tasks[0] ?? '')}` : `${total}: ${parts.join(', ')}`;
}
