import { messagesFingerprint } from '../../../src/workflow/refresh-messages.js';
import { BOT, hotfixIn, run } from '../domain/builders.js';

describe('messagesFingerprint (what decides whether the plan and the notice are redrawn)', () => {
  it('changes with every state change', () => {
    const seen = new Set(
      (['planned', 'approved', 'queued', 'deploying', 'awaiting_input', 'completed', 'failed'] as const).map(
        (s) => messagesFingerprint(hotfixIn(s)),
      ),
    );
    expect(seen.size).toBe(7);
  });

  it('ignores deploy stages and the bot bookkeeping, which only the live status shows', () => {
    const deploying = hotfixIn('deploying');
    const staged = run(
      deploying,
      { type: 'update_stages', stages: [{ name: 'Build', status: 'running' }] },
      BOT,
    );
    const recorded = run(
      staged,
      { type: 'record_result', step: 'post_status', refs: { statusTs: '1.2' } },
      BOT,
    );
    expect(messagesFingerprint(recorded)).toBe(messagesFingerprint(deploying));
    const completed = hotfixIn('completed');
    expect(messagesFingerprint(run(completed, { type: 'finalize' }, BOT))).toBe(
      messagesFingerprint(completed),
    );
  });
});
