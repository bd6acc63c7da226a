/**
 * RedisPacing's per-channel posting allowance against real Redis: a burst goes at once, then each waiting post is
 * given its own turn, one per interval, kept when it asks again, so a queue of posts is woken once each, in order.
 */
import type { Redis } from 'ioredis';
import { RedisPacing } from '../../src/adapters/redis/redis-pacing.js';
import { connectTestRedis, deleteKeysWithPrefix, uniquePrefix } from '../helpers/redis.js';

let redis: Redis;
let prefix: string;
let pacing: RedisPacing;
const EVERY = 400;

beforeAll(async () => {
  redis = await connectTestRedis();
});
afterAll(() => redis.disconnect());
beforeEach(() => {
  prefix = uniquePrefix('pacing');
  pacing = new RedisPacing(redis, prefix);
});
afterEach(async () => deleteKeysWithPrefix(redis, prefix));

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('RedisPacing.takePost', () => {
  it('lets a burst of three go at once, then gives each later post its own turn, one interval apart', async () => {
    const waits = [];
    for (let i = 0; i < 6; i++) waits.push(await pacing.takePost('C1', EVERY, `post-${i}`));
    expect(waits.slice(0, 3)).toEqual([0, 0, 0]);
    // Turns one, two and three intervals on (less the few ms the calls took).
    for (const [n, wait] of waits.slice(3).entries()) {
      expect(wait).toBeGreaterThan((n + 1) * EVERY - 50);
      expect(wait).toBeLessThanOrEqual((n + 1) * EVERY);
    }
  });

  it('keeps a waiting post its turn when it asks again, and lets it go once the turn has come', async () => {
    for (let i = 0; i < 3; i++) await pacing.takePost('C1', EVERY, `burst-${i}`);
    const first = await pacing.takePost('C1', EVERY, 'late');
    const second = await pacing.takePost('C1', EVERY, 'other');
    await sleep(100);
    const again = await pacing.takePost('C1', EVERY, 'late');
    // The same turn, nearer now; not a new one behind 'other'.
    expect(again).toBeLessThanOrEqual(first - 80);
    expect(again).toBeLessThan(second);
    await sleep(again + 20);
    expect(await pacing.takePost('C1', EVERY, 'late')).toBe(0);
    // Its turn is used: asking once more is a new post, queued behind 'other'.
    expect(await pacing.takePost('C1', EVERY, 'late')).toBeGreaterThan(0);
  });

  it('keeps channels apart, and a quiet channel has its burst back', async () => {
    for (let i = 0; i < 4; i++) await pacing.takePost('C1', EVERY, `c1-${i}`);
    expect(await pacing.takePost('C2', EVERY, 'c2-0')).toBe(0);
    await sleep(4 * EVERY + 50);
    const waits = [];
    for (let i = 0; i < 3; i++) waits.push(await pacing.takePost('C1', EVERY, `after-${i}`));
    expect(waits).toEqual([0, 0, 0]);
  });
});
