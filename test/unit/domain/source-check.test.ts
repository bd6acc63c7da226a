import {
  changeLine,
  sourceCheckStep,
  sourceHoldStep,
  sourceLines,
  sourceTroubles,
  sourceTroubleStep,
  waitingForCi,
} from '../../../src/domain/source-check.js';
import { changeControlNotice } from '../../../src/slack/blocks/change-control-notice.js';
import { planMessage } from '../../../src/slack/blocks/plan-message.js';
import { BOT, hotfixIn, planned, run } from './builders.js';

const record = (h: ReturnType<typeof planned>, step: string, detail?: string) =>
  run(h, { type: 'record_result', step, ...(detail === undefined ? {} : { detail }) }, BOT);

describe('source check steps', () => {
  it('names each phase and plan version apart, so a revision and the approval are checked again', () => {
    const v1 = planned();
    expect(sourceCheckStep(v1)).toBe('check_source');
    expect(sourceCheckStep(v1, 'approval')).toBe('recheck_source');
    expect(sourceCheckStep({ planVersion: 3 })).toBe('check_source_v3');
    expect(sourceHoldStep({ planVersion: 3 }, 'approval')).toBe('recheck_source_v3_held');
    expect(sourceTroubleStep(v1, 'plan', 2)).toBe('check_source_trouble_2');
  });

  it('counts only recorded troubles of the phase', () => {
    let h = planned();
    expect(sourceTroubles(h, 'plan')).toBe(0);
    h = record(h, sourceTroubleStep(h, 'plan', 1), 'GitHub is unavailable (503)');
    h = record(h, sourceTroubleStep(h, 'approval', 1), 'GitHub is unavailable (503)');
    h = record(h, sourceTroubleStep(h, 'plan', 2), 'GitHub is unavailable (503)');
    expect(sourceTroubles(h, 'plan')).toBe(2);
    expect(sourceTroubles(h, 'approval')).toBe(1);
  });

  it('shows "waiting for CI" while held, then what the passed check found, and nothing once decided otherwise', () => {
    const fresh = planned();
    expect(sourceLines(fresh)).toEqual([]);
    const held = record(fresh, sourceHoldStep(fresh), ':hourglass_flowing_sand: svc@1: Waiting for CI.');
    expect(waitingForCi(held)).toBe(true);
    expect(sourceLines(held)).toEqual([':hourglass_flowing_sand: svc@1: Waiting for CI.']);
    const passed = record(
      held,
      sourceCheckStep(held),
      ':white_check_mark: CI is green\n:twisted_rightwards_arrows: x',
    );
    expect(waitingForCi(passed)).toBe(false);
    expect(sourceLines(passed)).toEqual([':white_check_mark: CI is green', ':twisted_rightwards_arrows: x']);
    const cancelled = run(held, { type: 'cancel', reason: 'refused at plan time: CI failed' }, BOT);
    expect(waitingForCi(cancelled)).toBe(false);
    expect(sourceLines(cancelled)).toEqual([]);
  });

  it('writes the change with its commit count, link, and a warning when the target lacks running commits', () => {
    const base = { service: 'svc', from: 'v1', to: 'v2', url: 'https://github.com/o/r/compare/v1...v2' };
    expect(changeLine({ ...base, aheadBy: 1, behindBy: 0 })).toBe(
      ':twisted_rightwards_arrows: svc: <https://github.com/o/r/compare/v1...v2|1 commit> from v1 to v2',
    );
    expect(changeLine({ ...base, aheadBy: 3, behindBy: 2 })).toContain(
      '|3 commits> from v1 to v2 :warning: it also lacks 2 commits of v1',
    );
  });
});

describe('the plan and the notice show the source check', () => {
  const link = '<https://github.com/o/r/compare/v1...v2|4 commits>';
  const h = record(
    planned(),
    'check_source',
    `:white_check_mark: svc v2: CI is green on abc1234: 1 check passed.\n:twisted_rightwards_arrows: svc: ${link} from v1 to v2`,
  );

  it('keeps the compare link live on both', () => {
    expect(JSON.stringify(changeControlNotice(h).blocks)).toContain(link);
    expect(JSON.stringify(planMessage(h).blocks)).toContain(link);
  });

  it('escapes anything else GitHub names (a check called <!channel>, a link it made up)', () => {
    const hostile = record(
      planned(),
      'check_source',
      ':hourglass_flowing_sand: Waiting for CI: <!channel> <https://evil.example|click here>',
    );
    const shown = JSON.stringify(changeControlNotice(hostile).blocks);
    expect(shown).not.toContain('<!channel>');
    expect(shown).not.toContain('<https://evil.example|click here>');
    expect(shown).toContain('&lt;!channel&gt;');
  });

  it('shows nothing of it on a record without the step', () => {
    expect(JSON.stringify(changeControlNotice(hotfixIn('planned')).blocks)).not.toContain('CI is green');
  });
});
