/**
 * One entry of Argo CD Image Updater's `image-list` annotation, `[alias=]image[:constraint][@digest]`,
 * made ready for a registration: an account placeholder in the ECR host is replaced by the account the
 * operator names, and a pinned digest is dropped with a warning.
 */
import { InvalidInputError, quoteInput } from '../errors.ts';
import { type ImageSpec, parseImageSpec } from '../images/image-spec.ts';
import { ANNOTATION_PREFIX, annotationField } from './image-updater-annotations.ts';

const IMAGE_LIST = annotationField('image-list');
const ECR_HOST = /^(.+?)(\.dkr(?:\.ecr|-ecr)(?:-fips)?\.[A-Za-z0-9-]+\.(?:amazonaws\.com(?:\.cn)?|on\.aws))$/;
const KNOWN_PLACEHOLDER =
  /^(?:<(?:aws[-_])?account(?:[-_]?id)?>|\$\{?(?:AWS_)?ACCOUNT_ID\}?|(?:AWS_)?ACCOUNT_ID)$/i;

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
  return parseImageSpec(dropDigest(resolveAccount(entry, account, warn), warn), IMAGE_LIST);
}

// The seed's manifest says `<account-id>.dkr.ecr...`: whatever stands where the 12 digits belong is a
// placeholder, and only the operator can say which account it means.
function resolveAccount(entry: string, account: string | undefined, warn: (text: string) => void): string {
  const equals = entry.indexOf('=');
  const start = equals !== -1 && !/[:@]/.test(entry.slice(0, equals)) ? equals + 1 : 0;
  const slash = entry.indexOf('/', start);
  const match = slash === -1 ? null : ECR_HOST.exec(entry.slice(start, slash));
  if (!match || /^[0-9]{12}$/.test(match[1]!)) return entry;
  const placeholder = match[1]!;
  if (account === undefined) {
    throw new InvalidInputError(
      IMAGE_LIST,
      `${quoteInput(entry)} has the placeholder ${quoteInput(placeholder)} where the AWS account belongs`,
      'pass the account that owns the repository: --account <12 digits>',
    );
  }
  if (!KNOWN_PLACEHOLDER.test(placeholder)) {
    warn(
      `${ANNOTATION_PREFIX}image-list: ${quoteInput(placeholder)} in ${quoteInput(entry)} was taken for the account placeholder and replaced with ${account}`,
    );
  }
  return `${entry.slice(0, start)}${account}${match[2]}${entry.slice(slash)}`;
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
