import { forwardPortMessage } from '../../../../src/slack/blocks/forward-port-replies.js';
import { hotfixIn } from '../../domain/builders.js';
import { render } from './render.js';

const pr = {
  service: 'decanting-service',
  number: 12,
  url: 'https://github.com/example-org/decanting-service/pull/12',
};

describe('forward-port replies', () => {
  const hotfix = hotfixIn('completed');

  it('links the pull request for the owner and offers "Not needed on main"', () => {
    const shown = render(
      forwardPortMessage(hotfix, { kind: 'opened', pr, head: 'hotfix/HOCS-1', base: 'main' }),
    );
    expect(shown).toMatchSnapshot();
    expect(shown).toContain('<@U0REQUESTER>');
    expect(shown).toContain(pr.url);
    expect(shown).toContain('hotfix_forward_port_waive');
  });

  it('reminds with every open pull request and every service no pull request could be opened for', () => {
    const note = {
      kind: 'reminder' as const,
      prs: [pr],
      missing: ['external-agent'],
      since: '2026-11-17T15:00:00Z',
    };
    const shown = render(forwardPortMessage(hotfix, note));
    expect(shown).toMatchSnapshot();
    expect(shown).toContain('Reminder');
    expect(shown).toContain('external-agent');
  });

  it('ends without a button: merged, already there, or not needed with who and why', () => {
    for (const why of ['merged', 'on_default_branch'] as const) {
      const shown = render(
        forwardPortMessage(hotfix, { kind: 'done', why, prs: why === 'merged' ? [pr] : [] }),
      );
      expect(shown).not.toContain('hotfix_forward_port_waive');
    }
    const waived = render(
      forwardPortMessage(hotfix, {
        kind: 'done',
        why: 'not_needed',
        prs: [pr],
        waiver: { by: 'U0ONCALL', reason: 'main was rewritten' },
      }),
    );
    expect(waived).toMatchSnapshot();
    expect(waived).toContain('not needed on main by <@U0ONCALL>');
  });
});
