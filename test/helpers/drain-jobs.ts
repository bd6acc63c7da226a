/**
 * Test helper: runs the step jobs waiting in the real BullMQ queue through the real workflow steps, one at a time, as
 * the worker would; a step that throws is a job that died (nothing retries it). Lets a test decide exactly when jobs
 * run and which of them fail, with the web role's bot (no worker of its own).
 */
import type { BullJobs } from '../../src/queue/step-queue.js';
import { parseStepJob } from '../../src/queue/step-queue.js';
import type { StepName } from '../../src/ports/jobs.js';
import type { WorkflowDeps } from '../../src/workflow/deps.js';
import { stepHandlers } from '../../src/workflow/step-handlers.js';

/** Runs waiting jobs (not delayed ones) until none is left; returns the steps that ran, in order, and which died. */
export async function drainJobs(deps: WorkflowDeps): Promise<{ ran: StepName[]; died: StepName[] }> {
  const handlers = stepHandlers(deps);
  const { queue } = deps.jobs as BullJobs;
  const ran: StepName[] = [];
  const died: StepName[] = [];
  for (let round = 0; round < 50; round++) {
    const waiting = await queue.getJobs(['waiting', 'prioritized']);
    if (waiting.length === 0) return { ran, died };
    for (const job of waiting) {
      await job.remove();
      const step = parseStepJob(job.data);
      ran.push(step.step);
      await handlers[step.step](step.ulid).catch(() => died.push(step.step));
    }
  }
  throw new Error('jobs kept coming after 50 rounds');
}
