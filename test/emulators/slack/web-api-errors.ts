/**
 * Reading the errors @slack/web-api throws, without importing its classes: a test asks which Slack error a call
 * failed with, or how long a rate limit asked it to wait.
 */
import { isJsonObject } from './wire.js';

/** The Slack error code (`error.data.error`) a WebClient call failed with; throws if it succeeded or failed otherwise. */
export async function slackErrorOf(call: Promise<unknown>): Promise<string> {
  try {
    await call;
  } catch (error) {
    const data: unknown =
      isJsonObject(error) || error instanceof Error ? Reflect.get(error, 'data') : undefined;
    if (isJsonObject(data) && typeof data['error'] === 'string') return data['error'];
    throw error;
  }
  throw new Error('expected the Slack call to fail, but it succeeded');
}

/** The error a WebClient call failed with (for checking `code`, `retryAfter`, `statusCode`). */
export async function failureOf(call: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await call;
  } catch (error) {
    if (error instanceof Error) return error as Error & Record<string, unknown>;
    throw error;
  }
  throw new Error('expected the Slack call to fail, but it succeeded');
}
