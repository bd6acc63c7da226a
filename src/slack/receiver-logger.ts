/**
 * Logging for the Slack receiver: the small pino-shaped interface it writes to, and the adapter Bolt's own helpers
 * (HTTPResponseAck, the default error handlers) need, since they expect @slack/logger's interface.
 */
import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';

/** One pino-style log call: structured fields first, then the message. */
export type ReceiverLogMethod = (fields: Record<string, unknown>, message: string) => void;

/** Where the receiver logs; a pino Logger fits. */
export interface ReceiverLogger {
  debug: ReceiverLogMethod;
  info: ReceiverLogMethod;
  warn: ReceiverLogMethod;
  error: ReceiverLogMethod;
}

/** The fallback logger: a missing logger must not silence refused requests, so warnings and errors still show. */
export const consoleLogger: ReceiverLogger = {
  debug: () => undefined,
  info: () => undefined,
  warn: (fields, message) => console.warn(message, fields),
  error: (fields, message) => console.error(message, fields),
};

/**
 * Bolt's helpers want its own Logger interface and log plain strings; this forwards them to ours. Levels are left
 * to our logger, so getLevel claims the lowest.
 */
export function toBoltLogger(log: ReceiverLogger): BoltLogger {
  const join = (parts: unknown[]): string => parts.map(String).join(' ');
  return {
    debug: (...parts: unknown[]) => log.debug({ source: 'bolt' }, join(parts)),
    info: (...parts: unknown[]) => log.info({ source: 'bolt' }, join(parts)),
    warn: (...parts: unknown[]) => log.warn({ source: 'bolt' }, join(parts)),
    error: (...parts: unknown[]) => log.error({ source: 'bolt' }, join(parts)),
    setLevel: () => undefined,
    getLevel: () => LogLevel.DEBUG,
    setName: () => undefined,
  };
}

/** Normalises a thrown value for Bolt's error handlers, which expect an Error. */
export function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
