/** Reads `manifests/catalog.yml` at start-up and refuses to go on, listing every problem, when it is not valid. */
import { readFileSync } from 'node:fs';
import type { Document, YAMLError } from 'yaml';
import { LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import type { Catalog } from '../domain/catalog.js';
import { formatPath, lineOf } from './locate.js';
import { catalogErrorMap, messageOf } from './messages.js';
import { catalogSchema } from './schema.js';

/** The catalog is unusable; `problems` has one line per problem, each naming the file and the field. */
export class CatalogError extends Error {
  /** Each problem as `<file>: <field path>: found ..., expected ... (line N)`. */
  readonly problems: string[];

  constructor(problems: string[]) {
    const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
    super(`The catalog is invalid (${count}):\n${problems.map((line) => `  - ${line}`).join('\n')}`);
    this.name = 'CatalogError';
    this.problems = problems;
  }
}

/** Reads and validates the catalog file at `path`. */
export function loadCatalog(path: string): Catalog {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new CatalogError([`${path}: cannot read the catalog (${messageOf(error)})`]);
  }
  return parseCatalog(text, path);
}

/** Validates catalog YAML; `source` names the file in problems. */
export function parseCatalog(text: string, source: string): Catalog {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  if (doc.errors.length > 0)
    throw new CatalogError(doc.errors.map((error) => syntaxProblem(error, lines, source)));
  if (doc.contents === null) {
    throw new CatalogError([
      `${source}: the file is empty, expected a mapping with services, clients, channels and policy`,
    ]);
  }
  const result = catalogSchema.safeParse(toJS(doc, source), { error: catalogErrorMap });
  if (result.success) return result.data;
  throw new CatalogError(problemLines(result.error.issues, doc, lines, source));
}

function syntaxProblem(error: YAMLError, lines: LineCounter, source: string): string {
  const { line, col } = lines.linePos(error.pos[0]);
  // yaml's own advice for this one is aimed at programmers (use parseAllDocuments), not at whoever edits the file.
  const message =
    error.code === 'MULTIPLE_DOCS'
      ? 'the catalog must be one YAML document; remove the extra ---'
      : error.message;
  return `${source}: line ${line}, column ${col}: YAML syntax error: ${message}`;
}

function toJS(doc: Document, source: string): unknown {
  try {
    return doc.toJS();
  } catch (error) {
    // Aliases can make a small file expand into a huge one; yaml refuses and says why.
    throw new CatalogError([`${source}: ${messageOf(error)}`]);
  }
}

interface Problem {
  path: readonly PropertyKey[];
  /** Where to look in the file: the unknown key itself rather than the mapping holding it. */
  at: readonly PropertyKey[];
  message: string;
}

function problemLines(
  issues: readonly z.core.$ZodIssue[],
  doc: Document,
  lines: LineCounter,
  source: string,
): string[] {
  const problems = issues.flatMap((issue): Problem[] => {
    if (issue.code !== 'unrecognized_keys')
      return [{ path: issue.path, at: issue.path, message: issue.message }];
    // catalogErrorMap wrote one line per key, in the order of `keys`.
    const messages = issue.message.split('\n');
    return issue.keys.map((key, i) => ({
      path: issue.path,
      at: [...issue.path, key],
      message: messages[i] ?? issue.message,
    }));
  });
  return problems
    .map((problem) => ({ problem, line: lineOf(doc, problem.at, lines) }))
    .sort((a, b) => (a.line ?? Infinity) - (b.line ?? Infinity))
    .map(({ problem, line }) => {
      const where = line === undefined ? '' : ` (line ${line})`;
      return `${source}: ${formatPath(problem.path)}: ${problem.message}${where}`;
    });
}
