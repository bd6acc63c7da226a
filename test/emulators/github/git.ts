/**
 * The git side of an emulated GitHub repository: commits with parents, branches, lightweight and annotated tags, and
 * the reachability that compare and "is this on the default branch" rest on. Shas are 40 hex digits.
 */
import { createHash } from 'node:crypto';
import { HttpError } from '../http-kit/server.js';

export interface GhCommit {
  sha: string;
  message: string;
  parents: string[];
  date: string;
  /** Creation order, for listing commits oldest first. */
  order: number;
}

/** An annotated tag object (`git/tags/{sha}`). */
export interface GhTagObject {
  sha: string;
  tag: string;
  message: string;
  objectSha: string;
}

/** GitHub's 404 body. */
export function notFound(message = 'Not Found', doc = 'https://docs.github.com/rest'): HttpError {
  return new HttpError(404, { message, documentation_url: doc, status: '404' });
}

/** GitHub's 422 body. */
export function unprocessable(message: string, errors?: unknown[]): HttpError {
  return new HttpError(422, {
    message,
    ...(errors ? { errors } : {}),
    documentation_url: 'https://docs.github.com/rest',
    status: '422',
  });
}

/** Commits, branches and tags of one repository. */
export class GitGraph {
  readonly commits = new Map<string, GhCommit>();
  readonly branches = new Map<string, string>();
  /** Tag name to the object it points at: a commit (lightweight) or a tag object (annotated). */
  readonly tags = new Map<string, { type: 'commit' | 'tag'; sha: string }>();
  readonly tagObjects = new Map<string, GhTagObject>();
  private counter = 0;

  constructor(
    private readonly seed: string,
    private readonly now: () => Date,
  ) {}

  private newSha(kind: string): string {
    this.counter += 1;
    return createHash('sha1').update(`${this.seed}:${kind}:${this.counter}`).digest('hex');
  }

  /** A new commit on `branch` (created from `from`, or as a root commit, when missing). */
  commit(branch: string, message: string, from?: string): string {
    const parent = this.branches.get(branch) ?? from;
    const sha = this.newSha('commit');
    this.commits.set(sha, {
      sha,
      message,
      parents: parent ? [parent] : [],
      date: this.now().toISOString(),
      order: this.counter,
    });
    this.branches.set(branch, sha);
    return sha;
  }

  /** A merge commit of `from` into `into`, which moves. */
  merge(into: string, fromSha: string, message: string): string {
    const tip = this.branches.get(into);
    if (!tip) throw new Error(`no branch ${into}`);
    if (this.ancestors(tip).has(fromSha)) return tip;
    if (this.ancestors(fromSha).has(tip)) {
      this.branches.set(into, fromSha);
      return fromSha;
    }
    const sha = this.newSha('merge');
    this.commits.set(sha, {
      sha,
      message,
      parents: [tip, fromSha],
      date: this.now().toISOString(),
      order: this.counter,
    });
    this.branches.set(into, sha);
    return sha;
  }

  /** Tags `sha`; annotated tags get a tag object of their own, as `git tag -a` does. */
  tag(name: string, sha: string, annotated: boolean, message = `Release ${name}`): void {
    if (!this.commits.has(sha)) throw new Error(`no commit ${sha}`);
    if (!annotated) {
      this.tags.set(name, { type: 'commit', sha });
      return;
    }
    const objectSha = this.newSha('tag');
    this.tagObjects.set(objectSha, { sha: objectSha, tag: name, message, objectSha: sha });
    this.tags.set(name, { type: 'tag', sha: objectSha });
  }

  /** The commit a tag names, following an annotated tag. */
  tagCommit(name: string): string | undefined {
    const ref = this.tags.get(name);
    if (!ref) return undefined;
    return ref.type === 'commit' ? ref.sha : this.tagObjects.get(ref.sha)?.objectSha;
  }

  /** A branch, tag, full sha or an abbreviation of at least 7 digits, as GitHub resolves refs. */
  resolve(ref: string): string | undefined {
    const name = ref.replace(/^refs\/(heads|tags)\//, '');
    const branch = this.branches.get(name);
    if (branch && !ref.startsWith('refs/tags/')) return branch;
    const tagged = this.tagCommit(name);
    if (tagged) return tagged;
    if (this.commits.has(ref)) return ref;
    if (/^[0-9a-f]{7,39}$/.test(ref)) {
      const matches = [...this.commits.keys()].filter((sha) => sha.startsWith(ref));
      if (matches.length === 1) return matches[0];
    }
    return undefined;
  }

  /** `sha` and every commit reachable from it. */
  ancestors(sha: string): Set<string> {
    const seen = new Set<string>();
    const todo = [sha];
    while (todo.length > 0) {
      const next = todo.pop() as string;
      if (seen.has(next)) continue;
      seen.add(next);
      for (const parent of this.commits.get(next)?.parents ?? []) todo.push(parent);
    }
    return seen;
  }

  /** Commits reachable from `head` but not from `base`, oldest first. */
  onlyIn(head: string, base: string): GhCommit[] {
    const exclude = this.ancestors(base);
    return [...this.ancestors(head)]
      .filter((sha) => !exclude.has(sha))
      .map((sha) => this.commits.get(sha) as GhCommit)
      .sort((a, b) => a.order - b.order);
  }

  /** The newest common ancestor of two commits. */
  mergeBase(a: string, b: string): string | undefined {
    const fromB = this.ancestors(b);
    const common = [...this.ancestors(a)].filter((sha) => fromB.has(sha));
    // The merge base is the common ancestor no other common ancestor descends from.
    return common.find((sha) => !common.some((other) => other !== sha && this.ancestors(other).has(sha)));
  }
}
