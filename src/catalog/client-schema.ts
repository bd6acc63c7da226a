/** Schemas for `clients`: each client's environments and the deploy targets, guards and records in them. */
import { z } from 'zod';
import { channelRef, httpUrl, namedRecord, text, timeZone, userId } from './primitives.js';
import { foundExpected } from './messages.js';

const jenkinsTarget = z.strictObject({
  job: text,
  parameters: z.strictObject({ client: text, env: text, services: text, hotfixId: text }),
  clientValue: text.exactOptional(),
  envValue: text.exactOptional(),
});

const ecsImageTarget = z.strictObject({
  cluster: text,
  service: text,
  container: text,
  /** The task-definition family, when it is not the family the service runs now. */
  family: text.exactOptional(),
  /** How long a rollout may take before the hotfix fails. */
  timeoutMinutes: z.number().int().min(1).max(720).exactOptional(),
});

const ecsRunOnceTarget = z.strictObject({
  cluster: text,
  service: text,
  container: text,
  /** Defaults to seed 000's `/ecs/<env>-deployment-<client>`. */
  logGroup: text.exactOptional(),
  /** How long the run may take before the hotfix fails. */
  timeoutMinutes: z.number().int().min(1).max(720).exactOptional(),
});

const ENV_VAR = 'the name of an environment variable like PROCESS_GUARD_URL_ACME_PROD';

/** Never echo what was found: the usual mistake is pasting the connection string, password included. */
const connectionEnv = z
  .string({ error: (issue) => foundExpected(issue.input, ENV_VAR) })
  .regex(/^[A-Z_][A-Z0-9_]*$/, {
    error: () =>
      `found something that is not a variable name (not shown, in case it is a secret), expected ${ENV_VAR}`,
  });

const processGuard = z.strictObject({
  connectionEnv,
  table: text.exactOptional(),
  query: text.exactOptional(),
  /** How long a deploy waits for running processes to finish. */
  waitMinutes: z.number().int().min(1).max(720).exactOptional(),
});

const statuspage = z.strictObject({ pageId: text, componentIds: z.array(text).min(1) });

const env = z.strictObject({
  production: z.boolean(),
  jenkins: jenkinsTarget.exactOptional(),
  /** Keyed by service name: each `ecs-image` service has its own ECS service. */
  ecsImage: z.record(z.string(), ecsImageTarget).exactOptional(),
  ecsRunOnce: ecsRunOnceTarget.exactOptional(),
  processGuard: processGuard.exactOptional(),
  statuspage: statuspage.exactOptional(),
  calendarId: text.exactOptional(),
  healthUrls: z.record(z.string(), httpUrl).default({}),
});

const client = z.strictObject({
  displayName: text,
  timezone: timeZone,
  prodSupportChannel: channelRef,
  tam: userId.exactOptional(),
  envs: namedRecord(env, 'env'),
});

/** `clients`: keyed by client name, each with its envs keyed by env name. */
export const clientsSchema = namedRecord(client, 'client');
