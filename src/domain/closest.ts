/** Levenshtein distance, for "did you mean" suggestions. Small inputs only (names, not documents). */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/**
 * The known name closest to `input`, or undefined when nothing is close enough to be a plausible typo
 * (at most a third of the longer name differs, and never more than 4 edits).
 */
export function closest(input: string, known: Iterable<string>): string | undefined {
  const needle = input.toLowerCase();
  let best: { name: string; distance: number } | undefined;
  for (const name of known) {
    const distance = editDistance(needle, name.toLowerCase());
    if (!best || distance < best.distance) best = { name, distance };
  }
  if (!best) return undefined;
  const limit = Math.min(4, Math.ceil(Math.max(needle.length, best.name.length) / 3));
  return best.distance <= limit ? best.name : undefined;
}

/** " Did you mean `x`?" or "" — appended to messages about unknown names. */
export function didYouMean(input: string, known: Iterable<string>): string {
  const suggestion = closest(input, known);
  return suggestion ? ` Did you mean \`${suggestion}\`?` : '';
}
