/**
 * Signed Slack requests built ahead of a timed run: the emulator's request helpers send each request (exactly as
 * Slack shapes and signs it) to this capture server, which keeps the raw bytes and answers at once. The timed run then
 * only writes bytes, so building and signing requests costs the measurement nothing.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One captured request: what to send again. */
export interface RawRequest {
  headers: Record<string, string>;
  body: string;
}

/** A capture server and the requests it has received, oldest first. */
export async function startCapture(): Promise<{ url: string; take(): RawRequest[]; close(): Promise<void> }> {
  let captured: RawRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers))
        if (name.startsWith('x-slack-') || name === 'content-type') headers[name] = String(value);
      captured.push({ headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/slack/events`,
    take() {
      const taken = captured;
      captured = [];
      return taken;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
