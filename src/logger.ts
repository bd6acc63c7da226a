/**
 * The process logger: pino with two nets against leaking secrets. Redact paths blank well-known secret fields
 * whatever their value; then every finished line is parsed and every string in it (message, error message and
 * stack, child bindings, nested fields) goes through the redactor, which catches known secret values and token
 * shapes wherever they hide.
 */
import { pino, type DestinationStream, type LevelWithSilent, type Logger } from 'pino';

import { createRedactor, REDACTED, type Redactor } from './redact.js';

/** Field names whose value is a credential wherever they appear. */
const SECRET_FIELDS = [
  'authorization',
  'Authorization',
  'password',
  'passwd',
  'secret',
  'token',
  'apiToken',
  'api_token',
  'accessToken',
  'access_token',
  'refreshToken',
  'refresh_token',
  'botToken',
  'appToken',
  'signingSecret',
  'signing_secret',
  'clientSecret',
  'client_secret',
  'apiKey',
  'api_key',
  'privateKey',
  'private_key',
  'secretAccessKey',
  'sessionToken',
  'cookie',
] as const;

const SECRET_HEADERS = [
  'authorization',
  'Authorization',
  'cookie',
  '["proxy-authorization"]',
  '["x-api-key"]',
];

/**
 * pino redact paths for secret-bearing fields. Wildcards match one level only, so deeper copies (an axios error's
 * `err.config.headers.Authorization`) are listed explicitly and the value scrubbing behind them catches the rest.
 * A bare `key` is deliberately absent: Jira issue keys and Redis keys are logged on purpose.
 */
export const REDACT_PATHS: readonly string[] = [
  ...SECRET_FIELDS.flatMap((field) => [field, `*.${field}`]),
  ...SECRET_HEADERS.flatMap((header) => {
    const suffix = header.startsWith('[') ? header : `.${header}`;
    return ['headers', '*.headers', '*.config.headers', '*.request.headers', '*.response.headers'].map(
      (prefix) => `${prefix}${suffix}`,
    );
  }),
];

/** Options for createLogger. */
export interface CreateLoggerOptions {
  /** Lowest level written. */
  readonly level: LevelWithSilent;
  /** Secret values to scrub from every line, usually `secretsOf(config)`. */
  readonly secrets: readonly string[];
  /** Where lines go; stdout when absent. Tests pass an in-memory stream. */
  readonly destination?: DestinationStream;
}

/** Applies the redactor to every string, including object keys, of a parsed log line. */
function scrubValue(value: unknown, redact: Redactor): unknown {
  if (typeof value === 'string') return redact(value);
  if (Array.isArray(value)) return value.map((item: unknown) => scrubValue(item, redact));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]: [string, unknown]) => [redact(key), scrubValue(item, redact)]),
    );
  }
  return value;
}

/**
 * Scrubs one serialized line. Working on the parsed line rather than the raw text matters: JSON escapes a secret
 * containing `"` or `\` and turns a PEM block's newlines into `\n`, so raw-text matching would miss them.
 */
export function scrubLogLine(line: string, redact: Redactor): string {
  const eol = line.endsWith('\n') ? '\n' : '';
  try {
    return `${JSON.stringify(scrubValue(JSON.parse(line), redact))}${eol}`;
  } catch {
    // Not JSON (a custom formatter or a partial write): scrub it as plain text rather than pass it through.
    return redact(line);
  }
}

/** Creates the pino logger every module uses; no line it writes contains a known secret or a token shape. */
export function createLogger({ level, secrets, destination }: CreateLoggerOptions): Logger {
  const redact = createRedactor(secrets);
  const options = {
    level,
    redact: { paths: [...REDACT_PATHS], censor: REDACTED },
    // `error` is as common a field name as pino's `err`; without a serializer an Error there logs as `{}`.
    serializers: { err: pino.stdSerializers.err, error: pino.stdSerializers.err },
    hooks: { streamWrite: (line: string) => scrubLogLine(line, redact) },
  };
  return destination === undefined ? pino(options) : pino(options, destination);
}
