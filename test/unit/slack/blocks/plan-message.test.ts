import type { Button } from '@slack/types';
import { STATES } from '../../../../src/domain/hotfix.js';
import type { Hotfix } from '../../../../src/domain/hotfix.js';
import { hotfixIn, planned } from '../../domain/builders.js';
import { ACTION_IDS, readDecisionValue } from '../../../../src/slack/blocks/interaction-ids.js';
import { planMessage } from '../../../../src/slack/blocks/plan-message.js';
import { ours } from '../../../../src/slack/blocks/mrkdwn.js';
import { TRIAGE_ITEMS } from '../../../../src/slack/blocks/triage-checklist.js';
import { render } from './render.js';
import { lateWeekInFreeze, rehearsal, revisedProd, sev1Prod, twoServicesProd } from './scenarios.js';

function editButtons(hotfix: Hotfix): Button[] {
  return planMessage(hotfix)
    .blocks.flatMap((b) => (b.type === 'actions' ? b.elements : []))
    .filter((e): e is Button => e.type === 'button' && e.action_id === ACTION_IDS.reviseOpen);
}

describe('planMessage', () => {
  it('renders a fresh staging plan with an unticked triage checklist', () => {
    expect(render(planMessage(planned()))).toMatchSnapshot();
  });

  it('renders a Sev 1 prod plan with triage answers and the versions running now', () => {
    const message = planMessage(sev1Prod(), { versionsNow: { 'decanting-service': '24-01-20.600' } });
    expect(render(message)).toMatchSnapshot();
  });

  it('renders a two-service plan with each service and its owners', () => {
    expect(render(planMessage(twoServicesProd()))).toMatchSnapshot();
  });

  it('renders the staffing warning and the freeze override before the details', () => {
    expect(render(planMessage(lateWeekInFreeze()))).toMatchSnapshot();
  });

  it('titles the plan with the id, services and target', () => {
    const [first] = planMessage(planned({ env: 'prod' })).blocks;
    expect(first).toEqual({
      type: 'header',
      text: {
        type: 'plain_text',
        text: ':memo: PLANNED · HF-1 · decanting-service → acme prod',
        emoji: true,
      },
    });
    expect(render(planMessage(twoServicesProd()))).toContain(
      '[header] :memo: PLANNED · HF-1 · decanting-service, picking-service → acme prod',
    );
  });

  it('says REHEARSAL loudly, in the notification text and in the message', () => {
    const message = planMessage(rehearsal());
    expect(message.text).toMatch(/^REHEARSAL HF-1 plan/);
    expect(render(message)).toContain(':performing_arts: *REHEARSAL* — a dry run');
    expect(render(message)).toMatchSnapshot();
  });

  it('makes Sev 1 loud and leaves Sev 3 quiet', () => {
    expect(render(planMessage(sev1Prod()))).toContain(':rotating_light: *SEV 1*');
    expect(planMessage(sev1Prod()).text).toContain('SEV 1');
    expect(render(planMessage(planned()))).not.toContain('SEV 1');
    expect(render(planMessage(planned()))).toContain(':large_yellow_circle: Sev 3');
  });

  it('marks production and shows current → target once the running version is known', () => {
    const deploying = render(planMessage(hotfixIn('deploying', { env: 'prod', severity: 1 })));
    expect(deploying).toContain(':red_circle: *PRODUCTION*');
    expect(deploying).toContain('`24-01-20.600` → `24-02-05.619-hotfix.627`');
    expect(render(planMessage(planned()))).toContain('(running version is read before the deploy)');
  });

  it('counts approvals for the current plan version and names who gave them', () => {
    const text = render(planMessage(hotfixIn('approved', { env: 'prod', severity: 1 })));
    expect(text).toContain('*Approvals:* 1 of 1 — <@U0APPROVER1>');
    expect(render(planMessage(planned({ env: 'prod' })))).toContain('*Approvals:* 0 of 2, 2 more needed');
  });

  it('offers the triage items as checkboxes while the plan may change, ticked where answered, keeping what people wrote', () => {
    const text = render(planMessage(sev1Prod(), { versionsNow: { 'decanting-service': '24-01-20.600' } }));
    expect(text).toContain('*Triage checklist* (seed 003) · 3 of 6 ticked');
    expect(text).toContain('  [x] Tested in a non-production environment first value=');
    expect(text).toContain('  [ ] Fix will be brought back to the main line value=');
    // A version nobody read is never ticked for them.
    expect(text).toContain('  [ ] Production version identified value=');
    expect(text).toContain(':speech_balloon: customer impact: _orders not decanted at 3 sites_');
    expect(text).not.toContain('confirm each item in this thread');
  });

  it('shows the checklist as lines once the plan is decided, the running version ticked only when it was read', () => {
    const deployed = render(planMessage(hotfixIn('completed')));
    expect(deployed).not.toContain('(checkboxes)');
    expect(deployed).toContain(
      'Production version identified — _decanting-service 24-01-20.600 (recorded by the bot)_',
    );
    const fresh = render(planMessage(hotfixIn('cancelled')));
    for (const item of TRIAGE_ITEMS) expect(fresh).toContain(`:white_large_square: ${ours(item.label)}`);
  });

  it('shows the expiry as a Slack date with a UTC fallback', () => {
    expect(render(planMessage(planned()))).toContain(
      'expires <!date^1794942000^{date_short_pretty} {time}|2026-11-17 19:00 UTC>',
    );
  });

  it('never lets a reason ping the channel', () => {
    const text = render(planMessage(planned({ reason: 'fix <!channel> now & <@U0BOSS> knows' })));
    expect(text).toContain('fix &lt;!channel&gt; now &amp; <@U0BOSS> knows');
    expect(text).not.toContain('<!channel>');
  });

  it('offers "Edit plan" only while the plan may still change: planned or approved', () => {
    for (const state of STATES) {
      const found = editButtons(hotfixIn(state)).map((b) => b.text.text);
      const expected = state === 'planned' || state === 'approved' ? ['Edit plan'] : [];
      expect({ state, found }).toEqual({ state, found: expected });
    }
  });

  it('ties "Edit plan" to the hotfix and the plan version shown, in its own action row', () => {
    const [edit] = editButtons(revisedProd());
    expect(edit?.action_id).toBe('hotfix_revise_open');
    expect(readDecisionValue(edit?.value)).toEqual({ ulid: '01JD0000000000000000000001', planVersion: 2 });
    const row = planMessage(revisedProd()).blocks.find((b) => b.type === 'actions');
    expect(row?.block_id).toBe('hotfix_plan_actions');
  });

  it('asks before editing an approved plan, since its approvals will no longer count', () => {
    const [approved] = editButtons(hotfixIn('approved'));
    expect(approved?.confirm?.title?.text).toBe('Change an approved plan?');
    expect(approved?.confirm?.text.text).toContain('the approvals given so far no longer count');
    const [fresh] = editButtons(planned());
    expect(fresh?.confirm).toBeUndefined();
  });
});

describe("the deploy method's plan-time preview", () => {
  const withPreview = (hotfix: Hotfix): Hotfix => ({
    ...hotfix,
    steps: {
      ...hotfix.steps,
      check_target: {
        result: {
          at: hotfix.times.plannedAt,
          detail: ":warning: 1 process is running in the client's database now\nrunning: nightly export",
        },
      },
    },
  });

  it('is shown as it was read while the hotfix waits for its deploy', () => {
    const text = render(planMessage(withPreview(hotfixIn('approved'))));
    expect(text).toContain("1 process is running in the client's database now");
    expect(text).not.toContain('Read at plan time');
  });

  it('says it was read at plan time once the deploy has started', () => {
    const text = render(planMessage(withPreview(hotfixIn('completed'))));
    expect(text).toContain('Read at plan time, before the deploy');
    expect(text.indexOf('Read at plan time')).toBeLessThan(text.indexOf('1 process is running'));
  });
});
