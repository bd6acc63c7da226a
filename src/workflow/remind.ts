import type { Hotfix } from '../domain/hotfix.js';
import type { ReminderKind } from '../ports/chat.js';
import type { WorkflowDeps } from './deps.js';
import { waitForSlack } from './slack-gate.js';
import { postOnce } from './post-once.js';

/** What change control should be reminded of now, if anything. */
export function reminderDue(hotfix: Hotfix): ReminderKind | undefined {
  if (hotfix.state === 'planned') return 'approval';
  if (hotfix.breakGlass && !hotfix.breakGlass.acknowledgedBy) return 'break_glass_ack';
  return undefined;
}

/** When the last reminder (or the thing being waited on) happened: reminders are spaced from it. */
export function lastNudge(hotfix: Hotfix, kind: ReminderKind): number {
  const prefix = `remind_${kind}_`;
  const times = Object.entries(hotfix.steps)
    .filter(([step, progress]) => step.startsWith(prefix) && progress.result)
    .map(([, progress]) => Date.parse(progress.result?.at ?? ''));
  const start = kind === 'approval' ? hotfix.stateSince.at : (hotfix.breakGlass?.at ?? hotfix.stateSince.at);
  return Math.max(Date.parse(start), ...times);
}

function remindersSent(hotfix: Hotfix, kind: ReminderKind): number {
  return Object.keys(hotfix.steps).filter((s) => s.startsWith(`remind_${kind}_`) && hotfix.steps[s]?.result)
    .length;
}

/**
 * Reminds change control, in the notice's thread, while a plan waits for approval or a break-glass approval waits to
 * be acknowledged, every `approvalReminderMinutes`; then schedules the next reminder. Stops by itself once nothing
 * is waiting.
 */
export async function remind(deps: WorkflowDeps, ulid: string): Promise<void> {
  const hotfix = await deps.store.load(ulid);
  if (!hotfix) return;
  const kind = reminderDue(hotfix);
  const noticeTs = hotfix.refs['noticeTs'];
  const noticeChannel = hotfix.refs['noticeChannel'];
  if (!kind || !noticeTs || !noticeChannel) return;
  await waitForSlack(deps);
  const every = hotfix.snapshot.policy.approvalReminderMinutes * 60_000;
  const wait = lastNudge(hotfix, kind) + every - deps.clock.now().getTime();
  const n = remindersSent(hotfix, kind) + 1;
  if (wait <= 0) {
    const key = `remind_${kind}_${n}`;
    await postOnce(deps, hotfix, {
      step: key,
      find: { channel: noticeChannel, kind: 'reminder', key, threadTs: noticeTs },
      post: () => deps.chat.postReminder(hotfix, kind, key),
    });
  }
  // Named by when it is due, so the job never shares an id with the one running now (BullMQ would drop it).
  const delayMs = wait <= 0 ? every : wait;
  const dueAt = deps.clock.now().getTime() + delayMs;
  await deps.jobs.enqueue({ ulid, step: 'remind', attempt: `${kind}-${dueAt}` }, { delayMs });
}
