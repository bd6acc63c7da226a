/** What an `ecs-image` hotfix changes, read from its catalog snapshot, and how images and revisions are compared. */
import type { EcsImageTarget } from '../../domain/catalog.js';
import { ecsRevisionRef, taskDefinitionName } from '../../domain/ecs-refs.js';
import type { Hotfix } from '../../domain/hotfix.js';
import type { TaskDefinitionRevision } from '../../ports/containers.js';

/** The tag that marks the revision a hotfix registered (its ULID), so a re-run finds and reuses it. */
export const HOTFIX_TAG = 'hotfix-bot:hotfix';
/** The tag naming the revision the hotfix's revision replaced: where a panic rollback returns. */
export const REPLACES_TAG = 'hotfix-bot:replaces';
/** The ref holding the revision a service's rollout uses, per service (recorded by the deploy's start). */
export const revisionRef = ecsRevisionRef;
export { ecsRollbackToRef as rollbackToRef } from '../../domain/ecs-refs.js';
/** A rollout that takes longer fails the hotfix, unless the catalog says otherwise. */
export const DEFAULT_TIMEOUT_MINUTES = 30;

/** One service of the plan with its ECS target. */
export interface EcsImageService {
  service: string;
  tag: string;
  target: EcsImageTarget;
}

/** The plan's services with their ECS targets; a service without one is a catalog error caught at start-up. */
export function targetsOf(hotfix: Hotfix): EcsImageService[] {
  return hotfix.services.map(({ service, tag }) => {
    const target = hotfix.snapshot.env.ecsImage?.[service];
    if (!target)
      throw new Error(`${hotfix.id}: the catalog names no ECS target for ${service} in ${hotfix.env}`);
    return { service, tag, target };
  });
}

/** `family:revision` of a task-definition ARN. */
export function shortName(arn: string): string {
  return taskDefinitionName(arn);
}

/** The tag of an image reference (`repo:tag`), or `latest` when it has none; a digest is returned whole. */
export function imageTag(image: string): string {
  if (image.includes('@')) return image.slice(image.indexOf('@') + 1);
  const last = image.split('/').pop() ?? image;
  return last.includes(':') ? (last.split(':').pop() ?? 'latest') : 'latest';
}

/** The same repository at another tag. */
export function withTag(image: string, tag: string): string {
  const base = image.includes('@') ? image.slice(0, image.indexOf('@')) : image;
  const slash = base.lastIndexOf('/');
  const colon = base.lastIndexOf(':');
  const repo = colon > slash ? base.slice(0, colon) : base;
  return `${repo}:${tag}`;
}

/** A copy of the running revision's definition with only `container`'s image changed. */
export function withImage(
  definition: Record<string, unknown>,
  container: string,
  image: string,
): Record<string, unknown> {
  const copy = structuredClone(definition);
  const containers = copy['containerDefinitions'] as { name?: string; image?: string }[];
  const found = containers.find((c) => c.name === container);
  if (!found) throw new Error(`the task definition has no container named ${container}`);
  found.image = image;
  return copy;
}

/** Where two revisions differ other than in their images, as `container X: environment` or `cpu`. */
export function settingsDiff(a: TaskDefinitionRevision, b: TaskDefinitionRevision): string[] {
  const differences: string[] = [];
  const keys = new Set([...Object.keys(a.definition), ...Object.keys(b.definition)]);
  for (const key of [...keys].sort()) {
    if (key === 'containerDefinitions' || key === 'family') continue;
    if (!same(a.definition[key], b.definition[key])) differences.push(key);
  }
  const containers = (td: TaskDefinitionRevision) =>
    new Map(
      ((td.definition['containerDefinitions'] as Record<string, unknown>[] | undefined) ?? []).map((c) => [
        String(c['name']),
        c,
      ]),
    );
  const left = containers(a);
  const right = containers(b);
  for (const name of [...new Set([...left.keys(), ...right.keys()])].sort()) {
    const l = left.get(name);
    const r = right.get(name);
    if (!l || !r) {
      differences.push(`container ${name} ${l ? 'removed' : 'added'}`);
      continue;
    }
    const fields = [...new Set([...Object.keys(l), ...Object.keys(r)])].filter(
      (f) => f !== 'image' && !same(l[f], r[f]),
    );
    if (fields.length > 0) differences.push(`container ${name}: ${fields.sort().join(', ')}`);
  }
  return differences;
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .sort(([x], [y]) => x.localeCompare(y))
        .map(([k, v]) => [k, canonical(v)]),
    );
  return value;
}
