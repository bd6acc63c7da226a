/**
 * Wording of catalog problems. Every problem reads "found <what is in the file>, expected <what would be accepted>",
 * so an operator can fix the YAML without reading the schema.
 */
import { z } from 'zod';
import { closest, didYouMean } from '../domain/closest.js';

const MAX_SHOWN = 60;

/** How a value from the YAML is shown in a problem: strings quoted, other scalars with their type. */
export function describe(value: unknown): string {
  if (value === null) return 'an empty value (null)';
  if (Array.isArray(value))
    return value.length === 0 ? 'an empty list' : `a list of ${plural(value.length, 'item')}`;
  if (typeof value === 'object') return Object.keys(value).length === 0 ? 'an empty mapping' : 'a mapping';
  if (typeof value === 'string') {
    if (value === '') return 'an empty string';
    const shown = value.length > MAX_SHOWN ? `${value.slice(0, MAX_SHOWN)}...` : value;
    // Not JSON.stringify: it would double every backslash, and regular expressions are full of them.
    return `"${shown.replace(/\n/g, '\\n')}"`;
  }
  return `${String(value)} (${typeof value})`;
}

/** The message of something thrown; `instanceof Error` is not enough, Node's fs errors can come from another realm. */
export function messageOf(error: unknown): string {
  const message =
    typeof error === 'object' && error !== null && 'message' in error ? error.message : undefined;
  return typeof message === 'string' ? message : String(error);
}

/** "1 item", "2 items". */
export function plural(count: number | bigint, noun: string): string {
  return `${count} ${noun}${count === 1 || count === 1n ? '' : 's'}`;
}

/** "found X, expected <what>", or "missing, expected <what>" when the field is absent. */
export function foundExpected(input: unknown, what: string): string {
  return input === undefined ? `missing, expected ${what}` : `found ${describe(input)}, expected ${what}`;
}

/** A zod error function for a schema whose every failure means the same thing to a person. */
export function expecting(what: string): (issue: { readonly input: unknown }) => string {
  return (issue) => foundExpected(issue.input, what);
}

/** "expected one of: a, b. Did you mean `a`?" for a value that must be one of a few names. */
export function expectedOneOf(input: unknown, known: readonly string[], what = 'one of'): string {
  const problem = foundExpected(input, `${what}: ${known.join(', ')}`);
  const hint = typeof input === 'string' ? didYouMean(input, known) : '';
  return hint ? `${problem}.${hint}` : problem;
}

/** One line per unknown key; typos of a known field name are the usual cause, so suggest it. */
export function unknownFields(keys: readonly string[], known: readonly string[]): string[] {
  return keys.map((key) => {
    const suggestion = closest(key, known);
    if (suggestion) return `unknown field "${key}"; did you mean "${suggestion}"?`;
    return `unknown field "${key}"; expected one of: ${known.join(', ')}`;
  });
}

const TYPE_NAMES: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping',
  record: 'a mapping',
};

/** Zod's error map for the whole catalog parse: turns each issue into the house wording. */
export const catalogErrorMap: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case 'invalid_type': {
      const what = TYPE_NAMES[issue.expected] ?? `a ${issue.expected}`;
      // A quoted "42" where a number belongs is easy to misread, so name the type of a wrong string too.
      if (typeof issue.input === 'string') return `found ${describe(issue.input)} (string), expected ${what}`;
      return foundExpected(issue.input, what);
    }
    case 'invalid_value':
      return expectedOneOf(issue.input, issue.values.map(String));
    case 'unrecognized_keys': {
      const known = issue.inst instanceof z.ZodObject ? Object.keys(issue.inst.shape) : [];
      // Zod reports all unknown keys of one mapping in one issue; the loader splits the lines back apart.
      return unknownFields(issue.keys, known).join('\n');
    }
    case 'invalid_union':
      return unionProblem(
        issue.input,
        issue.discriminator,
        Array.isArray(issue.options) ? issue.options : undefined,
      );
    case 'too_small':
      return sizeProblem(issue.input, 'at least', issue.minimum, issue.inclusive, issue.origin);
    case 'too_big':
      return sizeProblem(issue.input, 'at most', issue.maximum, issue.inclusive, issue.origin);
    default:
      return undefined;
  }
};

function unionProblem(
  input: unknown,
  discriminator: string | undefined,
  options: readonly unknown[] | undefined,
): string {
  if (discriminator === undefined || options === undefined)
    return foundExpected(input, 'one of the accepted forms');
  const value =
    typeof input === 'object' && input !== null ? (input as Record<string, unknown>)[discriminator] : input;
  return expectedOneOf(value, options.map(String));
}

function sizeProblem(
  input: unknown,
  bound: 'at least' | 'at most',
  limit: number | bigint,
  inclusive: boolean | undefined,
  origin: string,
): string {
  const strictBound = bound === 'at least' ? 'more than' : 'less than';
  const relation = inclusive === false ? strictBound : bound;
  if (origin === 'array') return foundExpected(input, `${relation} ${plural(limit, 'item')}`);
  if (origin === 'string') return foundExpected(input, `${relation} ${plural(limit, 'character')}`);
  return foundExpected(input, `a number ${relation} ${limit}`);
}
