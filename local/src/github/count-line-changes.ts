/** Lines added and removed between two texts, as a diff would count them. */
export interface LineChanges {
  readonly additions: number;
  readonly deletions: number;
}

// Past this many lines on either side the fake stops diffing and counts every line as changed.
const MAX_LINES = 5000;

/**
 * Counts added and removed lines with Myers' shortest edit script, the algorithm `git diff` uses by
 * default, so the numbers match what GitHub reports for ordinary text files.
 */
export function countLineChanges(before: string, after: string): LineChanges {
  const a = splitLines(before);
  const b = splitLines(after);
  if (a.length > MAX_LINES || b.length > MAX_LINES) return { additions: b.length, deletions: a.length };
  const edits = shortestEditLength(a, b);
  const common = (a.length + b.length - edits) / 2;
  return { additions: b.length - common, deletions: a.length - common };
}

function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

function shortestEditLength(a: readonly string[], b: readonly string[]): number {
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const furthest = new Array<number>(2 * max + 2).fill(0);
  for (let d = 0; d <= max; d++) {
    for (let k = -d; k <= d; k += 2) {
      const down = k === -d || (k !== d && (furthest[max + k - 1] ?? 0) < (furthest[max + k + 1] ?? 0));
      let x = down ? (furthest[max + k + 1] ?? 0) : (furthest[max + k - 1] ?? 0) + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      furthest[max + k] = x;
      if (x >= n && y >= m) return d;
    }
  }
  return max;
}
