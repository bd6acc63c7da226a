/**
 * Atlassian Document Format as Jira Cloud's v3 API checks it: rich-text fields (description, comment body) must be
 * a `doc` of version 1 whose nodes have types, and whose text nodes carry non-empty text. Plain strings are refused.
 */
import { isObject, type Json } from '../http-kit/server.js';

function nodeProblem(node: Json, path: string): string | undefined {
  if (!isObject(node) || typeof node['type'] !== 'string') return `${path} is not an ADF node`;
  if (node['type'] === 'text') {
    const text = node['text'];
    return typeof text === 'string' && text !== '' ? undefined : `${path} is a text node without text`;
  }
  const content = node['content'];
  if (content === undefined) return undefined;
  if (!Array.isArray(content)) return `${path}.content is not an array`;
  for (const [i, child] of content.entries()) {
    const problem = nodeProblem(child, `${path}.content[${i}]`);
    if (problem) return problem;
  }
  return undefined;
}

/** Why a value is not an ADF document, or undefined when it is one. */
export function adfProblem(value: Json | undefined): string | undefined {
  if (!isObject(value) || value['type'] !== 'doc' || value['version'] !== 1)
    return 'Operation value must be an Atlassian Document (see the Atlassian Document Format)';
  if (!Array.isArray(value['content']))
    return 'Operation value must be an Atlassian Document: content is missing';
  return nodeProblem(value, 'doc');
}

/** All text of an ADF document, paragraphs separated by newlines: what a test reads back. */
export function adfText(value: Json | undefined): string {
  if (!isObject(value)) return '';
  if (value['type'] === 'text') return typeof value['text'] === 'string' ? value['text'] : '';
  const content = Array.isArray(value['content']) ? value['content'] : [];
  const parts = content.map((c) => adfText(c));
  return value['type'] === 'doc' ? parts.join('\n') : parts.join('');
}
