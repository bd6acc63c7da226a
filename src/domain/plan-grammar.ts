/**
 * The grammar of `/hotfix plan ...` (DESIGN.md section 4), checked against the catalog. Every problem comes back at
 * once, and what was understood comes back as `partial`, so a form can be prefilled instead of asking again.
 */
import type { Catalog, DeployMethod } from './catalog.js';
import { findAnyEnv, findClient, findEnv, findService, unknownClient, unknownEnv } from './catalog-names.js';
import { closest } from './closest.js';
import { grammar } from './command-usage.js';
import { DEFAULT_SEVERITY, type Severity } from './hotfix.js';
import { optionAt, readOptions, type OptionWord } from './plan-options.js';
import { parseServiceList, type ServiceList, type ServiceTag } from './plan-services.js';
import { Reason, refuse, type Refusal } from './reasons.js';
import { code, joinWords, tokenize, type Token, type Tokenized } from './tokenize.js';

export { PLAN_OPTIONS, type PlanOption } from './plan-options.js';
export type { ServiceTag } from './plan-services.js';

/** A plan that parsed and matches the catalog; names are in the catalog's spelling. */
export interface PlanRequest {
  services: ServiceTag[];
  /** The one deploy method all the services share. */
  method: DeployMethod;
  client: string;
  env: string;
  /** 3 when the plan names none. */
  severity: Severity;
  /** Upper-cased issue key, `INC-123`. */
  incident?: string;
  reason?: string;
  /** The reason given for overriding a freeze window that allows it (`override="..."`). */
  override?: string;
  /** The deploy window as written (`at=14:30`); deciding the plan turns it into a moment in the client's zone. */
  at?: string;
}

/** The parts a plan cannot do without. */
export type PlanPart = 'services' | 'client' | 'env';

/** What was understood from a plan that did not parse: only fields given and valid-looking, to prefill a form. */
export interface PartialPlan {
  /** The service list as given (`a@1,b@2`), names in the catalog's spelling where known. */
  services?: string;
  client?: string;
  env?: string;
  severity?: Severity;
  incident?: string;
  reason?: string;
  override?: string;
  at?: string;
  /** Parts not given at all: a caller opens a form when these are the only problems. */
  missing: PlanPart[];
}

/** A plan, or every problem with it together with what was understood. */
export type PlanParse =
  { ok: true; plan: PlanRequest } | { ok: false; problems: Refusal[]; partial: PartialPlan };

/** The positional parts of a plan, by word. */
interface Parts {
  services: Token[];
  client?: Token;
  env?: Token;
  /** Words after an unquoted `reason=` that belong to it. */
  overflow: Token[];
  extras: Token[];
}

/**
 * Parses `<service>@<tag>[,...] <client> <env> [sev=<1-4>] [incident=<KEY>] [reason="..."] [at=<when>]`: the text after `plan`,
 * or its words one per element (an element with spaces stays one word, as from a form field). Never throws.
 */
export function parsePlan(args: string | readonly string[], catalog: Catalog): PlanParse {
  const { tokens, problems: quoting } = typeof args === 'string' ? tokenize(args) : tokensOf(args);
  const { options, words } = splitWords(tokens);
  const parts = assignParts(tokens, words, options, catalog);
  const read = readOptions(options, catalog);
  const serviceWords = parts.services.map((word) => word.text);
  const list = serviceWords.length > 0 ? parseServiceList(serviceWords, catalog) : undefined;
  const target = resolveTarget(parts.client?.text, parts.env?.text, catalog);
  const missing: PlanPart[] = [];
  if (!list?.text) missing.push('services');
  if (!parts.client) missing.push('client');
  if (!parts.env) missing.push('env');
  const overflow = joinWords(parts.overflow);
  const reason = overflow ? unquote(`${read.reason ?? ''} ${overflow}`) : read.reason;
  const problems = [
    ...quoting,
    ...(list?.problems ?? []),
    ...target.problems,
    ...read.problems,
    ...wordProblems(parts, reason),
    ...(missing.length > 0 ? [missingParts(missing)] : []),
  ];
  const partial = partialOf(list, target, { ...read, reason }, missing);
  const plan = problems.length === 0 ? planOf(list, partial) : undefined;
  if (plan) return { ok: true, plan };
  // Unreachable by construction; kept so a failure can never come back without a reason.
  if (problems.length === 0) problems.push(missingParts(['services']));
  return { ok: false, problems, partial };
}

type Understood = Pick<PartialPlan, 'severity' | 'incident' | 'override' | 'at'> & { reason?: string | undefined };

/** Only what was given and looks right; exactOptionalPropertyTypes keeps undefined fields out. */
function partialOf(
  list: ServiceList | undefined,
  target: Target,
  read: Understood,
  missing: PlanPart[],
): PartialPlan {
  const partial: PartialPlan = { missing };
  if (list?.text) partial.services = list.text;
  if (target.client !== undefined) partial.client = target.client;
  if (target.env !== undefined) partial.env = target.env;
  if (read.severity !== undefined) partial.severity = read.severity;
  if (read.incident !== undefined) partial.incident = read.incident;
  if (read.reason !== undefined) partial.reason = read.reason;
  if (read.override !== undefined) partial.override = read.override;
  if (read.at !== undefined) partial.at = read.at;
  return partial;
}

function planOf(list: ServiceList | undefined, partial: PartialPlan): PlanRequest | undefined {
  const { client, env, severity = DEFAULT_SEVERITY, incident, reason, override, at } = partial;
  if (!list?.method || list.services.length === 0 || client === undefined || env === undefined)
    return undefined;
  return {
    services: list.services,
    method: list.method,
    client,
    env,
    severity,
    ...(incident === undefined ? {} : { incident }),
    ...(reason === undefined ? {} : { reason }),
    ...(override === undefined ? {} : { override }),
    ...(at === undefined ? {} : { at }),
  };
}

function tokensOf(words: readonly string[]): Tokenized {
  const tokens = words.flatMap((word): Token[] => {
    const one = tokenize(word);
    if (one.tokens.length <= 1 && one.problems.length === 0) return one.tokens;
    const text = word.trim();
    return [{ text, raw: text, quoted: true, end: word.length }];
  });
  return { tokens, problems: [] };
}

function splitWords(tokens: readonly Token[]): { options: OptionWord[]; words: Token[] } {
  const options: OptionWord[] = [];
  const words: Token[] = [];
  for (let i = 0; i < tokens.length;) {
    const found = optionAt(tokens, i);
    const token = tokens[i];
    if (found) options.push(found.option);
    else if (token?.text) words.push(token); // an empty `""` says nothing
    i += found?.span ?? 1;
  }
  return { options, words };
}

function assignParts(
  tokens: readonly Token[],
  words: Token[],
  options: OptionWord[],
  catalog: Catalog,
): Parts {
  const services = words.filter((_, i) => isServicePiece(words, i, catalog));
  const others = words.filter((word) => !services.includes(word));
  const overflow = reasonOverflow(tokens, options, others, services.length > 0 ? 2 : 3);
  const rest = others.filter((word) => !overflow.includes(word));
  const first = rest[0];
  // No `@` anywhere: a service name without its tag, or a typo of one, still fills the services slot.
  if (services.length === 0 && first && (rest.length >= 3 || looksLikeService(first.text, catalog))) {
    services.push(first);
    rest.shift();
  }
  return { services, overflow, ...clientAndEnv(rest, catalog) };
}

function isServicePiece(words: readonly Token[], i: number, catalog: Catalog): boolean {
  const word = words[i];
  if (!word) return false;
  if (/[@,]/.test(word.text)) return true;
  if (findClient(word.text, catalog) !== undefined || findAnyEnv(word.text, catalog) !== undefined)
    return false;
  // `a@1, b` : a word next to a comma is in the list even without its tag.
  return Boolean(words[i - 1]?.text.endsWith(',') || words[i + 1]?.text.startsWith(','));
}

function looksLikeService(word: string, catalog: Catalog): boolean {
  if (findClient(word, catalog) !== undefined || findAnyEnv(word, catalog) !== undefined) return false;
  if (findService(word, catalog) !== undefined) return true;
  const clients = Object.keys(catalog.clients);
  return closest(word, Object.keys(catalog.services)) !== undefined && closest(word, clients) === undefined;
}

/** `reason=cache fix` without quotes: the words right after it belong to it when the plan has words to spare. */
function reasonOverflow(
  tokens: readonly Token[],
  options: OptionWord[],
  others: Token[],
  slots: number,
): Token[] {
  const reason = options.find((o) => o.key.toLowerCase() === 'reason' && !o.quoted && o.value !== '');
  const run: Token[] = [];
  for (let i = (reason?.index ?? tokens.length) + 1; run.length < others.length - slots; i++) {
    const token = tokens[i];
    if (!token || !others.includes(token)) break;
    run.push(token);
  }
  return run;
}

function clientAndEnv(words: Token[], catalog: Catalog): Pick<Parts, 'client' | 'env' | 'extras'> {
  const [first, second, ...extras] = words;
  if (!first) return { extras };
  const isClient = (word: Token): boolean => findClient(word.text, catalog) !== undefined;
  if (!second)
    return !isClient(first) && findAnyEnv(first.text, catalog)
      ? { env: first, extras }
      : { client: first, extras };
  // `prod acme` for `acme prod`: unambiguous when only the second word is a client and has the first as an env.
  const client = isClient(first) ? undefined : catalog.clients[findClient(second.text, catalog) ?? ''];
  const swapped = client !== undefined && findEnv(first.text, client) !== undefined;
  return swapped ? { client: second, env: first, extras } : { client: first, env: second, extras };
}

interface Target {
  client?: string | undefined;
  env?: string | undefined;
  problems: Refusal[];
}

function resolveTarget(
  clientWord: string | undefined,
  envWord: string | undefined,
  catalog: Catalog,
): Target {
  const problems: Refusal[] = [];
  const client = clientWord === undefined ? undefined : findClient(clientWord, catalog);
  if (clientWord !== undefined && client === undefined) problems.push(unknownClient(clientWord, catalog));
  const spec = client === undefined ? undefined : catalog.clients[client];
  const env =
    envWord === undefined ? undefined : spec ? findEnv(envWord, spec) : findAnyEnv(envWord, catalog);
  if (envWord !== undefined && env === undefined) problems.push(unknownEnv(envWord, client, catalog));
  return { client, env, problems };
}

function wordProblems(parts: Parts, reason: string | undefined): Refusal[] {
  const problems: Refusal[] = [];
  if (parts.overflow.length > 0) {
    const right = code(`reason="${reason ?? ''}"`);
    problems.push(refuse(Reason.UnexpectedWord, `A reason with spaces needs double quotes: write ${right}.`));
  }
  if (parts.extras.length > 0) {
    const words = code(parts.extras.map((t) => t.raw).join(' '));
    const where = `Unexpected ${words} after the client and env`;
    problems.push(
      refuse(Reason.UnexpectedWord, `${where}: the grammar is ${grammar('plan')}. Quote text with spaces.`),
    );
  }
  return problems;
}

const PART_NAMES: Record<PlanPart, string> = {
  services: 'the services (`<service>@<tag>`)',
  client: 'the client',
  env: 'the env',
};

function missingParts(missing: readonly PlanPart[]): Refusal {
  const names = missing.map((part) => PART_NAMES[part]);
  const list = names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names.at(-1)}` : (names[0] ?? '');
  return refuse(Reason.MissingPart, `The plan is missing ${list}: ${grammar('plan')}.`);
}

/** A reason typed as `reason='cache fix'` or with smart single quotes, without those quotes. */
function unquote(text: string): string {
  const trimmed = text.trim();
  return /^['\u2018].*['\u2019]$/su.test(trimmed) ? trimmed.slice(1, -1).trim() : trimmed;
}
