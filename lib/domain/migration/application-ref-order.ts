/**
 * Which `applicationRef` of an `ImageUpdater` claims an Application: refs are tried from the most
 * specific to the least and the first whose name pattern and label selector match wins, as the
 * controller does (pkg/argocd/argocd.go: calculateSpecificity, sortApplicationRefs,
 * FilterApplicationsForUpdate). An exact name outranks any glob; then a label selector, and each label
 * or expression in it; then the literal characters of the pattern. Ties keep the order written.
 */

/** What the score of a ref depends on. */
export interface RefShape {
  readonly namePattern: string;
  /** Absent when the ref has no label selector; else how many labels and expressions it lists. */
  readonly selectorTerms?: number;
}

/** The ref's specificity: higher is tried first. */
export function refSpecificity(ref: RefShape): number {
  const pattern = ref.namePattern;
  let score = /[*?[\]]/.test(pattern) ? 0 : 1_000_000;
  score += pattern.replace(/\[.*?]/g, '').replace(/[*?]/g, '').length;
  if (ref.selectorTerms !== undefined) score += 10_000 + ref.selectorTerms * 100;
  return score;
}

/** The refs, most specific first; the sort is stable. */
export function orderApplicationRefs<R extends RefShape>(refs: readonly R[]): R[] {
  return [...refs].sort((a, b) => refSpecificity(b) - refSpecificity(a));
}
