import fc from 'fast-check';
import { parseHotfixCommand, tokenize } from '../../../src/domain/command-grammar.js';
import { parsePlan } from '../../../src/domain/plan-grammar.js';
import type { Refusal } from '../../../src/domain/reasons.js';
import { testCatalog } from './fixtures.js';

const catalog = testCatalog();

/** Pieces of real commands, so generated text gets deep into the grammar rather than failing on the first word. */
const FRAGMENTS = [
  ...['plan', 'status', 'cancel', 'handoff', 'unlock', 'stats', 'resolve', 'branch', 'help', 'rollbak'],
  ...['decanting-service', 'external-agent', 'deployment', 'drill', 'Decanting-Service', 'decantng-service'],
  ...['@', '@@', '24-02-05.619-hotfix.627', 'v3.14.2', '2024.3.17', 'drill-1', '1.2.3'],
  ...['acme', 'ACME', 'globex', 'prod', 'staging', 'prd'],
  ...['sev=', 'sev:', 'sev', 'sev1', 'severity=', 'incident=', 'inc-1', 'reason=', 'sevv=', '=', ':'],
  ...[
    '1',
    '5',
    '0',
    '-3',
    '30d',
    'HF-12',
    'hf-0',
    '#7',
    '<@U123ABC|bob>',
    '<@',
    '>',
    '|',
    '@bob',
    '<!subteam^S1>',
  ],
  ...['"', '\u201c', '\u201d', '\u201e', "'", ',', ', ', ' ,', '\u00a0', ' ', '  ', '\t', '\n', '`'],
];

const grammarLike = fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 24 }).map((parts) => parts.join(''));
const spacedGrammar = fc
  .array(fc.constantFrom(...FRAGMENTS), { maxLength: 16 })
  .map((parts) => parts.join(' '));
const anyText = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.string({ unit: 'grapheme' }),
  grammarLike,
  spacedGrammar,
);

function expectExplained(problems: readonly Refusal[]): void {
  expect(problems.length).toBeGreaterThan(0);
  for (const problem of problems) {
    expect(problem.code).toMatch(/^[a-z_]+$/);
    expect(problem.message.trim()).not.toBe('');
    expect(problem.message).not.toMatch(/undefined|NaN|\[object /);
  }
}

describe('the grammars never throw, and every refusal says why', () => {
  it('tokenize', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const { tokens, problems } = tokenize(text);
        for (const token of tokens) expect(token.raw).not.toBe('');
        for (const problem of problems) expect(problem.message.trim()).not.toBe('');
      }),
      { numRuns: 2000 },
    );
  });

  it('parseHotfixCommand, and parsePlan on what it hands over', () => {
    fc.assert(
      fc.property(anyText, fc.boolean(), (text, asPlan) => {
        const parsed = parseHotfixCommand(asPlan ? `plan ${text}` : text);
        if (parsed.kind === 'invalid') {
          expectExplained(parsed.problems);
          expect(parsed.usage).toContain('/hotfix');
        }
        if (parsed.kind === 'plan') {
          const plan = parsePlan(parsed.args, catalog);
          if (!plan.ok) expectExplained(plan.problems);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('parsePlan on text and on form-field words', () => {
    fc.assert(
      fc.property(fc.oneof(anyText, fc.array(anyText, { maxLength: 6 })), (args) => {
        const result = parsePlan(args, catalog);
        if (!result.ok) {
          expectExplained(result.problems);
          return;
        }
        // A plan that parses names only what the catalog has, with one method.
        expect(result.plan.services.length).toBeGreaterThan(0);
        for (const { service } of result.plan.services)
          expect(catalog.services[service]?.method).toBe(result.plan.method);
        expect(catalog.clients[result.plan.client]?.envs[result.plan.env]).toBeDefined();
      }),
      { numRuns: 2000 },
    );
  });

  it('parses every valid plan written from the catalog', () => {
    const validPlan = fc.record({
      service: fc.constantFrom(...Object.keys(catalog.services)),
      client: fc.constantFrom('acme', 'globex', 'ACME', 'Globex'),
      env: fc.constantFrom('prod', 'staging', 'PROD'),
      sev: fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined }),
      reason: fc.option(
        fc.string({ minLength: 1 }).filter((s) => !/["\u201c\u201d\u201e]/.test(s) && s.trim() !== ''),
        {
          nil: undefined,
        },
      ),
    });
    fc.assert(
      fc.property(validPlan, ({ service, client, env, sev, reason }) => {
        const tag = catalog.services[service]?.tagExample ?? '';
        const options = `${sev === undefined ? '' : ` sev=${sev}`}${reason === undefined ? '' : ` reason="${reason}"`}`;
        const result = parsePlan(`${service}@${tag} ${client} ${env}${options}`, catalog);
        expect(result).toMatchObject({
          ok: true,
          plan: { severity: sev ?? 3, client: client.toLowerCase() },
        });
        if (result.ok && reason !== undefined) expect(result.plan.reason).toBe(reason.trim());
      }),
      { numRuns: 500 },
    );
  });
});
