/**
 * How long each text field of a registration may be, and how many entries a list may have: far above
 * what a real value needs, far below what costs anything. The readers of document-fields.ts check them
 * first, before a value is parsed, so that a pasted megabyte is refused by its field and nothing is
 * stored. docs/registering-apps.md#limits lists them; change both together.
 */
import { MAX_CONSTRAINT_LENGTH } from '../tags/constraint.ts';

/** Characters a text field may hold, by its key; keys not named here take {@link DEFAULT_TEXT_LIMIT}. */
export const TEXT_LIMITS: Readonly<Record<string, number>> = {
  // Kubernetes object names (DNS-1123 subdomains), as Argo CD names Applications and namespaces.
  name: 253,
  appNamespace: 253,
  project: 253,
  alias: 128,
  image: 1024,
  constraint: MAX_CONSTRAINT_LENGTH,
  imageTag: 253,
  imageSpec: 253,
  branch: 255,
  writeBranch: 1024,
  commitMessage: 4096,
  // The name of one of the platform's connections (domain/connections).
  connection: 253,
};

/** Characters of any other text field: image names, paths, targets, filters, strategies. */
export const DEFAULT_TEXT_LIMIT = 1024;

/** Entries of a list (`ignoreTags`, `platforms`). */
export const LIST_LIMIT = 100;

/** The characters a field of this key may hold. */
export function textLimitOf(key: string): number {
  return TEXT_LIMITS[key] ?? DEFAULT_TEXT_LIMIT;
}
