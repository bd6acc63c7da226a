/**
 * Maps what the AWS SDK throws to a ContainersError. Only the error's name, status and message are kept: the SDK
 * attaches the raw response, and a logger serialising it could print request headers.
 */
import { ContainersError, type ContainersErrorCode } from '../../ports/containers.js';

const BY_NAME: Record<string, ContainersErrorCode> = {
  ThrottlingException: 'throttled',
  TooManyRequestsException: 'throttled',
  RequestLimitExceeded: 'throttled',
  ServerException: 'unavailable',
  ServiceUnavailableException: 'unavailable',
  InternalFailure: 'unavailable',
  AccessDeniedException: 'denied',
  UnrecognizedClientException: 'denied',
  MissingAuthenticationTokenException: 'denied',
  InvalidSignatureException: 'denied',
  IncompleteSignatureException: 'denied',
  ExpiredTokenException: 'denied',
  CredentialsProviderError: 'denied',
  ClusterNotFoundException: 'not_found',
  ServiceNotFoundException: 'not_found',
  ServiceNotActiveException: 'not_found',
  ResourceNotFoundException: 'not_found',
  ServiceDeploymentNotFoundException: 'not_found',
};

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/** A ContainersError saying what `doing` was and why it failed. */
export function asContainersError(error: unknown, doing: string): ContainersError {
  if (error instanceof ContainersError) return error;
  const e = error as {
    name?: unknown;
    code?: unknown;
    message?: unknown;
    $metadata?: { httpStatusCode?: unknown };
  };
  const name = typeof e?.name === 'string' ? e.name : 'Error';
  const status = typeof e?.$metadata?.httpStatusCode === 'number' ? e.$metadata.httpStatusCode : undefined;
  const message = typeof e?.message === 'string' ? e.message : String(error);
  if (typeof e?.code === 'string' && NETWORK_CODES.has(e.code))
    return new ContainersError('unavailable', `AWS could not be reached while ${doing} (${e.code})`);
  const code: ContainersErrorCode =
    BY_NAME[name] ??
    (status !== undefined && status >= 500 ? 'unavailable' : status === 429 ? 'throttled' : 'refused');
  const what: Record<ContainersErrorCode, string> = {
    throttled: `AWS throttled the bot while ${doing}; it will try again shortly`,
    unavailable: `AWS is unavailable while ${doing} (${name}); it will try again shortly`,
    denied: `AWS refused the bot's credentials while ${doing} (${name}: ${message}); check the IAM policy of the credentials the bot runs with`,
    not_found: `AWS found nothing while ${doing} (${name}: ${message})`,
    refused: `AWS refused the request while ${doing} (${name}: ${message})`,
  };
  return new ContainersError(code, what[code]);
}
