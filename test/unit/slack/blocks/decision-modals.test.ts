import type { KnownBlock, ModalView } from '@slack/types';
import {
  approveConfirmModal,
  breakGlassModal,
  readReason,
  rejectModal,
} from '../../../../src/slack/blocks/decision-modals.js';
import { readDecisionMetadata } from '../../../../src/slack/blocks/interaction-ids.js';
import { INPUT_ACTION_ID } from '../../../../src/slack/blocks/modal-kit.js';
import { planned } from '../../domain/builders.js';
import { inputs, submitted } from './forms.js';
import { modalViolations, renderModal } from './render.js';
import {
  halfApproved,
  lateWeekInFreeze,
  rehearsal,
  revisedProd,
  sev1Prod,
  twoServicesProd,
} from './scenarios.js';

const NOTICE = { noticeChannel: 'C0CHANGECTL', noticeTs: '1700000100.000200' };
const ULID = '01JD0000000000000000000001';

const forms: Array<[string, (h: ReturnType<typeof planned>) => ModalView]> = [
  ['approve', (h) => approveConfirmModal(h, NOTICE)],
  ['break-glass', (h) => breakGlassModal(h, NOTICE)],
  ['reject', (h) => rejectModal(h, NOTICE)],
];

describe('approveConfirmModal', () => {
  it('renders a prod plan waiting for its second approval', () => {
    expect(renderModal(approveConfirmModal(halfApproved(), NOTICE))).toMatchSnapshot();
  });

  it('asks about the client PRODUCTION and restates everything the approval covers', () => {
    const view = approveConfirmModal(twoServicesProd(), NOTICE);
    const text = renderModal(view);
    expect(view.callback_id).toBe('hotfix_approve_confirm');
    expect(view.title.text).toBe('Approve HF-1');
    expect(view.submit?.text).toBe('Approve');
    expect(view.close?.text).toBe('Cancel');
    expect(text).toContain('[header] Approve HF-1 for Acme Corp PRODUCTION (prod)?');
    expect(text).toContain('*decanting-service* → `24-02-05.619-hotfix.627`');
    expect(text).toContain('*picking-service* → `24-02-05.611-hotfix.3`');
    expect(text).toContain('deployed and rolled back together');
    expect(text).toContain('| *Client*: Acme Corp (`acme`)');
    expect(text).toContain('| *Env*: prod · :red_circle: *PRODUCTION*');
    expect(text).toContain('| *Severity*: :large_yellow_circle: Sev 3');
    expect(text).toContain('| *Plan version*: v1');
    expect(text).toContain('| *Requester*: <@U0REQUESTER>');
    expect(text).toContain('> orders stuck in decanting');
    expect(inputs(view)).toEqual([]);
  });

  it('names a staging target without calling it production', () => {
    const text = renderModal(approveConfirmModal(planned(), NOTICE));
    expect(text).toContain('[header] Approve HF-1 for Acme Corp staging?');
    expect(text).not.toContain('PRODUCTION');
  });

  it('shows the staffing warning and the freeze override the approver must not miss', () => {
    const text = renderModal(approveConfirmModal(lateWeekInFreeze(), NOTICE));
    expect(text).toContain('*Before you approve*');
    expect(text).toContain(':warning: It is late in the work week');
    expect(text).toContain(':snowflake: *Freeze "thanksgiving" overridden* by <@U0REQUESTER>');
  });

  it('says what this approval does: one of several, or the last one needed', () => {
    expect(renderModal(approveConfirmModal(planned({ env: 'prod' }), NOTICE))).toContain(
      '*Approvals:* 0 of 2 so far; yours makes 1 of 2; 1 more needed after you.',
    );
    expect(renderModal(approveConfirmModal(halfApproved(), NOTICE))).toContain(
      '*Approvals:* 1 of 2 so far (<@U0APPROVER1>); yours makes 2 of 2: HF-1 is then approved and queues for acme prod.',
    );
  });

  it('names the changed plan version and when it changed', () => {
    const text = renderModal(approveConfirmModal(revisedProd(), NOTICE));
    expect(text).toContain(
      '| *Plan version*: v2 (changed <!date^1794929400^{date_short_pretty} {time}|2026-11-17 15:30 UTC>)',
    );
    expect(text).toContain('`24-02-05.619-hotfix.628`');
    expect(text).toContain('plan v2 · your decision counts for this version only');
  });

  it('says REHEARSAL on a dry run', () => {
    expect(renderModal(approveConfirmModal(rehearsal(), NOTICE))).toContain(':performing_arts: *REHEARSAL*');
  });
});

describe('breakGlassModal', () => {
  it('renders a Sev 1 prod plan', () => {
    expect(renderModal(breakGlassModal(sev1Prod(), NOTICE))).toMatchSnapshot();
  });

  it('is loud: alone, audited, announced in change control within 24 hours, acknowledged afterwards', () => {
    const view = breakGlassModal(sev1Prod(), NOTICE);
    const first = view.blocks[0] as KnownBlock | undefined;
    const loud = first?.type === 'section' ? (first.text?.text ?? '') : '';
    expect(loud).toMatch(/^:rotating_light: \*BREAK-GLASS\*/);
    expect(loud).toContain('You are approving your own *Sev 1* hotfix *HF-1* *alone*');
    expect(loud).toContain('*audited*');
    expect(loud).toContain(
      '*announced* in <#C0CHANGECTL>: Sev 1 changes must be notified in change control within 24 hours',
    );
    expect(loud).toContain('An approver (<!subteam^S0APPROVERS>) must *acknowledge* it afterwards');
    expect(view.callback_id).toBe('hotfix_break_glass');
    expect(view.title.text).toBe('Break glass');
    expect(view.submit?.text).toBe('Break glass and approve');
  });

  it('does not say "your own" to someone breaking glass for another person', () => {
    const text = renderModal(breakGlassModal(sev1Prod(), { ...NOTICE, approver: 'U0ONCALL' }));
    expect(text).toContain('You are approving *Sev 1* hotfix *HF-1* *alone*');
    expect(
      JSON.parse(breakGlassModal(sev1Prod(), { ...NOTICE, approver: 'U0ONCALL' }).private_metadata ?? ''),
    ).toEqual({
      ulid: ULID,
      planVersion: 1,
      ...NOTICE,
    });
  });

  it('requires a multiline reason of at least 10 characters in block `reason`, action `value`', () => {
    const [reason, ...others] = inputs(breakGlassModal(sev1Prod(), NOTICE));
    expect(others).toEqual([]);
    expect(reason?.block_id).toBe('reason');
    expect(reason?.optional).toBeFalsy();
    expect(reason?.element).toMatchObject({
      type: 'plain_text_input',
      action_id: INPUT_ACTION_ID,
      multiline: true,
      min_length: 10,
      max_length: 2000,
    });
  });
});

describe('rejectModal', () => {
  it('renders a prod plan', () => {
    expect(renderModal(rejectModal(halfApproved(), NOTICE))).toMatchSnapshot();
  });

  it('requires a reason in block `reason`, action `value`, and submits as Reject', () => {
    const view = rejectModal(planned(), NOTICE);
    const [reason, ...others] = inputs(view);
    expect(others).toEqual([]);
    expect(reason?.block_id).toBe('reason');
    expect(reason?.optional).toBeFalsy();
    expect(reason?.element).toMatchObject({ type: 'plain_text_input', action_id: 'value', multiline: true });
    expect(view.callback_id).toBe('hotfix_reject_reason');
    expect(view.submit?.text).toBe('Reject');
    expect(renderModal(view)).toContain(
      'You are rejecting *HF-1*: decanting-service 24-02-05.619-hotfix.627 → Acme Corp staging',
    );
  });
});

describe('decision forms', () => {
  it.each(forms)(
    '%s carries the hotfix, the plan version shown and the notice, and reads back',
    (_name, build) => {
      const view = build(revisedProd());
      const expected = { ulid: ULID, planVersion: 2, ...NOTICE };
      expect(JSON.parse(view.private_metadata ?? '')).toEqual(expected);
      expect(readDecisionMetadata(view.private_metadata ?? '')).toEqual(expected);
    },
  );

  it.each(forms)('%s stays within Slack limits for an oversized plan', (_name, build) => {
    const h = {
      ...sev1Prod(),
      reason: 'x'.repeat(10_000),
      warnings: Array.from({ length: 30 }, () => 'w '.repeat(200)),
    };
    expect(modalViolations(build(h))).toEqual([]);
    expect(modalViolations(build({ ...h, id: 'HF-12345678901234567890' }))).toEqual([]);
  });

  it.each(forms)('%s never lets a typed reason ping anyone', (_name, build) => {
    const text = renderModal(build(planned({ reason: 'see <!channel> & <!subteam^S0ALL>' })));
    expect(text).not.toContain('<!channel>');
    expect(text).not.toContain('<!subteam^S0ALL>');
  });
});

describe('readReason', () => {
  it('reads the reason block trimmed, as Slack submits it', () => {
    const view = rejectModal(planned(), NOTICE);
    expect(readReason(submitted(view, { reason: '  wrong tag: 627 is the staging build \n' }))).toBe(
      'wrong tag: 627 is the staging build',
    );
  });

  it("is '' when the reason is absent, empty or not text", () => {
    expect(readReason({})).toBe('');
    expect(readReason({ reason: { value: { value: null } } })).toBe('');
    expect(readReason({ reason: { value: { value: '   ' } } })).toBe('');
    expect(readReason({ reason: { other: { value: 'wrong action id' } } })).toBe('');
    expect(readReason(JSON.parse('{"reason":{"value":{"value":42}}}'))).toBe('');
  });
});
