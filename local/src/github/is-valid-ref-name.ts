// Sequences and characters `git check-ref-format` refuses anywhere in a ref name (besides controls).
const REF_FORBIDDEN = /\.\.|\/\/|@\{|[\s~^:?*[\\]/;

/**
 * Whether `ref` is a full ref name git accepts (`git check-ref-format`). Names that are not never
 * reach the disk, so `refs/heads/../../config` cannot read or write outside the repository's refs.
 */
export function isValidRefName(ref: string): boolean {
  if (!ref.startsWith('refs/') || ref.endsWith('/') || ref.endsWith('.')) return false;
  if (REF_FORBIDDEN.test(ref) || [...ref].some((char) => char < ' ' || char === '\x7f')) return false;
  return ref.split('/').every((part) => part !== '' && !part.startsWith('.') && !part.endsWith('.lock'));
}
