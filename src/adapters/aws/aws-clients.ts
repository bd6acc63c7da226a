/**
 * The AWS SDK clients the ECS methods use, built one way: the region from AWS_REGION, the endpoint override when one
 * is configured (the emulator), credentials from the SDK's default chain unless a test passes static ones, and no
 * retries inside a call: a throttled or failed call fails the step, which is retried as a delayed job, so no step
 * sleeps.
 */
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { ECSClient } from '@aws-sdk/client-ecs';

/** Where AWS is and how the SDK reaches it. */
export interface AwsClientOptions {
  region: string;
  /** An endpoint override (an emulator); the SDK also reads AWS_ENDPOINT_URL itself. */
  endpoint?: string;
  /** Static credentials (tests); production uses the SDK's default chain. */
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

function common(options: AwsClientOptions) {
  return {
    region: options.region,
    maxAttempts: 1,
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
  };
}

/** An ECS client. */
export function createEcsClient(options: AwsClientOptions): ECSClient {
  return new ECSClient(common(options));
}

/**
 * A CloudWatch Logs client. `disableHostPrefix` keeps operations that prefix the host (StartLiveTail's `stream-`)
 * working against an endpoint override such as 127.0.0.1.
 */
export function createLogsClient(options: AwsClientOptions): CloudWatchLogsClient {
  return new CloudWatchLogsClient({ ...common(options), disableHostPrefix: true });
}
