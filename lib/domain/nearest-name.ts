/** "Did you mean" hints: the known name nearest to one that is not known. */

/**
 * The known name nearest to `name` (case-insensitive Levenshtein distance) when it is at most
 * `maxDistance` edits away; the first of equals wins.
 */
export function nearestName(name: string, known: readonly string[], maxDistance: number): string | undefined {
  const typed = name.toLowerCase();
  let best: { readonly name: string; readonly distance: number } | undefined;
  for (const candidate of known) {
    // The distance is at least the difference in length: a long name (2 MB of a key) is no typo of a
    // short one, and is not compared letter by letter (that takes seconds).
    if (Math.abs(candidate.length - typed.length) > maxDistance) continue;
    const d = editDistance(candidate.toLowerCase(), typed);
    if (d <= maxDistance && (best === undefined || d < best.distance))
      best = { name: candidate, distance: d };
  }
  return best?.name;
}

/**
 * The hint for an unknown field of a document: the nearest known one when it is a likely typo (`did you
 * mean 'strategy'?`), every known one otherwise.
 */
export function suggestField(key: string, known: readonly string[]): string {
  const nearest = nearestName(key, known, MAX_TYPO_DISTANCE);
  return nearest ? `did you mean '${nearest}'?` : `known fields: ${known.join(', ')}`;
}

const MAX_TYPO_DISTANCE = 3;

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
