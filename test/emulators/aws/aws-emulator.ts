/**
 * A local AWS endpoint for ECS and CloudWatch Logs: a node:http server on 127.0.0.1 speaking the JSON 1.1 protocol
 * the real SDK clients use (point them at `emulator.url` with the `endpoint` option or `AWS_ENDPOINT_URL`), holding
 * task definitions, services whose deployments roll out over time, tasks and log groups, recording every call, and
 * failing on demand (throttling, 5xx, access denied).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EcsState } from './ecs-state.js';
import { ECS_OPS } from './ecs-ops.js';
import { LogsState } from './logs-state.js';
import { RunOnceTasks } from './run-once-state.js';
import {
  AMZ_JSON,
  AwsError,
  checkSignature,
  ECS_TARGET_PREFIX,
  isObject,
  LOGS_TARGET_PREFIX,
  type Json,
  type JsonObject,
} from './wire.js';

/** The static test credentials every emulator accepts unless told otherwise. */
export const TEST_CREDENTIALS = {
  accessKeyId: 'AKIAEMULATOR00000001',
  secretAccessKey: 'emulator/secret/key/not/for/production/000',
};
export const TEST_REGION = 'eu-west-1';
export const TEST_ACCOUNT = '123456789012';

/** How to start the emulator. */
export interface AwsEmulatorOptions {
  /** @defaultValue TEST_REGION */
  region?: string;
  /** Access key ids whose signatures are accepted. @defaultValue [TEST_CREDENTIALS.accessKeyId] */
  accessKeyIds?: string[];
  /** Milliseconds now: rollouts move on by this clock. @defaultValue Date.now */
  clock?: () => number;
  /** Milliseconds per rollout step (one task started or failed). @defaultValue 1000 */
  stepMs?: number;
  /** Events per FilterLogEvents page. @defaultValue 50 */
  logPageSize?: number;
}

/** One call as the emulator saw it. */
export interface AwsCall {
  service: 'ecs' | 'logs';
  operation: string;
  body: JsonObject;
  status: number;
  errorType?: string;
}

/** A call as it arrives, before it is answered. */
export type AwsCallSeen = Omit<AwsCall, 'status' | 'errorType'>;

/** A fault for the next calls of an operation. */
export interface AwsFault {
  status: number;
  type: string;
  message?: string;
}

/** Faults AWS documents, ready to inject. */
export const FAULTS = {
  throttling: { status: 400, type: 'ThrottlingException', message: 'Rate exceeded' },
  serverError: { status: 500, type: 'ServerException', message: 'Service encountered an internal error.' },
  unavailable: { status: 503, type: 'ServiceUnavailableException', message: 'Service Unavailable' },
  accessDenied: {
    status: 400,
    type: 'AccessDeniedException',
    message: 'User: arn:aws:iam::123456789012:user/hotfix-bot is not authorized to perform this action',
  },
} as const satisfies Record<string, AwsFault>;

/** A running emulator. */
export interface AwsEmulator {
  readonly url: string;
  readonly region: string;
  readonly ecs: EcsState;
  readonly logs: LogsState;
  /** One-shot services (seed 000's deployment service): configure one, script its next runs. */
  readonly runOnce: RunOnceTasks;
  readonly calls: readonly AwsCall[];
  /** Successful calls of one operation. */
  callsOf(operation: string): AwsCall[];
  /** The next `times` calls of `operation` fail with `fault`. @defaultValue times 1 */
  failNext(operation: string, fault: AwsFault, times?: number): void;
  /**
   * Runs `action` once, at the first call matching `predicate` (crash tests kill the caller there): 'before' holds
   * the call, which is never carried out; 'after' carries it out and runs `action` before answering.
   */
  onCall(
    predicate: (call: AwsCallSeen) => boolean,
    action: () => Promise<void>,
    when?: 'before' | 'after',
  ): void;
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks).toString('utf8');
}

function send(res: ServerResponse, status: number, body: JsonObject): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': AMZ_JSON,
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': `req-${Math.random().toString(16).slice(2)}`,
  });
  res.end(text);
}

/** Starts an AWS emulator on 127.0.0.1, port 0. */
export async function startAwsEmulator(options: AwsEmulatorOptions = {}): Promise<AwsEmulator> {
  const region = options.region ?? TEST_REGION;
  const clock = options.clock ?? Date.now;
  const keys = new Set(options.accessKeyIds ?? [TEST_CREDENTIALS.accessKeyId]);
  const ecs = new EcsState(clock, region, TEST_ACCOUNT, options.stepMs ?? 1000);
  const logs = new LogsState(clock, options.logPageSize ?? 50);
  const runOnce = new RunOnceTasks(logs, clock, region, TEST_ACCOUNT, options.stepMs ?? 1000);
  ecs.runOnce = runOnce;
  const calls: AwsCall[] = [];
  const faults: { operation: string; fault: AwsFault; remaining: number }[] = [];

  const hooks: {
    predicate: (call: AwsCallSeen) => boolean;
    action: () => Promise<void>;
    when: 'before' | 'after';
  }[] = [];

  /** The call a request makes, once its protocol, target and signature are right. */
  const parse = (raw: string, req: IncomingMessage): AwsCallSeen => {
    if (req.method !== 'POST' || (req.url ?? '/') !== '/')
      throw new AwsError(404, 'UnknownOperationException', 'Only POST / is served');
    const target = req.headers['x-amz-target'];
    const [prefix, operation = ''] = typeof target === 'string' ? target.split('.') : [];
    const service = prefix === ECS_TARGET_PREFIX ? 'ecs' : prefix === LOGS_TARGET_PREFIX ? 'logs' : undefined;
    if (!service)
      throw new AwsError(400, 'UnknownOperationException', `Unknown X-Amz-Target ${String(target)}`);
    if (!(req.headers['content-type'] ?? '').startsWith(AMZ_JSON))
      throw new AwsError(400, 'SerializationException', `Content-Type must be ${AMZ_JSON}`);
    checkSignature(req.headers, region, service, keys);
    let body: Json;
    try {
      body = raw.trim() === '' ? {} : (JSON.parse(raw) as Json);
    } catch {
      throw new AwsError(400, 'SerializationException', 'Request body is not valid JSON');
    }
    if (!isObject(body))
      throw new AwsError(400, 'SerializationException', 'Request body must be a JSON object');
    return { service, operation, body };
  };

  /** Runs the call against the state: a fault injected for it, or the operation. */
  const execute = (call: AwsCallSeen): JsonObject => {
    const fault = faults.find((f) => f.operation === call.operation);
    if (fault) {
      fault.remaining -= 1;
      if (fault.remaining <= 0) faults.splice(faults.indexOf(fault), 1);
      throw new AwsError(fault.fault.status, fault.fault.type, fault.fault.message ?? fault.fault.type);
    }
    const logsOps: Record<string, () => JsonObject> = {
      FilterLogEvents: () => logs.filter(call.body),
      DescribeLogStreams: () => logs.describeStreams(call.body),
      GetLogEvents: () => logs.getEvents(call.body),
    };
    const op = call.service === 'ecs' ? ECS_OPS[call.operation] : logsOps[call.operation];
    if (!op) throw new AwsError(400, 'UnknownOperationException', `${call.operation} is not emulated`);
    return op(ecs, call.body);
  };

  const handle = async (raw: string, req: IncomingMessage, res: ServerResponse): Promise<void> => {
    let call: AwsCallSeen | undefined;
    try {
      call = parse(raw, req);
      const seen = call;
      const hook = hooks.find((h) => h.predicate(seen));
      if (hook) hooks.splice(hooks.indexOf(hook), 1);
      if (hook?.when === 'before') {
        // Held and never carried out: the caller dies waiting.
        calls.push({ ...call, status: 0 });
        await hook.action();
        req.socket.destroy();
        return;
      }
      const body = execute(call);
      calls.push({ ...call, status: 200 });
      // Carried out; the caller dies before it hears back.
      if (hook) await hook.action();
      send(res, 200, body);
    } catch (error) {
      if (error instanceof AwsError) {
        if (call) calls.push({ ...call, status: error.status, errorType: error.type });
        send(res, error.status, { __type: error.type, message: error.message });
        return;
      }
      send(res, 500, { __type: 'InternalFailure', message: String(error) });
    }
  };

  const server = createServer((req, res) => {
    void readBody(req).then((raw) => handle(raw, req, res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    region,
    ecs,
    logs,
    runOnce,
    calls,
    callsOf: (operation) => calls.filter((c) => c.operation === operation && c.status === 200),
    failNext(operation, fault, times = 1) {
      faults.push({ operation, fault, remaining: times });
    },
    onCall(predicate, action, when = 'before') {
      hooks.push({ predicate, action, when });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
