import { decide } from '../../../../src/domain/decide.js';
import type { HotfixCommand, Actor } from '../../../../src/domain/commands.js';
import type { Hotfix } from '../../../../src/domain/hotfix.js';
import { Reason, refuse, type Refusal } from '../../../../src/domain/reasons.js';
import { refusalReply } from '../../../../src/slack/blocks/refusal-reply.js';
import { APPROVER_A, NOW, REQUESTER, STRANGER, hotfixIn, planned } from '../../domain/builders.js';
import { limitViolations, render } from './render.js';
import { halfApproved, revisedProd } from './scenarios.js';

/** The refusal a real click would get. */
function refusalOf(hotfix: Hotfix, command: HotfixCommand, actor: Actor, now: Date = NOW): Refusal {
  const decision = decide(hotfix, command, { now, actor });
  if (decision.ok) throw new Error(`${command.type} was not refused`);
  return decision.refusal;
}

describe('refusalReply', () => {
  it('renders an approval that came after the plan expired, with how to plan it again', () => {
    const late = new Date(NOW.getTime() + 5 * 3600_000);
    const refusal = refusalOf(planned(), { type: 'approve', planVersion: 1 }, APPROVER_A, late);
    expect(render(refusalReply(refusal, planned()))).toMatchSnapshot();
  });

  it('adds the next step where the sentence alone leaves the person stuck', () => {
    const late = new Date(NOW.getTime() + 5 * 3600_000);
    const expired = refusalReply(
      refusalOf(planned(), { type: 'approve', planVersion: 1 }, APPROVER_A, late),
      planned(),
    );
    expect(expired.text).toContain(
      'To plan it again (by <@U0REQUESTER> or anyone who may plan): `/hotfix plan decanting-service@24-02-05.619-hotfix.627 acme staging sev=3`',
    );

    const done = hotfixIn('completed');
    const wrongState = refusalReply(refusalOf(done, { type: 'reject', reason: 'x' }, APPROVER_A), done);
    expect(wrongState.text).toContain(
      'HF-1 is :large_green_circle: *completed* now; `/hotfix status HF-1` shows where it stands.',
    );

    const again = refusalReply(
      refusalOf(halfApproved(), { type: 'approve', planVersion: 1 }, APPROVER_A),
      halfApproved(),
    );
    expect(again.text).toContain(
      'Nothing more to do: approvals stand at 1 of 2 — <@U0APPROVER1>, 1 more needed.',
    );
  });

  it('gives the sentence alone when it already says what to do', () => {
    const stale = refusalReply(
      refusalOf(revisedProd(), { type: 'approve', planVersion: 1 }, APPROVER_A),
      revisedProd(),
    );
    expect(stale.text).toBe(
      'Not done: The plan of HF-1 changed after you saw it (you saw version 1; it is now version 2). Review the updated notice and approve again.',
    );
    const self = refusalOf(planned(), { type: 'approve', planVersion: 1 }, REQUESTER);
    expect(refusalReply(self, planned()).text).toBe(
      'Not done: You asked for HF-1, so someone else must approve it.',
    );
    const stranger = refusalOf(planned(), { type: 'approve', planVersion: 1 }, STRANGER);
    expect(refusalReply(stranger, planned()).text).toBe(
      'Not done: Only <!subteam^S0APPROVERS> can approve HF-1.',
    );
  });

  it('works without the hotfix, e.g. when it could not be found', () => {
    const reply = refusalReply(refuse(Reason.NotFound, 'No hotfix HF-9.'));
    expect(reply.text).toBe('Not done: No hotfix HF-9.\n`/hotfix list` shows the active hotfixes.');
    expect(refusalReply(refuse(Reason.StalePlan, 'The plan changed.')).text).toBe(
      'Not done: The plan changed.',
    );
  });

  it('shows grammar placeholders as typed and stays within limits', () => {
    const reply = refusalReply(refuse(Reason.BadTag, `Use <service>@<tag>. ${'x'.repeat(5000)}`));
    expect(reply.text).toContain('&lt;service&gt;@&lt;tag&gt;');
    expect(limitViolations(reply.blocks)).toEqual([]);
    expect(reply.text.length).toBeLessThanOrEqual(3000);
    expect(refusalReply(refuse(Reason.BadTag, '  ')).text).toBe('Not done: That was not done.');
  });
});
