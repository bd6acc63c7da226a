/**
 * Jenkins' `tree` query parameter (`builds[number,actions[parameters[name,value]]]`): only the named fields come
 * back. Applying it strictly matters, because a client that forgets to ask for a field must not see it.
 */
import type { JsonObject } from './types.js';

/** A parsed tree: field name to its own sub-tree (undefined: take the value whole). */
export type Tree = Map<string, Tree | undefined>;

/** Parses `a,b[c,d[e]]`; `{m,n}` ranges after a field are accepted and ignored. */
export function parseTree(text: string): Tree {
  let at = 0;
  const parseList = (): Tree => {
    const tree: Tree = new Map();
    while (at < text.length) {
      const match = /^[A-Za-z0-9_$]+/.exec(text.slice(at));
      if (!match) throw new Error(`bad tree at ${at}: ${text}`);
      at += match[0].length;
      let sub: Tree | undefined;
      if (text[at] === '[') {
        at += 1;
        sub = parseList();
        if (text[at] !== ']') throw new Error(`unclosed [ in tree: ${text}`);
        at += 1;
      }
      if (text[at] === '{') at = text.indexOf('}', at) + 1;
      tree.set(match[0], sub);
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
  for (const [key, sub] of tree) {
    if (key in source) out[key] = applyTree(source[key], sub);
  }
  return out;
}
