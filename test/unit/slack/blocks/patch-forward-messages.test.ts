/**
 * What patch forward looks like in Slack: the plan form it opens, what the new plan and its notice say about the
 * hotfix they replace, and the superseded hotfix's messages naming (and linking) the one that took over.
 */
import type { Hotfix } from '../../../../src/domain/hotfix.js';
import { changeControlNotice } from '../../../../src/slack/blocks/change-control-notice.js';
import { decisionReply } from '../../../../src/slack/blocks/decision-replies.js';
import { approveConfirmModal } from '../../../../src/slack/blocks/decision-modals.js';
import { liveStatusMessage } from '../../../../src/slack/blocks/live-status.js';
import { planMessage } from '../../../../src/slack/blocks/plan-message.js';
import { planModal, readPlanModal } from '../../../../src/slack/blocks/plan-modal.js';
import { APPROVER_A, NOW, ONCALL, hotfixIn, planned, run } from '../../domain/builders.js';
import { testCatalog } from '../../domain/fixtures.js';
import { submitted } from './forms.js';
import { limitViolations, render, renderModal } from './render.js';

const LINK = 'https://example.slack.com/archives/C0INCIDENT/p1700000000000300';

function patchOf(failed: Hotfix): Hotfix {
  return planned(
    {
      id: 'HF-2',
      ulid: '01JD0000000000000000000002',
      supersedes: { ulid: failed.ulid, id: failed.id },
      services: [
        { service: 'decanting-service', tag: '24-02-05.619-hotfix.628', method: 'jenkins-multi-deploy' },
      ],
    },
    NOW,
    ONCALL,
  );
}

describe('the patch-forward plan form', () => {
  const catalog = testCatalog();
  const failed = hotfixIn('failed');
  const view = planModal(
    { services: 'decanting-service@24-02-05.619-hotfix.627', client: 'acme', env: 'staging', severity: 3 },
    {
      channel: 'C0INCIDENT',
      threadTs: '1700000000.000100',
      services: Object.keys(catalog.services),
      clients: { acme: ['staging', 'prod'] },
      supersedes: { ulid: failed.ulid, id: failed.id, client: 'acme', env: 'staging' },
    },
  );

  it('is titled for the hotfix it patches, says what approval does, and carries its ULID back', () => {
    expect(view.title.text).toBe('Patch forward HF-1');
    expect(renderModal(view)).toContain(
      'when it is approved, HF-1 is superseded and its lock on acme staging passes to this plan',
    );
    expect(JSON.parse(view.private_metadata ?? '')).toEqual({
      channel: 'C0INCIDENT',
      threadTs: '1700000000.000100',
      supersedes: failed.ulid,
    });
    expect(limitViolations(view.blocks, 100)).toEqual([]);
    // A patch forward deploys as soon as it is approved: the form offers no deploy window.
    expect(view.blocks.map((b) => b.block_id)).not.toContain('at');
  });

  it('submits, unchanged but for the tag, as the same plan for the same client and env', () => {
    const values = submitted(view, { services: 'decanting-service@24-02-05.619-hotfix.628' });
    expect(readPlanModal(values).text).toBe('decanting-service@24-02-05.619-hotfix.628 acme staging sev=3');
  });
});

describe('a patch-forward plan', () => {
  it('says on the plan and the notice which failed hotfix it supersedes on approval', () => {
    const next = patchOf(hotfixIn('failed'));
    for (const message of [planMessage(next), changeControlNotice(next)])
      expect(render(message)).toContain(
        '*Patches forward HF-1*, which failed: when this plan is approved, HF-1 is superseded and its lock on acme staging passes to HF-2',
      );
    expect(render(planMessage(planned()))).not.toContain('Patches forward');
  });

  it('restates it in the approval form, with what the approval does', () => {
    const failed = hotfixIn('failed');
    const next = planned({ id: 'HF-2', supersedes: { ulid: failed.ulid, id: failed.id } });
    const form = renderModal(approveConfirmModal(next, { noticeChannel: 'C0CC', noticeTs: '1.2' }));
    expect(form).toContain('*Patches forward HF-1*');
    expect(form).toContain("HF-2 is then approved and takes over HF-1's lock on acme staging");
  });

  it('tells the thread on approval that it took over the lock instead of queueing', () => {
    const approved = run(patchOf(hotfixIn('failed')), { type: 'approve', planVersion: 1 }, APPROVER_A);
    const event = { type: 'approved' as const, at: NOW.toISOString(), by: APPROVER_A.userId, planVersion: 1 };
    const reply = render(decisionReply(approved, event, {}) ?? { text: '', blocks: [] });
    expect(reply).toContain(
      'HF-1 is superseded: HF-2 patches it forward and took over its lock on acme staging',
    );
    expect(reply).not.toContain('queues for');
  });
});

describe('a superseded hotfix', () => {
  const superseded = run(hotfixIn('failed'), { type: 'supersede', supersededBy: 'HF-2' }, ONCALL);

  it('links the hotfix that took over from its live status, plan and notice', () => {
    expect(render(liveStatusMessage(superseded, { supersededByLink: LINK }))).toContain(
      `by <${LINK}|HF-2> (patch forward)`,
    );
    expect(render(planMessage(superseded, { supersededByLink: LINK }))).toContain(`*Superseded*`);
    expect(render(planMessage(superseded, { supersededByLink: LINK }))).toContain(`<${LINK}|HF-2>`);
    expect(render(changeControlNotice(superseded, { supersededByLink: LINK }))).toContain(
      `by <${LINK}|HF-2> (patch forward), which took over acme staging`,
    );
  });

  it('names it without a link when Slack gave none, and offers no buttons', () => {
    const status = liveStatusMessage(superseded);
    expect(render(status)).toContain('by HF-2 (patch forward)');
    expect(status.blocks.some((b) => b.type === 'actions')).toBe(false);
  });
});
