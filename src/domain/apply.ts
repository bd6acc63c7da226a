import type { HotfixEvent, PlannedFacts } from './events.js';
import type { Hotfix, HotfixState } from './hotfix.js';
import { isTerminal } from './hotfix.js';
import { rollbackQueues } from './rollback.js';

/**
 * Folds one event into the record. Pure and total: `decide` is what refuses; `apply` trusts the events it gets,
 * because the events are the history and history is not re-judged.
 */
export function apply(hotfix: Hotfix | undefined, event: HotfixEvent): Hotfix {
  if (event.type === 'planned') return created(event.facts, event);
  if (!hotfix)
    throw new Error(`event ${event.type} cannot start a hotfix record; the first event is "planned"`);
  const next = { ...hotfix, seq: hotfix.seq + 1 };
  const changed = evolve(next, event);
  if (changed.state !== hotfix.state) changed.stateSince = { seq: changed.seq, at: event.at };
  if (isTerminal(changed.state) && !isTerminal(hotfix.state)) {
    delete changed.lock;
    changed.times = { ...changed.times, endedAt: event.at };
  }
  return changed;
}

/** Folds a whole history, oldest first. */
export function replay(events: readonly HotfixEvent[]): Hotfix | undefined {
  return events.reduce<Hotfix | undefined>(apply, undefined);
}

function created(facts: PlannedFacts, event: HotfixEvent): Hotfix {
  const { freezeOverride, reason, ...rest } = facts;
  return {
    ...rest,
    ...(reason !== undefined ? { reason } : {}),
    ...(freezeOverride ? { freezeOverride: { ...freezeOverride, by: event.by } } : {}),
    seq: 1,
    state: 'planned',
    stateSince: { seq: 1, at: event.at },
    owner: facts.requester,
    planVersion: 1,
    approvals: [],
    stages: [],
    answers: {},
    attempts: 0,
    refs: {},
    steps: {},
    times: { plannedAt: event.at },
  };
}

function moveTo(hotfix: Hotfix, state: HotfixState): Hotfix {
  return { ...hotfix, state };
}

function evolve(h: Hotfix, e: HotfixEvent): Hotfix {
  switch (e.type) {
    case 'planned':
      return h;
    case 'plan_revised': {
      const { type: _t, at: _a, by: _b, planVersion: _p, reason, ...revision } = e;
      const base = {
        ...h,
        ...revision,
        state: 'planned' as const,
        planVersion: h.planVersion + 1,
        approvals: [],
        times: { ...h.times, revisedAt: e.at },
      };
      if (reason === undefined) delete base.reason;
      else base.reason = reason;
      return base;
    }
    case 'approval_given': {
      const approvals = [...h.approvals, e.approval];
      const breakGlass = e.approval.breakGlass;
      if (!breakGlass) return { ...h, approvals };
      return { ...h, approvals, breakGlass: { by: e.by, at: e.at, reason: breakGlass.reason } };
    }
    case 'approved':
      return { ...moveTo(h, 'approved'), times: { ...h.times, approvedAt: e.at } };
    case 'triage_ticked': {
      // An untick removes the answer: the item reads as not answered, as before anyone ticked it.
      const { [e.item]: _old, ...rest } = h.triage;
      return { ...h, triage: e.ticked ? { ...rest, [e.item]: 'yes' } : rest };
    }
    case 'break_glass_acknowledged':
      return h.breakGlass
        ? { ...h, breakGlass: { ...h.breakGlass, acknowledgedBy: e.by, acknowledgedAt: e.at } }
        : h;
    case 'rejected':
      return { ...moveTo(h, 'rejected'), decision: { by: e.by, at: e.at, reason: e.reason } };
    case 'expired':
      return moveTo(h, 'expired');
    case 'cancel_requested':
      return { ...h, cancelRequest: { by: e.by, at: e.at, reason: e.reason } };
    case 'cancelled': {
      // A deploy is cancelled by the bot once its abort is done; the person who asked is who cancelled it.
      const by = h.cancelRequest?.by ?? e.by;
      return { ...withoutInput(moveTo(h, 'cancelled')), decision: { by, at: e.at, reason: e.reason } };
    }
    case 'queued':
      return { ...moveTo(h, 'queued'), times: { ...h.times, queuedAt: e.at } };
    case 'lock_acquired':
      return {
        ...(h.state === 'queued'
          ? moveTo(h, 'preparing')
          : h.state === 'rollback_queued'
            ? moveTo(h, 'rolling_back')
            : h),
        lock: { token: e.token, since: e.at },
      };
    case 'prepared':
      return { ...h, versionsBefore: e.versionsBefore, deployPlan: e.deployPlan };
    case 'prepare_retried': {
      const { failure: _failure, ...rest } = h;
      return moveTo(rest, 'preparing');
    }
    case 'deploy_started':
      return deployStarted(h, e);
    case 'stages_updated':
      return { ...h, stages: e.stages, ...(e.refs ? { refs: { ...h.refs, ...e.refs } } : {}) };
    case 'input_requested':
      return { ...moveTo(h, 'awaiting_input'), pendingInput: { id: e.inputId, message: e.message } };
    case 'input_answered': {
      const answer = { proceed: e.proceed, by: e.by, at: e.at, ...(e.outside ? { outside: e.outside } : {}) };
      const answers = { ...h.answers, [e.inputId]: answer };
      return { ...withoutInput(moveTo(h, 'deploying')), answers };
    }
    case 'deployed':
      return { ...withoutCancel(moveTo(h, 'verifying')), times: { ...h.times, deployedAt: e.at } };
    case 'verified':
      return { ...moveTo(h, 'completed'), times: { ...h.times, completedAt: e.at } };
    case 'failed':
      return { ...withoutInput(moveTo(h, 'failed')), failure: e.failure };
    case 'rollback_started': {
      // A completed or cancelled hotfix released its lock: its rollback queues for it again before deploying anything.
      const next = rollbackQueues(h) ? 'rollback_queued' : 'rolling_back';
      return { ...moveTo(h, next), decision: { by: e.by, at: e.at, reason: e.reason } };
    }
    case 'rolled_back':
      return moveTo(h, 'rolled_back');
    case 'rollback_failed':
      return {
        ...moveTo(h, 'rollback_failed'),
        failure: { at: e.at, phase: 'rollback', message: e.message },
      };
    case 'superseded':
      return { ...moveTo(h, 'superseded'), supersededBy: e.supersededBy };
    case 'resolved':
    case 'unlocked':
      return { ...withoutInput(moveTo(h, 'resolved')), decision: { by: e.by, at: e.at, reason: e.reason } };
    case 'handed_off':
      return { ...h, owner: e.to };
    case 'step_intended':
      return {
        ...h,
        steps: { ...h.steps, [e.step]: { ...h.steps[e.step], intent: { key: e.key, at: e.at } } },
      };
    case 'step_recorded':
      return stepRecorded(h, e);
    case 'forward_port_waived':
      return { ...h, forwardPortWaiver: { by: e.by, at: e.at, reason: e.reason } };
    case 'records_retried':
      return { ...h, recordRound: e.round };
    case 'maintenance_extended':
      return { ...h, maintenanceUntil: e.until };
    case 'finalized':
      return { ...h, finalizedSeq: e.terminalSeq };
  }
}

function deployStarted(h: Hotfix, e: Extract<HotfixEvent, { type: 'deploy_started' }>): Hotfix {
  const { failure: _failure, ...rest } = h;
  const deployStartedAt = h.times.deployStartedAt ?? e.at;
  const times = { ...h.times, deployStartedAt, attemptStartedAt: e.at };
  // A new attempt answers its input steps again.
  return { ...moveTo(rest, 'deploying'), attempts: e.attempt, stages: [], answers: {}, times };
}

function stepRecorded(h: Hotfix, e: Extract<HotfixEvent, { type: 'step_recorded' }>): Hotfix {
  const result = e.detail !== undefined ? { at: e.at, detail: e.detail } : { at: e.at };
  const steps = { ...h.steps, [e.step]: { ...h.steps[e.step], result } };
  return {
    ...h,
    steps,
    refs: { ...h.refs, ...e.refs },
    ...(e.deployPlan ? { deployPlan: e.deployPlan } : {}),
  };
}

function withoutInput(h: Hotfix): Hotfix {
  const { pendingInput: _p, ...rest } = h;
  return rest;
}

function withoutCancel(h: Hotfix): Hotfix {
  const { cancelRequest: _c, ...rest } = h;
  return rest;
}
