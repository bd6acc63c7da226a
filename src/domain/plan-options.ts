/**
 * The `key=value` options of a plan (`sev=`, `incident=`, `reason=`, `override=`, `at=`). Only `=` is the contract; the near misses
 * people type (`sev:1`, `sev1`, `sev 1`, `sevv=1`) are recognised so the refusal can say exactly what to write.
 */
import type { Catalog } from './catalog.js';
import { findService } from './catalog-names.js';
import { closest } from './closest.js';
import { badWindow, isWindowText } from './deploy-window.js';
import type { Severity } from './hotfix.js';
import { Reason, refuse, type Refusal } from './reasons.js';
import { code, type Token } from './tokenize.js';

/** The options a plan takes. */
export const PLAN_OPTIONS = ['sev', 'incident', 'reason', 'override', 'at'] as const;
/** One of PLAN_OPTIONS. */
export type PlanOption = (typeof PLAN_OPTIONS)[number];

// `severity=` is what people write when they do not remember the short form; nothing else could be meant.
const ALIASES: Record<string, PlanOption> = {
  sev: 'sev',
  severity: 'sev',
  incident: 'incident',
  reason: 'reason',
  override: 'override',
  at: 'at',
  window: 'at',
};

function optionName(key: string): PlanOption | undefined {
  const lower = key.toLowerCase();
  return Object.hasOwn(ALIASES, lower) ? ALIASES[lower] : undefined;
}

const SEVERITIES: Record<string, Severity> = { '1': 1, '2': 2, '3': 3, '4': 4 };

/** An option as written: `separator` is `' '` for the word forms `sev1` and `sev 1`. */
export interface OptionWord {
  key: string;
  separator: '=' | ':' | ' ';
  value: string;
  /** Whether the value was quoted (or given as one form field), so spaces in it were meant. */
  quoted: boolean;
  /** Index of the option's last token, so the words right after it can be told apart. */
  index: number;
}

/** The options understood, and what was wrong with the rest. */
export interface PlanOptions {
  severity?: Severity;
  incident?: string;
  reason?: string;
  /** Why an overridable freeze window should not stop this plan; audited. */
  override?: string;
  /** The deploy window as written (`14:30`, `2026-12-02T02:00`): the client's time zone turns it into a moment. */
  at?: string;
  problems: Refusal[];
}

const OPTION_LIKE = /^([A-Za-z][\w-]*)([=:])/;

/** The option at `tokens[i]`, with how many tokens it spans; undefined when the token is a plain word. */
export function optionAt(
  tokens: readonly Token[],
  i: number,
): { option: OptionWord; span: number } | undefined {
  const token = tokens[i];
  if (!token) return undefined;
  const next = tokens[i + 1];
  const sevWord = /^sev(?:erity)?-?([1-4])$/i.exec(token.raw)?.[1];
  if (sevWord)
    return { option: { key: 'sev', separator: ' ', value: sevWord, quoted: false, index: i }, span: 1 };
  if (/^sev(erity)?$/i.test(token.raw) && next && /^[1-4]$/.test(next.raw)) {
    return { option: { key: 'sev', separator: ' ', value: next.text, quoted: false, index: i + 1 }, span: 2 };
  }
  const [, key = '', separator] = OPTION_LIKE.exec(token.raw) ?? [];
  if (separator !== '=' && separator !== ':') return undefined;
  // `name:value` is a plain word (a docker-style `service:tag`) unless the name is, or is close to, an option.
  if (separator === ':' && !optionName(key) && !closest(key, PLAN_OPTIONS)) return undefined;
  const value = token.text.slice(key.length + 1).trim();
  // `sev= 2` and `reason= "cache fix"`: a value after a space is still the value.
  if (value === '' && !token.quoted && next && !OPTION_LIKE.test(next.raw)) {
    return { option: { key, separator, value: next.text, quoted: next.quoted, index: i + 1 }, span: 2 };
  }
  return { option: { key, separator, value, quoted: token.quoted, index: i }, span: 1 };
}

/** Reads every option, refusing unknown, repeated and malformed ones all at once. */
export function readOptions(options: readonly OptionWord[], catalog: Catalog): PlanOptions {
  const read: PlanOptions = { problems: [] };
  const seen = new Set<PlanOption>();
  for (const option of options) {
    const name = optionName(option.key);
    if (name === undefined) {
      read.problems.push(unknownOption(option.key, catalog));
    } else if (seen.has(name)) {
      read.problems.push(
        refuse(Reason.UnexpectedWord, `\`${name}=\` is given more than once: give it once.`),
      );
    } else {
      seen.add(name);
      if (option.separator !== '=') read.problems.push(wrongSeparator(name, option));
      readValue(name, option.value, read);
    }
  }
  return read;
}

function readValue(name: PlanOption, value: string, read: PlanOptions): void {
  if (name === 'reason' || name === 'override') {
    if (value !== '') read[name] = value;
  } else if (name === 'at') {
    if (isWindowText(value)) read.at = value;
    else read.problems.push(badWindow(value));
  } else if (name === 'sev') {
    const severity = Object.hasOwn(SEVERITIES, value) ? SEVERITIES[value] : undefined;
    if (severity === undefined) read.problems.push(badSeverity(value));
    else read.severity = severity;
  } else {
    // Issue keys are upper case; people type them in whatever case their keyboard is in.
    const key = value.toUpperCase();
    if (/^[A-Z][A-Z0-9_]*-[1-9]\d*$/.test(key)) read.incident = key;
    else read.problems.push(badIncident(value));
  }
}

function badSeverity(value: string): Refusal {
  const given = value === '' ? '`sev=` has no value' : `${code(`sev=${value}`)} is not a severity`;
  return refuse(
    Reason.BadSeverity,
    `${given}: use sev=1, 2, 3 or 4 (1 is the most severe; 3 when not given).`,
  );
}

function badIncident(value: string): Refusal {
  const given =
    value === '' ? '`incident=` has no value' : `${code(`incident=${value}`)} is not an issue key`;
  return refuse(Reason.BadIncident, `${given}: write the incident's key like \`incident=INC-123\`.`);
}

function wrongSeparator(name: PlanOption, option: OptionWord): Refusal {
  const right =
    name === 'reason' || name === 'override' ? `${name}="${option.value}"` : `${name}=${option.value}`;
  const how = option.separator === ':' ? 'Options take =, not a colon' : 'Options are written with =';
  return refuse(Reason.UnknownOption, `${how}: write ${code(right)}.`);
}

function unknownOption(key: string, catalog: Catalog): Refusal {
  const service = findService(key, catalog);
  if (service !== undefined) {
    return refuse(
      Reason.UnknownOption,
      `Join a service to its tag with @: write \`${service}@<tag>\`, not \`${key}=\`.`,
    );
  }
  const lower = key.toLowerCase();
  const near =
    closest(lower, PLAN_OPTIONS) ?? PLAN_OPTIONS.find((name) => lower.length >= 2 && name.startsWith(lower));
  const hint = near
    ? ` Did you mean \`${near}\`?`
    : ' The options are `sev=<1-4>`, `incident=<KEY>`, `reason="..."`, `override="..."` and `at=<HH:MM>`.';
  return refuse(Reason.UnknownOption, `Unknown option ${code(`${key}=`)}.${hint}`);
}
