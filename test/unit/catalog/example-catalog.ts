/** The example catalog as test input: load it, edit a copy with the yaml Document API, collect the problems. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Document } from 'yaml';
import { isMap, isScalar, parseDocument } from 'yaml';
import { CatalogError, parseCatalog } from '../../../src/catalog/index.js';

/** The name problems use for the example file. */
export const SOURCE = 'manifests/catalog.yml';

/** Path of the example catalog on disk. */
export const EXAMPLE_PATH = join(__dirname, '../../../manifests/catalog.yml');

/** Text of the example catalog. */
export const exampleText = readFileSync(EXAMPLE_PATH, 'utf8');

/** The example catalog after `edit`, as YAML text (comments, anchors and layout kept, so lines stay meaningful). */
export function exampleWith(...edits: Array<(doc: Document) => void>): string {
  const doc = parseDocument(exampleText);
  for (const edit of edits) edit(doc);
  return doc.toString({ lineWidth: 0 });
}

/** Edit: set the value at `path` (replacing an alias there rather than the anchored original). */
export const set = (path: PropertyKey[], value: unknown) => (doc: Document) =>
  doc.setIn(path, doc.createNode(value));

/** Edit: remove the field at `path`. */
export const remove = (path: PropertyKey[]) => (doc: Document) => {
  doc.deleteIn(path);
};

/** Edit: rename the key `from` of the mapping at `path` to `to`, keeping its value. */
export const rename = (path: PropertyKey[], from: string, to: string) => (doc: Document) => {
  const map = path.length === 0 ? doc.contents : doc.getIn(path, true);
  if (!isMap(map)) throw new Error(`no mapping at ${path.join('.')}`);
  const pair = map.items.find((item) => isScalar(item.key) && item.key.value === from);
  if (!pair) throw new Error(`no key ${from} at ${path.join('.')}`);
  pair.key = doc.createNode(to);
};

/** The problems a refused catalog reports; fails the test when the catalog is accepted. */
export function problemsIn(text: string, source = SOURCE): string[] {
  try {
    parseCatalog(text, source);
  } catch (error) {
    if (error instanceof CatalogError) return error.problems;
    throw error;
  }
  throw new Error('expected the catalog to be refused, but it loaded');
}

/** Problems without their trailing `(line N)`, for tests about wording rather than position. */
export function withoutLines(problems: string[]): string[] {
  return problems.map((problem) => problem.replace(/ \(line \d+\)$/, ''));
}
