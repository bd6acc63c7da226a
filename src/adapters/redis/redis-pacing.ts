import type { Redis } from 'ioredis';
import type { Pacing } from '../../ports/pacing.js';

/**
 * A token bucket per channel, on the server's clock (workers' clocks and test clocks play no part): `burst` posts at
 * once, refilled at one per `ms`. Returns 0 and takes a token, or the ms until one is there.
 */
const TAKE_POST = `
local now = redis.call('TIME')
local ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
local burst = tonumber(ARGV[1])
local every = tonumber(ARGV[2])
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1]) or burst
local at = tonumber(state[2]) or ms
tokens = math.min(burst, tokens + math.max(0, ms - at) / every)
if tokens >= 1 then
  redis.call('HSET', KEYS[1], 'tokens', tostring(tokens - 1), 'at', tostring(ms))
  redis.call('PEXPIRE', KEYS[1], burst * every * 2)
  return 0
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(ms))
redis.call('PEXPIRE', KEYS[1], burst * every * 2)
return math.ceil((1 - tokens) * every)
`;

/** The burst of new messages a channel takes at once (Slack: "short bursts allowed"). */
const POST_BURST = 3;

/** `Pacing` on Redis: a shared pause key with a PX expiry, one small hash per status message and per channel. */
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

  /** Takes one post from the channel's bucket; the ms to wait when it is empty. */
  async takePost(channel: string, everyMs: number): Promise<number> {
    const wait = await this.redis.eval(
      TAKE_POST,
      1,
      `${this.prefix}:posts:${channel}`,
      String(POST_BURST),
      String(Math.max(1, Math.round(everyMs))),
    );
    return Number(wait);
  }
}
