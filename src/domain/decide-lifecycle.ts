import type { DecisionContext, HotfixCommand } from './commands.js';
import type { Decision, Emit } from './decision.js';
import { refused } from './decision.js';
import type { Hotfix } from './hotfix.js';
import { mayAcknowledgeBreakGlass, mayAdminister, mayOperate, mayReject, requireReason } from './policy.js';
import { Reason, refuse } from './reasons.js';
import { can } from './capabilities.js';
import { rollbackRowFor, shouldAutoRollback } from './rollback-matrix.js';
import { cancelledMidDeploy, rollbackTarget, rollsBack } from './rollback.js';
import { triageChanges } from './triage.js';
import { heldBy } from './record-plan.js';

type Lifecycle = Exclude<HotfixCommand, { type: 'approve' | 'revise' }>;

/**
 * Every command after approval: queueing, the lock, the deploy and its outcome, rollback, and the overrides people
 * use when something is stuck. The state table in decide.ts has already checked the state.
 */
export function decideLifecycle(h: Hotfix, cmd: Lifecycle, ctx: DecisionContext, emit: Emit): Decision {
  switch (cmd.type) {
    case 'reject':
      return (
        refusedBy(mayReject(h, ctx.actor) ?? requireReason(cmd.reason, `reject ${h.id}`)) ??
        emit({ type: 'rejected', reason: cmd.reason })
      );
    case 'acknowledge_break_glass':
      return acknowledgeBreakGlass(h, ctx, emit);
    case 'tick_triage':
      return (
        refusedBy(mayOperate(h, ctx.actor, 'tick the triage checklist of')) ??
        emit(...triageChanges(h, cmd.ticked).map((c) => ({ type: 'triage_ticked' as const, ...c })))
      );
    case 'expire':
      if (ctx.now.getTime() < Date.parse(h.expiresAt)) {
        return refused(refuse(Reason.NotYetExpired, `${h.id} does not expire until ${h.expiresAt}.`));
      }
      return emit({ type: 'expired' });
    case 'cancel':
      return cancel(h, cmd.reason, ctx, emit);
    case 'queue':
      return emit({ type: 'queued' });
    case 'acquire_lock':
      if (ctx.paused) {
        return refused(
          refuse(Reason.Paused, 'Deploys are paused; this hotfix waits in the queue until `/hotfix resume`.'),
        );
      }
      if (cmd.lock.heldBy && cmd.lock.heldBy !== h.id) {
        return refused(
          refuse(
            Reason.LockHeld,
            `${h.client} ${h.env} is held by ${cmd.lock.heldBy}; ${h.id} waits its turn.`,
          ),
        );
      }
      return emit({ type: 'lock_acquired', token: cmd.lock.token });
    case 'prepare':
      return emit({ type: 'prepared', versionsBefore: cmd.versionsBefore, deployPlan: cmd.deployPlan });
    case 'start_deploy':
      if (!h.versionsBefore) {
        return refused(
          refuse(Reason.WrongState, `${h.id} cannot deploy before the running versions are recorded.`),
        );
      }
      return emit({ type: 'deploy_started', attempt: h.attempts + 1 });
    case 'update_stages':
      return emit({ type: 'stages_updated', stages: cmd.stages, ...(cmd.refs ? { refs: cmd.refs } : {}) });
    case 'request_input':
      return emit({ type: 'input_requested', inputId: cmd.inputId, message: cmd.message });
    case 'answer_input':
      return answerInput(h, cmd, ctx, emit);
    case 'note_input_answered_outside':
      return answeredOutside(h, cmd, emit);
    case 'deploy_succeeded':
      return emit({ type: 'deployed' });
    case 'deploy_failed':
      // Once a cancel was asked for, an abort is how the deploy was meant to end: the abort step records the cancel
      // with what was and was not undone (deploy_aborted), however the abort and a look at the deploy interleave.
      if (cmd.aborted && h.cancelRequest) return emit();
      return emit({ type: 'failed', failure: failure(ctx, 'deploy', cmd.message, cmd.condition) });
    case 'deploy_aborted':
      if (!h.cancelRequest) {
        return refused(
          refuse(Reason.WrongState, `${h.id} was not asked to cancel; report the abort as a failure.`),
        );
      }
      return emit({ type: 'cancelled', reason: h.cancelRequest.reason, undone: cmd.undone });
    case 'verify_succeeded':
      return emit({ type: 'verified' });
    case 'verify_failed': {
      const failed = { type: 'failed' as const, failure: failure(ctx, 'verify', cmd.message, cmd.condition) };
      const auto = autoRollbackReason(h, cmd.condition);
      // In the same write as the failure, so no crash can leave a failure the policy rolls back sitting failed.
      return auto ? emit(failed, { type: 'rollback_started', reason: auto }) : emit(failed);
    }
    case 'rollback_succeeded':
      return emit({ type: 'rolled_back' });
    case 'rollback_failed':
      return emit({ type: 'rollback_failed', message: cmd.message });
    default:
      return decideOverride(h, cmd, ctx, emit);
  }
}

type Override = Extract<
  Lifecycle,
  {
    type:
      | 'retry'
      | 'extend_maintenance'
      | 'rollback'
      | 'supersede'
      | 'resolve'
      | 'handoff'
      | 'unlock'
      | 'waive_forward_port'
      | 'record_intent'
      | 'record_result'
      | 'finalize';
  }
>;

function decideOverride(h: Hotfix, cmd: Override, ctx: DecisionContext, emit: Emit): Decision {
  switch (cmd.type) {
    case 'retry':
      if (h.state === 'approved') return retryRecords(h, ctx, emit);
      return (
        refusedBy(mayOperate(h, ctx.actor, 'retry')) ??
        // Failed while preparing: the running versions (the rollback target) are read again before any deploy.
        emit(
          h.versionsBefore
            ? { type: 'deploy_started', attempt: h.attempts + 1 }
            : { type: 'prepare_retried' },
        )
      );
    case 'extend_maintenance':
      return extendMaintenance(h, ctx, emit);
    case 'rollback':
      return rollback(h, cmd, ctx, emit);
    case 'supersede':
      return (
        refusedBy(mayOperate(h, ctx.actor, 'patch forward')) ??
        emit({ type: 'superseded', supersededBy: cmd.supersededBy })
      );
    case 'resolve':
      return (
        refusedBy(
          mayOperate(h, ctx.actor, 'resolve') ?? requireReason(cmd.reason, `mark ${h.id} resolved`),
        ) ?? emit({ type: 'resolved', reason: cmd.reason })
      );
    case 'handoff':
      if (cmd.to === h.owner) return refused(refuse(Reason.WrongState, `<@${cmd.to}> already owns ${h.id}.`));
      return (
        refusedBy(mayOperate(h, ctx.actor, 'hand off')) ??
        emit({ type: 'handed_off', from: h.owner, to: cmd.to })
      );
    case 'unlock':
      return (
        refusedBy(
          mayAdminister(h.snapshot.policy, ctx.actor, `unlock ${h.client} ${h.env}`) ??
            requireReason(cmd.reason, 'unlock'),
        ) ?? emit({ type: 'unlocked', reason: cmd.reason })
      );
    case 'waive_forward_port':
      if (h.forwardPortWaiver) return emit();
      return (
        refusedBy(
          mayOperate(h, ctx.actor, 'mark not needed on main') ??
            requireReason(cmd.reason, `mark the fix of ${h.id} not needed on main`),
        ) ?? emit({ type: 'forward_port_waived', reason: cmd.reason.trim() })
      );
    case 'record_intent': {
      // The first intent stands: a second runner must look for the first one's effect, not claim the step again,
      // unless it takes over exactly the claim it found (see the command's TSDoc).
      const step = h.steps[cmd.step];
      const takesOver = step?.intent !== undefined && !step.result && cmd.replaces === step.intent.key;
      return step && !takesOver ? emit() : emit({ type: 'step_intended', step: cmd.step, key: cmd.key });
    }
    case 'record_result':
      return h.steps[cmd.step]?.result ? emit() : emit(stepRecorded(cmd));
    case 'finalize':
      // Idempotent: the terminal state entered at stateSince.seq is finalized once.
      return (h.finalizedSeq ?? 0) >= h.stateSince.seq
        ? emit()
        : emit({ type: 'finalized', terminalSeq: h.stateSince.seq });
  }
}

/** An approved hotfix held by a required record that could not be created tries to create its records again. */
function retryRecords(h: Hotfix, ctx: DecisionContext, emit: Emit): Decision {
  if (heldBy(h).length === 0)
    return refused(
      refuse(
        Reason.NotHeld,
        `${h.id} is approved and not held by its change records; there is nothing to retry. It goes on by itself.`,
      ),
    );
  return (
    refusedBy(mayOperate(h, ctx.actor, 'retry')) ??
    emit({ type: 'records_retried', round: (h.recordRound ?? 0) + 1 })
  );
}

/** How much longer each Extend maintenance keeps the window open, from the click. */
export const EXTENSION_MINUTES = 60;

/**
 * The maintenance window ends EXTENSION_MINUTES after the click (whole minutes). Idempotent: a window already
 * extended that far (a double click, two people at once) is left as it is.
 */
function extendMaintenance(h: Hotfix, ctx: DecisionContext, emit: Emit): Decision {
  if (!h.refs['statuspageIncidentId'] && !h.refs['calendarEventId'])
    return refused(
      refuse(Reason.WrongState, `${h.id} has no Statuspage maintenance or calendar event to extend.`),
    );
  const denied = mayOperate(h, ctx.actor, 'extend the maintenance of');
  if (denied) return refused(denied);
  const minute = 60_000;
  const until = Math.ceil((ctx.now.getTime() + EXTENSION_MINUTES * minute) / minute) * minute;
  if (h.maintenanceUntil && Date.parse(h.maintenanceUntil) >= until - minute) return emit();
  return emit({ type: 'maintenance_extended', until: new Date(until).toISOString() });
}

function cancel(h: Hotfix, reason: string, ctx: DecisionContext, emit: Emit): Decision {
  const refusal = mayOperate(h, ctx.actor, 'cancel') ?? requireReason(reason, `cancel ${h.id}`);
  if (refusal) return refused(refusal);
  if (h.state !== 'deploying' && h.state !== 'awaiting_input') return emit({ type: 'cancelled', reason });
  if (h.cancelRequest) return emit(); // already asked; the deploy method is aborting
  return emit({ type: 'cancel_requested', reason });
}

function answerInput(
  h: Hotfix,
  cmd: Extract<Lifecycle, { type: 'answer_input' }>,
  ctx: DecisionContext,
  emit: Emit,
): Decision {
  if (h.pendingInput?.id !== cmd.inputId) {
    return refused(
      refuse(
        Reason.WrongState,
        `That question of ${h.id} was already answered or replaced; see the latest status.`,
      ),
    );
  }
  const refusal = mayOperate(h, ctx.actor, cmd.proceed ? 'proceed with' : 'abort');
  if (refusal) return refused(refusal);
  const answered = { type: 'input_answered', inputId: cmd.inputId, proceed: cmd.proceed } as const;
  if (cmd.proceed) return emit(answered);
  return emit(answered, { type: 'cancel_requested', reason: `aborted at "${h.pendingInput.message}"` });
}

/**
 * An answer given in the CI server itself, noted for the pending question only (an answer the bot passed on, or a
 * newer question, is not noted again). Abort there cancels the hotfix as Abort in Slack does: the cancel's abort step
 * finds the deploy ended and says what was and was not undone.
 */
function answeredOutside(
  h: Hotfix,
  cmd: Extract<Lifecycle, { type: 'note_input_answered_outside' }>,
  emit: Emit,
): Decision {
  if (h.pendingInput?.id !== cmd.inputId || h.answers[cmd.inputId]) return emit();
  // After a cancel request the input's abort is the cancel's own (the bot aborts a paused build's input).
  if (!cmd.proceed && h.cancelRequest) return emit();
  const by = cmd.by?.trim();
  const answered = {
    type: 'input_answered',
    inputId: cmd.inputId,
    proceed: cmd.proceed,
    outside: true,
    ...(by ? { answeredBy: by } : {}),
  } as const;
  if (cmd.proceed) return emit(answered);
  const who = by ? ` by ${by}` : '';
  return emit(answered, {
    type: 'cancel_requested',
    reason: `Abort answered in Jenkins itself${who} at "${h.pendingInput.message}"`,
  });
}

function rollback(
  h: Hotfix,
  cmd: Extract<Lifecycle, { type: 'rollback' }>,
  ctx: DecisionContext,
  emit: Emit,
): Decision {
  const refusal = mayOperate(h, ctx.actor, 'roll back') ?? requireReason(cmd.reason, `roll back ${h.id}`);
  if (refusal) return refused(refusal);
  if (h.state === 'cancelled' && !cancelledMidDeploy(h))
    return refused(
      refuse(Reason.WrongState, `${h.id} was cancelled before its deploy started, so nothing changed.`),
    );
  if (!rollsBack(h) || !rollbackTarget(h)) {
    const why = rollsBack(h)
      ? 'has no recorded earlier version of every service to return to (a version the deploy method could not tell is not guessed)'
      : `deploys with ${h.method}, whose rollback the bot does not do yet`;
    return refused(
      refuse(
        Reason.NothingToRollBack,
        `${h.id} ${why}; restore by hand following the runbook and mark it resolved, or patch forward.`,
      ),
    );
  }
  // A completed or cancelled hotfix released its lock: the rollback queues for it again (apply.ts), like a deploy.
  return emit({ type: 'rollback_started', reason: cmd.reason });
}

/**
 * Why the bot rolls back by itself after a failed verify, when it does: the feature is on, the policy allows it for
 * the env, the decision-matrix row says roll back now, and every service has a version to return to.
 */
function autoRollbackReason(h: Hotfix, condition: string | undefined): string | undefined {
  const allowed = can('autoRollback') && h.snapshot.policy.autoRollback[h.env] === true;
  if (!shouldAutoRollback(condition, allowed) || !rollsBack(h) || !rollbackTarget(h)) return undefined;
  const row = rollbackRowFor(condition);
  return `Automatic rollback: verification failed (${row.label}: ${row.advice.toLowerCase().replace(/\.$/, '')}), and the policy rolls back by itself on ${h.env} (policy.autoRollback).`;
}

function acknowledgeBreakGlass(h: Hotfix, ctx: DecisionContext, emit: Emit): Decision {
  if (!h.breakGlass) return refused(refuse(Reason.WrongState, `${h.id} was not approved by break-glass.`));
  if (h.breakGlass.acknowledgedBy) {
    return refused(
      refuse(
        Reason.WrongState,
        `<@${h.breakGlass.acknowledgedBy}> already acknowledged the break-glass of ${h.id}.`,
      ),
    );
  }
  return refusedBy(mayAcknowledgeBreakGlass(h, ctx.actor)) ?? emit({ type: 'break_glass_acknowledged' });
}

function failure(ctx: DecisionContext, phase: 'deploy' | 'verify', message: string, condition?: string) {
  return { at: ctx.now.toISOString(), phase, message, ...(condition !== undefined ? { condition } : {}) };
}

function stepRecorded(cmd: Extract<Lifecycle, { type: 'record_result' }>) {
  return {
    type: 'step_recorded' as const,
    step: cmd.step,
    ...(cmd.detail !== undefined ? { detail: cmd.detail } : {}),
    ...(cmd.refs !== undefined ? { refs: cmd.refs } : {}),
    ...(cmd.deployPlan !== undefined ? { deployPlan: cmd.deployPlan } : {}),
  };
}

function refusedBy(refusal: ReturnType<typeof refuse> | undefined): Decision | undefined {
  return refusal ? refused(refusal) : undefined;
}
