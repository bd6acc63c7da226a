import { RecordedError } from '../../workflow/recorded.js';

/** Whether an error means the store (Redis) is unreachable right now, as opposed to a bug. */
export function isStoreUnavailable(error: unknown): boolean {
  const text = error instanceof Error ? `${error.name} ${error.message}` : String(error);
  return /enableOfflineQueue|Connection is closed|ECONNREFUSED|MaxRetriesPerRequest|ETIMEDOUT|Stream isn't writeable/i.test(
    text,
  );
}

/** Whether the failed command never left this process (no connection to send it on), so it cannot have been saved. */
function neverSent(error: unknown): boolean {
  const text = error instanceof Error ? `${error.name} ${error.message}` : String(error);
  return /enableOfflineQueue|ECONNREFUSED|Stream isn't writeable/i.test(text);
}

/**
 * The sentence for a person whose request could not be fully served. "Nothing was done" only when nothing can have
 * been: a write that was saved is reported as recorded (its follow-up comes from the reconciler), and a connection
 * lost while a write was in flight is reported as unknown.
 */
export function failureText(error: unknown): string {
  if (error instanceof RecordedError) {
    return `:hourglass_flowing_sand: ${error.recorded}; follow-up will arrive (messages and next steps may take a minute). No need to do it again.`;
  }
  if (isStoreUnavailable(error) && neverSent(error)) {
    return ':warning: I cannot reach my database right now, so nothing was done. Try again in a minute; if it keeps failing, page the hotfix-bot owners.';
  }
  if (isStoreUnavailable(error)) {
    return ':warning: I lost my database connection while handling this, so it may or may not have been recorded. Check `/hotfix status` before trying again; if it keeps failing, page the hotfix-bot owners.';
  }
  return ':warning: Something went wrong on my side and nothing was done. Try again; if it fails again, page the hotfix-bot owners (the error is in the bot logs).';
}

/** Text shown when the store is known to be down before anything is attempted. */
export const STORE_DOWN_TEXT = failureText(new Error('ECONNREFUSED'));
