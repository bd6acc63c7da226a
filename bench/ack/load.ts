/**
 * An open-loop load generator: request `i` is sent at `i / rate` seconds whatever the earlier ones are doing, so a slow
 * answer cannot hide the queue behind it (no coordinated omission). Requests are raw bytes prepared beforehand.
 */
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { RawRequest } from './capture.js';

/** What one run measured. */
export interface RunFigures {
  sent: number;
  p50: number;
  p99: number;
  max: number;
  /** Answers other than HTTP 200, and requests that failed outright. */
  non200: number;
  /** The bot's web process: CPU time it spent per request of the run (Linux). */
  webCpuMsPerRequest?: number;
  /** The bot's worker process: CPU time it spent during the run and the moment after, per request (Linux). */
  workerCpuMsPerRequest?: number;
}

const agent = new Agent({ keepAlive: true, maxSockets: 256 });

function send(url: string, raw: RawRequest): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent,
        headers: { ...raw.headers, 'content-length': Buffer.byteLength(raw.body) },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(raw.body);
  });
}

/** Sends `requests` to `url` at `rate` per second, and reports latency percentiles in milliseconds. */
export async function runOpenLoop(url: string, rate: number, requests: RawRequest[]): Promise<RunFigures> {
  const latencies: number[] = [];
  let non200 = 0;
  const start = performance.now();
  const inflight: Promise<void>[] = [];
  for (const [i, raw] of requests.entries()) {
    const wait = start + (i * 1000) / rate - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const sentAt = performance.now();
    inflight.push(
      send(url, raw).then(
        (status) => {
          latencies.push(performance.now() - sentAt);
          if (status !== 200) non200++;
        },
        () => {
          latencies.push(performance.now() - sentAt);
          non200++;
        },
      ),
    );
  }
  await Promise.all(inflight);
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return { sent: requests.length, p50: at(0.5), p99: at(0.99), max: latencies.at(-1) ?? 0, non200 };
}
