/**
 * The bot's health client against a health endpoint at the wire: answers, status codes, timeouts, and redirects,
 * which it follows only within the same host.
 */
import { FetchHealthProbe } from '../../src/adapters/http/fetch-health-probe.js';
import type { HealthEmulator } from '../emulators/health/index.js';
import { startHealthEmulator } from '../emulators/health/index.js';

let health: HealthEmulator;
let other: HealthEmulator;
const probe = new FetchHealthProbe();
beforeAll(async () => {
  health = await startHealthEmulator();
  other = await startHealthEmulator();
});
afterAll(async () => {
  await health.close();
  await other.close();
});

describe('FetchHealthProbe', () => {
  it('returns the status and body of a health answer', async () => {
    health.running('/v1/health', 'v2.4.0');
    expect(await probe.get(`${health.url}/v1/health`, 2000)).toEqual({
      kind: 'answer',
      status: 200,
      body: JSON.stringify({ status: 'healthy', version: 'v2.4.0' }),
    });
  });

  it('returns an error status as an answer, for the check to judge', async () => {
    health.failNext('/v1/health', { status: 503, body: { status: 'unhealthy' } });
    expect(await probe.get(`${health.url}/v1/health`, 2000)).toMatchObject({ kind: 'answer', status: 503 });
  });

  it('gives up after the timeout and says so', async () => {
    health.failNext('/v1/health', { delayMs: 700 });
    const started = Date.now();
    expect(await probe.get(`${health.url}/v1/health`, 200)).toEqual({
      kind: 'error',
      message: 'no answer within 0.2 s',
    });
    expect(Date.now() - started).toBeLessThan(600);
  });

  it('follows a redirect on the same host', async () => {
    health.answer('/health', { redirect: '/v1/health' });
    health.running('/v1/health', 'v2.4.0');
    expect(await probe.get(`${health.url}/health`, 2000)).toMatchObject({ kind: 'answer', status: 200 });
  });

  it('never follows a redirect to another host, and never calls that host', async () => {
    other.running('/v1/health', 'v2.4.0');
    health.answer('/elsewhere', { redirect: `${other.url}/v1/health` });
    const before = other.calls.length;
    const got = await probe.get(`${health.url}/elsewhere`, 2000);
    expect(got).toEqual({
      kind: 'error',
      message: `HTTP 302 redirect to another host (${other.url}), not followed`,
    });
    expect(other.calls.length).toBe(before);
  });

  it('reports a refused connection', async () => {
    const closed = await startHealthEmulator();
    const url = closed.url;
    await closed.close();
    expect(await probe.get(`${url}/v1/health`, 2000)).toEqual({
      kind: 'error',
      message: 'no answer: ECONNREFUSED',
    });
  });
});
