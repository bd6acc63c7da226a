import type { Server } from 'node:http';
import { App, LogLevel } from '@slack/bolt';
import type { ListenerContext } from './listeners/context.js';
import { registerListeners } from './listeners/index.js';
import type { MetricsPayload, ReceiverLogger } from './receiver.js';
import { SignedHttpReceiver } from './receiver.js';
import { toBoltLogger } from './receiver-logger.js';
import { startHealthServer } from './health-server.js';
import type { Readiness } from './readiness.js';

/** How to reach Slack and how to serve it. */
export interface SlackAppOptions {
  botToken: string;
  apiUrl: string;
  /** HTTP mode (the default): every request is signature-checked. */
  signingSecret?: string;
  /** Socket Mode when set. */
  appToken?: string;
  /** Known bot ids skip Bolt's `auth.test` at start-up (tests). */
  botId?: string;
  botUserId?: string;
  logger: ReceiverLogger;
  readiness: () => Readiness | Promise<Readiness>;
  metrics: () => Promise<MetricsPayload>;
}

/** A running Slack front end. */
export interface SlackFrontEnd {
  app: App;
  /** The HTTP server: Slack events in HTTP mode, health and metrics in both modes. */
  start(port: number): Promise<Server>;
  stop(): Promise<void>;
}

/** Builds the Bolt app for HTTP or Socket Mode; the listeners are the same either way. */
export function createSlackApp(options: SlackAppOptions, ctx: ListenerContext): SlackFrontEnd {
  const common = {
    token: options.botToken,
    logger: toBoltLogger(options.logger),
    logLevel: LogLevel.INFO,
    // No listener reads Bolt's conversation state; its store would be one more middleware on every request.
    convoStore: false as const,
    // Listener calls run inside Slack's 3-second window: one quick retry, then the person is told.
    clientOptions: {
      slackApiUrl: options.apiUrl,
      retryConfig: { retries: 1, factor: 1, minTimeout: 100, maxTimeout: 300 },
    },
    ...(options.botId !== undefined && options.botUserId !== undefined
      ? { botId: options.botId, botUserId: options.botUserId }
      : {}),
  };
  if (options.appToken) {
    // The Socket Mode client gets its own options object: it writes its (long) reconnect retries into the one it is
    // given, which would otherwise become the listeners' retries too.
    const installerOptions = { clientOptions: { slackApiUrl: options.apiUrl } };
    const app = new App({ ...common, appToken: options.appToken, socketMode: true, installerOptions });
    registerListeners(app, ctx);
    let health: Server | undefined;
    return {
      app,
      async start(port) {
        // Health first: a slow or failing Slack connection must not make the process look dead to its probes.
        health = await startHealthServer(port, options.readiness, options.metrics);
        await app.start();
        return health;
      },
      async stop() {
        await app.stop();
        health?.closeAllConnections();
        await new Promise<void>((resolve) => (health ? health.close(() => resolve()) : resolve()));
      },
    };
  }
  if (!options.signingSecret) throw new Error('HTTP mode needs SLACK_SIGNING_SECRET');
  const receiver = new SignedHttpReceiver({
    signingSecret: options.signingSecret,
    logger: options.logger,
    readiness: options.readiness,
    metrics: options.metrics,
  });
  const app = new App({ ...common, receiver });
  registerListeners(app, ctx);
  return {
    app,
    start: (port) => receiver.start(port),
    stop: () => receiver.stop(),
  };
}
