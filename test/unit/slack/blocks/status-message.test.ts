import type { Hotfix } from '../../../../src/domain/hotfix.js';
import { listMessage, statusMessage } from '../../../../src/slack/blocks/status-message.js';
import { APPROVER_A, hotfixIn, planned, run, ONCALL } from '../../domain/builders.js';
import { render } from './render.js';
import { brokenGlass, failedInProd, rehearsal } from './scenarios.js';

function numbered(h: Hotfix, n: number, owner?: string): Hotfix {
  return { ...h, id: `HF-${n}`, ...(owner ? { owner } : {}) };
}

describe('statusMessage', () => {
  it('renders a failed prod hotfix: stages, the runbook row, references and the latest events', () => {
    const { hotfix, events } = failedInProd();
    expect(render(statusMessage(hotfix, events))).toMatchSnapshot();
  });

  it('renders a deploy paused for input, with who holds the lock', () => {
    expect(render(statusMessage(hotfixIn('awaiting_input')))).toMatchSnapshot();
  });

  it('shows the last few meaningful events, each with who and when', () => {
    const { hotfix, events } = failedInProd();
    const text = render(statusMessage(hotfix, events));
    expect(text).toContain('hotfix-bot verify failed: /v1/health returned 503');
    expect(text).not.toContain('step trigger done'); // step bookkeeping is not news to people
    expect(text).not.toContain('stages: Build');
    expect(text).not.toContain('<@U0REQUESTER> planned');
    expect(text.match(/^ {4}• /gm)).toHaveLength(2 + 5);
  });

  it('gives the runbook advice for the failure condition', () => {
    const { hotfix } = failedInProd();
    expect(render(statusMessage(hotfix))).toContain(
      'Runbook: *Smoke test fails* (critical) — Immediate rollback.',
    );
  });

  it('states since when, and who owns and holds it', () => {
    const text = render(statusMessage(hotfixIn('deploying', { severity: 1, env: 'prod' })));
    expect(text).toContain(':rocket: *deploying* since <!date^');
    expect(text).toContain('| *Owner*: <@U0REQUESTER>');
    expect(text).toContain('| *Holds the lock*: :lock: acme/prod since');
  });

  it('shows break-glass loudly and REHEARSAL loudly', () => {
    expect(render(statusMessage(brokenGlass()))).toContain(
      ':rotating_light: *BREAK-GLASS approval by <@U0ONCALL>*',
    );
    const drill = statusMessage(rehearsal());
    expect(drill.text).toMatch(/^REHEARSAL HF-1/);
    expect(render(drill)).toContain('*REHEARSAL*');
  });
});

describe('listMessage', () => {
  it('says there are none when nothing is active', () => {
    expect(listMessage([])).toEqual({
      text: 'No active hotfixes.',
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'No active hotfixes.' } }],
    });
    expect(listMessage([hotfixIn('completed'), hotfixIn('rejected')]).text).toBe('No active hotfixes.');
  });

  it('lists active hotfixes one line each, in id order, marking lock holders and rehearsals', () => {
    const handedOff = run(
      numbered(hotfixIn('deploying', { env: 'prod', severity: 1 }), 12),
      { type: 'handoff', to: 'U0BOB' },
      ONCALL,
    );
    const message = listMessage([
      handedOff,
      numbered(planned(), 3),
      numbered(rehearsal(), 7),
      numbered(hotfixIn('completed'), 2),
    ]);
    expect(message.text).toBe('3 active hotfixes: HF-3 planned, HF-7 planned, HF-12 deploying');
    expect(render(message)).toMatchSnapshot();
  });

  it('stays within the block limit however many hotfixes are active', () => {
    const many = Array.from({ length: 400 }, (_, i) => numbered(planned(), i + 1));
    const message = listMessage(many);
    expect(message.blocks.length).toBeLessThanOrEqual(50);
    expect(message.text.length).toBeLessThanOrEqual(3000);
  });
});

describe('a patch forward that took over the lock', () => {
  const patch = () =>
    run(
      planned({ supersedes: { ulid: '01JD0000000000000000000009', id: 'HF-9' } }),
      { type: 'approve', planVersion: 1 },
      APPROVER_A,
    );

  it('is shown holding the environment from its approval, before its own deploy takes the lock', () => {
    const approved = patch();
    expect(approved.lock).toBeUndefined();
    expect(render(listMessage([approved]))).toContain(':lock: holds the lock');
    expect(render(statusMessage(approved))).toContain('taken over from HF-9');
  });

  it('a plain approved hotfix waits without holding anything', () => {
    const approved = run(planned(), { type: 'approve', planVersion: 1 }, APPROVER_A);
    expect(render(listMessage([approved]))).not.toContain('holds the lock');
  });
});
