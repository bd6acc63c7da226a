/**
 * An open-loop load generator: request `i` is sent at `i / rate` seconds whatever the earlier ones are doing, so a slow
 * answer cannot hide the queue behind it (no coordinated omission). Each request is built and signed by the caller.
 */
import { performance } from 'node:perf_hooks';

/** What one run measured. */
export interface RunFigures {
  sent: number;
  p50: number;
  p99: number;
  max: number;
  /** Answers other than HTTP 200, and requests that failed outright. */
  non200: number;
}

/** Sends `rate` requests per second for `seconds`, and reports latency percentiles in milliseconds. */
export async function runOpenLoop(
  rate: number,
  seconds: number,
  send: (i: number) => Promise<{ status: number }>,
): Promise<RunFigures> {
  const total = Math.round(rate * seconds);
  const latencies: number[] = [];
  let non200 = 0;
  const start = performance.now();
  const inflight: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const sentAt = performance.now();
    inflight.push(
      send(i).then(
        (response) => {
          latencies.push(performance.now() - sentAt);
          if (response.status !== 200) non200++;
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
  return { sent: total, p50: at(0.5), p99: at(0.99), max: latencies.at(-1) ?? 0, non200 };
}
