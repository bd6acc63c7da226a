/**
 * A world for the ecs-run-once tests: the catalog's deployment service of acme staging in the AWS emulator (one-shot,
 * at 0 desired, logging to its CloudWatch group) and a PostgreSQL database of the test file's own with `meta.process`.
 */
import { Client } from 'pg';
import type { AwsEmulator } from '../emulators/aws/index.js';

/** The deployment service's image repository. */
export const DEPLOYMENT_REPO = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/deployment';
/** acme staging's deployment service, as the catalog names it. */
export const STAGING_DEPLOYMENT = {
  cluster: 'staging-acme',
  service: 'staging-deployment-acme',
  logGroup: '/ecs/staging-deployment-acme',
};

/** Seeds the deployment service on revision 1 of its family with image `tag`, at `desiredCount` (default 0). */
export function seedDeploymentService(
  emulator: AwsEmulator,
  tag: string,
  desiredCount = 0,
  names: { cluster: string; service: string; logGroup: string } = STAGING_DEPLOYMENT,
): string {
  const { cluster, service, logGroup } = names;
  const revision = emulator.ecs.seedTaskDefinition({
    family: service,
    cpu: '1024',
    memory: '2048',
    networkMode: 'awsvpc',
    requiresCompatibilities: ['FARGATE'],
    containerDefinitions: [{ name: 'deployment', image: `${DEPLOYMENT_REPO}:${tag}`, essential: true }],
  });
  emulator.ecs.seedService({ cluster, name: service, taskDefinition: revision, desiredCount });
  emulator.runOnce.configure(cluster, service, { logGroup, container: 'deployment' });
  return revision;
}

const ADMIN_URL = process.env.HOTFIX_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** A PostgreSQL database of its own with seed 000's `meta.process`, created and dropped by the caller. */
export function processDatabase(prefix: string) {
  const name = `${prefix}_${process.pid}_${Date.now().toString(36)}`;
  const parsed = new URL(ADMIN_URL);
  parsed.pathname = `/${name}`;
  const url = parsed.toString();
  const run = async (sql: string, connection = url) => {
    const client = new Client({ connectionString: connection });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  return {
    url,
    async create() {
      await run(`CREATE DATABASE ${name}`, ADMIN_URL);
      await run(`CREATE SCHEMA meta;
        CREATE TABLE meta.process (id serial PRIMARY KEY, name text NOT NULL, api_token text)`);
    },
    drop: () => run(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`, ADMIN_URL),
    query: (sql: string) => run(sql),
  };
}
