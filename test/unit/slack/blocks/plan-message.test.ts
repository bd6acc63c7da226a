import { hotfixIn, planned } from '../../domain/builders.js';
import { planMessage } from '../../../../src/slack/blocks/plan-message.js';
import { ours } from '../../../../src/slack/blocks/mrkdwn.js';
import { TRIAGE_ITEMS } from '../../../../src/slack/blocks/triage-checklist.js';
import { render } from './render.js';
import { lateWeekInFreeze, rehearsal, sev1Prod, twoServicesProd } from './scenarios.js';

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
      text: { type: 'plain_text', text: 'HF-1 · decanting-service → acme prod', emoji: true },
    });
    expect(render(planMessage(twoServicesProd()))).toContain(
      '[header] HF-1 · decanting-service, picking-service → acme prod',
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
    expect(render(planMessage(planned()))).toContain('(running version not recorded yet)');
  });

  it('counts approvals for the current plan version and names who gave them', () => {
    const text = render(planMessage(hotfixIn('approved', { env: 'prod', severity: 1 })));
    expect(text).toContain('*Approvals:* 1 of 1 — <@U0APPROVER1>');
    expect(render(planMessage(planned({ env: 'prod' })))).toContain('*Approvals:* 0 of 2, 2 more needed');
  });

  it('ticks the answered triage items, crosses the negative ones and keeps other answers as notes', () => {
    const text = render(planMessage(sev1Prod(), { versionsNow: { 'decanting-service': '24-01-20.600' } }));
    expect(text).toContain(':white_check_mark: Tested in a non-production environment first\n');
    expect(text).toContain(':x: Fix will be brought back to the main line — _no_');
    expect(text).toContain(
      'Production version identified — _decanting-service 24-01-20.600 (recorded by the bot)_',
    );
    expect(text).toContain(':speech_balloon: customer impact: _orders not decanted at 3 sites_');
    const fresh = render(planMessage(planned()));
    for (const item of TRIAGE_ITEMS) expect(fresh).toContain(`:white_large_square: ${ours(item.label)}`);
    expect(fresh.match(/:white_large_square:/g)).toHaveLength(TRIAGE_ITEMS.length);
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
});
