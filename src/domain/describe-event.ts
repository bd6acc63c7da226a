import type { HotfixEvent } from './events.js';

/** One audit-trail event as a sentence for people (Slack mrkdwn is fine: user ids render as mentions). */
export function describeEvent(e: HotfixEvent): string {
  switch (e.type) {
    case 'planned': {
      const f = e.facts;
      const services = f.services.map((s) => `${s.service} ${s.tag}`).join(', ');
      const override = f.freezeOverride
        ? `; freeze "${f.freezeOverride.window}" overridden: ${f.freezeOverride.reason}`
        : '';
      return `planned ${services} for ${f.client} ${f.env} (Sev ${f.severity}, ${f.method}); needs ${f.approvalsRequired} approval(s)${override}`;
    }
    case 'plan_revised':
      return `changed the plan to ${e.services.map((s) => `${s.service} ${s.tag}`).join(', ')} (Sev ${e.severity}); earlier approvals no longer count`;
    case 'approval_given':
      return e.approval.breakGlass
        ? `approved by BREAK-GLASS: ${e.approval.breakGlass.reason}`
        : `approved plan version ${e.approval.planVersion}`;
    case 'approved':
      return 'approval complete';
    case 'triage_ticked':
      return `${e.ticked ? 'ticked' : 'unticked'} triage item "${e.item.replace(/_/g, ' ')}"`;
    case 'break_glass_acknowledged':
      return 'acknowledged the break-glass approval';
    case 'rejected':
      return `rejected: ${e.reason}`;
    case 'expired':
      return 'expired with no decision';
    case 'cancel_requested':
      return `asked to cancel: ${e.reason}`;
    case 'cancelled':
      return `cancelled: ${e.reason}${e.undone ? ` (${e.undone})` : ''}`;
    case 'queued':
      return 'queued for the environment lock';
    case 'lock_acquired':
      return `took the environment lock (fencing token ${e.token})`;
    case 'prepared':
      return `recorded running versions: ${
        Object.entries(e.versionsBefore)
          .map(([s, v]) => `${s} ${v}`)
          .join(', ') || 'none'
      }`;
    case 'prepare_retried':
      return 'asked to prepare again: the running versions are read before the deploy';
    case 'deploy_started':
      return e.attempt === 1 ? 'deploy started' : `deploy started again (attempt ${e.attempt})`;
    case 'stages_updated':
      return `stages: ${e.stages.map((s) => `${s.name} ${s.status}`).join(', ')}`;
    case 'input_requested':
      return `waiting for input: "${e.message}"`;
    case 'input_answered':
      return `${e.proceed ? 'answered Proceed' : 'answered Abort'}${e.outside ? ' in the CI server itself' : ''}${e.answeredBy ? ` (by ${e.answeredBy}, as the CI server says)` : ''}`;
    case 'deployed':
      return 'deploy finished; verifying';
    case 'verified':
      return 'health verified; completed';
    case 'failed':
      return `${e.failure.phase} failed: ${e.failure.message}`;
    case 'rollback_started':
      return `rollback started: ${e.reason}`;
    case 'rolled_back':
      return 'rolled back to the recorded versions';
    case 'rollback_failed':
      return `rollback failed: ${e.message}`;
    case 'superseded':
      return `superseded by ${e.supersededBy} (patch forward)`;
    case 'resolved':
      return `resolved by hand: ${e.reason}`;
    case 'handed_off':
      return `handed off from <@${e.from}> to <@${e.to}>`;
    case 'unlocked':
      return `unlocked the environment: ${e.reason}`;
    case 'step_intended':
      return `starting step ${e.step}`;
    case 'step_recorded':
      return `step ${e.step} done${e.detail ? `: ${e.detail}` : ''}`;
    case 'forward_port_waived':
      return `marked the fix not needed on main: ${e.reason}`;
    case 'records_retried':
      return 'asked to create the change records again';
    case 'maintenance_extended':
      return `extended the maintenance window to ${e.until.slice(11, 16)} UTC`;
    case 'finalized':
      return 'finalized: lock released, records closed';
  }
}
