import type { HealthCheck } from '../../../src/domain/catalog.js';
import type { PlannedCheck } from '../../../src/domain/health.js';
import { failureOf, judge, roundDueAt, verifyPlan } from '../../../src/domain/health.js';
import { hotfixIn } from './builders.js';

const TAG = '24-02-05.619-hotfix.627';
const check = (overrides: Partial<HealthCheck> = {}): HealthCheck => ({
  name: 'health',
  path: '/v1/health',
  versionField: 'version',
  status: 200,
  timeoutSeconds: 5,
  ...overrides,
});
const planned = (overrides: Partial<HealthCheck> = {}): PlannedCheck => ({
  service: 'decanting-service',
  version: TAG,
  check: check(overrides),
});
const answer = (status: number, body: unknown) =>
  ({ kind: 'answer', status, body: JSON.stringify(body) }) as const;

describe('judging a health answer', () => {
  it.each([
    [
      'the status and version match',
      answer(200, { status: 'healthy', version: TAG }),
      true,
      `HTTP 200, version ${TAG}`,
    ],
    [
      'the version is the old one',
      answer(200, { version: '24-01-01.1' }),
      false,
      'HTTP 200, version 24-01-01.1',
    ],
    ['the version field is absent', answer(200, { status: 'healthy' }), false, 'HTTP 200, version (missing)'],
    [
      'the body is not JSON',
      { kind: 'answer', status: 200, body: 'ok' } as const,
      false,
      'HTTP 200, version (missing)',
    ],
    ['the status differs', answer(503, { version: TAG }), false, 'HTTP 503'],
    [
      'no answer came',
      { kind: 'error', message: 'no answer within 5 s' } as const,
      false,
      'no answer within 5 s',
    ],
  ])('%s', (_name, got, ok, seen) => {
    expect(judge(planned(), got)).toEqual({
      service: 'decanting-service',
      check: 'health',
      ok,
      expected: `HTTP 200, version ${TAG}`,
      seen,
    });
  });

  it('reads a dotted version field and accepts a check without one on its status alone', () => {
    expect(
      judge(planned({ versionField: 'build.version' }), answer(200, { build: { version: TAG } })).ok,
    ).toBe(true);
    const { versionField: _v, ...plain } = check();
    expect(judge({ ...planned(), check: plain }, answer(200, {}))).toMatchObject({
      ok: true,
      expected: 'HTTP 200',
    });
  });

  it('says for every failing check what was expected and what was seen, and when', () => {
    const plan = { checks: [planned()], rounds: 4, everyMs: 60_000, soakMs: 180_000 };
    const results = [judge(planned(), answer(200, { version: 'old' }))];
    expect(failureOf(results, 0, plan)).toBe(
      `Health check failed after the deploy: decanting-service health: expected HTTP 200, version ${TAG}, saw HTTP 200, version old`,
    );
    expect(failureOf(results, 2, plan)).toContain('during the soak window (round 3 of 4)');
  });
});

describe('the rounds of a verify', () => {
  it('has no rounds for services without health checks', () => {
    const hotfix = hotfixIn('verifying');
    const bare = { ...hotfix.snapshot.services['decanting-service']!, healthChecks: [] };
    const snapshot = { ...hotfix.snapshot, services: { 'decanting-service': bare } };
    expect(verifyPlan({ ...hotfix, snapshot }).rounds).toBe(0);
  });

  it('checks once without a soak window, and through the window with one, the last round at its end', () => {
    const hotfix = hotfixIn('verifying');
    expect(verifyPlan(hotfix)).toMatchObject({ rounds: 1, soakMs: 0 });
    const soaked = {
      ...hotfix.snapshot.services['decanting-service']!,
      soak: { seconds: 900, everySeconds: 400 },
    };
    const plan = verifyPlan({
      ...hotfix,
      snapshot: { ...hotfix.snapshot, services: { 'decanting-service': soaked } },
    });
    expect(plan).toMatchObject({ rounds: 4, everyMs: 400_000, soakMs: 900_000 });
    const onTime = { attempts: 1, steps: {} };
    expect([0, 1, 2, 3].map((r) => roundDueAt(onTime, 0, plan, r))).toEqual([0, 400_000, 800_000, 900_000]);
    // A round recorded late pushes the next one back, so the re-checks never bunch up.
    const late = { attempts: 1, steps: { health_1_0: { result: { at: new Date(300_000).toISOString() } } } };
    expect(roundDueAt(late, 0, plan, 1)).toBe(700_000);
    expect(plan.checks).toEqual([{ service: 'decanting-service', version: TAG, check: check() }]);
  });
});
