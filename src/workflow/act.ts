import type { PersonCommand } from '../domain/commands.js';
import type { Hotfix } from '../domain/hotfix.js';
import { decide } from '../domain/decide.js';
import type { Refusal } from '../domain/reasons.js';
import type { StepJob } from '../ports/jobs.js';
import type { WorkflowDeps } from './deps.js';
import { explainRefusal } from './actors.js';
import { afterTransition } from './next-jobs.js';
import { afterCommit } from './recorded.js';
import type { HotfixRef, Outcome } from './transact.js';
import { loadRef, transact } from './transact.js';
import { Reason, refuse } from '../domain/reasons.js';
import { approvePatchForward } from './patch-forward.js';

/** A person's command on a hotfix, from Slack. */
export interface PersonAction {
  userId: string;
  ref: HotfixRef;
  command: PersonCommand;
  /** The record as the caller has just read it (a button's handler): saves reads; a newer one still wins. */
  loaded?: Hotfix;
}

/**
 * A person acts on a hotfix: resolve who they are (groups), decide with compare-and-set, then enqueue the redraw of
 * the hotfix's messages and the thread replies. Only the decision happens here; Slack writes are jobs.
 */
export async function act(deps: WorkflowDeps, action: PersonAction): Promise<Outcome> {
  const { actor, gaps, policy, hotfix: loaded } = await actorFor(deps, action);
  // A patch forward's approval also supersedes the failed hotfix and takes over its lock (patch-forward.ts).
  const { outcome, superseded } =
    action.command.type === 'approve' && loaded?.supersedes
      ? await approvePatchForward(deps, action.ref, action.command, actor)
      : {
          outcome: await transact(
            deps,
            action.ref,
            action.command,
            actor,
            action.loaded ? { loaded: action.loaded } : {},
          ),
          superseded: undefined,
        };
  if (!outcome.ok) return { ...outcome, refusal: explainRefusal(outcome.refusal, gaps, policy) };
  if (outcome.events.length > 0) {
    const { hotfix } = outcome;
    await afterCommit(
      `${hotfix.id}: your ${action.command.type.replace(/_/g, ' ')} was recorded`,
      async () => {
        // Redraws the plan, the notice and the status, and tells the thread (next-jobs.ts); a superseded hotfix's
        // next step is its finalize.
        await afterTransition(deps, hotfix);
        if (superseded) await afterTransition(deps, superseded);
        for (const job of followUps(outcome)) await deps.jobs.enqueue(job.job, job.options);
      },
    );
    deps.log.info({ hotfix: hotfix.id, by: action.userId, command: action.command.type }, 'hotfix decision');
    if (superseded)
      deps.log.info(
        { hotfix: superseded.id, to: hotfix.id },
        'superseded by a patch forward; its lock passed on',
      );
  }
  return outcome;
}

/** Jobs a decision starts besides the redraw: a new expiry for a revised plan, reminders for a break-glass. */
function followUps(
  outcome: Extract<Outcome, { ok: true }>,
): { job: StepJob; options: { delayMs: number } }[] {
  const h = outcome.hotfix;
  const jobs: { job: StepJob; options: { delayMs: number } }[] = [];
  const every = h.snapshot.policy.approvalReminderMinutes * 60_000;
  if (outcome.events.some((e) => e.type === 'approval_given' && e.approval.breakGlass)) {
    jobs.push({
      job: { ulid: h.ulid, step: 'remind', attempt: `break_glass_ack-first` },
      options: { delayMs: every },
    });
  }
  // The thread hears at once that the forward-port is over, and its schedule stops, not at the next reminder.
  if (outcome.events.some((e) => e.type === 'forward_port_waived'))
    jobs.push({
      job: { ulid: h.ulid, step: 'forward_port', attempt: `waived-${h.seq}` },
      options: { delayMs: 0 },
    });
  const extended = outcome.events.find((e) => e.type === 'maintenance_extended');
  if (extended?.type === 'maintenance_extended')
    jobs.push({
      job: { ulid: h.ulid, step: 'sync_records', attempt: `extend-${extended.until.replace(/[^0-9]/g, '')}` },
      options: { delayMs: 0 },
    });
  if (outcome.events.some((e) => e.type === 'plan_revised')) {
    const untilExpiry = Math.max(0, Date.parse(h.expiresAt) - Date.parse(h.stateSince.at));
    jobs.push({
      job: { ulid: h.ulid, step: 'expire', attempt: `v${h.planVersion}-${h.expiresAt}` },
      options: { delayMs: untilExpiry },
    });
  }
  return jobs;
}

/**
 * Whether the person could give this command now, without recording anything: lets a button say "you can't" at
 * once, instead of opening a form that would be refused on submit.
 */
export async function check(deps: WorkflowDeps, action: PersonAction): Promise<Refusal | undefined> {
  const hotfix = action.loaded ?? (await loadRef(deps, action.ref));
  if (!hotfix) return refuse(Reason.NotFound, 'That hotfix no longer exists.');
  const { actor, gaps } = await deps.actors.resolve(action.userId, hotfix.snapshot.policy);
  const decision = decide(hotfix, action.command, { now: deps.clock.now(), actor });
  return decision.ok ? undefined : explainRefusal(decision.refusal, gaps, hotfix.snapshot.policy);
}

/**
 * Whether the requester who may not approve normally could approve alone by break-glass right now (severity, who
 * they are, the plan version, expiry and freeze windows), so the button can offer the break-glass form instead of a
 * refusal. The reason itself is asked for in that form; any non-blank one passes the domain's check.
 */
export async function breakGlassOffered(
  deps: WorkflowDeps,
  input: { userId: string; ref: HotfixRef; planVersion: number },
): Promise<boolean> {
  const command = {
    type: 'approve' as const,
    planVersion: input.planVersion,
    breakGlassReason: 'reason asked in the form',
  };
  return (await check(deps, { userId: input.userId, ref: input.ref, command })) === undefined;
}

/**
 * Who the person is, in the groups the hotfix's own policy snapshot names: the checks decide with that snapshot, so
 * membership must be read for the same groups, not the live catalog's (a catalog change never alters a hotfix).
 */
async function actorFor(deps: WorkflowDeps, action: PersonAction) {
  const hotfix = action.loaded ?? (await loadRef(deps, action.ref));
  const policy = hotfix?.snapshot.policy ?? deps.catalog.policy;
  return { ...(await deps.actors.resolve(action.userId, policy)), policy, hotfix };
}
