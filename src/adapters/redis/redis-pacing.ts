import type { Redis } from 'ioredis';
import type { Pacing } from '../../ports/pacing.js';

/** `Pacing` on Redis: a shared pause key with a PX expiry, and one small hash per status message. */
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
}
