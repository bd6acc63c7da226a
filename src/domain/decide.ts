import type { DecisionContext, HotfixCommand, HotfixCommandType, PlanCommand } from './commands.js';
import type { Decision } from './decision.js';
import { emitter, refused } from './decision.js';
import type { Hotfix, HotfixState } from './hotfix.js';
import { LOCK_STATES, STATES, TERMINAL_STATES } from './hotfix.js';
import { decideApproval, decidePlan, decideRevision } from './decide-plan.js';
import { decideLifecycle } from './decide-lifecycle.js';
import type { Refusal } from './reasons.js';
import { Reason, refuse } from './reasons.js';

const NON_TERMINAL = STATES.filter((s) => !TERMINAL_STATES.has(s));

/** The states in which each command is accepted: DESIGN.md section 2, as a table. */
export const ACCEPTED_IN: Readonly<Record<HotfixCommandType, readonly HotfixState[]>> = {
  revise: ['planned', 'approved'],
  approve: ['planned'],
  reject: ['planned'],
  acknowledge_break_glass: STATES,
  tick_triage: ['planned', 'approved'],
  cancel: ['planned', 'approved', 'queued', 'preparing', 'deploying', 'awaiting_input'],
  answer_input: ['awaiting_input'],
  // In approved: a Retry of the change records that hold the hotfix (record-plan.ts).
  retry: ['failed', 'approved'],
  // While the problem is ongoing: the window closes only when the hotfix ends (seed 001).
  extend_maintenance: [
    'deploying',
    'awaiting_input',
    'verifying',
    'failed',
    'rolling_back',
    'rollback_failed',
  ],
  rollback: ['verifying', 'failed', 'completed', 'cancelled'],
  supersede: ['failed'],
  resolve: ['approved', 'queued', 'rollback_queued', ...LOCK_STATES],
  handoff: NON_TERMINAL,
  unlock: [...LOCK_STATES],
  waive_forward_port: ['completed'],
  expire: ['planned'],
  queue: ['approved'],
  acquire_lock: ['queued', 'rollback_queued'],
  prepare: ['preparing'],
  start_deploy: ['preparing'],
  update_stages: ['deploying', 'awaiting_input', 'verifying', 'rolling_back'],
  request_input: ['deploying'],
  note_input_answered_outside: ['awaiting_input'],
  deploy_succeeded: ['deploying'],
  // In preparing: the outside system could not be asked what runs now (nothing was deployed).
  deploy_failed: ['preparing', 'deploying', 'awaiting_input'],
  deploy_aborted: ['deploying', 'awaiting_input'],
  verify_succeeded: ['verifying'],
  verify_failed: ['verifying'],
  rollback_succeeded: ['rolling_back'],
  rollback_failed: ['rolling_back'],
  record_intent: STATES,
  record_result: STATES,
  finalize: [...TERMINAL_STATES],
};

/** How a command reads in a refusal: "HF-3 is completed; it can be approved only while planned." */
const VERB: Readonly<Record<HotfixCommandType, string>> = {
  revise: 'changed',
  approve: 'approved',
  reject: 'rejected',
  acknowledge_break_glass: 'acknowledged',
  tick_triage: 'triaged',
  cancel: 'cancelled',
  answer_input: 'answered',
  retry: 'retried',
  extend_maintenance: 'given a longer maintenance window',
  rollback: 'rolled back',
  supersede: 'patched forward',
  resolve: 'resolved by hand',
  handoff: 'handed off',
  unlock: 'unlocked',
  waive_forward_port: 'marked not needed on main',
  expire: 'expired',
  queue: 'queued',
  acquire_lock: 'given the lock',
  prepare: 'prepared',
  start_deploy: 'deployed',
  update_stages: 'updated',
  request_input: 'paused for input',
  note_input_answered_outside: 'noted as answered outside',
  deploy_succeeded: 'marked deployed',
  deploy_failed: 'marked failed',
  deploy_aborted: 'marked aborted',
  verify_succeeded: 'marked verified',
  verify_failed: 'marked failed',
  rollback_succeeded: 'marked rolled back',
  rollback_failed: 'marked rollback failed',
  record_intent: 'recorded',
  record_result: 'recorded',
  finalize: 'finalized',
};

/** A state as people read it. */
export function stateLabel(state: HotfixState): string {
  return state.replace(/_/g, ' ');
}

/** Decides a command on an existing hotfix. Pure: same record, command and context, same answer. */
export function decide(hotfix: Hotfix, command: HotfixCommand, ctx: DecisionContext): Decision {
  const accepted = ACCEPTED_IN[command.type];
  if (!accepted.includes(hotfix.state)) return refused(wrongState(hotfix, command.type, accepted));
  const emit = emitter(ctx, hotfix.planVersion);
  const stale = stalePlan(hotfix, command);
  if (stale) return refused(stale);
  switch (command.type) {
    case 'approve':
      return decideApproval(hotfix, command, ctx, emit);
    case 'revise':
      return decideRevision(hotfix, command, ctx, emit);
    default:
      return decideLifecycle(hotfix, command, ctx, emit);
  }
}

/** Decides a new plan. `existing` is the record already stored under the same id, if any. */
export function decideNew(command: PlanCommand, ctx: DecisionContext, existing?: Hotfix): Decision {
  if (existing) return refused(refuse(Reason.AlreadyExists, `${existing.id} already exists.`));
  return decidePlan(command, ctx);
}

/**
 * A new plan's decision under the id the store handed out. Plans are decided before they take an `HF-<n>`, so a
 * refused plan never burns one; the accepted decision then carries its number.
 */
export function numbered(
  decision: Extract<Decision, { ok: true }>,
  id: string,
): Extract<Decision, { ok: true }> {
  const events = decision.events.map((event) =>
    event.type === 'planned' ? { ...event, facts: { ...event.facts, id } } : event,
  );
  return { ...decision, events };
}

/** A reject or revise of a plan version other than the current one: the person decided on what they were shown. */
function stalePlan(hotfix: Hotfix, command: HotfixCommand): Refusal | undefined {
  if (command.type !== 'reject' && command.type !== 'revise') return undefined;
  if (command.planVersion === undefined || command.planVersion === hotfix.planVersion) return undefined;
  return refuse(
    Reason.StalePlan,
    `The plan of ${hotfix.id} changed after you saw it (you saw version ${command.planVersion}; it is now version ${hotfix.planVersion}). Review the updated plan first; nothing was done.`,
  );
}

function wrongState(hotfix: Hotfix, type: HotfixCommandType, acceptedIn: readonly HotfixState[]): Refusal {
  const when = acceptedIn.map(stateLabel).join(', ');
  return refuse(
    Reason.WrongState,
    `${hotfix.id} is ${stateLabel(hotfix.state)}; it can be ${VERB[type]} only while ${when}.`,
  );
}
