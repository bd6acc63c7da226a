/*
 * The process guard on PostgreSQL (`pg`). Each check opens one connection, in a read-only session with a statement
 * timeout, reads at most a few rows with the total beside them, and closes it. The connection string comes from the
 * environment variable the catalog names and never appears in a message: errors name the variable and the host.
 */
import { Client } from 'pg';
import type { ProcessCheck, ProcessGuard, ProcessGuardTarget } from '../../ports/process-guard.js';
import type { Redactor } from '../../redact.js';

/** The table seed 000 names. */
export const DEFAULT_PROCESS_TABLE = 'meta.process';

/** How many running processes a message shows; the total is always given. */
export const SHOWN_PROCESSES = 5;

/** Options of the Postgres process guard. */
export interface PostgresProcessGuardOptions {
  /** Hides secrets in what the rows show. */
  redact: Redactor;
  /** The environment to read connection strings from. @defaultValue process.env */
  env?: NodeJS.ProcessEnv;
  /** Connecting and each statement, in ms. @defaultValue 5000 */
  timeoutMs?: number;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;
/** Columns whose values are never shown, whatever they hold. */
const SECRET_COLUMN = /pass|secret|token|key|credential|auth/i;
const MAX_VALUE = 60;
const MAX_LINE = 200;

/** `ProcessGuard` on PostgreSQL. */
export class PostgresProcessGuard implements ProcessGuard {
  private readonly env: NodeJS.ProcessEnv;
  private readonly timeoutMs: number;

  constructor(private readonly options: PostgresProcessGuardOptions) {
    this.env = options.env ?? process.env;
    this.timeoutMs = options.timeoutMs ?? 5000;
  }

  async check(target: ProcessGuardTarget): Promise<ProcessCheck> {
    const url = this.env[target.connectionVariable];
    if (!url)
      return failed(
        `the environment variable ${target.connectionVariable}, which the catalog names for this database, is not set`,
      );
    const source = sourceOf(target);
    if ('problem' in source) return failed(source.problem);
    const where = describeDatabase(url, target.connectionVariable);
    const client = new Client({
      connectionString: url,
      connectionTimeoutMillis: this.timeoutMs,
      query_timeout: this.timeoutMs + 1000,
      // Read-only and bounded on the server's side too: the guard never changes the client's database.
      options: `-c default_transaction_read_only=on -c statement_timeout=${this.timeoutMs}`,
      application_name: 'hotfix-bot process guard',
    });
    // A connection dropped by the server after connecting would otherwise be an unhandled 'error' event.
    client.on('error', () => undefined);
    try {
      await client.connect();
      const result = await client.query<Record<string, unknown>>(
        `SELECT count(*) OVER () AS "__total", running.* FROM (${source.sql}) AS running LIMIT ${SHOWN_PROCESSES}`,
      );
      const first = result.rows[0];
      if (!first) return { kind: 'clear' };
      return {
        kind: 'running',
        total: Number(first['__total']),
        shown: result.rows.map((row) => this.line(row)),
      };
    } catch (error) {
      return failed(explain(error, { where, what: source.what }));
    } finally {
      await client.end().catch(() => undefined);
    }
  }

  /** One running process as `column=value` pairs, secrets hidden, cut short. */
  private line(row: Record<string, unknown>): string {
    const pairs = Object.entries(row)
      .filter(([column]) => column !== '__total')
      .map(([column, value]) => `${column}=${SECRET_COLUMN.test(column) ? '[REDACTED]' : shown(value)}`);
    return cut(this.options.redact(pairs.join(' ')), MAX_LINE);
  }
}

function failed(message: string): ProcessCheck {
  return { kind: 'failed', message };
}

/** The statement to read from: the catalog's query, or every row of its table. */
function sourceOf(target: ProcessGuardTarget): { sql: string; what: string } | { problem: string } {
  if (target.query !== undefined) {
    const sql = target.query.trim().replace(/;\s*$/, '');
    if (!/^(select|with)\b/i.test(sql) || sql.includes(';'))
      return { problem: "the catalog's process query must be a single SELECT statement" };
    return { sql, what: "the catalog's process query" };
  }
  const table = target.table ?? DEFAULT_PROCESS_TABLE;
  const parts = table.split('.');
  if (parts.length > 2 || !parts.every((part) => IDENTIFIER.test(part)))
    return { problem: `the process table "${table}" in the catalog is not a table name (schema.table)` };
  return { sql: `SELECT * FROM ${parts.map((p) => `"${p}"`).join('.')}`, what: `the table ${table}` };
}

/** The host and database a connection string points at, for messages: never its user or password. */
function describeDatabase(url: string, variable: string): string {
  try {
    const parsed = new URL(url);
    return `the database ${parsed.pathname.replace(/^\//, '') || '(default)'} on ${parsed.hostname}${parsed.port ? `:${parsed.port}` : ''} (from ${variable})`;
  } catch {
    return `the database in ${variable}`;
  }
}

/** A failed check in words: what could not be done, and where. */
function explain(error: unknown, context: { where: string; what: string }): string {
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : String(error);
  switch (code) {
    case '42P01':
    case '3F000':
      return `${context.what} does not exist in ${context.where}`;
    case '57014':
      return `reading ${context.what} in ${context.where} took longer than the statement timeout`;
    case '28P01':
    case '28000':
      return `${context.where} refused the login`;
    case '3D000':
      return `${context.where} does not exist`;
    case 'ECONNREFUSED':
    case 'ENOTFOUND':
    case 'EHOSTUNREACH':
    case 'ETIMEDOUT':
    case 'ECONNRESET':
      return `${context.where} could not be reached (${String(code)})`;
    default:
      if (/timeout/i.test(message)) return `${context.where} did not answer in time`;
      // A driver message can quote the statement, never the connection string (which it is not given).
      return `reading ${context.what} in ${context.where} failed: ${cut(message, MAX_LINE)}`;
  }
}

function shown(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  const text =
    value instanceof Date
      ? value.toISOString()
      : typeof value === 'object'
        ? JSON.stringify(value)
        : String(value);
  return cut(text.replace(/\s+/g, ' '), MAX_VALUE);
}

function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
