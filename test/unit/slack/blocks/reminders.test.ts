import { reminderMessage } from '../../../../src/slack/blocks/reminders.js';
import { APPROVER_A, NOW, hotfixIn, planned, run } from '../../domain/builders.js';
import { limitViolations, render } from './render.js';
import { brokenGlass, halfApproved, revisedProd } from './scenarios.js';

const minutes = (n: number) => new Date(NOW.getTime() + n * 60_000);

describe('reminderMessage for an approval', () => {
  it('renders a prod plan with one of its two approvals, 45 minutes in', () => {
    expect(render(reminderMessage(halfApproved(), 'approval', minutes(45)))).toMatchSnapshot();
  });

  it('mentions the approver group and says how long it waited, the count and when it expires', () => {
    const { text } = reminderMessage(halfApproved(), 'approval', minutes(45));
    expect(text).toBe(
      ':alarm_clock: <!subteam^S0APPROVERS>: *HF-1* has waited 45 minutes for approval (1 of 2); it expires 2026-11-17 19:00 UTC (in 3 hours 15 minutes).\ndecanting-service 24-02-05.619-hotfix.627 → Acme Corp prod, Sev 3. Approve or reject it on the notice above.',
    );
  });

  it('mentions approver users as well as groups', () => {
    const h = planned();
    const withUser = {
      ...h,
      snapshot: {
        ...h.snapshot,
        policy: { ...h.snapshot.policy, approvers: { users: ['U0ADMIN'], groups: ['S0APPROVERS'] } },
      },
    };
    expect(reminderMessage(withUser, 'approval', minutes(30)).text).toMatch(
      /^:alarm_clock: <!subteam\^S0APPROVERS> or <@U0ADMIN>: /,
    );
  });

  it('counts the wait from the current plan version, whose approvals started over', () => {
    // revisedProd changed the plan 30 minutes after planning it.
    const { text } = reminderMessage(revisedProd(), 'approval', minutes(90));
    expect(text).toContain('has waited 60 minutes for approval (0 of 2)');
    expect(text).toContain('it expires 2026-11-17 19:30 UTC (in 3 hours)');
  });

  it('says when the time has run out rather than counting backwards', () => {
    expect(reminderMessage(planned(), 'approval', minutes(300)).text).toContain(
      'its time ran out 2026-11-17 19:00 UTC and it is about to expire',
    );
  });

  it('asks nobody for a decision that has been made', () => {
    const { text } = reminderMessage(hotfixIn('approved'), 'approval', minutes(45));
    expect(text).toBe('HF-1 no longer waits for approval.');
    expect(text).not.toContain('<!subteam^');
  });
});

describe('reminderMessage for a break-glass acknowledgement', () => {
  it('renders a Sev 1 approved by break-glass two hours ago', () => {
    expect(render(reminderMessage(brokenGlass(), 'break_glass_ack', minutes(120)))).toMatchSnapshot();
  });

  it('mentions the approvers and points at the button on the notice', () => {
    const { text } = reminderMessage(brokenGlass(), 'break_glass_ack', minutes(120));
    expect(text).toContain(
      '<!subteam^S0APPROVERS>: *HF-1* was approved by break-glass by <@U0ONCALL> 2026-11-17 15:00 UTC (2 hours ago): an approver other than them must acknowledge it (button on the notice).',
    );
    expect(text).toContain('Their reason: no approver reachable at 3am');
  });

  it('stops asking once acknowledged, and has nothing to ask of a normal approval', () => {
    const acknowledged = run(brokenGlass(), { type: 'acknowledge_break_glass' }, APPROVER_A);
    const done = reminderMessage(acknowledged, 'break_glass_ack', minutes(120)).text;
    expect(done).toBe(
      'The break-glass approval of HF-1 was acknowledged by <@U0APPROVER1>; nothing more is owed.',
    );
    expect(reminderMessage(hotfixIn('approved'), 'break_glass_ack', minutes(120)).text).not.toContain(
      '<!subteam^',
    );
  });
});

describe('reminders', () => {
  it.each([
    ['approval', () => reminderMessage(halfApproved(), 'approval', minutes(45))],
    ['break-glass', () => reminderMessage(brokenGlass(), 'break_glass_ack', minutes(45))],
    [
      'break-glass with a huge reason',
      () => {
        const h = brokenGlass();
        const glass = h.breakGlass ? { ...h.breakGlass, reason: '<!channel> '.repeat(2000) } : undefined;
        return reminderMessage(glass ? { ...h, breakGlass: glass } : h, 'break_glass_ack', minutes(45));
      },
    ],
  ])('%s stays within Slack limits and never pings the channel', (_name, build) => {
    const message = build();
    expect(limitViolations(message.blocks)).toEqual([]);
    expect(message.text.length).toBeLessThanOrEqual(3000);
    expect(JSON.stringify(message)).not.toContain('<!channel>');
  });
});
