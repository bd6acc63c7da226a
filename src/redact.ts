/**
 * Secret scrubbing for anything that leaves the process as text: log lines, log excerpts posted to Slack, error
 * messages. Two independent nets: the exact values we know are secret (from config), and well-known token shapes,
 * so a secret we were never told about (a token in a Jenkins log, a header echoed by an SDK) is still caught.
 * Pure functions, no I/O.
 */

/** The text every secret is replaced with. */
export const REDACTED = '[REDACTED]';

/** Known secret values shorter than this are ignored: replacing "abc" everywhere would shred ordinary text. */
export const MIN_SECRET_LENGTH = 6;

/** A text-to-text function that removes secrets. */
export type Redactor = (text: string) => string;

interface ShapeRule {
  readonly pattern: RegExp;
  readonly replace: (match: string, ...groups: string[]) => string;
}

const whole = (): string => REDACTED;
/** Keeps the first capture group (the key, scheme or URL prefix) and hides what follows it. */
const keepPrefix = (_match: string, prefix: string): string => `${prefix}${REDACTED}`;

// Prefix quantifiers are bounded so a huge log excerpt cannot make a pattern backtrack quadratically.
// Ordered: PEM blocks first because they span lines and contain base64 that later rules would nibble at; URLs
// before auth headers so `user:pass@` is handled as a whole.
const SHAPES: readonly ShapeRule[] = [
  {
    // An unterminated block (a cut log excerpt) is redacted to the end of the text.
    pattern:
      /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----[\s\S]*?(?:-----END (?:[A-Z0-9]+ )*PRIVATE KEY-----|$)/g,
    replace: whole,
  },
  { pattern: /\b([a-z][a-z0-9+.-]{0,30}:\/\/[^\s:@/]{0,256}:)[^\s@/]+(?=@)/gi, replace: keepPrefix },
  {
    // The whole header value, whatever the scheme: `Authorization: Bearer x`, `"authorization":"Basic x"`.
    pattern: /\b((?:proxy-)?authorization["']?\s*[:=]\s*["']?)[^"'\r\n,}]+/gi,
    replace: keepPrefix,
  },
  {
    // Prose such as "basic configuration" is left alone: a credential is never only lower-case letters.
    pattern: /\b(Bearer|Basic|OAuth|Token)(\s+)([A-Za-z0-9._~+/-]{6,}=*)/gi,
    replace: (match, scheme = '', space = '', token = '') =>
      /^[a-z]+$/.test(token) ? match : `${scheme}${space}${REDACTED}`,
  },
  { pattern: /\bxox[abprse]-[A-Za-z0-9-]{4,}/g, replace: whole },
  { pattern: /\bxapp-[A-Za-z0-9-]{4,}/g, replace: whole },
  { pattern: /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/g, replace: whole },
  { pattern: /\b(?:ghp|gho|ghs|ghu|ghr)_[A-Za-z0-9]{20,}/g, replace: whole },
  { pattern: /\bgithub_pat_[A-Za-z0-9_]{20,}/g, replace: whole },
  // Google OAuth access tokens and JWTs (service-account assertions) travel in SDK debug output.
  { pattern: /\bya29\.[A-Za-z0-9._-]{10,}/g, replace: whole },
  { pattern: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g, replace: whole },
  {
    // key=value pairs: query strings, env dumps, `aws_secret_access_key=...`.
    pattern:
      /\b([A-Za-z0-9_.-]{0,40}(?:password|passwd|pwd|secret|token|api[_-]?key|access[_-]?key)[A-Za-z0-9_-]{0,40}["']?\s*=\s*["']?)[^\s"'&,;]+/gi,
    replace: keepPrefix,
  },
  {
    // Colon forms: quoted JSON/YAML keys, and bare `password: x`. A bare `TOKEN: x` is left alone so our own
    // config errors ("SLACK_BOT_TOKEN: missing, expected ...") stay readable in the logs.
    pattern:
      /(["']?[A-Za-z0-9_.-]{0,40}(?:password|passwd|secret|token|api[_-]?key)["']\s*:\s*["'])[^"']+|(\b[A-Za-z0-9_.-]{0,40}(?:password|passwd)\s*:\s*)[^\s"',;}]+/gi,
    replace: (_match, quoted = '', plain = '') => `${quoted || plain}${REDACTED}`,
  },
];

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Every spelling of a secret that can end up in text: as is, URL-encoded, JSON-escaped. */
function spellingsOf(secret: string): string[] {
  const spellings = [secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)];
  try {
    spellings.push(decodeURIComponent(secret));
  } catch {
    // Not percent-encoded; the raw spelling already covers it.
  }
  return spellings;
}

/** One alternation of all known secrets, longest first so a secret containing another is hidden whole. */
function knownSecretsPattern(secrets: readonly string[]): RegExp | undefined {
  const spellings = new Set(
    secrets.flatMap(spellingsOf).filter((value) => value.length >= MIN_SECRET_LENGTH),
  );
  if (spellings.size === 0) return undefined;
  const alternatives = [...spellings].sort((a, b) => b.length - a.length).map(escapeRegExp);
  return new RegExp(alternatives.join('|'), 'g');
}

/** Builds a redactor that hides the given secret values and every well-known token shape. */
export function createRedactor(secrets: readonly string[]): Redactor {
  const known = knownSecretsPattern(secrets);
  return (text: string): string => {
    let result = known ? text.replace(known, REDACTED) : text;
    for (const rule of SHAPES) result = result.replace(rule.pattern, rule.replace);
    return result;
  };
}

/** Which end of a text to keep when it is cut. */
export type KeepEnd = 'start' | 'end';

/**
 * Cuts text to at most `maxChars` UTF-16 units, saying how much was cut. Keep `'end'` for build logs, where the
 * failure is at the bottom. Redact before cutting, so a cut never splits a secret into an unrecognisable half.
 */
export function truncateForSlack(text: string, maxChars: number, keep: KeepEnd = 'start'): string {
  if (text.length <= maxChars) return text;
  const markerFor = (cut: number): string =>
    keep === 'start' ? `\n… ${cut} more characters cut` : `… ${cut} earlier characters cut\n`;
  // The marker's length depends on the count it prints: shrink the kept part until both fit.
  for (let budget = maxChars - markerFor(text.length - maxChars).length; budget > 0; budget -= 1) {
    const kept = cutSafely(text, budget, keep);
    const marker = markerFor(text.length - kept.length);
    if (kept.length + marker.length <= maxChars) return keep === 'start' ? kept + marker : marker + kept;
  }
  return markerFor(text.length).trim().slice(0, maxChars);
}

/** Takes `count` units from one end without splitting a surrogate pair (an emoji in a log line). */
function cutSafely(text: string, count: number, keep: KeepEnd): string {
  if (keep === 'start') {
    const last = text.charCodeAt(count - 1);
    return text.slice(0, last >= 0xd800 && last <= 0xdbff ? count - 1 : count);
  }
  const from = text.length - count;
  const first = text.charCodeAt(from);
  return text.slice(first >= 0xdc00 && first <= 0xdfff ? from + 1 : from);
}
