/**
 * Test helper: a logger whose output is kept in memory, and checks that no secret reached it. Secrets are given
 * with labels so a failure names the secret ("jenkins api token") without printing its value into the test report.
 */
import type { LevelWithSilent, Logger } from 'pino';

import { createLogger } from '../../src/logger.js';

/** Secret values keyed by a label that is safe to print. */
export type LabelledSecrets = Readonly<Record<string, string>>;

/** A logger writing into memory, with the checks bound to its secrets. */
export interface CapturedLogger {
  /** The logger under test, built by the real createLogger. */
  readonly logger: Logger;
  /** The in-memory destination; writing to it directly bypasses every redaction (to prove the guard can fail). */
  readonly stream: { write(chunk: string): void };
  /** Everything written so far. */
  output(): string;
  /** The written lines, parsed. */
  lines(): Record<string, unknown>[];
  /** Throws, naming labels only, if any of the secrets (default: the logger's own) is in the output. */
  assertNoSecrets(secrets?: LabelledSecrets): void;
}

/** The ways a secret can be spelled once it is in a log line: raw, JSON-escaped, URL-encoded. */
function spellingsOf(secret: string): string[] {
  return [...new Set([secret, JSON.stringify(secret).slice(1, -1), encodeURIComponent(secret)])];
}

/** The labels of the secrets that occur in `output`. */
export function findLeakedSecrets(output: string, secrets: LabelledSecrets): string[] {
  return Object.entries(secrets)
    .filter(([, value]) => value !== '' && spellingsOf(value).some((spelling) => output.includes(spelling)))
    .map(([label]) => label);
}

/** Fails (throws) naming each leaked secret by its label, never by its value. */
export function expectNoSecretsIn(output: string, secrets: LabelledSecrets): void {
  const leaked = findLeakedSecrets(output, secrets);
  if (leaked.length > 0) {
    throw new Error(`secret(s) found in the captured output: ${leaked.join(', ')} (values not shown)`);
  }
}

/** Creates a real logger that knows `secrets` and writes into memory. */
export function createCapturedLogger(
  secrets: LabelledSecrets,
  level: LevelWithSilent = 'trace',
): CapturedLogger {
  const chunks: string[] = [];
  const stream = { write: (chunk: string): void => void chunks.push(chunk) };
  const logger = createLogger({ level, secrets: Object.values(secrets), destination: stream });
  const output = (): string => chunks.join('');
  return {
    logger,
    stream,
    output,
    lines: () =>
      output()
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => JSON.parse(line) as Record<string, unknown>),
    assertNoSecrets: (other) => expectNoSecretsIn(output(), other ?? secrets),
  };
}
