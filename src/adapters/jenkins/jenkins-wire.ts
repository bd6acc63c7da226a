/**
 * The trust boundary with Jenkins: the part of the `jenkins` client we call (its published types are loose and miss
 * the raw requests input steps need), and zod shapes for every answer we read. Nothing else in the adapter touches
 * an unchecked value.
 */
import Jenkins from 'jenkins';
import { z } from 'zod';

/** A papi middleware: the client's way of turning a response into a value. */
type Middleware = (
  ctx: { err?: unknown; res?: { body?: unknown } },
  next: (err?: unknown, value?: unknown) => void,
) => void;

/** A raw request through the client (crumb, auth header and base URL included). */
interface RawRequest {
  path: string;
  type?: 'form';
  body?: Record<string, string>;
  query?: Record<string, string>;
}

/** The calls the adapter makes through the `jenkins` client. */
export interface JenkinsClient {
  job: {
    get(name: string, opts: { tree?: string }): Promise<unknown>;
    build(opts: { name: string; parameters: Record<string, string> }): Promise<unknown>;
  };
  build: {
    get(name: string, n: number, opts: { tree: string }): Promise<unknown>;
    log(name: string, n: number, opts: { start: number; meta: true }): Promise<unknown>;
    stop(name: string, n: number): Promise<void>;
  };
  queue: {
    list(opts: { tree: string }): Promise<unknown>;
    item(n: number): Promise<unknown>;
  };
  _get(req: RawRequest, ...middleware: Middleware[]): Promise<unknown>;
  _post(req: RawRequest, ...middleware: Middleware[]): Promise<unknown>;
}

/** Options for the client: the base URL never carries credentials; they travel in a header. */
export interface ClientOptions {
  baseUrl: string;
  user: string;
  apiToken: string;
  timeoutMs: number;
}

/** Builds the real client. Crumbs are fetched before each POST, as Jenkins without API-token exemption needs. */
export function createJenkinsClient(options: ClientOptions): JenkinsClient {
  const basic = Buffer.from(`${options.user}:${options.apiToken}`).toString('base64');
  const settings = {
    baseUrl: options.baseUrl,
    crumbIssuer: true,
    headers: { authorization: `Basic ${basic}` },
    timeout: options.timeoutMs,
  };
  // The published types lack `timeout` and the raw request methods the client inherits from papi.
  return new Jenkins(settings as ConstructorParameters<typeof Jenkins>[0]) as unknown as JenkinsClient;
}

/** Resolves with the response body, as the client's own `body` middleware does. */
export const bodyOf: Middleware = (ctx, next) => {
  if (ctx.err) return next(ctx.err);
  next(false, ctx.res?.body);
};

const parameters = z.array(z.object({ name: z.string(), value: z.unknown() }).loose());
const actions = z.array(z.object({ parameters: parameters.optional() }).loose().nullable()).default([]);

/** `api/json?tree=property[parameterDefinitions[name]]`. */
export const JobParametersJson = z
  .object({
    property: z
      .array(
        z
          .object({ parameterDefinitions: z.array(z.object({ name: z.string() }).loose()).optional() })
          .loose(),
      )
      .default([]),
  })
  .loose();

const jobBuilds = z
  .array(
    z
      .object({
        number: z.number(),
        url: z.string().optional(),
        result: z.string().nullable().optional(),
        building: z.boolean().optional(),
        actions,
      })
      .loose(),
  )
  .default([]);

/** `api/json?tree=builds[...]` (the newest 100) or `allBuilds[...]{m,n}`. */
export const JobBuildsJson = z
  .object({ url: z.string().optional(), builds: jobBuilds, allBuilds: jobBuilds })
  .loose();

/** One queue item (`/queue/item/<n>/api/json`, or an entry of `/queue/api/json`). */
export const QueueItemJson = z
  .object({
    id: z.number(),
    _class: z.string().optional(),
    cancelled: z.boolean().optional(),
    executable: z.object({ number: z.number(), url: z.string() }).loose().nullable().optional(),
    task: z.object({ url: z.string() }).loose().optional(),
    actions,
  })
  .loose();

/** `/queue/api/json` as the client's `queue.list` returns it (the `items` array). */
export const QueueItemsJson = z.array(QueueItemJson);

/** `/job/<j>/<n>/api/json?tree=building,result`. */
export const BuildStateJson = z
  .object({ building: z.boolean().default(false), result: z.string().nullable().optional() })
  .loose();

/** `wfapi/describe`. */
export const DescribeJson = z
  .object({
    status: z.string(),
    stages: z
      .array(
        z.object({ name: z.string(), status: z.string(), durationMillis: z.number().default(0) }).loose(),
      )
      .default([]),
  })
  .loose();

/** `wfapi/pendingInputActions`. */
export const PendingInputsJson = z.array(
  z.object({ id: z.string(), message: z.string().default('') }).loose(),
);

/** `build.log(..., { meta: true })`. */
export const LogJson = z.object({ text: z.string().default(''), more: z.boolean() }).loose();

/** The parameters of a build or queue item as a plain map (values as text). */
export function parametersOf(list: z.infer<typeof actions>): Record<string, string> {
  const found = list.find((a) => a?.parameters)?.parameters ?? [];
  return Object.fromEntries(
    found.map((p) => [p.name, typeof p.value === 'string' ? p.value : JSON.stringify(p.value)]),
  );
}
