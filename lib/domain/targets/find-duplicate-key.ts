/**
 * Duplicate keys in a YAML document, found in linear time. The `yaml` package's own `uniqueKeys`
 * check compares each key with every key before it in its mapping: quadratic, so a hostile target file
 * of one flat mapping with 100,000 keys held a write-back for minutes, past the Lambda's timeout.
 */
import { type Document, isScalar, visit } from 'yaml';

/**
 * The first key that a mapping of `document` holds twice, or undefined. Keys are equal as the `yaml`
 * package's `uniqueKeys` counts them: scalars with the same value (`1` and `"1"` differ).
 */
export function findDuplicateKey(document: Document): string | undefined {
  let duplicate: string | undefined;
  visit(document, {
    Map(_key, map) {
      const seen = new Set<unknown>();
      for (const pair of map.items) {
        // NaN is never equal to itself, so `.nan` twice is not a duplicate for yaml either.
        if (!isScalar(pair.key) || Number.isNaN(pair.key.value)) continue;
        if (seen.has(pair.key.value)) {
          duplicate = String(pair.key.value);
          return visit.BREAK;
        }
        seen.add(pair.key.value);
      }
      return undefined;
    },
  });
  return duplicate;
}
