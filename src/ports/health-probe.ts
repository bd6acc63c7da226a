import type { ProbeAnswer } from '../domain/health.js';

/**
 * Reads a health URL for the verify step. Never throws: a timeout, a refused redirect or a connection error is an
 * answer of kind `error` saying what happened, which the verify step judges as a failed check.
 */
export interface HealthProbe {
  /** GETs `url`, waiting at most `timeoutMs` for the whole answer. */
  get(url: string, timeoutMs: number): Promise<ProbeAnswer>;
}
