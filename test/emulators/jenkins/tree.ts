/**
 * Jenkins' `tree` query parameter (`builds[number,actions[parameters[name,value]]]`): only the named fields come
 * back. Applying it strictly matters, because a client that forgets to ask for a field must not see it. A field may
 * carry a range, `allBuilds[number]{0,50}`, which keeps that part of an array as Stapler's `Range` does: `{M,N}` from
 * M up to (not including) N, `{M,}` from M, `{,N}` up to N, `{N}` the Nth element alone.
 */
import type { JsonObject } from './types.js';

/** Which part of an array a field keeps: from `min` up to (not including) `max`. */
export interface TreeRange {
  min: number;
  max: number;
}

/** What the tree says of one field: its own sub-tree (undefined: take the value whole) and its range, if any. */
export interface TreeNode {
  sub: Tree | undefined;
  range?: TreeRange;
}

/** A parsed tree: field name to what is asked of it. */
export type Tree = Map<string, TreeNode>;

/** Parses `{M,N}`, `{M,}`, `{,N}` or `{N}` (the text between the braces). */
function parseRange(text: string, tree: string): TreeRange {
  const match = /^(\d*)(,(\d*))?$/.exec(text);
  if (!match || (match[2] === undefined && match[1] === ''))
    throw new Error(`bad range {${text}} in tree: ${tree}`);
  const min = match[1] === '' ? 0 : Number(match[1]);
  if (match[2] === undefined) return { min, max: min + 1 };
  return { min, max: match[3] === '' || match[3] === undefined ? Number.MAX_SAFE_INTEGER : Number(match[3]) };
}

/** Parses `a,b[c,d[e]]{0,10}`. */
export function parseTree(text: string): Tree {
  let at = 0;
  const parseList = (): Tree => {
    const tree: Tree = new Map();
    while (at < text.length) {
      const match = /^[A-Za-z0-9_$]+/.exec(text.slice(at));
      if (!match) throw new Error(`bad tree at ${at}: ${text}`);
      at += match[0].length;
      const node: TreeNode = { sub: undefined };
      if (text[at] === '[') {
        at += 1;
        node.sub = parseList();
        if (text[at] !== ']') throw new Error(`unclosed [ in tree: ${text}`);
        at += 1;
      }
      if (text[at] === '{') {
        const end = text.indexOf('}', at);
        if (end < 0) throw new Error(`unclosed { in tree: ${text}`);
        node.range = parseRange(text.slice(at + 1, end), text);
        at = end + 1;
      }
      tree.set(match[0], node);
      if (text[at] !== ',') break;
      at += 1;
    }
    return tree;
  };
  return parseList();
}

/** Keeps only what the tree names; `_class` always stays, as in Jenkins. */
export function applyTree(value: unknown, tree: Tree | undefined): unknown {
  if (tree === undefined || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => applyTree(v, tree));
  const source = value as JsonObject;
  const out: JsonObject = {};
  if ('_class' in source) out['_class'] = source['_class'];
  for (const [key, { sub, range }] of tree) {
    if (!(key in source)) continue;
    const field = source[key];
    const kept = range && Array.isArray(field) ? field.slice(range.min, range.max) : field;
    out[key] = applyTree(kept, sub);
  }
  return out;
}
