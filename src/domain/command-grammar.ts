/**
 * The grammar of `/hotfix <subcommand> ...` (DESIGN.md section 4). It knows no catalog: `plan` hands its text to
 * parsePlan, and the names other subcommands take (client, env, service) are checked by whoever acts on them.
 */
import { didYouMean } from './closest.js';
import { Reason, refuse, type Refusal } from './reasons.js';
import { code, joinWords, tokenize, type Token } from './tokenize.js';
import { SUBCOMMANDS, SUBCOMMAND_USAGE, USAGE, grammar, usageOf, type Subcommand } from './command-usage.js';

export { tokenize, type Token, type Tokenized } from './tokenize.js';
export { SUBCOMMANDS, SUBCOMMAND_USAGE, USAGE, usageOf, type Subcommand } from './command-usage.js';

/** A subcommand acting on one hotfix that needs nothing else. */
export interface HotfixAction {
  kind: 'rollback' | 'retry' | 'patch';
  /** Normalised hotfix id, `HF-12`. */
  id: string;
}

/** What `/hotfix ...` asked for; `invalid` says what was wrong and shows the grammar. */
export type ParsedCommand =
  | { kind: 'help'; topic?: Subcommand }
  /** `args` is the text after `plan`, quotes intact, for parsePlan. */
  | { kind: 'plan'; args: string }
  | { kind: 'status'; id?: string }
  | { kind: 'list' }
  | HotfixAction
  /** `why` goes on the record and into the thread: whoever was watching the deploy learns why it stopped. */
  | { kind: 'cancel'; id: string; why: string }
  | { kind: 'resolve'; id: string; why: string }
  /** `to` is the Slack user id taken from the mention. */
  | { kind: 'handoff'; id: string; to: string }
  /** Client and env as typed; the caller matches them to the catalog. */
  | { kind: 'unlock'; client: string; env: string; why: string }
  | { kind: 'pause'; why: string }
  | { kind: 'resume' }
  /** `ticket` is an upper-cased issue key; the branch is `hotfix/<ticket>`; `client` as typed, when given. */
  | { kind: 'branch'; service: string; ticket: string; client?: string }
  /** The fix of a completed hotfix need not come back to the default branch; `why` goes on the record. */
  | { kind: 'not-needed'; id: string; why: string }
  | { kind: 'stats'; client?: string; days?: number }
  | { kind: 'invalid'; problems: Refusal[]; usage: string };

/** A command that parsed. */
export type ValidCommand = Exclude<ParsedCommand, { kind: 'invalid' }>;

type Parsed = ValidCommand | Refusal[];

/** `HF-12` from `HF-12` or `hf-12`; undefined for anything else (a bare `12` is refused with a hint instead). */
export function parseHotfixId(word: string): string | undefined {
  const digits = /^HF-(\d{1,9})$/i.exec(word)?.[1];
  const n = Number(digits);
  return digits !== undefined && n > 0 ? `HF-${n}` : undefined;
}

/** Parses the text after `/hotfix`; empty text asks for help. Never throws. */
export function parseHotfixCommand(text: string): ParsedCommand {
  const { tokens, problems } = tokenize(text);
  const [first, ...args] = tokens;
  if (!first) return problems.length > 0 ? invalid(problems, USAGE) : { kind: 'help' };
  const name = first.text.toLowerCase();
  if (!isSubcommand(name)) return invalid([...problems, unknownSubcommand(first.text)], USAGE);
  // parsePlan tokenizes again and reports its own quoting problems, with the catalog at hand.
  if (name === 'plan') return { kind: 'plan', args: text.slice(first.end).trim() };
  const parsed = PARSERS[name](args);
  const all = [...problems, ...(Array.isArray(parsed) ? parsed : [])];
  if (all.length > 0 || Array.isArray(parsed)) return invalid(all, usageOf(name));
  return parsed;
}

function isSubcommand(word: string): word is Subcommand {
  return Object.hasOwn(SUBCOMMAND_USAGE, word);
}

function invalid(problems: Refusal[], usage: string): ParsedCommand {
  return { kind: 'invalid', problems, usage };
}

function unknownSubcommand(word: string): Refusal {
  const id = parseHotfixId(word);
  const hint = word.includes('@')
    ? ` To plan a hotfix, start with \`plan\`: \`/hotfix plan ${word} <client> <env>\`.`
    : id
      ? ` To see that hotfix: \`/hotfix status ${id}\`.`
      : `${didYouMean(word, SUBCOMMANDS)} The subcommands are listed below.`;
  return refuse(Reason.UnexpectedWord, `${code(word)} is not a /hotfix subcommand.${hint}`);
}

const PARSERS: { [K in Exclude<Subcommand, 'plan'>]: (args: Token[]) => Parsed } = {
  help: parseHelp,
  status: (args) => {
    const id = args[0] === undefined ? undefined : readId('status', args[0]);
    const problems = failures(id, extraWords('status', args.slice(1)));
    return problems.length > 0
      ? problems
      : typeof id === 'string'
        ? { kind: 'status', id }
        : { kind: 'status' };
  },
  list: (args) => orProblems(extraWords('list', args), { kind: 'list' }),
  cancel: (args) => {
    const id = readId('cancel', args[0]);
    const why = readWhy('cancel', args.slice(1));
    return typeof id === 'string' && typeof why === 'string'
      ? { kind: 'cancel', id, why }
      : failures(id, why);
  },
  rollback: hotfixAction('rollback'),
  retry: hotfixAction('retry'),
  patch: hotfixAction('patch'),
  resolve: (args) => {
    const id = readId('resolve', args[0]);
    const why = readWhy('resolve', args.slice(1));
    return typeof id === 'string' && typeof why === 'string'
      ? { kind: 'resolve', id, why }
      : failures(id, why);
  },
  handoff: parseHandoff,
  unlock: parseUnlock,
  pause: (args) => {
    const why = readWhy('pause', args);
    return typeof why === 'string' ? { kind: 'pause', why } : [why];
  },
  resume: (args) => orProblems(extraWords('resume', args), { kind: 'resume' }),
  branch: parseBranch,
  'not-needed': (args) => {
    const id = readId('not-needed', args[0]);
    const why = readWhy('not-needed', args.slice(1));
    return typeof id === 'string' && typeof why === 'string'
      ? { kind: 'not-needed', id, why }
      : failures(id, why);
  },
  stats: parseStats,
};

function orProblems(problems: Refusal[], command: ValidCommand): Parsed {
  return problems.length > 0 ? problems : command;
}

/** The refusals among parsed parts; the rest were understood. */
function failures(...parts: Array<Refusal | Refusal[] | string | undefined>): Refusal[] {
  return parts.flatMap((part) => (Array.isArray(part) ? part : typeof part === 'object' ? [part] : []));
}

function hotfixAction(kind: HotfixAction['kind']): (args: Token[]) => Parsed {
  return (args) => {
    const id = readId(kind, args[0]);
    const problems = failures(id, extraWords(kind, args.slice(1)));
    return typeof id === 'string' && problems.length === 0 ? { kind, id } : problems;
  };
}

function parseHelp(args: Token[]): Parsed {
  const [topic, ...rest] = args;
  if (!topic) return { kind: 'help' };
  const name = topic.text.toLowerCase();
  if (!isSubcommand(name)) {
    const hint = didYouMean(name, SUBCOMMANDS) || ' The subcommands are listed below.';
    return [refuse(Reason.UnexpectedWord, `There is no subcommand ${code(topic.text)}.${hint}`)];
  }
  return orProblems(extraWords('help', rest), { kind: 'help', topic: name });
}

function readId(subcommand: Subcommand, token: Token | undefined): string | Refusal {
  if (!token)
    return refuse(Reason.MissingPart, `\`${subcommand}\` needs a hotfix id: ${grammar(subcommand)}.`);
  const id = parseHotfixId(token.text);
  if (id) return id;
  const digits = /^(?:#|hf[-_]?)?0*([1-9]\d{0,8})$/i.exec(token.text)?.[1];
  const hint = digits ? `write \`HF-${digits}\`` : 'hotfix ids look like `HF-12`';
  return refuse(Reason.UnexpectedWord, `${code(token.text)} is not a hotfix id: ${hint}.`);
}

/** The reason of an audited action; quotes are the contract, but the rest of the words is taken without them too. */
function readWhy(subcommand: Subcommand, tokens: readonly Token[]): string | Refusal {
  const why = joinWords(tokens);
  if (why) return why;
  return refuse(
    Reason.ReasonRequired,
    `\`${subcommand}\` needs a reason, in quotes: ${grammar(subcommand)}. It is recorded in the audit trail.`,
  );
}

function extraWords(subcommand: Subcommand, extra: readonly Token[]): Refusal[] {
  if (extra.length === 0) return [];
  const words = code(extra.map((t) => t.raw).join(' '));
  return [
    refuse(Reason.UnexpectedWord, `Unexpected ${words} at the end: the grammar is ${grammar(subcommand)}.`),
  ];
}

function swapFirstTwo(args: Token[]): Token[] {
  const [a, b, ...rest] = args;
  return a && b ? [b, a, ...rest] : args;
}

const MENTION = /^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>/;

function parseHandoff(args: Token[]): Parsed {
  // People type the person first about as often as the id first; the two cannot be confused.
  const at = Math.max(
    0,
    args.findIndex((token) => parseHotfixId(token.text)),
  );
  const id = readId('handoff', args[at]);
  const to = readPerson(args.filter((_, i) => i !== at));
  return typeof id === 'string' && typeof to === 'string' ? { kind: 'handoff', id, to } : failures(id, to);
}

function readPerson(tokens: Token[]): string | Refusal[] {
  const text = tokens.map((t) => t.raw).join(' ');
  if (!text)
    return [
      refuse(Reason.MissingPart, `\`handoff\` needs the person to hand over to: ${grammar('handoff')}.`),
    ];
  const mention = MENTION.exec(text);
  if (mention?.[1]) {
    const rest = text.slice(mention[0].length).trim();
    const extra = rest ? [refuse(Reason.UnexpectedWord, `Unexpected ${code(rest)} after the person.`)] : [];
    return extra.length > 0 ? extra : mention[1];
  }
  const first = tokens[0]?.raw ?? text;
  const why = first.startsWith('<!subteam')
    ? 'is a user group: a hotfix is handed to one person'
    : first.startsWith('@')
      ? 'reached the bot as plain text, not as a Slack user'
      : 'is not a Slack user';
  return [
    refuse(
      Reason.UnexpectedWord,
      `${code(first)} ${why}: type @ and pick the person from Slack's autocomplete.`,
    ),
  ];
}

function parseUnlock(args: Token[]): Parsed {
  // Client and env are single plain words; the first quoted word starts the reason.
  const names = args.slice(0, 2);
  const quotedAt = names.findIndex((t) => t.quoted);
  const [client, env] = quotedAt < 0 ? names : names.slice(0, quotedAt);
  const why = readWhy('unlock', args.slice(quotedAt < 0 ? 2 : quotedAt));
  const missing = [client ? '' : 'client', env ? '' : 'env'].filter(Boolean).join(' and ');
  const problems = failures(
    missing
      ? refuse(Reason.MissingPart, `\`unlock\` needs the ${missing}: ${grammar('unlock')}.`)
      : undefined,
    why,
  );
  if (problems.length > 0 || !client || !env || typeof why !== 'string') return problems;
  return { kind: 'unlock', client: client.text, env: env.text, why };
}

const TICKET = /^(?:hotfix\/)?([A-Za-z][A-Za-z0-9_]*-\d+)$/i;

function parseBranch(args: Token[]): Parsed {
  // `branch HOCS-1234 decanting-service` is as clear as the grammar's order.
  const swapped = TICKET.test(args[0]?.text ?? '') && args[1] !== undefined && !TICKET.test(args[1].text);
  const [service, ticket, client, ...rest] = swapped ? swapFirstTwo(args) : args;
  if (!service || !ticket) {
    return [refuse(Reason.MissingPart, `\`branch\` needs a service and a ticket: ${grammar('branch')}.`)];
  }
  const key = TICKET.exec(ticket.text)?.[1];
  const tagged = 'Give the service without a tag: the branch starts from the tag running in production.';
  const problems = failures(
    service.text.includes('@') ? refuse(Reason.UnexpectedWord, tagged) : undefined,
    key
      ? undefined
      : refuse(Reason.UnexpectedWord, `${code(ticket.text)} is not a ticket key, like \`HOCS-1234\`.`),
    extraWords('branch', rest),
  );
  if (problems.length > 0 || !key) return problems;
  return {
    kind: 'branch',
    service: service.text,
    ticket: key.toUpperCase(),
    ...(client ? { client: client.text } : {}),
  };
}

const MAX_DAYS = 3650;

function parseStats(args: Token[]): Parsed {
  let client: string | undefined;
  let days: number | undefined;
  const seen = { client: false, days: false };
  const problems: Refusal[] = [];
  for (const token of args) {
    // Client names never start with a digit or a sign, so either order is understood.
    const part = /^[+-]?\d/.test(token.text) ? 'days' : 'client';
    if (seen[part]) {
      problems.push(...extraWords('stats', [token]));
      continue;
    }
    seen[part] = true;
    if (part === 'client') client = token.text;
    else days = readDays(token.text, problems);
  }
  if (problems.length > 0) return problems;
  return {
    kind: 'stats',
    ...(client === undefined ? {} : { client }),
    ...(days === undefined ? {} : { days }),
  };
}

function readDays(word: string, problems: Refusal[]): number | undefined {
  const n = /^\d{1,9}$/.test(word) ? Number(word) : NaN;
  if (n >= 1 && n <= MAX_DAYS) return n;
  problems.push(badDays(word));
  return undefined;
}

function badDays(word: string): Refusal {
  const digits = /^(\d{1,4})\s*d(ays?)?$/i.exec(word)?.[1];
  const hint = digits
    ? `write \`${Number(digits)}\``
    : `use a whole number from 1 to ${MAX_DAYS}, like \`30\``;
  return refuse(Reason.UnexpectedWord, `${code(word)} is not a number of days: ${hint}.`);
}
