import type { Redis } from 'ioredis';
import type { ControlAudit, Controls, PauseState } from '../../ports/controls.js';

/** `Controls` on Redis: `<p>:paused` holds the pause as JSON; `<p>:audit:controls` is an append-only stream. */
export class RedisControls implements Controls {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'hotfix',
  ) {}

  /** The pause in force. */
  async paused(): Promise<PauseState | undefined> {
    const raw = await this.redis.get(`${this.prefix}:paused`);
    return raw ? (JSON.parse(raw) as PauseState) : undefined;
  }

  /** Pauses new deploys. */
  async pause(state: PauseState): Promise<void> {
    await this.redis.set(`${this.prefix}:paused`, JSON.stringify(state));
  }

  /** Lifts the pause, returning it. */
  async resume(): Promise<PauseState | undefined> {
    const raw = await this.redis.getdel(`${this.prefix}:paused`);
    return raw ? (JSON.parse(raw) as PauseState) : undefined;
  }

  /** Appends an audit entry. */
  async audit(entry: ControlAudit): Promise<void> {
    await this.redis.xadd(`${this.prefix}:audit:controls`, '*', 'entry', JSON.stringify(entry));
  }

  /** The audit trail. */
  async auditTrail(): Promise<ControlAudit[]> {
    const entries = await this.redis.xrange(`${this.prefix}:audit:controls`, '-', '+');
    return entries.map(([, fields]) => JSON.parse(fields[1] ?? '{}') as ControlAudit);
  }
}
