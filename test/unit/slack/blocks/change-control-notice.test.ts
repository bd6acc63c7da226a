import type { ActionsBlock, KnownBlock } from '@slack/types';
import { STATES } from '../../../../src/domain/hotfix.js';
import type { Hotfix } from '../../../../src/domain/hotfix.js';
import { changeControlNotice } from '../../../../src/slack/blocks/change-control-notice.js';
import { ACTION_IDS, readDecisionValue } from '../../../../src/slack/blocks/interaction-ids.js';
import { APPROVER_A, APPROVER_B, REQUESTER, hotfixIn, planned, run } from '../../domain/builders.js';
import { render } from './render.js';
import { brokenGlass, failedInProd, halfApproved, rehearsal, revisedProd, sev1Prod } from './scenarios.js';

const LINK = 'https://example.slack.com/archives/C0INCIDENT/p1700000000000100';

function buttons(blocks: KnownBlock[]): ActionsBlock['elements'] {
  return blocks.flatMap((b) => (b.type === 'actions' ? b.elements : []));
}

function decisionButtons(hotfix: Hotfix): ActionsBlock['elements'] {
  const ids: string[] = [ACTION_IDS.approve, ACTION_IDS.reject];
  return buttons(changeControlNotice(hotfix).blocks).filter(
    (e) => 'action_id' in e && ids.includes(e.action_id ?? ''),
  );
}

describe('changeControlNotice', () => {
  it('renders a prod plan waiting for its second approval, linked to the incident thread', () => {
    expect(render(changeControlNotice(halfApproved(), { planLink: LINK }))).toMatchSnapshot();
  });

  it('renders a staging plan without a link, pointing at the incident channel', () => {
    expect(render(changeControlNotice(planned()))).toMatchSnapshot();
  });

  it.each([
    ['approved', () => hotfixIn('approved')],
    ['rejected', () => hotfixIn('rejected')],
    ['expired', () => hotfixIn('expired')],
    ['cancelled', () => hotfixIn('cancelled')],
    ['completed', () => hotfixIn('completed')],
    ['failed', () => failedInProd().hotfix],
  ])('replaces the buttons with the outcome once %s', (_state, make) => {
    expect(render(changeControlNotice(make(), { planLink: LINK }))).toMatchSnapshot();
  });

  it('offers Approve (primary) and Reject (danger) only while the plan is planned', () => {
    for (const state of STATES) {
      const found = decisionButtons(hotfixIn(state, { severity: 1, env: 'prod' }));
      if (state === 'planned') {
        expect(
          found.map((b) => ('action_id' in b ? [b.action_id, 'style' in b ? b.style : ''] : [])),
        ).toEqual([
          ['hotfix_approve', 'primary'],
          ['hotfix_reject', 'danger'],
        ]);
      } else {
        expect({ state, found }).toEqual({ state, found: [] });
      }
    }
  });

  it('ties each button to the hotfix ulid and the plan version shown', () => {
    const revised = run(
      planned(),
      { type: 'revise', services: planned().services, severity: 2, reason: 'new tag' },
      REQUESTER,
    );
    for (const b of decisionButtons(revised)) {
      const raw = 'value' in b ? b.value : undefined;
      expect(JSON.parse(raw ?? '')).toEqual({ ulid: '01JD0000000000000000000001', planVersion: 2 });
      expect(readDecisionValue(raw)).toEqual({ ulid: '01JD0000000000000000000001', planVersion: 2 });
    }
  });

  it('asks for one confirmation on production: the Approve button opens the form, with no dialog before it', () => {
    for (const hotfix of [planned({ env: 'prod' }), planned()]) {
      const [approve] = decisionButtons(hotfix);
      expect(approve && 'confirm' in approve).toBe(false);
    }
  });

  it('opens with what is asked of whom, and keeps what is above the buttons to about 12 lines', () => {
    const notice = changeControlNotice(halfApproved(), { planLink: LINK });
    expect(notice.blocks[0]).toEqual({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: ':memo: *Approve a Sev 3 hotfix to Acme Corp PRODUCTION* — <!subteam^S0APPROVERS>',
      },
    });
    const lines = render(notice).split('\n');
    const buttonsAt = lines.findIndex((l) => l.startsWith('[actions'));
    const above = lines.slice(1, buttonsAt).filter((l) => !l.startsWith('['));
    expect(above.length).toBeLessThanOrEqual(12);
  });

  it('says where the hotfix is now in its first line, in every state', () => {
    for (const state of STATES) {
      const first = changeControlNotice(hotfixIn(state, { severity: 1, env: 'prod' })).blocks[0];
      const text = first?.type === 'section' ? (first.text?.text ?? '') : '';
      expect({ state, text }).toEqual({ state, text: expect.stringMatching(/^:[a-z_]+: \*/) });
    }
    const failed = changeControlNotice(failedInProd().hotfix);
    expect(render(failed)).toContain(':x: *FAILED on Acme Corp PRODUCTION*');
    expect(failed.text).toContain('FAILED');
  });

  it('promises no automatic rollback this version does not have, and offers the rollback it has', () => {
    for (const hotfix of [halfApproved(), planned(), failedInProd().hotfix]) {
      const text = render(changeControlNotice(hotfix));
      expect(text).not.toMatch(/one click|Rolls back by itself/);
      expect(text).toContain(
        'once deployed (completed too), Rollback on this notice or its live status, or `/hotfix rollback HF-1`',
      );
    }
  });

  it('carries Rollback beside the state once deployed (verifying, failed, completed), and only then', () => {
    const rollbackBeside = (hotfix: Hotfix) =>
      changeControlNotice(hotfix).blocks.some(
        (b) =>
          b.type === 'section' &&
          b.block_id === 'hotfix_decision' &&
          b.accessory?.type === 'button' &&
          b.accessory.action_id === ACTION_IDS.rollback &&
          b.accessory.text.text === 'Rollback',
      );
    const offered = STATES.filter((s) => rollbackBeside(hotfixIn(s)));
    expect(offered).toEqual(['verifying', 'completed', 'failed']);
    expect(rollbackBeside(failedInProd().hotfix)).toBe(true);
    // Nothing to return to, or a method the bot cannot roll back: no button.
    expect(rollbackBeside({ ...hotfixIn('completed'), versionsBefore: {} })).toBe(false);
    expect(rollbackBeside({ ...hotfixIn('completed'), method: 'ecs-run-once' })).toBe(false);
  });

  it('shows the running version only when it was really read', () => {
    expect(render(changeControlNotice(failedInProd().hotfix))).toContain(
      '*decanting-service* `24-01-20.600` → `24-02-05.619-hotfix.627`',
    );
    expect(render(changeControlNotice(planned()))).toContain(
      '*decanting-service* → `24-02-05.619-hotfix.627` _(running version is read before the deploy)_',
    );
  });

  it('names a service whose running version was not read, in the change and the rollback target, and rolls it back by hand', () => {
    const text = render(changeControlNotice({ ...hotfixIn('deploying'), versionsBefore: {} }));
    expect(text).toContain('*decanting-service* → `24-02-05.619-hotfix.627` _(running version not read)_');
    expect(text).toContain(
      'Rollback target: decanting-service _(running version not read)_; the running version of decanting-service was not read, so a rollback is done by hand, following the runbook',
    );
    expect(text).not.toContain('/hotfix rollback');
    expect(text).not.toContain('unknown');
  });

  it('mentions the approver group while approval is pending, and not once decided', () => {
    const pending = changeControlNotice(halfApproved());
    expect(render(pending)).toContain('— <!subteam^S0APPROVERS>');
    expect(render(pending)).toContain('*Approvals:* 1 of 2 — <@U0APPROVER1>, 1 more needed');
    expect(pending.text).toContain('needs approval from <!subteam^S0APPROVERS>');
    const decided = changeControlNotice(
      run(
        halfApproved(),
        { type: 'approve', planVersion: 1 },
        { userId: 'U0APPROVER2', groups: ['S0APPROVERS'] },
      ),
    );
    expect(render(decided)).not.toContain('<!subteam^');
    expect(render(decided)).toContain('Approved by <@U0APPROVER1>, <@U0APPROVER2>');
  });

  it('shows a break-glass approval loudly, with an Acknowledge button until an approver acknowledges it', () => {
    const glass = changeControlNotice(brokenGlass());
    const text = render(glass);
    expect(text).toContain(
      ':rotating_light: *BREAK-GLASS approval by <@U0ONCALL>*: no approver reachable at 3am',
    );
    expect(text).toContain('*Not yet acknowledged*');
    expect(glass.text).toContain('BREAK-GLASS approval by <@U0ONCALL>');
    expect(buttons(glass.blocks).map((b) => ('action_id' in b ? b.action_id : ''))).toEqual([
      ACTION_IDS.acknowledgeBreakGlass,
    ]);
    expect(text).toMatchSnapshot();

    const acknowledged = changeControlNotice(
      run(brokenGlass(), { type: 'acknowledge_break_glass' }, APPROVER_A),
    );
    expect(render(acknowledged)).toContain(':white_check_mark: Acknowledged by <@U0APPROVER1>.');
    expect(buttons(acknowledged.blocks)).toEqual([]);
  });

  it('says REHEARSAL loudly', () => {
    const notice = changeControlNotice(rehearsal());
    expect(notice.text).toMatch(/^Approve REHEARSAL HF-1 hotfix/);
    expect(render(notice)).toContain(':performing_arts: *REHEARSAL*');
  });

  it('makes Sev 1 loud', () => {
    const notice = changeControlNotice(sev1Prod());
    expect(render(notice)).toContain('*Approve a SEV 1 hotfix to Acme Corp PRODUCTION*');
    expect(render(notice)).toContain(':rotating_light: *SEV 1*');
    expect(notice.text).toContain('(SEV 1)');
  });

  it('gives the reason of a rejection and of a cancellation', () => {
    expect(render(changeControlNotice(hotfixIn('rejected')))).toContain(
      ':no_entry: Rejected by <@U0APPROVER1>: wrong tag',
    );
    expect(render(changeControlNotice(hotfixIn('cancelled')))).toContain(
      ':no_entry_sign: Cancelled by <@U0REQUESTER>: not needed',
    );
  });

  it('says first that the plan changed, when, and that earlier approvals no longer count', () => {
    const notice = changeControlNotice(revisedProd(), { planLink: LINK });
    const text = render(notice);
    expect(text).toMatchSnapshot();
    // revisedProd changed the plan at 15:30, half an hour after it was planned.
    expect(notice.blocks[1]).toEqual({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: ':pencil2: *Plan changed to v2* at <!date^1794929400^{date_short_pretty} {time}|2026-11-17 15:30 UTC>: approvals given for earlier versions no longer count; please review again.',
      },
    });
    expect(notice.text).toContain('Plan changed to v2: review again.');
    expect(text).toContain('*Approvals:* 0 of 2, 2 more needed');
  });

  it('keeps a quiet note of the change once the changed plan is approved, and none for a first version', () => {
    const once = run(revisedProd(), { type: 'approve', planVersion: 2 }, APPROVER_A);
    const approved = run(once, { type: 'approve', planVersion: 2 }, APPROVER_B);
    const text = render(changeControlNotice(approved));
    expect(text).toContain(':pencil2: *Plan changed to v2* at');
    expect(text).toContain('the approvals shown are for v2.');
    expect(text).not.toContain('please review again');
    expect(render(changeControlNotice(halfApproved()))).not.toContain(':pencil2:');
  });
});

describe('a plan with a deploy window', () => {
  const windowed = () => planned({ window: '2026-11-18T02:00' });

  it('says when the window opens, in the client time zone too, and that approval must come before it', () => {
    const text = render(changeControlNotice(windowed()));
    expect(text).toContain('Deploys when the deploy window opens');
    expect(text).toContain('(Wed 2026-11-18 02:00 America/New_York)');
    expect(text).toContain('not before; approve by then');
  });

  it('once approved, heads with the window it waits for instead of a queue', () => {
    const approved = run(windowed(), { type: 'approve', planVersion: 1 }, APPROVER_A);
    const text = render(changeControlNotice(approved));
    expect(text).toContain('Approved; deploys to Acme Corp staging when its window opens');
    expect(text).not.toContain('waiting its turn');
    const queued = run(approved, { type: 'queue' });
    expect(render(changeControlNotice(queued))).toContain('waiting its turn');
  });

  it('a plan without a window deploys as soon as it is approved', () => {
    expect(render(changeControlNotice(planned()))).toContain('Deploys as soon as it is approved');
  });
});
