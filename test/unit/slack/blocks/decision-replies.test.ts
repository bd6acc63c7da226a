import type { HotfixEvent } from '../../../../src/domain/events.js';
import type { Hotfix } from '../../../../src/domain/hotfix.js';
import { approvalContextLine, decisionReply } from '../../../../src/slack/blocks/decision-replies.js';
import { APPROVER_A, APPROVER_B, BOT, NOW, ONCALL, REQUESTER, planned } from '../../domain/builders.js';
import { limitViolations, render } from './render.js';
import { failedInProd, rehearsal, sev1Prod, step, withHistory } from './scenarios.js';

const LATER = new Date(NOW.getTime() + 5 * 3600_000);

/** The record after `events` and the reply to the event of `type` among them. */
function replyTo(result: { hotfix: Hotfix; events: HotfixEvent[] }, type: HotfixEvent['type']) {
  const event = result.events.find((e) => e.type === type);
  if (!event) throw new Error(`no ${type} event`);
  const reply = decisionReply(result.hotfix, event);
  if (!reply) throw new Error(`no reply to ${type}`);
  return reply;
}

function approvedTwice() {
  const first = step(planned({ env: 'prod' }), { type: 'approve', planVersion: 1 }, APPROVER_A);
  const second = step(first.hotfix, { type: 'approve', planVersion: 1 }, APPROVER_B);
  return { first, second };
}

describe('decisionReply', () => {
  it('counts an approval for its plan version and says how many more are needed', () => {
    const { first, second } = approvedTwice();
    expect(replyTo(first, 'approval_given').text).toBe(
      ':white_check_mark: <@U0APPROVER1> approved plan v1 of HF-1 (1 of 2; 1 more approval needed).',
    );
    expect(replyTo(second, 'approval_given').text).toBe(
      ':white_check_mark: <@U0APPROVER2> approved plan v1 of HF-1 (2 of 2).',
    );
  });

  it('counts an earlier approval as it stood then, even when given a later record', () => {
    const { first, second } = approvedTwice();
    const event = first.events[0];
    if (!event) throw new Error('no event');
    expect(decisionReply(second.hotfix, event)?.text).toContain('(1 of 2; 1 more approval needed)');
  });

  it('says the plan is approved, by whom, and what happens next', () => {
    const reply = replyTo(approvedTwice().second, 'approved');
    expect(reply.text).toBe(
      ':white_check_mark: *HF-1 is approved* by <@U0APPROVER1>, <@U0APPROVER2>.\nNext: the bot creates the Jira change ticket, change-calendar event and Statuspage maintenance first; it queues for acme prod and deploys when the environment is free; progress follows in this thread.',
    );
    expect(render(reply)).toMatchSnapshot();
  });

  it('says who holds the environment when another hotfix does', () => {
    const { second } = approvedTwice();
    const approved = second.events.find((e) => e.type === 'approved');
    if (!approved) throw new Error('not approved');
    const lockHolder = { id: 'HF-2', state: 'deploying', since: '2026-11-17T15:42:00.000Z' };
    const reply = decisionReply(second.hotfix, approved, { lockHolder });
    expect(reply?.text).toContain(
      'HF-2 holds acme prod (deploying since 2026-11-17 15:42 UTC); HF-1 will queue behind it.',
    );
    expect(render(reply ?? { text: '', blocks: [] })).toContain(
      ':lock: HF-2 holds acme prod (deploying since <!date^1794930120^{date_short_pretty} {time}|2026-11-17 15:42 UTC>)',
    );
  });

  it('shows a break-glass approval loudly, with its reason and who must acknowledge it', () => {
    const result = step(
      sev1Prod(),
      { type: 'approve', planVersion: 1, breakGlassReason: 'no approver reachable at 3am' },
      ONCALL,
    );
    const given = replyTo(result, 'approval_given');
    expect(given.text).toMatch(
      /^:rotating_light: \*BREAK-GLASS\*: <@U0ONCALL> approved HF-1 \(Sev 1\) \*alone\*/,
    );
    expect(given.text).toContain(': no approver reachable at 3am');
    expect(given.text).toContain('announced in <#C0CHANGECTL>; <!subteam^S0APPROVERS> must acknowledge it');
    expect(render(given)).toMatchSnapshot();
    expect(replyTo(result, 'approved').text).toContain(
      '*HF-1 is approved* by :rotating_light: break-glass (<@U0ONCALL>)',
    );
  });

  it('acknowledges a break-glass approval by naming both people', () => {
    const glass = step(
      sev1Prod(),
      { type: 'approve', planVersion: 1, breakGlassReason: 'nobody up' },
      ONCALL,
    );
    const ack = step(glass.hotfix, { type: 'acknowledge_break_glass' }, APPROVER_A);
    expect(replyTo(ack, 'break_glass_acknowledged').text).toBe(
      ':white_check_mark: <@U0APPROVER1> acknowledged the break-glass approval of HF-1 by <@U0ONCALL>; both are on the record.',
    );
  });

  it('gives a rejection with who, why and how to plan again', () => {
    const reply = replyTo(step(planned(), { type: 'reject', reason: 'wrong tag' }, APPROVER_A), 'rejected');
    expect(reply.text).toBe(
      ':no_entry: *HF-1 was rejected* by <@U0APPROVER1>: wrong tag\nIf the fix is still needed, <@U0REQUESTER> can re-plan with `/hotfix plan decanting-service@24-02-05.619-hotfix.627 acme staging sev=3` once this is addressed.',
    );
  });

  it('says how long a plan waited before it expired, and how to plan it again', () => {
    const reply = replyTo(step(planned(), { type: 'expire' }, BOT, LATER), 'expired');
    expect(reply.text).toBe(
      ':hourglass: *HF-1 expired* 2026-11-17 20:00 UTC, after 4 hours with no decision. If it is still needed, plan it again: `/hotfix plan decanting-service@24-02-05.619-hotfix.627 acme staging sev=3`.',
    );
  });

  it('gives a cancellation with who and why', () => {
    const reply = replyTo(step(planned(), { type: 'cancel', reason: 'not needed' }, REQUESTER), 'cancelled');
    expect(reply.text).toMatch(/^:no_entry_sign: \*HF-1 was cancelled\* by <@U0REQUESTER>: not needed\.\n/);
  });

  it('asks the approvers to review a changed plan, whose earlier approvals no longer count', () => {
    const first = step(planned({ env: 'prod' }), { type: 'approve', planVersion: 1 }, APPROVER_A);
    const services = [
      {
        service: 'decanting-service',
        tag: '24-02-05.619-hotfix.628',
        method: 'jenkins-multi-deploy' as const,
      },
    ];
    const revised = step(first.hotfix, { type: 'revise', services, severity: 2 }, REQUESTER);
    const reply = replyTo(revised, 'plan_revised');
    expect(reply.text).toBe(
      ':pencil2: <@U0REQUESTER> changed HF-1 to *plan v2*: decanting-service `24-02-05.619-hotfix.628`, Sev 2.\nApprovals given for earlier versions no longer count (2 approvals needed); <!subteam^S0APPROVERS> please review it again on the change-control notice.',
    );
    expect(decisionReply(revised.hotfix, first.events[0] as HotfixEvent)?.text).toBe(
      ':white_check_mark: <@U0APPROVER1> approved plan v1 of HF-1.',
    );
  });

  it('tells the thread about a handoff', () => {
    const reply = replyTo(step(planned(), { type: 'handoff', to: 'U0ONCALL' }, REQUESTER), 'handed_off');
    expect(reply.text).toBe(':handshake: <@U0REQUESTER> handed HF-1 over to <@U0ONCALL>, who now owns it.');
  });

  it('says nothing about bookkeeping and deploy progress: the status message shows those', () => {
    const { hotfix, events } = failedInProd();
    const told = events.filter((e) => decisionReply(hotfix, e) !== undefined).map((e) => e.type);
    expect(told).toEqual(['approval_given', 'approval_given', 'approved']);
    for (const type of [
      'queued',
      'lock_acquired',
      'prepared',
      'deploy_started',
      'step_recorded',
      'stages_updated',
      'deployed',
      'failed',
    ]) {
      const event = events.find((e) => e.type === type);
      expect({ type, reply: event && decisionReply(hotfix, event) }).toEqual({ type, reply: undefined });
    }
  });

  it('says REHEARSAL when approving a dry run', () => {
    const result = step(rehearsal(), { type: 'approve', planVersion: 1 }, APPROVER_A);
    expect(replyTo(result, 'approved').text).toContain('(a rehearsal: nothing is deployed)');
  });

  it('never lets a typed reason ping anyone, and stays within limits when it is huge', () => {
    const reason = '<!channel> & <!subteam^S0ALL> '.repeat(500);
    const result = withHistory([[{ type: 'reject', reason }, APPROVER_A]]);
    const reply = replyTo(result, 'rejected');
    expect(reply.text).not.toContain('<!channel>');
    expect(JSON.stringify(reply.blocks)).not.toContain('<!subteam^S0ALL>');
    expect(reply.text.length).toBeLessThanOrEqual(3000);
    expect(limitViolations(reply.blocks)).toEqual([]);
  });
});

describe('approvalContextLine', () => {
  const hotfix = planned({ env: 'prod' });

  it('names the holder, its state and since when, and that this hotfix queues behind it', () => {
    const line = approvalContextLine(hotfix, {
      id: 'HF-2',
      state: 'awaiting_input',
      since: '2026-11-17T15:42:00.000Z',
    });
    expect(line).toBe(
      ':lock: HF-2 holds acme prod (awaiting input since <!date^1794930120^{date_short_pretty} {time}|2026-11-17 15:42 UTC>); HF-1 will queue behind it.',
    );
  });

  it('says nothing when nobody, or this hotfix itself, holds the environment', () => {
    expect(approvalContextLine(hotfix)).toBeUndefined();
    expect(
      approvalContextLine(hotfix, { id: 'HF-1', state: 'deploying', since: NOW.toISOString() }),
    ).toBeUndefined();
  });
});
