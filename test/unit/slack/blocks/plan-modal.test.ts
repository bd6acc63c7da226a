import type { Catalog } from '../../../../src/domain/catalog.js';
import { parsePlan } from '../../../../src/domain/plan-grammar.js';
import type { ReasonCode } from '../../../../src/domain/reasons.js';
import { Reason, refuse } from '../../../../src/domain/reasons.js';
import {
  PLAN_MODAL_BLOCKS,
  modalErrors,
  planModal,
  readPlanModal,
  type PlanModalPrefill,
  type SubmittedValues,
} from '../../../../src/slack/blocks/plan-modal.js';
import { testCatalog } from '../../domain/fixtures.js';
import { inputs, submitted } from './forms.js';
import { limitViolations, renderModal } from './render.js';

function contextOf(catalog: Catalog, threadTs?: string) {
  return {
    channel: 'C0INCIDENT',
    ...(threadTs !== undefined ? { threadTs } : {}),
    services: Object.keys(catalog.services),
    clients: Object.fromEntries(
      Object.entries(catalog.clients).map(([name, c]) => [name, Object.keys(c.envs)]),
    ),
  };
}

describe('planModal', () => {
  const catalog = testCatalog();

  it('renders an empty form for the message shortcut', () => {
    const view = planModal(
      { missing: ['services', 'client', 'env'] },
      contextOf(catalog, '1700000000.000100'),
    );
    expect(renderModal(view)).toMatchSnapshot();
  });

  it('renders a form prefilled from a partial plan, with its problems at the top', () => {
    const parsed = parsePlan(
      'decanting-service@24-02-05.619-hotfix.627 acme sev=1 incident=?? reason="orders stuck"',
      catalog,
    );
    if (parsed.ok) throw new Error('expected a partial plan');
    const view = planModal({ ...parsed.partial, problems: parsed.problems }, contextOf(catalog));
    expect(renderModal(view)).toMatchSnapshot();
    expect(view.blocks[0]?.type).toBe('context');
  });

  it('does not list missing parts at the top: the empty inputs say so', () => {
    const parsed = parsePlan('decanting-service@24-02-05.619-hotfix.627 acme', catalog);
    if (parsed.ok) throw new Error('expected a partial plan');
    expect(parsed.problems.map((p) => p.code)).toEqual([Reason.MissingPart]);
    const view = planModal({ ...parsed.partial, problems: parsed.problems }, contextOf(catalog));
    expect(view.blocks[0]?.type).toBe('input');
  });

  it('has the callback id, block ids and action ids the listeners read', () => {
    const view = planModal({}, contextOf(catalog));
    expect(view.callback_id).toBe('hotfix_plan');
    expect(inputs(view).map((b) => b.block_id)).toEqual([
      'services',
      'client',
      'env',
      'severity',
      'incident',
      'at',
      'reason',
    ]);
    expect(new Set(inputs(view).map((b) => 'action_id' in b.element && b.element.action_id))).toEqual(
      new Set(['value']),
    );
    expect(
      inputs(view)
        .filter((b) => b.optional)
        .map((b) => b.block_id),
    ).toEqual(['incident', 'at', 'reason']);
    expect(JSON.parse(view.private_metadata ?? '')).toEqual({ channel: 'C0INCIDENT' });
  });

  it('defaults severity to 3 and offers every client and every env', () => {
    const view = planModal({}, contextOf(catalog, '1.2'));
    const [, client, env, severity] = inputs(view);
    expect(severity?.element).toMatchObject({ initial_option: { value: '3' } });
    expect(client?.element).toMatchObject({ options: [{ value: 'acme' }, { value: 'globex' }] });
    expect(env?.element).toMatchObject({ options: [{ value: 'staging' }, { value: 'prod' }] });
    expect(JSON.parse(view.private_metadata ?? '')).toEqual({ channel: 'C0INCIDENT', threadTs: '1.2' });
  });

  it('asks for a freeze override reason only when a freeze is in play', () => {
    const frozen = planModal(
      { problems: [refuse(Reason.Frozen, 'acme prod is frozen')] },
      contextOf(catalog),
    );
    expect(inputs(frozen).map((b) => b.block_id)).toContain('override');
    expect(inputs(planModal({ override: 'cannot wait' }, contextOf(catalog))).at(-1)?.element).toMatchObject({
      initial_value: 'cannot wait',
    });
  });
});

describe('readPlanModal', () => {
  const catalog = testCatalog();

  it('turns an unchanged prefilled form back into a plan the grammar accepts', () => {
    const prefill: PlanModalPrefill = {
      services: 'decanting-service@24-02-05.619-hotfix.627',
      client: 'acme',
      env: 'prod',
      severity: 2,
      incident: 'INC-4211',
      reason: 'orders "stuck" in decanting\nsince the release',
      missing: [],
    };
    const { text } = readPlanModal(submitted(planModal(prefill, contextOf(catalog))));
    expect(text).toBe(
      'decanting-service@24-02-05.619-hotfix.627 acme prod sev=2 incident=INC-4211 reason="orders \'stuck\' in decanting\nsince the release"',
    );
    expect(parsePlan(text, catalog)).toEqual({
      ok: true,
      plan: {
        services: [{ service: 'decanting-service', tag: '24-02-05.619-hotfix.627' }],
        method: 'jenkins-multi-deploy',
        client: 'acme',
        env: 'prod',
        severity: 2,
        incident: 'INC-4211',
        reason: "orders 'stuck' in decanting\nsince the release",
      },
    });
  });

  it('completes a partial plan from the slash command once the missing parts are chosen', () => {
    const parsed = parsePlan(
      'decanting-service@24-02-05.619-hotfix.627, external-agent@v3.14.2-hotfix.1 globex',
      catalog,
    );
    if (parsed.ok) throw new Error('expected a partial plan');
    const view = planModal({ ...parsed.partial, problems: parsed.problems }, contextOf(catalog));
    const text = readPlanModal(
      submitted(view, { env: 'staging', services: 'decanting-service@24-02-05.619-hotfix.627' }),
    ).text;
    expect(text).toBe('decanting-service@24-02-05.619-hotfix.627 globex staging sev=3');
    expect(parsePlan(text, catalog)).toMatchObject({
      ok: true,
      plan: { client: 'globex', env: 'staging', severity: 3 },
    });
  });

  it('tidies spaces in the service list and keeps an override', () => {
    const values: SubmittedValues = {
      services: {
        value: { value: ' decanting-service@24-02-05.619-hotfix.627 ,  decanting-service@24-02-05.619 ' },
      },
      client: { value: { selected_option: { value: 'acme' } } },
      env: { value: { selected_option: null } },
      override: { value: { value: 'cannot wait' } },
    };
    expect(readPlanModal(values).text).toBe(
      'decanting-service@24-02-05.619-hotfix.627,decanting-service@24-02-05.619 acme override="cannot wait"',
    );
  });

  it('carries the deploy window as the plan grammar writes it, a space in it quoted', () => {
    const values = submitted(planModal({}, contextOf(catalog)), {
      services: 'decanting-service@24-02-05.619-hotfix.627',
      client: 'acme',
      env: 'prod',
      at: '2026-12-02 02:00',
    });
    const { text } = readPlanModal(values);
    expect(text).toBe('decanting-service@24-02-05.619-hotfix.627 acme prod sev=3 at="2026-12-02 02:00"');
    expect(parsePlan(text, catalog)).toMatchObject({ ok: true, plan: { at: '2026-12-02 02:00' } });
  });
});

describe('modalErrors', () => {
  it.each<[ReasonCode, string]>([
    [Reason.UnknownService, PLAN_MODAL_BLOCKS.services],
    [Reason.BadTag, PLAN_MODAL_BLOCKS.services],
    [Reason.DuplicateService, PLAN_MODAL_BLOCKS.services],
    [Reason.MixedMethods, PLAN_MODAL_BLOCKS.services],
    [Reason.MissingPart, PLAN_MODAL_BLOCKS.services],
    [Reason.UnknownClient, PLAN_MODAL_BLOCKS.client],
    [Reason.UnknownEnv, PLAN_MODAL_BLOCKS.env],
    [Reason.BadSeverity, PLAN_MODAL_BLOCKS.severity],
    [Reason.BadIncident, PLAN_MODAL_BLOCKS.incident],
    [Reason.UnexpectedWord, PLAN_MODAL_BLOCKS.services],
    [Reason.Frozen, PLAN_MODAL_BLOCKS.services],
  ])('puts %s on the %s input', (code, block) => {
    expect(modalErrors([refuse(code, 'wrong')])).toEqual({ [block]: 'wrong' });
  });

  it('joins several problems on one input and shows backticks as quotes', () => {
    const parsed = parsePlan('decantng-service@1,external-agent@2 acme prd incident=??', testCatalog());
    if (parsed.ok) throw new Error('expected problems');
    const errors = modalErrors(parsed.problems);
    expect(Object.keys(errors).sort()).toEqual(['env', 'incident', 'services']);
    expect(errors.services).toContain('\n');
    expect(Object.values(errors).join('')).not.toContain('`');
  });
});

describe('plan modal limits', () => {
  it('stays within Slack limits with a huge reason and many problems', () => {
    const problems = Array.from({ length: 200 }, (_, i) =>
      refuse(Reason.UnknownService, `problem ${i} `.repeat(20)),
    );
    const view = planModal({ reason: 'x'.repeat(10_000), problems }, contextOf(testCatalog()));
    expect(limitViolations(view.blocks, 100)).toEqual([]);
    const reason = inputs(view).find((b) => b.block_id === 'reason')?.element;
    expect(reason?.type === 'plain_text_input' ? reason.initial_value?.length : 0).toBe(2000);
    expect(view.title.text.length).toBeLessThanOrEqual(24);
  });
});
