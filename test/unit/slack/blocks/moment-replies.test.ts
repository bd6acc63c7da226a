import type { HotfixEvent } from '../../../../src/domain/events.js';
import type { Hotfix } from '../../../../src/domain/hotfix.js';
import { momentsOf } from '../../../../src/domain/moments.js';
import { momentMessage } from '../../../../src/slack/blocks/moment-replies.js';
import { BOT, NOW, REQUESTER, hotfixIn } from '../../domain/builders.js';
import { render } from './render.js';
import { failedInProd, step } from './scenarios.js';

/** The moments the last event of a history calls for, rendered as people read them. */
function replies(hotfix: Hotfix, event: HotfixEvent | undefined): string[] {
  if (!event) throw new Error('no event');
  return momentsOf(hotfix, event).map((m) => `(${m.place})\n${render(momentMessage(hotfix, m))}`);
}

/** Who a rendered reply mentions, read from its notification text (the blocks repeat the same mentions). */
const mentionsIn = (rendered: string) => {
  const text = rendered.split('\n').find((l) => l.startsWith('text: ')) ?? '';
  return [...text.matchAll(/<@(U[A-Z0-9]+)>/g)].map((m) => m[1]);
};

describe('moment replies', () => {
  it('asks the owner for an answer at a Proceed question, in the thread only', () => {
    const { hotfix, events } = step(
      hotfixIn('deploying', { env: 'prod', severity: 1 }),
      {
        type: 'request_input',
        inputId: 'Proceed',
        message: 'Deploy to production now?',
      },
      BOT,
    );
    const shown = replies(hotfix, events[0]);
    expect(shown).toHaveLength(1);
    expect(shown[0]).toMatchSnapshot();
    expect(mentionsIn(shown[0] ?? '')).toEqual(['U0REQUESTER']);
  });

  it('asks no more once the question was answered', () => {
    const { hotfix: asked, events } = step(
      hotfixIn('deploying'),
      {
        type: 'request_input',
        inputId: 'Proceed',
        message: 'Go?',
      },
      BOT,
    );
    const answered = step(
      asked,
      { type: 'answer_input', inputId: 'Proceed', proceed: true },
      REQUESTER,
    ).hotfix;
    expect(momentsOf(answered, events[0]!)).toEqual([]);
  });

  it('tells a failure to the owner and service owners in the thread, the approvers in change control and the TAM in prod-support, each once', () => {
    const { hotfix, events } = failedInProd();
    const shown = replies(hotfix, events.at(-1));
    expect(shown).toMatchSnapshot();
    const all = shown.flatMap(mentionsIn);
    expect(new Set(all).size).toBe(all.length);
    expect(shown[1]).toContain('<@U0APPROVER1>');
    // The client's channel hears it in client-safe words: the TAM, no service name, no failure detail.
    expect(shown[2]).toMatch(/^\(prod_support\)/);
    expect(shown[2]).toContain('<@U0TAMACME>');
    expect(shown[2]).not.toMatch(/decanting|v1\/health|503/);
    // No rollback is offered until it is built.
    expect(shown.join('\n')).not.toMatch(/\/hotfix rollback|Roll back on/);
  });

  it('tells a failure while preparing in the thread and change control, never in prod-support: nothing was deployed', () => {
    const { hotfix, events } = step(
      hotfixIn('preparing', { env: 'prod', severity: 1 }),
      { type: 'deploy_failed', message: 'Jenkins is unavailable (503)' },
      BOT,
    );
    const shown = replies(hotfix, events[0]);
    expect(shown.map((s) => s.split('\n')[0])).toEqual(['(thread)', '(change_control)']);
    expect(shown[0]).toContain(
      'Nothing was deployed, so there is nothing to roll back: Retry prepares again',
    );
    expect(shown[0]).not.toMatch(/Runbook|rollback is done by hand/);
  });

  it('keeps a failure while preparing out of prod-support after a Retry that deployed', () => {
    const { hotfix: failed, events } = step(
      hotfixIn('preparing', { env: 'prod', severity: 1 }),
      { type: 'deploy_failed', message: 'Jenkins is unavailable (503)' },
      BOT,
    );
    const later = (minutes: number) => new Date(NOW.getTime() + minutes * 60_000);
    const retried = step(failed, { type: 'retry' }, REQUESTER, later(5)).hotfix;
    const prepared = step(
      retried,
      { type: 'prepare', versionsBefore: { 'decanting-service': '24-01-20.600' }, deployPlan: ['build'] },
      BOT,
      later(6),
    ).hotfix;
    const deploying = step(prepared, { type: 'start_deploy' }, BOT, later(6)).hotfix;
    expect(momentsOf(deploying, events[0]!).map((m) => m.place)).toEqual(['thread', 'change_control']);
    // A deploy failure of that retry is the client's business again.
    const again = step(deploying, { type: 'deploy_failed', message: 'stage Deploy failed' }, BOT, later(9));
    expect(momentsOf(again.hotfix, again.events[0]!).map((m) => m.place)).toContain('prod_support');
  });

  it('offers Extend maintenance on a failure only when there is a maintenance or calendar event to extend', () => {
    const { hotfix, events } = failedInProd();
    const event = events.at(-1);
    if (!event) throw new Error('no event');
    const buttons = (h: Hotfix) =>
      momentsOf(h, event).map((m) =>
        JSON.stringify(momentMessage(h, m).blocks).includes('hotfix_extend_maintenance'),
      );
    expect(buttons(hotfix).some(Boolean)).toBe(false);
    const withMaintenance = { ...hotfix, refs: { ...hotfix.refs, statuspageIncidentId: 'inc1' } };
    expect(buttons(withMaintenance).some(Boolean)).toBe(true);
    const rendered = momentsOf(withMaintenance, event).map((m) => render(momentMessage(withMaintenance, m)));
    expect(rendered.join('\n')).toContain('Extend maintenance');
  });

  it("shows the end of a failed build's console in the thread, escaped, and only the sentence in change control", () => {
    const { hotfix, events } = failedInProd();
    const console = Array.from({ length: 40 }, (_, i) => `[Pipeline] sh step ${i} <out> & ${'x'.repeat(60)}`);
    const message = [
      'Jenkins build #1042 of multi_deploy_pipeline ended FAILED at stage Smoke test. Last 41 console lines:',
      ...console,
      'ERROR: smoke test failed for decanting',
    ].join('\n');
    const failed = { ...hotfix, failure: { ...hotfix.failure!, message } };
    const [thread = '', changeControl = ''] = replies(failed, events.at(-1));
    expect(thread).toContain('ended FAILED at stage Smoke test');
    expect(thread).toContain('ERROR: smoke test failed for decanting');
    expect(thread).toContain('&lt;out&gt; &amp; x');
    expect(thread).not.toContain('<out>');
    expect(changeControl).toContain('ended FAILED at stage Smoke test');
    expect(changeControl).not.toContain('ERROR: smoke test failed');
  });

  it('tells the end in the thread, in change control with the fuller record, and client-safe in prod-support', () => {
    const completed = hotfixIn('completed');
    const shown = replies(completed, {
      type: 'verified',
      at: completed.stateSince.at,
      by: 'system',
      planVersion: 1,
    });
    expect(shown).toMatchSnapshot();
    expect(shown.map((s) => s.split('\n')[0])).toEqual(['(thread)', '(change_control)', '(prod_support)']);
    expect(shown[1]).toMatch(/Verification passed: 1 health check at the new version/);
    expect(shown[1]).toMatch(/Approved by <@U0APPROVER1>/);
    expect(shown[2]).toMatch(/Deploy is complete/);
    expect(shown[2]).toContain('<@U0TAMACME>');
    expect(shown[2]).not.toMatch(/decanting|archives|http/);
  });
});

describe('the deploy window opening', () => {
  it('mentions the owner and the service owners in the thread only, naming the window in the client time zone', () => {
    const approved = hotfixIn('approved', { window: '12:00' });
    const { hotfix, events } = step(approved, { type: 'queue' }, BOT);
    const shown = replies(hotfix, events[0]);
    expect(shown).toHaveLength(1);
    expect(shown[0]).toContain('(thread)');
    expect(shown[0]).toContain('The deploy window of HF-1 opened');
    expect(shown[0]).toContain('(Tue 2026-11-17 12:00 America/New_York)');
    expect(mentionsIn(shown[0] ?? '')).toEqual(['U0REQUESTER', 'U0DECANT1']);
  });

  it('says nothing when a plan without a window queues', () => {
    const { hotfix, events } = step(hotfixIn('approved'), { type: 'queue' }, BOT);
    expect(replies(hotfix, events[0])).toEqual([]);
  });
});
