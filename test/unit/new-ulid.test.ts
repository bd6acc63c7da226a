import { decodeTime, isValid } from 'ulid';
import { ulidFactory } from '../../src/new-ulid.js';

describe('ulidFactory', () => {
  it('makes valid, distinct ULIDs carrying the given time, across refills of its random pool', () => {
    const newUlid = ulidFactory();
    const at = new Date('2026-11-30T12:00:00Z');
    const made = Array.from({ length: 3000 }, () => newUlid(at));
    expect(made.every((u) => isValid(u) && decodeTime(u) === at.getTime())).toBe(true);
    expect(new Set(made).size).toBe(made.length);
    // The random part spreads over the whole alphabet, not a few values: the pool is really random.
    expect(new Set(made.map((u) => u[10])).size).toBeGreaterThan(20);
  });
});
