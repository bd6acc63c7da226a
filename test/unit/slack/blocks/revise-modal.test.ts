import { parsePlan } from '../../../../src/domain/plan-grammar.js';
import { Reason, refuse } from '../../../../src/domain/reasons.js';
import { readDecisionMetadata } from '../../../../src/slack/blocks/interaction-ids.js';
import { INPUT_ACTION_ID } from '../../../../src/slack/blocks/modal-kit.js';
import {
  readRevision,
  reviseModalErrors,
  revisePlanModal,
} from '../../../../src/slack/blocks/revise-modal.js';
import { hotfixIn, planned } from '../../domain/builders.js';
import { testCatalog } from '../../domain/fixtures.js';
import { inputs, submitted } from './forms.js';
import { modalViolations, renderModal } from './render.js';
import { revisedProd, twoServicesProd } from './scenarios.js';

const ULID = '01JD0000000000000000000001';

describe('revisePlanModal', () => {
  it('renders a prod plan prefilled as it is', () => {
    expect(renderModal(revisePlanModal(planned({ env: 'prod', severity: 2 })))).toMatchSnapshot();
  });

  it('has the callback id and the services, severity and reason inputs the listener reads', () => {
    const view = revisePlanModal(planned());
    expect(view.callback_id).toBe('hotfix_revise');
    expect(view.title.text).toBe('Edit HF-1');
    expect(view.submit?.text).toBe('Save as plan v2');
    expect(inputs(view).map((b) => [b.block_id, b.optional ?? false])).toEqual([
      ['services', false],
      ['severity', false],
      ['reason', true],
    ]);
    expect(new Set(inputs(view).map((b) => 'action_id' in b.element && b.element.action_id))).toEqual(
      new Set([INPUT_ACTION_ID]),
    );
  });

  it('prefills services as svc@tag,svc@tag, the severity and the reason', () => {
    const [services, severity, reason] = inputs(revisePlanModal({ ...twoServicesProd(), severity: 1 }));
    expect(services?.element).toMatchObject({
      initial_value: 'decanting-service@24-02-05.619-hotfix.627,picking-service@24-02-05.611-hotfix.3',
    });
    expect(severity?.element).toMatchObject({ initial_option: { value: '1' } });
    expect(reason?.element).toMatchObject({ initial_value: 'orders stuck in decanting', multiline: true });
  });

  it('shows client and env but offers no input for them: a different target is a new plan', () => {
    const view = revisePlanModal(planned({ env: 'prod' }));
    const text = renderModal(view);
    expect(text).toContain('| *Client*: Acme Corp (`acme`)');
    expect(text).toContain('| *Env*: prod · :red_circle: *PRODUCTION*');
    expect(text).toContain(
      'To deploy somewhere else, cancel with `/hotfix cancel HF-1` and plan a new hotfix.',
    );
    expect(inputs(view).map((b) => b.block_id)).not.toContain('client');
    expect(inputs(view).map((b) => b.block_id)).not.toContain('env');
  });

  it('says approvals start over, and that an approved plan goes back for approval', () => {
    expect(renderModal(revisePlanModal(planned()))).toContain(
      'Saving makes it plan v2: approvals given for v1 no longer count',
    );
    expect(renderModal(revisePlanModal(planned()))).not.toContain('already approved');
    expect(renderModal(revisePlanModal(hotfixIn('approved')))).toContain(
      'HF-1 is already approved: a change sends it back for approval.',
    );
    expect(revisePlanModal(revisedProd()).submit?.text).toBe('Save as plan v3');
  });

  it('offers only services with the plan deploy method', () => {
    const services = inputs(revisePlanModal(planned()))[0];
    expect(services?.hint?.text).toContain(
      'Jenkins multi-deploy pipeline, so it can take: decanting-service',
    );
    expect(services?.hint?.text).not.toContain('external-agent');
  });

  it('carries { ulid, planVersion }, and the message it came from when given', () => {
    const view = revisePlanModal(revisedProd());
    expect(JSON.parse(view.private_metadata ?? '')).toEqual({ ulid: ULID, planVersion: 2 });
    expect(readDecisionMetadata(view.private_metadata ?? '')).toEqual({ ulid: ULID, planVersion: 2 });
    const from = { noticeChannel: 'C0INCIDENT', noticeTs: '1700000000.000300' };
    expect(readDecisionMetadata(revisePlanModal(revisedProd(), from).private_metadata ?? '')).toEqual({
      ulid: ULID,
      planVersion: 2,
      ...from,
    });
  });

  it('stays within Slack limits with a huge reason and many services', () => {
    const h = planned();
    const many = Array.from({ length: 60 }, (_, i) => ({
      service: `svc-${i}`.repeat(5),
      tag: '24-02-05.619-hotfix.627',
      method: h.method,
    }));
    expect(modalViolations(revisePlanModal({ ...h, services: many, reason: 'r'.repeat(10_000) }))).toEqual(
      [],
    );
  });
});

describe('readRevision', () => {
  const catalog = testCatalog();

  it('turns an unchanged form into the plan grammar for the same target', () => {
    const hotfix = planned({ env: 'prod', severity: 2 });
    const { text } = readRevision(submitted(revisePlanModal(hotfix)), hotfix);
    expect(text).toBe(
      'decanting-service@24-02-05.619-hotfix.627 acme prod sev=2 reason="orders stuck in decanting"',
    );
    expect(parsePlan(text, catalog)).toEqual({
      ok: true,
      plan: {
        services: [{ service: 'decanting-service', tag: '24-02-05.619-hotfix.627' }],
        method: 'jenkins-multi-deploy',
        client: 'acme',
        env: 'prod',
        severity: 2,
        reason: 'orders stuck in decanting',
      },
    });
  });

  it('keeps the target while the services, severity and reason change', () => {
    const hotfix = planned({ env: 'prod' });
    const values = submitted(revisePlanModal(hotfix), {
      services: ' decanting-service@24-02-05.619-hotfix.628 ',
      severity: '1',
      reason: 'the "627" build was wrong',
    });
    const { text } = readRevision(values, { client: hotfix.client, env: hotfix.env });
    const parsed = parsePlan(text, catalog);
    expect(parsed).toMatchObject({
      ok: true,
      plan: {
        client: 'acme',
        env: 'prod',
        severity: 1,
        services: [{ service: 'decanting-service', tag: '24-02-05.619-hotfix.628' }],
        reason: "the '627' build was wrong",
      },
    });
  });

  it('leaves the reason out when it is cleared', () => {
    const hotfix = planned();
    const { text } = readRevision(submitted(revisePlanModal(hotfix), { reason: '' }), hotfix);
    expect(text).toBe('decanting-service@24-02-05.619-hotfix.627 acme staging sev=3');
  });

  it('reads only its own inputs: a submission cannot change the target or add an override', () => {
    const hotfix = planned();
    const values = {
      ...submitted(revisePlanModal(hotfix)),
      client: { value: { selected_option: { value: 'globex' } } },
      env: { value: { selected_option: { value: 'prod' } } },
      incident: { value: { value: 'INC-1' } },
      override: { value: { value: 'sneaky' } },
    };
    const { text } = readRevision(values, hotfix);
    expect(text).toBe(
      'decanting-service@24-02-05.619-hotfix.627 acme staging sev=3 reason="orders stuck in decanting"',
    );
  });

  it('gives parsePlan something to complain about on the services input when they are wrong', () => {
    const hotfix = planned();
    const { text } = readRevision(
      submitted(revisePlanModal(hotfix), { services: 'decanting-service@nope' }),
      hotfix,
    );
    const parsed = parsePlan(text, catalog);
    if (parsed.ok) throw new Error('expected a bad tag');
    expect(Object.keys(reviseModalErrors(parsed.problems))).toEqual(['services']);
  });
});

describe('reviseModalErrors', () => {
  it('keeps problems on the inputs the form has and moves the rest onto the services', () => {
    const errors = reviseModalErrors([
      refuse(Reason.BadSeverity, 'sev 9'),
      refuse(Reason.UnknownClient, 'client gone'),
      refuse(Reason.UnknownEnv, 'env gone'),
      refuse(Reason.BadTag, 'bad tag'),
    ]);
    expect(errors).toEqual({ severity: 'sev 9', services: 'client gone\nenv gone\nbad tag' });
  });
});
