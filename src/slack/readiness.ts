/**
 * What `/readyz` says: ready or not (Redis reachable), and what works only partly (a catalog group Slack does not
 * know, a channel the bot is not in). Degraded is still ready: the bot serves, and says what it cannot do.
 */
export type Readiness = boolean | { ready: boolean; degraded: string[] };

/** Reads a readiness function, counting a throw as not ready. */
export async function readinessOf(
  check: () => Readiness | Promise<Readiness>,
  onError: (error: unknown) => void = () => undefined,
): Promise<{ ready: boolean; degraded: string[] }> {
  try {
    const value = await check();
    return typeof value === 'boolean' ? { ready: value, degraded: [] } : value;
  } catch (error) {
    onError(error);
    return { ready: false, degraded: [] };
  }
}

/** The `/readyz` answer: 200 or 503, and a body listing the degraded parts one per line. */
export function readinessResponse(state: { ready: boolean; degraded: string[] }): {
  status: number;
  body: string;
} {
  if (!state.ready) return { status: 503, body: 'not ready' };
  if (state.degraded.length === 0) return { status: 200, body: 'ready' };
  return { status: 200, body: ['ready, degraded:', ...state.degraded.map((d) => `- ${d}`)].join('\n') };
}
