/** The pure parts of the ecs-image method: image tags, an image at another tag, and how two revisions differ. */
import { imageTag, settingsDiff, withImage, withTag } from '../../../src/adapters/aws/ecs-image-target.js';
import type { TaskDefinitionRevision } from '../../../src/ports/containers.js';

const revision = (definition: Record<string, unknown>): TaskDefinitionRevision => ({
  arn: 'arn:aws:ecs:eu-west-1:1:task-definition/agent:1',
  family: 'agent',
  revision: 1,
  status: 'ACTIVE',
  images: {},
  definition,
  tags: [],
});

describe('image references', () => {
  it.each([
    ['123.dkr.ecr.eu-west-1.amazonaws.com/external-agent:v2.14.2', 'v2.14.2'],
    ['localhost:5000/agent:1.0', '1.0'],
    ['localhost:5000/agent', 'latest'],
    ['nginx', 'latest'],
    ['repo/agent@sha256:abc', 'sha256:abc'],
  ])('reads the tag of %s as %s', (image, tag) => {
    expect(imageTag(image)).toBe(tag);
  });

  it.each([
    [
      '123.dkr.ecr.eu-west-1.amazonaws.com/external-agent:v2.14.2',
      '123.dkr.ecr.eu-west-1.amazonaws.com/external-agent:v3',
    ],
    ['localhost:5000/agent', 'localhost:5000/agent:v3'],
    ['repo/agent@sha256:abc', 'repo/agent:v3'],
  ])('puts %s at tag v3 as %s, keeping a registry port', (image, expected) => {
    expect(withTag(image, 'v3')).toBe(expected);
  });
});

describe('a copy with another image', () => {
  it('changes only the named container, leaving the original untouched', () => {
    const definition = {
      family: 'agent',
      containerDefinitions: [
        { name: 'agent', image: 'a:1' },
        { name: 'sidecar', image: 's:1' },
      ],
    };
    const copy = withImage(definition, 'agent', 'a:2');
    expect(copy['containerDefinitions']).toEqual([
      { name: 'agent', image: 'a:2' },
      { name: 'sidecar', image: 's:1' },
    ]);
    expect(definition.containerDefinitions[0]?.image).toBe('a:1');
    expect(() => withImage(definition, 'missing', 'x:1')).toThrow('no container named missing');
  });
});

describe('settings that differ between revisions', () => {
  const base = {
    family: 'agent',
    cpu: '512',
    containerDefinitions: [{ name: 'agent', image: 'a:1', environment: [{ name: 'A', value: '1' }] }],
  };

  it('ignores images and key order', () => {
    const other = {
      containerDefinitions: [{ environment: [{ value: '1', name: 'A' }], image: 'a:2', name: 'agent' }],
      cpu: '512',
      family: 'agent',
    };
    expect(settingsDiff(revision(base), revision(other))).toEqual([]);
  });

  it('names task-level fields and container fields that differ, and containers added or removed', () => {
    const other = {
      family: 'agent',
      cpu: '1024',
      memory: '2048',
      containerDefinitions: [
        { name: 'agent', image: 'a:1', environment: [{ name: 'A', value: '2' }], secrets: [] },
        { name: 'sidecar', image: 's:1' },
      ],
    };
    expect(settingsDiff(revision(base), revision(other))).toEqual([
      'cpu',
      'memory',
      'container agent: environment, secrets',
      'container sidecar added',
    ]);
  });
});
