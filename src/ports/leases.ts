/**
 * Short claims a live runner keeps renewing (DESIGN.md section 7): how a second runner of a step tells a runner that
 * is still at work (a slow Slack post, a deploy start) from one that died. A claim's age says nothing about that,
 * since BullMQ renews a running job's lock for as long as the job runs.
 */
export interface Leases {
  /** Takes `name` for `holder` for `ms` if nobody holds it; true when `holder` has it now. */
  take(name: string, holder: string, ms: number): Promise<boolean>;
  /** Extends `holder`'s lease by `ms`; false when it was lost (it expired, and perhaps another runner took it). */
  renew(name: string, holder: string, ms: number): Promise<boolean>;
  /** Gives the lease up if `holder` still has it. */
  release(name: string, holder: string): Promise<void>;
}
