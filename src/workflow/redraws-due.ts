import type { Hotfix } from '../domain/hotfix.js';
import type { StepJob } from '../ports/jobs.js';
import type { WorkflowDeps } from './deps.js';
import { drawnAs } from './drawn-messages.js';
import { statusFingerprint } from './render-status.js';

/**
 * The redraws a hotfix is owed: its status message, or its plan message and notice, no longer show the record (the
 * job that should have drawn them died: a Slack outage longer than its retries). Only once the record has been quiet
 * for `staleMs`, so the normal drawing job has had its chance and a busy hotfix is not drawn twice.
 */
export async function redrawsDue(
  deps: WorkflowDeps,
  hotfix: Hotfix,
  lastChangeAt: number,
  staleMs: number,
): Promise<StepJob[]> {
  const now = deps.clock.now().getTime();
  if (now - lastChangeAt < staleMs) return [];
  const attempt = `redraw-${Math.floor(now / staleMs)}`;
  const jobs: StepJob[] = [];
  const { ulid } = hotfix;
  if (hotfix.times.queuedAt && !(await drawnAs(deps, ulid, 'status', await statusFingerprint(deps, hotfix))))
    jobs.push({ ulid, step: 'render_status', attempt });
  const posted = hotfix.refs['planTs'] !== undefined || hotfix.refs['noticeTs'] !== undefined;
  if (posted && !(await drawnAs(deps, ulid, 'messages', deps.chat.messagesFingerprint(hotfix))))
    jobs.push({ ulid, step: 'refresh_messages', attempt });
  return jobs;
}

/** Whether every message of the hotfix shows its record now (or Slack refuses it for good): finalize waits for it. */
export async function allDrawn(deps: WorkflowDeps, hotfix: Hotfix): Promise<boolean> {
  const { ulid } = hotfix;
  const status =
    !hotfix.times.queuedAt || (await drawnAs(deps, ulid, 'status', await statusFingerprint(deps, hotfix)));
  const posted = hotfix.refs['planTs'] !== undefined || hotfix.refs['noticeTs'] !== undefined;
  return (
    status && (!posted || (await drawnAs(deps, ulid, 'messages', deps.chat.messagesFingerprint(hotfix))))
  );
}
