/**
 * Seed 000's precondition for the run-once deployment service: "Deployment can only run if there are no processes
 * running" (rows in the client's `meta.process`). Asked at plan time and again just before the deploy starts.
 */

/** Where to look, from the catalog: the client env's database and what counts as a running process. */
export interface ProcessGuardTarget {
  /** The environment variable holding the connection string (never the string itself: it carries a password). */
  connectionVariable: string;
  /** `schema.table` whose rows are running processes. @defaultValue 'meta.process' */
  table?: string;
  /** A SELECT whose rows are running processes, instead of a table (run read-only, with a statement timeout). */
  query?: string;
}

/** What the database said. Anything but `clear` holds the deploy back: a guard that could not look never passes. */
export type ProcessCheck =
  | { kind: 'clear' }
  /** Processes are running: how many, and the first few as `column=value` lines, secrets hidden, cut short. */
  | { kind: 'running'; total: number; shown: string[] }
  /** The guard could not tell (no variable, database unreachable, table missing, timeout): `message` says which. */
  | { kind: 'failed'; message: string };

/** Reads the running processes of a client env's database. */
export interface ProcessGuard {
  check(target: ProcessGuardTarget): Promise<ProcessCheck>;
}
