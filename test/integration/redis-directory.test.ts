/** RedisDirectory against real Redis, each test under its own key prefix. */
import type { Redis } from 'ioredis';
import { RedisDirectory } from '../../src/adapters/redis/redis-directory.js';
import { connectTestRedis, deleteKeysWithPrefix, uniquePrefix } from '../helpers/redis.js';

let redis: Redis;
let prefix: string;
let directory: RedisDirectory;
const AT = '2026-11-30T10:00:00.000Z';

beforeAll(async () => {
  redis = await connectTestRedis();
});
afterAll(() => redis.disconnect());
beforeEach(() => {
  prefix = uniquePrefix('directory');
  directory = new RedisDirectory(redis, prefix);
});
afterEach(async () => deleteKeysWithPrefix(redis, prefix));

describe('RedisDirectory', () => {
  it('reads a group never stored as unknown and empty', async () => {
    expect((await directory.groups(['S1'])).get('S1')).toEqual({ id: 'S1', state: 'unknown', members: [] });
  });

  it('replaces a group whole, and a missing group has no members', async () => {
    await directory.putGroup({ id: 'S1', state: 'known', members: ['U1', 'U2'], checkedAt: AT });
    await directory.putGroup({ id: 'S1', state: 'known', members: ['U3'], checkedAt: AT });
    expect((await directory.groups(['S1'])).get('S1')?.members).toEqual(['U3']);
    await directory.putGroup({ id: 'S1', state: 'missing', members: [], checkedAt: AT });
    expect((await directory.groups(['S1'])).get('S1')).toMatchObject({ state: 'missing', members: [] });
  });

  it('applies member changes to a known group only, so an event never invents a partial group', async () => {
    await directory.changeMembers('S2', ['U1'], []);
    expect((await directory.groups(['S2'])).get('S2')?.state).toBe('unknown');
    await directory.putGroup({ id: 'S2', state: 'known', members: ['U1', 'U2'], checkedAt: AT });
    await directory.changeMembers('S2', ['U3'], ['U1']);
    await directory.changeMembers('S2', ['U3'], ['U1']);
    expect([...((await directory.groups(['S2'])).get('S2')?.members ?? [])].sort()).toEqual(['U2', 'U3']);
  });

  it("marks channels absent from the bot's complete channel list as not_member, keeping what else is known", async () => {
    await directory.putChannel({ id: 'C1', state: 'member', name: 'inc-1', createdAt: AT, checkedAt: AT });
    await directory.replaceMemberships([{ id: 'C2', state: 'member', name: 'inc-2', checkedAt: AT }], AT);
    expect(await directory.channel('C1')).toMatchObject({
      state: 'not_member',
      name: 'inc-1',
      createdAt: AT,
    });
    expect(await directory.channel('C2')).toMatchObject({ state: 'member', name: 'inc-2' });
    expect(await directory.channel('C3')).toBeUndefined();
    expect(await directory.membershipsCheckedAt()).toBe(AT);
  });

  it('keeps the problems of the last check and when it finished', async () => {
    const problem = { kind: 'group' as const, id: 'S9', usedBy: 'policy.approvers', problem: 'gone' };
    await directory.putProblems([problem], AT);
    expect(await directory.problems()).toEqual([problem]);
    expect(await directory.lastRefreshAt()).toBe(AT);
  });
});
