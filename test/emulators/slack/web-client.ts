/**
 * A real @slack/web-api WebClient pointed at the emulator, set up the way tests want it: no retries (a fault shows
 * at once) and no console noise (tests assert on the errors; WebClient would also log them).
 */
import { LogLevel, WebClient, type Logger, type WebClientOptions } from '@slack/web-api';

import type { SlackEmulator } from './slack-emulator.js';

/** A logger that drops everything. */
export const silentLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  setLevel: () => undefined,
  getLevel: () => LogLevel.ERROR,
  setName: () => undefined,
};

/** A WebClient for the emulator's bot token (or `token`), without retries or logging unless `options` say so. */
export function emulatorWebClient(
  emulator: SlackEmulator,
  options: WebClientOptions = {},
  token: string = emulator.token,
): WebClient {
  return new WebClient(token, {
    slackApiUrl: emulator.apiUrl,
    retryConfig: { retries: 0 },
    logger: silentLogger,
    ...options,
  });
}
