/**
 * The HTTP receiver for Slack. It runs Bolt's own HTTPReceiver pipeline (body buffering and parsing, acks through
 * HTTPResponseAck, Bolt's default error handlers) behind a stricter signature check that also refuses future
 * timestamps, and serves /healthz, /readyz and /metrics from the same server so the web role needs one port.
 */
import type { Readiness } from './readiness.js';
import { readinessOf, readinessResponse } from './readiness.js';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse as parseQuery } from 'node:querystring';

import {
  HTTPModuleFunctions,
  HTTPResponseAck,
  type App,
  type BufferedIncomingMessage,
  type Logger as BoltLogger,
  type Receiver,
  type ReceiverEvent,
} from '@slack/bolt';

import { consoleLogger, toBoltLogger, toError, type ReceiverLogger } from './receiver-logger.js';
import { checkSlackSignature } from './receiver-signature.js';

/** The logger shape the receiver accepts, re-exported so callers need only this module. */
export type { ReceiverLogger, ReceiverLogMethod } from './receiver-logger.js';

/** What a metrics endpoint serves, typically a prom-client registry's `contentType` and `metrics()`. */
export interface MetricsPayload {
  readonly contentType: string;
  readonly body: string;
}

/** Options for SignedHttpReceiver. */
export interface SignedHttpReceiverOptions {
  /** The app's signing secret; every request but Slack's unsigned ssl_check must carry a signature made with it. */
  readonly signingSecret: string;
  /** Path Slack posts to; `/slack/events` by default. */
  readonly endpoint?: string;
  /** Defaults to warnings and errors on the console. */
  readonly logger?: ReceiverLogger;
  /** Whether this process can serve traffic now (e.g. Redis reachable); always ready when absent. */
  readonly readiness?: () => Readiness | Promise<Readiness>;
  /** The metrics exposition; `/metrics` answers 404 when absent. */
  readonly metrics?: () => Promise<MetricsPayload>;
  /** Clock in milliseconds, injectable for tests. */
  readonly now?: () => number;
  /** Largest accepted distance between a request's timestamp and now, either way; 300 by default. */
  readonly maxSkewSeconds?: number;
  /** How long a listener has to ack before Bolt's unhandled-request answer (404); 3001 ms like Bolt. */
  readonly unhandledRequestTimeoutMillis?: number;
}

const REFUSED_BODY = 'invalid or expired request signature';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
  res.end(text);
}

/** A Bolt Receiver for Slack's HTTP API with two-sided timestamp checking and health/readiness/metrics routes. */
export class SignedHttpReceiver implements Receiver {
  private readonly signingSecret: string;
  private readonly endpoint: string;
  private readonly log: ReceiverLogger;
  private readonly boltLogger: BoltLogger;
  private readonly readiness: () => Readiness | Promise<Readiness>;
  private readonly metrics: (() => Promise<MetricsPayload>) | undefined;
  private readonly now: () => number;
  private readonly maxSkewSeconds: number;
  private readonly unhandledRequestTimeoutMillis: number;
  private app: App | undefined;
  private server: Server | undefined;

  /** Validates the options; throws on an empty signing secret rather than accept every request. */
  constructor(options: SignedHttpReceiverOptions) {
    if (options.signingSecret === '') throw new Error('SignedHttpReceiver needs a non-empty signing secret');
    this.signingSecret = options.signingSecret;
    this.endpoint = options.endpoint ?? '/slack/events';
    this.log = options.logger ?? consoleLogger;
    this.boltLogger = toBoltLogger(this.log);
    this.readiness = options.readiness ?? (() => true);
    this.metrics = options.metrics;
    this.now = options.now ?? Date.now;
    this.maxSkewSeconds = options.maxSkewSeconds ?? 300;
    this.unhandledRequestTimeoutMillis = options.unhandledRequestTimeoutMillis ?? 3001;
  }

  /** Called by the App's constructor; events are dispatched to this app. */
  init(app: App): void {
    this.app = app;
  }

  /** Starts listening (port 0 picks a free port) and resolves with the listening server. */
  start(port: number, host = '0.0.0.0'): Promise<Server> {
    if (this.server !== undefined) return Promise.reject(new Error('SignedHttpReceiver is already started'));
    const server = createServer((req, res) => this.onRequest(req, res));
    this.server = server;
    return new Promise((resolve, reject) => {
      const onStartError = (error: Error): void => {
        this.server = undefined;
        reject(error);
      };
      server.once('error', onStartError);
      server.listen(port, host, () => {
        server.off('error', onStartError);
        server.on('error', (error) => this.log.error({ err: error }, 'the Slack HTTP server failed'));
        this.log.info({ host, port: this.address()?.port, endpoint: this.endpoint }, 'listening for Slack');
        resolve(server);
      });
    });
  }

  /** Stops listening and closes every open connection, keep-alive ones included; a no-op when not started. */
  async stop(): Promise<void> {
    const server = this.server;
    if (server === undefined) return;
    this.server = undefined;
    await new Promise<void>((resolve, reject) => {
      server.close((error) => (error === undefined ? resolve() : reject(error)));
      // close() alone waits for idle keep-alive sockets to time out, which holds shutdown for seconds.
      server.closeAllConnections();
    });
  }

  /** The bound address while listening (its `port` is the real one when started on port 0). */
  address(): AddressInfo | undefined {
    const address = this.server?.address();
    return typeof address === 'object' && address !== null ? address : undefined;
  }

  private onRequest(req: IncomingMessage, res: ServerResponse): void {
    this.route(req, res).catch((error: unknown) => {
      if (res.headersSent) {
        this.log.error({ err: toError(error) }, 'a request failed after its response started');
        res.destroy();
        return;
      }
      HTTPModuleFunctions.defaultDispatchErrorHandler({
        error: toError(error),
        logger: this.boltLogger,
        request: req,
        response: res,
      });
    });
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const method = (req.method ?? '').toUpperCase();
    if (path === this.endpoint && method === 'POST') return this.handleSlackRequest(req, res);
    if (method === 'GET' || method === 'HEAD') {
      if (path === '/healthz') return sendText(res, 200, 'ok');
      if (path === '/readyz') {
        const answer = readinessResponse(await this.isReady());
        return sendText(res, answer.status, answer.body);
      }
      if (path === '/metrics' && this.metrics !== undefined) return this.serveMetrics(this.metrics, res);
    }
    sendText(res, 404, 'not found');
  }

  private async isReady(): Promise<{ ready: boolean; degraded: string[] }> {
    return readinessOf(this.readiness, (error) =>
      this.log.warn({ err: toError(error) }, 'the readiness check failed'),
    );
  }

  private async serveMetrics(metrics: () => Promise<MetricsPayload>, res: ServerResponse): Promise<void> {
    let payload: MetricsPayload;
    try {
      payload = await metrics();
    } catch (error) {
      this.log.error({ err: toError(error) }, 'collecting metrics failed');
      return sendText(res, 500, 'metrics unavailable');
    }
    res.writeHead(200, { 'content-type': payload.contentType, 'cache-control': 'no-store' });
    res.end(payload.body);
  }

  private async handleSlackRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const buffered = await this.readBody(req, res);
    if (buffered === undefined) return;
    const isForm = req.headers['content-type'] === 'application/x-www-form-urlencoded';

    // Slack sends ssl_check without signature headers (bolt-js#1397); like Bolt, answer it and dispatch nothing.
    if (isForm && parseQuery(buffered.rawBody.toString()).ssl_check === '1') {
      return HTTPModuleFunctions.buildSSLCheckResponse(res);
    }

    const check = checkSlackSignature({
      signingSecret: this.signingSecret,
      signature: req.headers['x-slack-signature'],
      timestamp: req.headers['x-slack-request-timestamp'],
      rawBody: buffered.rawBody,
      nowMs: this.now(),
      maxSkewSeconds: this.maxSkewSeconds,
    });
    if (!check.ok) {
      // Never the signature or the body: a refused request is untrusted input and may carry anything.
      this.log.warn(
        { reason: check.reason, skewSeconds: check.skewSeconds, remoteAddress: req.socket.remoteAddress },
        'refused a Slack request',
      );
      return sendText(res, 401, REFUSED_BODY);
    }

    let body: unknown;
    try {
      body = HTTPModuleFunctions.parseHTTPRequestBody(buffered) as unknown;
    } catch {
      // JSON.parse messages quote the input, so only the content type is logged.
      body = undefined;
    }
    if (!isRecord(body)) {
      this.log.warn({ contentType: req.headers['content-type'] }, 'malformed Slack request body');
      return sendText(res, 400, 'malformed request body');
    }
    if (body['ssl_check'] === '1') return HTTPModuleFunctions.buildSSLCheckResponse(res);
    if (body['type'] === 'url_verification')
      return HTTPModuleFunctions.buildUrlVerificationResponse(res, body);

    const app = this.app;
    if (app === undefined) {
      this.log.error({}, 'a Slack request arrived before init(app)');
      return sendText(res, 503, 'not ready');
    }
    await this.dispatch(app, req, buffered, body, res);
  }

  /** Buffers the body within Bolt's limit; answers and returns undefined when it cannot be read. */
  private async readBody(
    req: IncomingMessage,
    res: ServerResponse,
  ): Promise<BufferedIncomingMessage | undefined> {
    try {
      return await HTTPModuleFunctions.bufferIncomingMessage(req, HTTPModuleFunctions.defaultBodyLimit);
    } catch (error) {
      const status = HTTPModuleFunctions.isRawBodyError(error) ? error.statusCode : 400;
      this.log.warn(
        { status, limit: HTTPModuleFunctions.defaultBodyLimit },
        'could not read a Slack request body',
      );
      sendText(res, status, status === 413 ? 'request body too large' : 'unreadable request body');
      return undefined;
    }
  }

  /** Hands a verified request to the App the way Bolt's HTTPReceiver does (ack first, then the response). */
  private async dispatch(
    app: App,
    req: IncomingMessage,
    buffered: BufferedIncomingMessage,
    body: Record<string, unknown>,
    res: ServerResponse,
  ): Promise<void> {
    const ack = new HTTPResponseAck({
      logger: this.boltLogger,
      processBeforeResponse: false,
      unhandledRequestTimeoutMillis: this.unhandledRequestTimeoutMillis,
      httpRequest: buffered,
      httpRequestBody: body,
      httpResponse: res,
    });
    const event: ReceiverEvent = { body, ack: ack.bind(), customProperties: {} };
    const retryNum = HTTPModuleFunctions.extractRetryNumFromHTTPRequest(req);
    if (retryNum !== undefined && Number.isInteger(retryNum)) event.retryNum = retryNum;
    const retryReason = HTTPModuleFunctions.extractRetryReasonFromHTTPRequest(req);
    if (retryReason !== undefined) event.retryReason = retryReason;

    try {
      await app.processEvent(event);
    } catch (error) {
      const acknowledged = await HTTPModuleFunctions.defaultProcessEventErrorHandler({
        error: toError(error),
        logger: this.boltLogger,
        request: req,
        response: res,
        storedResponse: ack.storedResponse,
      });
      // Like Bolt: only stop the no-ack timer when the handler answered; otherwise an ack may still be racing in.
      if (acknowledged) ack.ack();
    }
  }
}
