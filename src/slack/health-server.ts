import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { MetricsPayload } from './receiver.js';
import type { Readiness } from './readiness.js';
import { readinessOf, readinessResponse } from './readiness.js';

/** `/healthz`, `/readyz` and `/metrics` alone, for Socket Mode (where Slack needs no HTTP endpoint) and workers. */
export async function startHealthServer(
  port: number,
  readiness: () => Readiness | Promise<Readiness>,
  metrics: () => Promise<MetricsPayload>,
): Promise<Server> {
  const server = createServer((req, res) => {
    void (async () => {
      const path = (req.url ?? '/').split('?')[0];
      if (req.method === 'GET' && path === '/healthz') return void res.writeHead(200).end('ok');
      if (req.method === 'GET' && path === '/readyz') {
        const answer = readinessResponse(await readinessOf(readiness));
        return void res.writeHead(answer.status).end(answer.body);
      }
      if (req.method === 'GET' && path === '/metrics') {
        const payload = await metrics();
        return void res.writeHead(200, { 'content-type': payload.contentType }).end(payload.body);
      }
      res.writeHead(404).end('not found');
    })().catch(() => res.writeHead(500).end('error'));
  });
  await new Promise<void>((resolve) => server.listen(port, '0.0.0.0', resolve));
  return server;
}
