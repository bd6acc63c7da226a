/**
 * How fast the bot may write to Slack, shared by every worker: a 429 pauses all writers for its Retry-After (no job
 * sleeps; jobs are delayed instead), and each hotfix's status message remembers what it last showed and when.
 */
export interface Pacing {
  /** Milliseconds left of a shared pause after Slack said 429; 0 when writing is allowed. */
  slackPausedFor(): Promise<number>;
  /** Pauses every writer for `ms`. */
  pauseSlack(ms: number): Promise<void>;
  /** What the status message of a hotfix last showed (a fingerprint) and when (ms). */
  lastRender(ulid: string): Promise<{ fingerprint: string; at: number } | undefined>;
  rememberRender(ulid: string, fingerprint: string, at: number): Promise<void>;
  /**
   * Takes one new message from a channel's budget (a short burst, then one per `everyMs`; Slack allows about one post
   * per second per channel): 0 when the post may go now, else the milliseconds until it may. A post that must wait
   * keeps its turn: asked again by the same `claimant` (the same post), it is told the time left to its own turn, so
   * waiting posts go out in order and each is woken once. Shared by every worker.
   */
  takePost(channel: string, everyMs: number, claimant: string): Promise<number>;
}
