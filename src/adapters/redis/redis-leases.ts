import type { Redis } from 'ioredis';
import type { Leases } from '../../ports/leases.js';

/** KEYS: lease. ARGV: holder, ms. Extends the lease only for its holder. */
const RENEW = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1
`;

/** KEYS: lease. ARGV: holder. Deletes the lease only for its holder. */
const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 1
`;

type Command = (...args: (string | number)[]) => Promise<unknown>;

/** `Leases` on Redis: `<p>:lease:<name>` holds the holder's key with a PX expiry. */
export class RedisLeases implements Leases {
  private readonly commands: { hotfixLeaseRenew: Command; hotfixLeaseRelease: Command };

  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'hotfix',
  ) {
    redis.defineCommand('hotfixLeaseRenew', { numberOfKeys: 1, lua: RENEW });
    redis.defineCommand('hotfixLeaseRelease', { numberOfKeys: 1, lua: RELEASE });
    this.commands = redis as unknown as { hotfixLeaseRenew: Command; hotfixLeaseRelease: Command };
  }

  /** SET NX PX: one holder at a time; a holder asking again keeps it. */
  async take(name: string, holder: string, ms: number): Promise<boolean> {
    const key = this.key(name);
    if ((await this.redis.set(key, holder, 'PX', ms, 'NX')) === 'OK') return true;
    return this.renew(name, holder, ms);
  }

  /** Extends the lease if `holder` has it. */
  async renew(name: string, holder: string, ms: number): Promise<boolean> {
    return (await this.commands.hotfixLeaseRenew(this.key(name), holder, ms)) === 1;
  }

  /** Frees the lease if `holder` has it. */
  async release(name: string, holder: string): Promise<void> {
    await this.commands.hotfixLeaseRelease(this.key(name), holder);
  }

  private key(name: string): string {
    return `${this.prefix}:lease:${name}`;
  }
}
