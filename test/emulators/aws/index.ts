/** The AWS emulator: ECS and CloudWatch Logs over the JSON 1.1 protocol, for the real SDK clients. */
export { FAULTS, startAwsEmulator, TEST_ACCOUNT, TEST_CREDENTIALS, TEST_REGION } from './aws-emulator.js';
export type { AwsCall, AwsCallSeen, AwsEmulator, AwsEmulatorOptions, AwsFault } from './aws-emulator.js';
export type { RolloutScript, ServiceSeed } from './ecs-types.js';
