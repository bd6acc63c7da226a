import { WebClient } from '@slack/web-api';
import { SlackChat } from '../../../src/adapters/slack/slack-chat.js';
import type { Hotfix } from '../../../src/domain/hotfix.js';
import { owesReply } from '../../../src/workflow/refresh-messages.js';
import { failedInProd } from '../slack/blocks/scenarios.js';
import { BOT, hotfixIn, run } from '../domain/builders.js';

// Fingerprints are computed from the rendered blocks; the client is never called.
const chat = new SlackChat(new WebClient('xoxb-never-called'));
const messagesFingerprint = (hotfix: Hotfix) => chat.messagesFingerprint(hotfix);

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
    // Where the deploy runs outside (the Jenkins queue item and build) shows in the live status only.
    const located = run(
      recorded,
      {
        type: 'record_result',
        step: 'located_1',
        refs: { jenkinsQueueItem: '7', jenkinsBuild: '12', jenkinsBuildUrl: 'https://ci.example/job/x/12/' },
      },
      BOT,
    );
    expect(messagesFingerprint(located)).toBe(messagesFingerprint(deploying));
    const completed = hotfixIn('completed');
    expect(messagesFingerprint(run(completed, { type: 'finalize' }, BOT))).toBe(
      messagesFingerprint(completed),
    );
  });
});

describe('owesReply (what lets the reconciler post a reply whose job was lost)', () => {
  it('owes the moment replies of a failure until each is recorded, and not while the event is recent', () => {
    const { hotfix, events } = failedInProd();
    const failedAt = Date.parse(hotfix.stateSince.at);
    const announced = { ...hotfix, refs: { ...hotfix.refs, planTs: '1.1', noticeTs: '1.2' } };
    const toldUpTo = (n: number) => ({
      ...announced,
      steps: {
        ...announced.steps,
        ...Object.fromEntries(
          events
            .slice(0, n)
            .flatMap((e, i) =>
              [`tell_${i + 1}`, `moment_${i + 1}`, `cc_moment_${i + 1}`, `ps_moment_${i + 1}`].map((k) => [
                k,
                { result: { at: e.at } },
              ]),
            ),
        ),
      },
    });
    const allButLast = toldUpTo(events.length - 1);
    expect(owesReply(allButLast, events, failedAt + 60_000, 1000)).toBe(true);
    expect(owesReply(toldUpTo(events.length), events, failedAt + 60_000, 1000)).toBe(false);
    // Too recent: the normal job still has its chance.
    expect(owesReply(allButLast, events, failedAt + 500, 1000)).toBe(false);
  });
});
