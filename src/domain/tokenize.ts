/**
 * Splits the text Slack sends after `/hotfix` into words. Quotes group words (`reason="cache fix"`); Slack clients
 * on macOS and iOS turn typed quotes into smart quotes, so “ and ” count as quotes too.
 */
import { Reason, refuse, type Refusal } from './reasons.js';

/** One word of a command, with its quotes removed. */
export interface Token {
  /** The word without quotes: `reason="a b"` becomes `reason=a b`. */
  text: string;
  /** The word as typed, quotes included; options are recognised on this, so a quoted `"sev=1"` stays a plain word. */
  raw: string;
  /** Whether any part of the word was in quotes. */
  quoted: boolean;
  /** Offset in the tokenized text just past the word. */
  end: number;
}

/** The words of a command, and what was wrong with its quoting. */
export interface Tokenized {
  tokens: Token[];
  problems: Refusal[];
}

// Any of them opens and any closes: a message typed half on a phone often mixes straight and smart quotes.
const QUOTES = new Set(['"', '\u201C', '\u201D', '\u201E']);

const isSpace = (ch: string): boolean => /\s/u.test(ch);

/** Splits `text` into words, honouring quotes; an unclosed quote is a problem, never an exception. */
export function tokenize(text: string): Tokenized {
  const tokens: Token[] = [];
  const problems: Refusal[] = [];
  let i = 0;
  while (i < text.length) {
    if (isSpace(text.charAt(i))) {
      i++;
      continue;
    }
    const word = readWord(text, i);
    tokens.push(word.token);
    if (word.unclosed) problems.push(unclosedQuote(word.token.raw));
    i = word.token.end;
  }
  return { tokens, problems };
}

function readWord(text: string, start: number): { token: Token; unclosed: boolean } {
  let i = start;
  let value = '';
  let quoted = false;
  let unclosed = false;
  while (i < text.length && !isSpace(text.charAt(i))) {
    const ch = text.charAt(i);
    if (!QUOTES.has(ch)) {
      value += ch;
      i++;
      continue;
    }
    quoted = true;
    const close = closingQuote(text, i + 1);
    unclosed = close < 0;
    const stop = unclosed ? text.length : close;
    value += text.slice(i + 1, stop);
    i = unclosed ? text.length : close + 1;
  }
  const raw = text.slice(start, i).trimEnd();
  return { token: { text: unclosed ? value.trimEnd() : value, raw, quoted, end: i }, unclosed };
}

function closingQuote(text: string, from: number): number {
  for (let i = from; i < text.length; i++) if (QUOTES.has(text.charAt(i))) return i;
  return -1;
}

function unclosedQuote(raw: string): Refusal {
  return refuse(
    Reason.UnclosedQuote,
    `The quote in ${code(raw)} is never closed: end the quoted text with a matching ", e.g. reason="cache fix".`,
  );
}

/** What a person typed, as inline code in a Slack message: cut short, and unable to break out of the backticks. */
export function code(word: string, max = 60): string {
  const clean = word.replace(/`/g, "'");
  return `\`${clean.length > max ? `${clean.slice(0, max)}…` : clean}\``;
}

/** Words joined back with single spaces: the free text of a reason given without quotes. */
export function joinWords(tokens: readonly Token[]): string {
  return tokens
    .map((t) => t.text)
    .join(' ')
    .trim();
}
