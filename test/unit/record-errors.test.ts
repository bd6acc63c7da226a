import { RecordSystemError, failureOf, isRetryableStatus } from '../../src/ports/record-errors.js';

describe('change-control failures', () => {
  it('retries 5xx, 429, 420, 408 and no answer at all; not 4xx refusals', () => {
    expect([500, 502, 503, 429, 420, 408, undefined].map(isRetryableStatus)).toEqual(Array(7).fill(true));
    expect([400, 401, 403, 404, 409, 410, 422].map(isRetryableStatus)).toEqual(Array(7).fill(false));
  });

  it('gives each failure a reason code people can act on', () => {
    expect([401, 403, 404, 429, 420, 503, undefined, 400].map(failureOf)).toEqual([
      'credentials',
      'credentials',
      'not_found',
      'rate_limited',
      'rate_limited',
      'unavailable',
      'unavailable',
      'refused',
    ]);
    expect(new RecordSystemError('Jira', false, 'Jira cannot move CHG-1').failure).toBe('refused');
    expect(new RecordSystemError('Statuspage', true, 'no answer').failure).toBe('unavailable');
    expect(new RecordSystemError('Statuspage', true, 'slow down', 30, 429)).toMatchObject({
      failure: 'rate_limited',
      retryAfterSeconds: 30,
    });
  });
});
