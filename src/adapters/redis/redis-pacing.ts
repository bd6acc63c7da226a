import type { Redis } from 'ioredis';
import type { Pacing } from '../../ports/pacing.js';

/**
 * A channel's posting allowance as a schedule of slots (GCRA), on the server's clock (workers' clocks and test clocks
 * play no part): `burst` posts at once, then one per `every` ms. A post that cannot go now reserves the next free slot
 * under its claimant and is told how long to wait; asked again, the claimant gets its own slot (0 once it has come), so
 * waiting posts go out in turn, each woken once, instead of all retrying together. A slot whose post never comes back
 * is simply lost. KEYS: the channel's schedule, its reservations. ARGV: burst, every, claimant.
 */
const TAKE_POST = `
local now = redis.call('TIME')
local ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
local burst = tonumber(ARGV[1])
local every = tonumber(ARGV[2])
local reserved = tonumber(redis.call('HGET', KEYS[2], ARGV[3]))
if reserved then
  if reserved <= ms then
    redis.call('HDEL', KEYS[2], ARGV[3])
    return 0
  end
  return reserved - ms
end
local tat = math.max(tonumber(redis.call('GET', KEYS[1])) or ms, ms)
local slot = math.max(ms, tat - (burst - 1) * every)
local keep = tat + every - ms + 60000
redis.call('SET', KEYS[1], tostring(tat + every), 'PX', keep)
if slot <= ms then return 0 end
redis.call('HSET', KEYS[2], ARGV[3], tostring(slot))
redis.call('PEXPIRE', KEYS[2], keep)
return slot - ms
`;

/** The burst of new messages a channel takes at once (Slack: "short bursts allowed"). */
const POST_BURST = 3;

/** `Pacing` on Redis: a shared pause key with a PX expiry, one small hash per status message, a schedule per channel. */
export class RedisPacing implements Pacing {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'hotfix',
  ) {}

  /** Time left of the shared Slack pause. */
  async slackPausedFor(): Promise<number> {
    return Math.max(0, await this.redis.pttl(`${this.prefix}:slack-paused`));
  }

  /** Pauses every Slack writer; a longer pause already in force is kept. */
  async pauseSlack(ms: number): Promise<void> {
    const left = await this.slackPausedFor();
    if (left < ms) await this.redis.set(`${this.prefix}:slack-paused`, '1', 'PX', Math.max(1, Math.ceil(ms)));
  }

  /** What the status message last showed. */
  async lastRender(ulid: string): Promise<{ fingerprint: string; at: number } | undefined> {
    const raw = await this.redis.hgetall(`${this.prefix}:render:${ulid}`);
    return raw['fingerprint'] ? { fingerprint: raw['fingerprint'], at: Number(raw['at']) } : undefined;
  }

  /** Remembers what the status message shows now; kept a week, long after any hotfix has finished. */
  async rememberRender(ulid: string, fingerprint: string, at: number): Promise<void> {
    const key = `${this.prefix}:render:${ulid}`;
    await this.redis
      .multi()
      .hset(key, 'fingerprint', fingerprint, 'at', String(at))
      .expire(key, 7 * 24 * 3600)
      .exec();
  }

  /** Takes a slot of the channel's allowance for `claimant`; the ms until its slot when it is not now. */
  async takePost(channel: string, everyMs: number, claimant: string): Promise<number> {
    const wait = await this.redis.eval(
      TAKE_POST,
      2,
      `${this.prefix}:posts:${channel}`,
      `${this.prefix}:posts-reserved:${channel}`,
      String(POST_BURST),
      String(Math.max(1, Math.round(everyMs))),
      claimant,
    );
    return Number(wait);
  }
}
