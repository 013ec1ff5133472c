/**
 * Image references as Argo CD and kustomize write them: `name[:tag][@digest]`, and Kustomize image
 * entries `[name=]newName:tag[@digest]`.
 */

/** The name part of a reference: `registry/repo` of `registry/repo:tag@sha256:...`. */
export function referenceName(reference: string): string {
  const at = reference.indexOf('@');
  const withoutDigest = at === -1 ? reference : reference.slice(0, at);
  const colon = withoutDigest.lastIndexOf(':');
  return colon > withoutDigest.lastIndexOf('/') ? withoutDigest.slice(0, colon) : withoutDigest;
}

/** What follows the name: the tag (with `@digest` when there is one), or the digest alone. */
export function referenceVersion(reference: string): string | undefined {
  const rest = reference.slice(referenceName(reference).length);
  if (rest.startsWith(':')) return rest.slice(1);
  return rest.startsWith('@') ? rest.slice(1) : undefined;
}

/** The image a Kustomize images entry replaces: the part before '=', or the reference's name. */
export function kustomizeEntryKey(entry: string): string {
  const equals = entry.indexOf('=');
  return equals === -1 ? referenceName(entry) : entry.slice(0, equals);
}
