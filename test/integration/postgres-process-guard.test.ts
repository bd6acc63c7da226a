/**
 * The process guard against the real PostgreSQL on 127.0.0.1:5432 (trust auth): a database of its own per run, with
 * seed 000's `meta.process`, so nothing here touches another test's data.
 */
import { Client } from 'pg';
import { PostgresProcessGuard } from '../../src/adapters/postgres/postgres-process-guard.js';
import { createRedactor } from '../../src/redact.js';

const ADMIN_URL = process.env.HOTFIX_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const DATABASE = `hotfix_guard_${process.pid}_${Date.now().toString(36)}`;
const url = (() => {
  const parsed = new URL(ADMIN_URL);
  parsed.pathname = `/${DATABASE}`;
  return parsed.toString();
})();

async function admin<T>(run: (client: Client) => Promise<T>, connection = ADMIN_URL): Promise<T> {
  const client = new Client({ connectionString: connection });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

const inDatabase = (sql: string) => admin((c) => c.query(sql), url);

beforeAll(async () => {
  await admin((c) => c.query(`CREATE DATABASE ${DATABASE}`));
  await inDatabase(`CREATE SCHEMA meta;
    CREATE TABLE meta.process (id serial PRIMARY KEY, name text NOT NULL, started_at timestamptz NOT NULL DEFAULT now(), api_token text)`);
});

afterAll(async () => {
  await admin((c) => c.query(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`));
});

beforeEach(() => inDatabase('TRUNCATE meta.process'));

const guard = (env: NodeJS.ProcessEnv = { CLIENT_DB_URL: url }, timeoutMs = 3000) =>
  new PostgresProcessGuard({ env, timeoutMs, redact: createRedactor(['s3cr3t-value']) });

describe('the process guard on PostgreSQL', () => {
  it('passes when meta.process is empty', async () => {
    await expect(guard().check({ connectionVariable: 'CLIENT_DB_URL' })).resolves.toEqual({ kind: 'clear' });
  });

  it('names what is running: the total and the first five rows, secrets hidden', async () => {
    const names = ['nightly-billing', 'reindex', 'export-a', 'export-b', 'export-c', 'export-d', 'export-e'];
    for (const name of names)
      await inDatabase(`INSERT INTO meta.process (name, api_token) VALUES ('${name}', 'tok-${name}')`);
    await inDatabase(`INSERT INTO meta.process (name) VALUES ('uses s3cr3t-value inside')`);
    const check = await guard().check({ connectionVariable: 'CLIENT_DB_URL' });
    expect(check.kind).toBe('running');
    if (check.kind !== 'running') return;
    expect(check.total).toBe(8);
    expect(check.shown).toHaveLength(5);
    expect(check.shown[0]).toMatch(/^id=\d+ name=\S+ started_at=\d{4}-\d\d-\d\dT.* api_token=\[REDACTED\]$/);
    expect(check.shown.join('\n')).not.toContain('tok-');
  });

  it('hides a known secret value wherever a row shows it', async () => {
    await inDatabase(`INSERT INTO meta.process (name) VALUES ('uses s3cr3t-value inside')`);
    const check = await guard().check({ connectionVariable: 'CLIENT_DB_URL' });
    expect(check).toEqual({ kind: 'running', total: 1, shown: [expect.stringContaining('[REDACTED]')] });
    expect(JSON.stringify(check)).not.toContain('s3cr3t-value');
  });

  it("reads another table or the catalog's own query when the catalog names one", async () => {
    await inDatabase(`CREATE TABLE IF NOT EXISTS public.jobs (job text, state text)`);
    await inDatabase(
      `DELETE FROM public.jobs; INSERT INTO public.jobs VALUES ('sync', 'running'), ('old', 'done')`,
    );
    const table = await guard().check({ connectionVariable: 'CLIENT_DB_URL', table: 'public.jobs' });
    expect(table).toMatchObject({ kind: 'running', total: 2 });
    const query = await guard().check({
      connectionVariable: 'CLIENT_DB_URL',
      query: "SELECT job FROM public.jobs WHERE state = 'running';",
    });
    expect(query).toEqual({ kind: 'running', total: 1, shown: ['job=sync'] });
  });

  it('never changes the database: the session is read-only on the server', async () => {
    const sequence = () =>
      admin((c) => c.query('SELECT last_value, is_called FROM meta.process_id_seq'), url).then(
        (r) => r.rows[0],
      );
    const before = await sequence();
    const check = await guard().check({
      connectionVariable: 'CLIENT_DB_URL',
      query: "SELECT nextval('meta.process_id_seq') AS advanced",
    });
    expect(check).toEqual({ kind: 'failed', message: expect.stringContaining('read-only transaction') });
    expect(await sequence()).toEqual(before);
  });

  it('refuses a query that is not one SELECT, without running it', async () => {
    for (const query of ['DELETE FROM meta.process', 'SELECT 1; DROP TABLE meta.process']) {
      const check = await guard().check({ connectionVariable: 'CLIENT_DB_URL', query });
      expect(check).toEqual({ kind: 'failed', message: expect.stringContaining('single SELECT') });
    }
    await expect(guard().check({ connectionVariable: 'CLIENT_DB_URL' })).resolves.toEqual({ kind: 'clear' });
  });

  it('fails, never passes, when the table is missing, naming it', async () => {
    const check = await guard().check({ connectionVariable: 'CLIENT_DB_URL', table: 'meta.processes' });
    expect(check).toEqual({
      kind: 'failed',
      message: expect.stringMatching(
        /the table meta\.processes does not exist in the database hotfix_guard_\w+ on 127\.0\.0\.1:5432/,
      ),
    });
  });

  it('fails when the statement runs past the timeout', async () => {
    const check = await guard(undefined, 300).check({
      connectionVariable: 'CLIENT_DB_URL',
      query: 'SELECT pg_sleep(2) AS slept',
    });
    expect(check).toEqual({ kind: 'failed', message: expect.stringMatching(/statement timeout|in time/) });
  });

  it('fails when the database cannot be reached, without the connection string or its password', async () => {
    const env = { CLIENT_DB_URL: 'postgres://deployer:hunter2-pass@127.0.0.1:1/clientdb' };
    const check = await guard(env).check({ connectionVariable: 'CLIENT_DB_URL' });
    expect(check).toEqual({
      kind: 'failed',
      message:
        'the database clientdb on 127.0.0.1:1 (from CLIENT_DB_URL) could not be reached (ECONNREFUSED)',
    });
    expect(JSON.stringify(check)).not.toMatch(/hunter2|deployer/);
  });

  it('fails when the variable the catalog names is not set, naming the variable', async () => {
    const check = await guard({}).check({ connectionVariable: 'ACME_PROD_DB_URL' });
    expect(check).toEqual({
      kind: 'failed',
      message: expect.stringContaining('the environment variable ACME_PROD_DB_URL'),
    });
  });

  it('refuses a table name that is not one, without asking the database', async () => {
    const check = await guard().check({
      connectionVariable: 'CLIENT_DB_URL',
      table: 'meta.process; DROP TABLE x',
    });
    expect(check).toEqual({ kind: 'failed', message: expect.stringContaining('is not a table name') });
  });
});
