/**
 * One entry of Argo CD Image Updater's `image-list` annotation, `[alias=]image[:constraint][@digest]`,
 * made ready for a registration: the alias split off, an account placeholder in the ECR host replaced
 * by the account the operator names, and a pinned digest dropped with a warning. The steps after the
 * split ({@link parseAliasedImage}) also serve images whose alias is given apart, as in the
 * `ImageUpdater` resource.
 */
import { InvalidInputError, quoteInput } from '../errors.ts';
import { type ImageSpec, parseImageSpec } from '../images/image-spec.ts';
import { ANNOTATION_PREFIX, annotationField } from './image-updater-annotations.ts';

/** An entry split into its alias (absent when none or empty) and the image it names. */
export interface ImageListEntry {
  readonly alias?: string;
  readonly image: string;
}

const IMAGE_LIST = annotationField('image-list');
const ECR_HOST = /^(.+?)(\.dkr(?:\.ecr|-ecr)(?:-fips)?\.[A-Za-z0-9-]+\.(?:amazonaws\.com(?:\.cn)?|on\.aws))$/;
const KNOWN_PLACEHOLDER =
  /^(?:<(?:aws[-_])?account(?:[-_]?id)?>|\$\{?(?:AWS_)?ACCOUNT_ID\}?|(?:AWS_)?ACCOUNT_ID)$/i;
// The tag part of an un-aliased spec that ends in a constraint operator: the next '=' is the
// operator's (`web:>=1.4`, `web:=1.4`, `web:!=1.4`, `web:^1 || >=3`).
// An image spec's alias characters, and ':' for an alias that names an image with a registry port.
const ALIAS = /^[A-Za-z0-9_][A-Za-z0-9_.:/-]{0,254}$/;
const CONSTRAINT_BEFORE_EQUALS = /:(?:[^/]*[<>!])?$/;

/**
 * Splits an entry as Argo CD Image Updater v1.3 does (pkg/argocd/annotations.go,
 * getImagesFromAnnotations): spaces around the entry and around its `=` are trimmed, the alias is
 * everything before the first `=` (a registry port in it included), and an empty alias means none.
 * One exception, where the anchor would take `web:>` for an alias: a `=` that follows a `:` and a
 * constraint operator (`<`, `>`, `!`) or the `:` itself in the last path part belongs to the
 * constraint of an image without an alias. Throws when an alias is followed by no image.
 */
export function splitImageListEntry(entry: string, field = IMAGE_LIST): ImageListEntry {
  const text = entry.trim();
  const equals = text.indexOf('=');
  if (equals === -1) return { image: text };
  const before = text.slice(0, equals);
  if (CONSTRAINT_BEFORE_EQUALS.test(before.slice(before.lastIndexOf('/') + 1))) return { image: text };
  const alias = before.trim();
  const image = text.slice(equals + 1).trim();
  if (image === '')
    throw new InvalidInputError(
      field,
      `${quoteInput(text)} names no image after the alias`,
      'write alias=image, or drop the entry',
    );
  return alias === '' ? { image } : { alias, image };
}

/**
 * Parses an entry (already trimmed, not empty). Throws {@link InvalidInputError} naming the
 * `image-list` annotation when the entry is not an image spec, or has an account placeholder and no
 * `account` is given.
 */
export function parseImageListEntry(
  entry: string,
  account: string | undefined,
  warn: (text: string) => void,
): ImageSpec {
  return parseAliasedImage(splitImageListEntry(entry), account, warn);
}

/**
 * Parses an image whose alias is already split off (see {@link parseImageListEntry}); a blank alias is
 * none. `field` names where the image was written, for errors.
 */
export function parseAliasedImage(
  { alias, image }: ImageListEntry,
  account: string | undefined,
  warn: (text: string) => void,
  field = IMAGE_LIST,
): ImageSpec {
  const spec = parseImageSpec(dropDigest(resolveAccount(image, account, warn, field), warn), field);
  if (spec.alias !== undefined)
    throw new InvalidInputError(
      field,
      `${quoteInput(image)} has a second '=' that is no constraint operator`,
      'write one alias=image per entry',
    );
  const name = alias?.trim();
  if (name && !ALIAS.test(name))
    throw new InvalidInputError(
      field,
      `${quoteInput(name)} is not a valid alias (letters, digits, _ . - / and the : of a registry port)`,
      'write alias=image with a name of those characters',
    );
  return name ? { alias: name, ...spec } : spec;
}

// The seed's manifest says `<account-id>.dkr.ecr...`: whatever stands where the 12 digits belong is a
// placeholder, and only the operator can say which account it means.
function resolveAccount(
  entry: string,
  account: string | undefined,
  warn: (text: string) => void,
  field: string,
): string {
  const slash = entry.indexOf('/');
  const match = slash === -1 ? null : ECR_HOST.exec(entry.slice(0, slash));
  if (!match || /^[0-9]{12}$/.test(match[1]!)) return entry;
  const placeholder = match[1]!;
  if (account === undefined) {
    throw new InvalidInputError(
      field,
      `${quoteInput(entry)} has the placeholder ${quoteInput(placeholder)} where the AWS account belongs`,
      'pass the account that owns the repository: --account <12 digits>',
    );
  }
  if (!KNOWN_PLACEHOLDER.test(placeholder)) {
    warn(
      `${ANNOTATION_PREFIX}image-list: ${quoteInput(placeholder)} in ${quoteInput(entry)} was taken for the account placeholder and replaced with ${account}`,
    );
  }
  return `${account}${match[2]}${entry.slice(slash)}`;
}

// A pinned digest does not steer the anchor's choice of tag either (only the tag part is a constraint).
function dropDigest(entry: string, warn: (text: string) => void): string {
  const at = entry.indexOf('@', entry.lastIndexOf('/') + 1);
  if (at === -1) return entry;
  warn(
    `${ANNOTATION_PREFIX}image-list: ${quoteInput(entry)} pins the digest ${quoteInput(entry.slice(at + 1))}; not mapped: it does not steer the choice of tag; to follow a tag's digest, use update-strategy digest with image:<tag>`,
  );
  return entry.slice(0, at);
}
