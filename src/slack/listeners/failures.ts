/** Whether an error means the store (Redis) is unreachable right now, as opposed to a bug. */
export function isStoreUnavailable(error: unknown): boolean {
  const text = error instanceof Error ? `${error.name} ${error.message}` : String(error);
  return /enableOfflineQueue|Connection is closed|ECONNREFUSED|MaxRetriesPerRequest|ETIMEDOUT|Stream isn't writeable/i.test(
    text,
  );
}

/** The sentence for a person whose request could not be served; nothing was changed in either case. */
export function failureText(error: unknown): string {
  if (isStoreUnavailable(error)) {
    return ':warning: I cannot reach my database right now, so nothing was done. Try again in a minute; if it keeps failing, page the hotfix-bot owners.';
  }
  return ':warning: Something went wrong on my side and nothing was done. Try again; if it fails again, page the hotfix-bot owners (the error is in the bot logs).';
}

/** Text shown when the store is known to be down before anything is attempted. */
export const STORE_DOWN_TEXT = failureText(new Error('ECONNREFUSED'));
