/**
 * What an ecs-image hotfix offers once it fails (issue 14's panic rollback, offered from Slack): Rollback on the live
 * status and in the failure reply, a rollback target that names the task definition the service returns to, and a
 * confirmation saying how ECS goes back. A record from before the rollback target was structured (a display string
 * in place of a tag) is offered nothing it could not do.
 */
import type { Hotfix } from '../../../../src/domain/hotfix.js';
import { rollbackTarget, rollsBack } from '../../../../src/domain/rollback.js';
import { ACTION_IDS } from '../../../../src/slack/blocks/interaction-ids.js';
import { liveStatusMessage } from '../../../../src/slack/blocks/live-status.js';
import { rollbackLine } from '../../../../src/slack/blocks/notice-lines.js';
import { rollbackModal } from '../../../../src/slack/blocks/rollback-modal.js';
import { hotfixIn } from '../../domain/builders.js';
import { actionIds } from './live-scenarios.js';
import { render, renderModal } from './render.js';

const REVISION = 'arn:aws:ecs:eu-west-1:123456789012:task-definition/staging-external-agent-acme:1';
const NOTICE = { noticeChannel: 'C0INC4211', noticeTs: '1700000100.000300' };

function failedEcs(versionsBefore: Record<string, string>, refs: Record<string, string> = {}): Hotfix {
  const h = hotfixIn('failed', {
    method: 'ecs-image',
    services: [{ service: 'external-agent', tag: 'v2.14.3-hotfix.1', method: 'ecs-image' }],
  });
  return { ...h, versionsBefore, refs: { ...h.refs, ...refs } };
}

describe('an ecs-image hotfix that failed', () => {
  const hotfix = failedEcs({ 'external-agent': 'v2.14.2' }, { 'ecsRollbackTo:external-agent': REVISION });

  it('rolls back to the image tag it replaced, and offers Rollback and the command on the live status', () => {
    expect(rollsBack(hotfix)).toBe(true);
    expect(rollbackTarget(hotfix)).toEqual([
      { service: 'external-agent', tag: 'v2.14.2', method: 'ecs-image' },
    ]);
    const status = liveStatusMessage(hotfix);
    expect(actionIds(status)).toContain(ACTION_IDS.rollback);
    const text = render(status);
    expect(text).toContain('/hotfix rollback HF-1');
    expect(text).not.toMatch(/by hand|not offered from Slack/);
    expect(text).toContain('`v2.14.2` (task definition `staging-external-agent-acme:1`)');
  });

  it('names the task definition it returns to on the notice line and in the confirmation', () => {
    expect(rollbackLine(hotfix)).toContain(
      'Rollback target: external-agent `v2.14.2` (task definition `staging-external-agent-acme:1`); rolls back by itself if verification fails; once deployed (completed too), Rollback on this notice or its live status',
    );
    const form = renderModal(rollbackModal(hotfix, NOTICE));
    expect(form).toContain(
      '`v2.14.3-hotfix.1` → `v2.14.2` (task definition `staging-external-agent-acme:1`)',
    );
    expect(form).toContain('ECS puts each service back on the task definition it ran before');
    expect(form).not.toContain('The same deploy method deploys them again');
  });

  it('a version recorded as a display string (an older record) is not a tag: nothing is offered', () => {
    const older = failedEcs({ 'external-agent': 'v2.14.2 (task definition staging-external-agent-acme:1)' });
    expect(rollbackTarget(older)).toBeUndefined();
    expect(actionIds(liveStatusMessage(older))).not.toContain(ACTION_IDS.rollback);
  });

  it('ecs-run-once still has no rollback of the bot', () => {
    const runOnce = { ...hotfix, method: 'ecs-run-once' as const };
    expect(rollsBack(runOnce)).toBe(false);
  });
});
