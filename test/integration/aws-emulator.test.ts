/**
 * The AWS emulator at the wire: the JSON 1.1 protocol checks (target, content type, SigV4 shape) and error shapes a
 * raw request meets, and the operations the ECS methods need that the adapter tests do not reach, through the real
 * SDK clients: ListTagsForResource, DescribeTaskDefinition without tags, CloudWatch Logs FilterLogEvents with
 * startTime and nextToken paging.
 */
import { FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DescribeTaskDefinitionCommand, ListTagsForResourceCommand } from '@aws-sdk/client-ecs';
import { createEcsClient, createLogsClient } from '../../src/adapters/aws/aws-clients.js';
import { startAwsEmulator, TEST_CREDENTIALS, type AwsEmulator } from '../emulators/aws/index.js';
import { agentDefinition } from '../helpers/ecs-world.js';

const ECS_TARGET = 'AmazonEC2ContainerServiceV20141113.DescribeServices';

describe('the AWS emulator', () => {
  let emulator: AwsEmulator;
  beforeEach(async () => {
    emulator = await startAwsEmulator({ logPageSize: 3 });
  });
  afterEach(() => emulator.close());
  const options = () => ({ region: emulator.region, endpoint: emulator.url, credentials: TEST_CREDENTIALS });

  /** A raw POST with the given headers; answers status, content type and the parsed body. */
  async function raw(headers: Record<string, string>, body = '{}') {
    const response = await fetch(emulator.url, { method: 'POST', headers, body });
    return {
      status: response.status,
      type: response.headers.get('content-type'),
      body: (await response.json()) as { __type?: string; message?: string },
    };
  }

  it('refuses an unsigned request as AWS does, with the JSON 1.1 error shape', async () => {
    const answer = await raw({ 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': ECS_TARGET });
    expect(answer).toEqual({
      status: 403,
      type: 'application/x-amz-json-1.1',
      body: { __type: 'MissingAuthenticationTokenException', message: 'Missing Authentication Token' },
    });
  });

  it('refuses a malformed signature, a signature scoped to another service, and an unknown target', async () => {
    const date = { 'x-amz-date': '20261130T120000Z', 'content-type': 'application/x-amz-json-1.1' };
    const scope = (service: string) =>
      `AWS4-HMAC-SHA256 Credential=${TEST_CREDENTIALS.accessKeyId}/20261130/${emulator.region}/${service}/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=${'a'.repeat(64)}`;
    const malformed = await raw({ ...date, 'x-amz-target': ECS_TARGET, authorization: 'Bearer x' });
    expect(malformed.body.__type).toBe('IncompleteSignatureException');
    const wrongService = await raw({ ...date, 'x-amz-target': ECS_TARGET, authorization: scope('logs') });
    expect(wrongService.body.__type).toBe('InvalidSignatureException');
    const unknown = await raw({ ...date, 'x-amz-target': 'Nope.DoIt', authorization: scope('ecs') });
    expect(unknown).toMatchObject({ status: 400, body: { __type: 'UnknownOperationException' } });
    const wrongType = await raw({
      ...date,
      'content-type': 'application/json',
      'x-amz-target': ECS_TARGET,
      authorization: scope('ecs'),
    });
    expect(wrongType.body.__type).toBe('SerializationException');
  });

  it('reads task-definition tags with ListTagsForResource and only on request with DescribeTaskDefinition', async () => {
    const name = emulator.ecs.seedTaskDefinition(agentDefinition('agent'), [
      { key: 'team', value: 'agents' },
    ]);
    const ecs = createEcsClient(options());
    const plain = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: name }));
    expect(plain.tags).toBeUndefined();
    expect(plain.taskDefinition?.registeredAt).toBeInstanceOf(Date);
    const arn = plain.taskDefinition?.taskDefinitionArn ?? '';
    const listed = await ecs.send(new ListTagsForResourceCommand({ resourceArn: arn }));
    expect(listed.tags).toEqual([{ key: 'team', value: 'agents' }]);
    const missing = await ecs
      .send(new DescribeTaskDefinitionCommand({ taskDefinition: 'agent:9' }))
      .catch((e: unknown) => e);
    expect(missing).toMatchObject({
      name: 'ClientException',
      message: 'Unable to describe task definition.',
    });
  });

  it('pages FilterLogEvents with nextToken from startTime on, oldest first, and names a missing log group', async () => {
    const group = '/ecs/staging-deployment-acme';
    emulator.logs.put(group, 'ecs/deployment/1', ['old line'], 1_000);
    emulator.logs.put(group, 'ecs/deployment/1', ['a', 'b', 'c', 'd'], 5_000);
    const logs = createLogsClient(options());
    const first = await logs.send(new FilterLogEventsCommand({ logGroupName: group, startTime: 2_000 }));
    expect(first.events?.map((e) => e.message)).toEqual(['a', 'b', 'c']);
    expect(first.nextToken).toBeDefined();
    const second = await logs.send(
      new FilterLogEventsCommand({ logGroupName: group, startTime: 2_000, nextToken: first.nextToken }),
    );
    expect(second.events?.map((e) => e.message)).toEqual(['d']);
    expect(second.nextToken).toBeUndefined();
    const missing = await logs
      .send(new FilterLogEventsCommand({ logGroupName: '/ecs/none' }))
      .catch((e: unknown) => e);
    expect(missing).toMatchObject({
      name: 'ResourceNotFoundException',
      $metadata: { httpStatusCode: 400 },
    });
    expect(emulator.callsOf('FilterLogEvents')[0]?.service).toBe('logs');
  });
});
