import type { Catalog } from '../../../src/domain/catalog.js';
import {
  parsePlan,
  type PartialPlan,
  type PlanParse,
  type PlanRequest,
} from '../../../src/domain/plan-grammar.js';
import { Reason, type ReasonCode, type Refusal } from '../../../src/domain/reasons.js';
import { testCatalog } from './fixtures.js';

const DECANT = 'decanting-service@24-02-05.619-hotfix.627';
const AGENT = 'external-agent@v3.14.2-hotfix.1';

/** The fixture plus a second Jenkins service, so multi-service plans can be valid. */
function catalogWithPicking(): Catalog {
  const catalog = testCatalog();
  const decanting = catalog.services['decanting-service'];
  if (!decanting) throw new Error('fixture lost decanting-service');
  catalog.services['picking-service'] = {
    ...decanting,
    name: 'picking-service',
    repo: 'acme-eng/picking-service',
  };
  return catalog;
}

function refused(result: PlanParse): { problems: Refusal[]; partial: PartialPlan } {
  if (result.ok) throw new Error(`expected problems, got the plan ${JSON.stringify(result.plan)}`);
  return result;
}

describe('parsePlan: plans that parse', () => {
  it.each<[string, string | string[], Partial<PlanRequest>]>([
    [
      'one service with every option',
      `${DECANT} acme prod sev=1 incident=INC-42 reason="cache fix"`,
      {
        services: [{ service: 'decanting-service', tag: '24-02-05.619-hotfix.627' }],
        method: 'jenkins-multi-deploy',
        client: 'acme',
        env: 'prod',
        severity: 1,
        incident: 'INC-42',
        reason: 'cache fix',
      },
    ],
    ['severity 3 when none is given', `${AGENT} globex staging`, { severity: 3, method: 'ecs-image' }],
    ['names in any case, normalised', 'DEPLOYMENT@2024.3.17 ACME Prod', { client: 'acme', env: 'prod' }],
    ['env and client swapped', `${DECANT} prod acme`, { client: 'acme', env: 'prod' }],
    ['options before the positional parts', `sev=2 ${DECANT} acme prod`, { severity: 2 }],
    [
      'smart quotes around the reason',
      `${DECANT} acme prod reason=\u201ccache fix\u201d`,
      { reason: 'cache fix' },
    ],
    [
      'a value after a space',
      `${DECANT} acme prod sev= 2 reason= "cache fix"`,
      { severity: 2, reason: 'cache fix' },
    ],
    ['severity= spelled out', `${DECANT} acme prod severity=4`, { severity: 4 }],
    ['an incident key in lower case', `${DECANT} acme prod incident=inc-7`, { incident: 'INC-7' }],
    [
      'words one per element, as from a form',
      [DECANT, 'acme', 'prod', 'reason=cache fix', 'sev=2'],
      { reason: 'cache fix', severity: 2, client: 'acme' },
    ],
    [
      'a form field holding the whole service list',
      [`${DECANT}, picking-service@24-02-05.1`, 'acme', 'prod'],
      {},
    ],
  ])('%s', (_label, args, expected) => {
    const result = parsePlan(args, catalogWithPicking());
    expect(result).toEqual({ ok: true, plan: expect.objectContaining(expected) });
  });

  it.each([
    ['commas', `${DECANT},picking-service@24-02-05.1 acme prod`],
    ['a space after the comma', `${DECANT}, picking-service@24-02-05.1 acme prod`],
    ['a space before the comma', `${DECANT} ,picking-service@24-02-05.1 acme prod`],
    ['a comma on its own', `${DECANT} , picking-service@24-02-05.1 acme prod`],
    ['spaces instead of commas', `${DECANT} picking-service@24-02-05.1 acme prod`],
    ['the list in quotes', `"${DECANT}, picking-service@24-02-05.1" acme prod`],
  ])('reads a service list written with %s', (_label, text) => {
    const result = parsePlan(text, catalogWithPicking());
    expect(result).toEqual({
      ok: true,
      plan: expect.objectContaining({
        services: [
          { service: 'decanting-service', tag: '24-02-05.619-hotfix.627' },
          { service: 'picking-service', tag: '24-02-05.1' },
        ],
        method: 'jenkins-multi-deploy',
      }),
    });
  });

  it('leaves incident and reason out when they are not given', () => {
    const result = parsePlan(`${DECANT} acme prod`, testCatalog());
    expect(result.ok && Object.keys(result.plan).sort()).toEqual([
      'client',
      'env',
      'method',
      'services',
      'severity',
    ]);
  });
});

describe('parsePlan: each mistake, named with what would be right', () => {
  it.each<[string, string, ReasonCode, string[]]>([
    [
      'unknown service, close',
      'decantng-service@24-02-05.619 acme prod',
      Reason.UnknownService,
      ['Did you mean `decanting-service`?'],
    ],
    [
      'unknown service, nothing close',
      'zzz@1 acme prod',
      Reason.UnknownService,
      ['Known services: `decanting-service`, `external-agent`'],
    ],
    ['service without a name', '@v1.2.3 acme prod', Reason.UnknownService, ['no service name before the @']],
    [
      'duplicate service',
      `${DECANT},Decanting-Service@24-02-05.620 acme prod`,
      Reason.DuplicateService,
      ['`decanting-service` is listed twice', 'once'],
    ],
    [
      'tag not matching the pattern',
      'decanting-service@v1 acme prod',
      Reason.BadTag,
      ['`v1` is not a tag of `decanting-service`', '`24-02-05.619-hotfix.627`'],
    ],
    [
      'tag missing its v',
      'external-agent@3.14.2 acme prod',
      Reason.BadTag,
      ['Did you mean `external-agent@v3.14.2`?'],
    ],
    [
      'service without a tag',
      'decanting-service acme prod',
      Reason.BadTag,
      ['needs a tag', '`decanting-service@24-02-05.619-hotfix.627`'],
    ],
    [
      'service:tag',
      'external-agent:v3.14.2 acme prod',
      Reason.BadTag,
      ['not a colon', '`external-agent@v3.14.2`'],
    ],
    [
      'unknown client, close',
      `${DECANT} acmee prod`,
      Reason.UnknownClient,
      ['Unknown client `acmee`', 'Did you mean `acme`?'],
    ],
    [
      'unknown client, nothing close',
      `${DECANT} initech prod`,
      Reason.UnknownClient,
      ['Known clients: `acme`, `globex`'],
    ],
    [
      'env the client lacks',
      `${DECANT} acme production`,
      Reason.UnknownEnv,
      ['`acme` has no env `production`', 'Its envs are `staging`, `prod`'],
    ],
    ['env close to one', `${DECANT} acme prd`, Reason.UnknownEnv, ['Did you mean `prod`?']],
    [
      'severity out of range',
      `${DECANT} acme prod sev=5`,
      Reason.BadSeverity,
      ['`sev=5` is not a severity', '1, 2, 3 or 4'],
    ],
    ['severity in words', `${DECANT} acme prod sev=high`, Reason.BadSeverity, ['`sev=high`']],
    ['severity without a value', `${DECANT} acme prod sev=`, Reason.BadSeverity, ['`sev=` has no value']],
    [
      'incident not a key',
      `${DECANT} acme prod incident=123`,
      Reason.BadIncident,
      ['`incident=123` is not an issue key', 'INC-123'],
    ],
    [
      'mixed deploy methods',
      `${DECANT},${AGENT} acme prod`,
      Reason.MixedMethods,
      [
        'one deploy method: split it into two plans',
        '`decanting-service` uses jenkins-multi-deploy',
        '`external-agent` uses ecs-image',
      ],
    ],
    [
      'three deploy methods',
      `${DECANT},${AGENT},deployment@2024.3.17 acme prod`,
      Reason.MixedMethods,
      ['split it into three plans', '`deployment` uses ecs-run-once'],
    ],
    ['unclosed quote', `${DECANT} acme prod reason="cache fix`, Reason.UnclosedQuote, ['never closed']],
    [
      'option typo',
      `${DECANT} acme prod sevv=2`,
      Reason.UnknownOption,
      ['Unknown option `sevv=`', 'Did you mean `sev`?'],
    ],
    ['option prefix', `${DECANT} acme prod inc=INC-1`, Reason.UnknownOption, ['Did you mean `incident`?']],
    [
      'unknown option',
      `${DECANT} acme prod colour=red`,
      Reason.UnknownOption,
      ['The options are `sev=<1-4>`'],
    ],
    ['a colon for =', `${DECANT} acme prod sev:2`, Reason.UnknownOption, ['not a colon', 'write `sev=2`']],
    ['sev1', `${DECANT} acme prod sev1`, Reason.UnknownOption, ['write `sev=1`']],
    ['sev 1', `${DECANT} acme prod SEV 1`, Reason.UnknownOption, ['write `sev=1`']],
    [
      'option given twice',
      `${DECANT} acme prod sev=1 sev=2`,
      Reason.UnexpectedWord,
      ['`sev=` is given more than once'],
    ],
    [
      'extra words',
      `${DECANT} acme prod "cache fix" now`,
      Reason.UnexpectedWord,
      ['Unexpected `"cache fix" now` after the client and env'],
    ],
    [
      'reason without quotes',
      `${DECANT} acme prod reason=cache fix now`,
      Reason.UnexpectedWord,
      ['needs double quotes', '`reason="cache fix now"`'],
    ],
    [
      'reason in single quotes',
      `${DECANT} acme prod reason='cache fix'`,
      Reason.UnexpectedWord,
      ['`reason="cache fix"`'],
    ],
    [
      'everything missing',
      '',
      Reason.MissingPart,
      ['missing the services (`<service>@<tag>`), the client and the env', '/hotfix plan'],
    ],
    ['env missing', `${DECANT} acme`, Reason.MissingPart, ['missing the env']],
    ['client missing', `${DECANT} prod`, Reason.MissingPart, ['missing the client']],
    ['services missing', 'acme prod sev=1', Reason.MissingPart, ['missing the services']],
  ])('%s', (_label, text, code, phrases) => {
    const { problems } = refused(parsePlan(text, testCatalog()));
    expect(problems.map((p) => p.code)).toEqual([code]);
    for (const phrase of phrases) expect(problems[0]?.message).toContain(phrase);
  });
});

describe('parsePlan: every problem at once', () => {
  it('refuses service=tag with the @ form, and still counts the services as missing', () => {
    const { problems, partial } = refused(
      parsePlan('decanting-service=24-02-05.619 acme prod', testCatalog()),
    );
    expect(problems.map((p) => p.code)).toEqual([Reason.UnknownOption, Reason.MissingPart]);
    expect(problems[0]?.message).toContain('write `decanting-service@<tag>`');
    expect(partial).toEqual({ client: 'acme', env: 'prod', missing: ['services'] });
  });

  it('reports all of them, in the order of the command, never only the first', () => {
    const text =
      'decantng-service@1,external-agent@3.14.2,external-agent@v1.0.0 acmee prd sev=9 incident=12 colr=red "a b" reason="x';
    const { problems } = refused(parsePlan(text, testCatalog()));
    expect(problems.map((p) => p.code)).toEqual([
      Reason.UnclosedQuote,
      Reason.UnknownService,
      Reason.BadTag,
      Reason.DuplicateService,
      Reason.UnknownClient,
      Reason.UnknownEnv,
      Reason.BadSeverity,
      Reason.BadIncident,
      Reason.UnknownOption,
      Reason.UnexpectedWord,
    ]);
    for (const problem of problems) expect(problem.message).not.toMatch(/undefined|NaN|\[object/);
  });

  it('reports a wrong part and a missing one together', () => {
    const { problems, partial } = refused(parsePlan('decanting-service@nope acme', testCatalog()));
    expect(problems.map((p) => p.code)).toEqual([Reason.BadTag, Reason.MissingPart]);
    expect(partial.missing).toEqual(['env']);
  });
});

describe('parsePlan: what was understood, for prefilling the form', () => {
  it.each<[string, string, PartialPlan]>([
    ['nothing given', '', { missing: ['services', 'client', 'env'] }],
    [
      'client and env only',
      'ACME prod sev=1',
      { client: 'acme', env: 'prod', severity: 1, missing: ['services'] },
    ],
    [
      'env alone is recognised as the env',
      `${DECANT} staging`,
      { services: DECANT, env: 'staging', missing: ['client'] },
    ],
    [
      'a wrong client keeps a valid-looking env, incident and reason',
      `${DECANT} acmee prod incident=inc-9 reason="cache fix"`,
      { services: DECANT, env: 'prod', incident: 'INC-9', reason: 'cache fix', missing: [] },
    ],
    [
      'invalid option values are left out',
      `${DECANT} acme prod sev=7 incident=x`,
      { services: DECANT, client: 'acme', env: 'prod', missing: [] },
    ],
    [
      'services as written, names in catalog spelling',
      'Decanting-Service@1, zzz@2 acme prod',
      { services: 'decanting-service@1,zzz@2', client: 'acme', env: 'prod', missing: [] },
    ],
    [
      'an env the client lacks is left out',
      `${DECANT} acme qa`,
      { services: DECANT, client: 'acme', missing: [] },
    ],
    [
      'a near-miss severity is still understood',
      `${DECANT} acme prod sev:2`,
      { services: DECANT, client: 'acme', env: 'prod', severity: 2, missing: [] },
    ],
    [
      'an unquoted reason is kept whole',
      `${DECANT} acme prod reason=cache fix`,
      { services: DECANT, client: 'acme', env: 'prod', reason: 'cache fix', missing: [] },
    ],
  ])('%s', (_label, text, partial) => {
    expect(refused(parsePlan(text, testCatalog())).partial).toEqual(partial);
  });

  it('tells "parts missing" (open the form) apart from "wrong"', () => {
    const onlyMissing = refused(parsePlan('acme prod', testCatalog()));
    expect(onlyMissing.problems.every((p) => p.code === Reason.MissingPart)).toBe(true);
    const wrong = refused(parsePlan('acme prd', testCatalog()));
    expect(wrong.problems.map((p) => p.code)).toEqual([Reason.UnknownEnv, Reason.MissingPart]);
  });
});

describe('freeze override', () => {
  it('carries override="..." through to the plan for overridable freeze windows', () => {
    const parsed = parsePlan(
      'decanting-service@24-02-05.619 acme prod override="orders lost every hour"',
      testCatalog(),
    );
    expect(parsed).toMatchObject({ ok: true, plan: { override: 'orders lost every hour' } });
  });

  it('refuses override without =, naming the right form', () => {
    const parsed = parsePlan('decanting-service@24-02-05.619 acme prod override:"now"', testCatalog());
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.problems.map((p) => p.message).join(' ')).toContain('override="now"');
  });
});
