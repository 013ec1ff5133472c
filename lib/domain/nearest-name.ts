/** "Did you mean" hints: the known name nearest to one that is not known. */

/**
 * The known name nearest to `name` (case-insensitive Levenshtein distance) when it is at most
 * `maxDistance` edits away; the first of equals wins.
 */
export function nearestName(name: string, known: readonly string[], maxDistance: number): string | undefined {
  let best: { readonly name: string; readonly distance: number } | undefined;
  for (const candidate of known) {
    const d = editDistance(candidate.toLowerCase(), name.toLowerCase());
    if (d <= maxDistance && (best === undefined || d < best.distance))
      best = { name: candidate, distance: d };
  }
  return best?.name;
}

/** Levenshtein distance: the fewest insertions, deletions and substitutions from `a` to `b`. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(
        previous[j]! + 1,
        current[j - 1]! + 1,
        previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = current;
  }
  return previous[b.length]!;
}
