import type { WorkflowDeps } from './deps.js';

/**
 * Redraws the plan message and the change-control notice from the record (after a decision, a cancel, an expiry).
 * Drawing the same record twice gives the same message, so a repeated job is harmless.
 */
export async function refreshMessages(deps: WorkflowDeps, ulid: string): Promise<void> {
  const hotfix = await deps.store.load(ulid);
  if (!hotfix) return;
  const planTs = hotfix.refs['planTs'];
  const planChannel = hotfix.refs['planChannel'];
  const plan = planTs && planChannel ? { channel: planChannel, ts: planTs } : undefined;
  if (plan) await deps.chat.updatePlan(hotfix, plan);
  const noticeTs = hotfix.refs['noticeTs'];
  const noticeChannel = hotfix.refs['noticeChannel'];
  if (noticeTs && noticeChannel) {
    const planLink = plan ? await deps.chat.permalink(plan) : undefined;
    await deps.chat.updateNotice(hotfix, { channel: noticeChannel, ts: noticeTs }, planLink);
  }
}
