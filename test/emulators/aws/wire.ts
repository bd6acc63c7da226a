/**
 * The AWS JSON 1.1 wire as ECS and CloudWatch Logs speak it: `POST /`, `X-Amz-Target: <prefix>.<Operation>`,
 * `Content-Type: application/x-amz-json-1.1`, a SigV4 `Authorization` header, errors as `{"__type", "message"}` with
 * the status AWS documents for them (the common errors: https://docs.aws.amazon.com/ecs/latest/APIReference/CommonErrors.html).
 */

/** A JSON value as it arrives on the wire. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export const ECS_TARGET_PREFIX = 'AmazonEC2ContainerServiceV20141113';
export const LOGS_TARGET_PREFIX = 'Logs_20140328';
export const AMZ_JSON = 'application/x-amz-json-1.1';

/** An AWS error answer: HTTP status, `__type` and message. */
export class AwsError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

/** A ClientException (400), ECS's catch-all for a request it refuses. */
export const clientError = (message: string): AwsError => new AwsError(400, 'ClientException', message);
/** InvalidParameterException (400). */
export const invalidParameter = (message: string): AwsError =>
  new AwsError(400, 'InvalidParameterException', message);

/** Seconds since the epoch, as AWS JSON 1.1 encodes timestamps. */
export const epochSeconds = (ms: number): number => ms / 1000;

const AUTHORIZATION =
  /^AWS4-HMAC-SHA256 Credential=([A-Z0-9]{16,128})\/(\d{8})\/([a-z0-9-]+)\/([a-z0-9-]+)\/aws4_request, ?SignedHeaders=([a-z0-9;.-]+), ?Signature=[0-9a-f]{64}$/;

/** Who signed a request, as the credential scope says. */
export interface SignedBy {
  accessKeyId: string;
  region: string;
  service: string;
}

/**
 * Checks the SigV4 header's presence and shape (not the signature itself): the credential scope must name the
 * emulator's region and the service the target belongs to, and `host` and `x-amz-date` must be signed.
 */
export function checkSignature(
  headers: Record<string, string | string[] | undefined>,
  region: string,
  service: string,
  accessKeys: ReadonlySet<string>,
): SignedBy {
  const header = headers['authorization'];
  if (typeof header !== 'string' || header === '')
    throw new AwsError(403, 'MissingAuthenticationTokenException', 'Missing Authentication Token');
  const match = AUTHORIZATION.exec(header);
  if (!match)
    throw new AwsError(
      400,
      'IncompleteSignatureException',
      `Authorization header is not a valid SigV4 signature`,
    );
  const [, accessKeyId = '', , scopeRegion = '', scopeService = '', signed = ''] = match;
  const signedHeaders = signed.split(';');
  if (!signedHeaders.includes('host') || !signedHeaders.includes('x-amz-date') || !headers['x-amz-date'])
    throw new AwsError(400, 'IncompleteSignatureException', 'host and x-amz-date must be signed');
  if (scopeRegion !== region || scopeService !== service) {
    throw new AwsError(
      400,
      'InvalidSignatureException',
      `Credential should be scoped to a valid region and service: expected ${region}/${service}, found ${scopeRegion}/${scopeService}`,
    );
  }
  if (!accessKeys.has(accessKeyId))
    throw new AwsError(
      403,
      'UnrecognizedClientException',
      'The security token included in the request is invalid.',
    );
  return { accessKeyId, region: scopeRegion, service: scopeService };
}

/** Narrows a JSON value to an object. */
export function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A required string member, else the error AWS gives for a missing required parameter. */
export function requiredString(body: JsonObject, name: string): string {
  const value = body[name];
  if (typeof value !== 'string' || value === '')
    throw new AwsError(
      400,
      'ValidationException',
      `1 validation error detected: Value null at '${name}' failed to satisfy constraint: Member must not be null`,
    );
  return value;
}

/** An optional string member. */
export function optionalString(body: JsonObject, name: string): string | undefined {
  const value = body[name];
  return typeof value === 'string' ? value : undefined;
}
