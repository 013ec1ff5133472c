/**
 * Consent of an Argo CD Application's owners to an image being written into it. A registration names
 * an Application, but only the Application can say which images may go into it: either our annotation
 * `ecr-image-updater/allow-images` (ECR repositories, `*` as a wildcard within one path part) or Argo CD
 * Image Updater's own `image-list`, whose configuration has always lived on the Application
 * (https://argocd-image-updater.readthedocs.io/en/stable/configuration/images/). Strict and
 * fail-closed: an entry that cannot be read allows nothing, and the refusal says so.
 */

import { InvalidInputError, quoteInput, quoteKey } from '../errors.ts';
import { ecrRegistryHost, parseEcrRegistry } from '../images/image-spec.ts';
import { parseImageListEntry } from '../migration/image-list-entry.ts';
import { ANNOTATION_PREFIX } from '../migration/image-updater-annotations.ts';
import { compileGlob } from '../tags/glob.ts';
import type { JsonPatchOperation } from '../targets/argocd-application.ts';

/** Our annotation on an Application: the ECR repositories that may be written into it. */
export const ALLOW_IMAGES_ANNOTATION = 'ecr-image-updater/allow-images';
/** Argo CD Image Updater's list of the Application's images; naming a repository there consents too. */
export const IMAGE_LIST_ANNOTATION = `${ANNOTATION_PREFIX}image-list`;

// Kubernetes lets annotations reach 256 KiB in all; an Application's owners never need that many
// entries, and each entry is parsed with regexps, so the work on a hostile value stays bounded.
/** How many characters of an annotation are read; a longer one allows nothing. */
export const MAX_CONSENT_ANNOTATION_LENGTH = 64 * 1024;
/** How many entries of an annotation are read; the rest allow nothing. */
export const MAX_CONSENT_ENTRIES = 100;
/** The longest entry read: an ECR host (about 60 characters) and a repository (at most 256). */
export const MAX_CONSENT_ENTRY_LENGTH = 512;
const LISTED_NOTES = 5;

/** The Application's answer for a set of images. */
export type ApplicationConsent =
  | {
      readonly kind: 'consented';
      /** The annotations consent rests on, by key, as read: a patch can test that they still hold. */
      readonly annotations: ReadonlyMap<string, string>;
    }
  | { readonly kind: 'refused'; readonly reason: string };

interface Grant {
  /** Canonical registry host (`ecrRegistryHost`). */
  readonly host: string;
  readonly annotation: string;
  allows(repository: string): boolean;
}

interface Reading {
  readonly grants: Grant[];
  /** Why entries allow nothing, one line each, for the owner to fix. */
  readonly notes: string[];
}

/**
 * Whether the Application (as Argo CD answers `GET /api/v1/applications/<name>`) allows every image of
 * `images` (`<ecr host>/<repository>`, no tag) to be written into it. A refusal names the images and
 * the annotation and value that would allow them, and why entries that were written allow nothing.
 */
export function checkApplicationConsent(application: unknown, images: readonly string[]): ApplicationConsent {
  const metadata = objectField(application, 'metadata');
  const annotations = objectField(metadata, 'annotations');
  const reading: Reading = { grants: [], notes: [] };
  const values = new Map<string, string>();
  for (const [key, read] of [
    [ALLOW_IMAGES_ANNOTATION, readAllowImages],
    [IMAGE_LIST_ANNOTATION, readImageList],
  ] as const) {
    const value = annotations?.[key];
    if (value === undefined) continue;
    if (typeof value !== 'string') {
      reading.notes.push(`${key} is not text`);
      continue;
    }
    values.set(key, value);
    if (value.length > MAX_CONSENT_ANNOTATION_LENGTH) {
      reading.notes.push(
        `${key} is ${value.length} characters, more than the ${MAX_CONSENT_ANNOTATION_LENGTH} read: shorten it (a * covers many repositories)`,
      );
      continue;
    }
    const { grants, notes } = read(value);
    reading.grants.push(...grants);
    reading.notes.push(...notes);
  }

  const used = new Set<string>();
  const missing: string[] = [];
  for (const image of images) {
    const grant = grantFor(reading.grants, image);
    if (grant) used.add(grant.annotation);
    else missing.push(image);
  }
  if (missing.length === 0) {
    return {
      kind: 'consented',
      annotations: new Map([...values].filter(([key]) => used.has(key))),
    };
  }
  const who =
    typeof metadata?.name === 'string' ? `Application ${quoteKey(metadata.name)}` : 'The Application';
  return {
    kind: 'refused',
    reason: refusal(who, missing, values.has(ALLOW_IMAGES_ANNOTATION), reading.notes),
  };
}

/**
 * JSON patch `test`s that the annotations consent rested on are still as read: put in the same patch
 * as the write, an owner's withdrawal between our read and our write makes the patch fail, and the
 * retry reads the Application again.
 */
export function consentGuard(consent: ApplicationConsent): JsonPatchOperation[] {
  if (consent.kind !== 'consented') return [];
  return [...consent.annotations].map(([key, value]) => ({
    op: 'test',
    path: `/metadata/annotations/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`,
    value,
  }));
}

function grantFor(grants: readonly Grant[], image: string): Grant | undefined {
  const slash = image.indexOf('/');
  const host = slash === -1 ? undefined : canonicalHost(image.slice(0, slash));
  if (host === undefined) return undefined;
  const repository = image.slice(slash + 1);
  return grants.find((grant) => grant.host === host && grant.allows(repository));
}

function refusal(who: string, missing: readonly string[], hasAllowImages: boolean, notes: string[]): string {
  const images = missing.join(', ');
  const allow = hasAllowImages
    ? `add ${images} to its annotation ${ALLOW_IMAGES_ANNOTATION} (entries separated by commas or new lines)`
    : `add the annotation ${ALLOW_IMAGES_ANNOTATION}: ${images}`;
  const listed = notes.slice(0, LISTED_NOTES);
  const more = notes.length - listed.length;
  const unread =
    notes.length === 0
      ? ''
      : `; allowing nothing: ${listed.join('; ')}${more > 0 ? `; and ${more} more` : ''}`;
  return `${who} does not allow ${images} to be written into it: its owners can ${allow}, or name the repository in ${IMAGE_LIST_ANNOTATION}${unread}`;
}

// Our annotation: `<ecr host>/<repository>`, where `*` stands for any run of characters but `/`.
function readAllowImages(value: string): Reading {
  const reading: Reading = { grants: [], notes: [] };
  const { entries, unread } = splitEntries(value, /[,\n]/);
  for (const entry of entries) {
    const problem = allowEntryProblem(entry);
    if (problem !== undefined) {
      reading.notes.push(`${quoteInput(entry)} in ${ALLOW_IMAGES_ANNOTATION}: ${problem}`);
      continue;
    }
    const slash = entry.indexOf('/');
    const pattern = entry.slice(slash + 1);
    const glob = compileGlob(pattern);
    reading.grants.push({
      host: canonicalHost(entry.slice(0, slash))!,
      annotation: ALLOW_IMAGES_ANNOTATION,
      allows: pattern.includes('*') ? (repository) => glob.matches(repository) : (r) => r === pattern,
    });
  }
  if (unread > 0) reading.notes.push(unreadNote(ALLOW_IMAGES_ANNOTATION, unread));
  return reading;
}

function allowEntryProblem(entry: string): string | undefined {
  if (entry.length > MAX_CONSENT_ENTRY_LENGTH) return `longer than ${MAX_CONSENT_ENTRY_LENGTH} characters`;
  if (/\s/.test(entry)) return 'has a space in it; separate entries with commas or new lines';
  const slash = entry.indexOf('/');
  if (slash === -1) return 'names no repository; write <account>.dkr.ecr.<region>.amazonaws.com/<repository>';
  const host = entry.slice(0, slash);
  if (host.includes('*')) return 'has a * in the registry host; name the account and region';
  if (canonicalHost(host) === undefined)
    return `${quoteInput(host)} is not an ECR registry host (<account>.dkr.ecr.<region>.amazonaws.com)`;
  const path = entry.slice(slash + 1);
  if (/[:@]/.test(path)) return 'has a tag or digest; name the repository only';
  if (path.includes('**')) return 'has **; a * matches within one part of the path, write one * per part';
  const parts = path.split('/');
  if (!parts.every((part) => /^[a-z0-9._*-]+$/.test(part)))
    return 'is not a repository pattern (lowercase letters, digits, . _ - and * as the only wildcard, / between parts)';
  return undefined;
}

// Argo CD Image Updater's list: `[alias=]image[:constraint][@digest]`, "a comma separated list of
// image specifications" (https://argocd-image-updater.readthedocs.io/en/stable/configuration/images/). The repository consents, whatever the alias or
// constraint; entries outside ECR are no mistake, they just allow nothing here.
function readImageList(value: string): Reading {
  const reading: Reading = { grants: [], notes: [] };
  const { entries, unread } = splitEntries(value, /,/);
  for (const entry of entries) {
    if (entry.length > MAX_CONSENT_ENTRY_LENGTH) {
      reading.notes.push(
        `${quoteInput(entry)} in ${IMAGE_LIST_ANNOTATION}: longer than ${MAX_CONSENT_ENTRY_LENGTH} characters`,
      );
      continue;
    }
    let spec: ReturnType<typeof parseImageListEntry>;
    try {
      // No account is given: a placeholder where the account belongs cannot consent to any account.
      spec = parseImageListEntry(entry, undefined, () => {});
    } catch (error) {
      if (!(error instanceof InvalidInputError)) throw error;
      reading.notes.push(`${quoteInput(entry)} in ${IMAGE_LIST_ANNOTATION}: ${error.problem}`);
      continue;
    }
    const host = spec.registry === undefined ? undefined : canonicalHost(spec.registry);
    if (host === undefined) continue;
    const { repository } = spec;
    reading.grants.push({ host, annotation: IMAGE_LIST_ANNOTATION, allows: (r) => r === repository });
  }
  if (unread > 0) reading.notes.push(unreadNote(IMAGE_LIST_ANNOTATION, unread));
  return reading;
}

function unreadNote(annotation: string, unread: number): string {
  return `${unread} entries of ${annotation} past the first ${MAX_CONSENT_ENTRIES} were not read`;
}

/** The first {@link MAX_CONSENT_ENTRIES} entries, trimmed and not empty, and how many more there are. */
function splitEntries(value: string, separator: RegExp): { entries: string[]; unread: number } {
  const entries: string[] = [];
  let unread = 0;
  for (const raw of value.split(separator)) {
    const entry = raw.trim();
    if (entry === '') continue;
    if (entries.length < MAX_CONSENT_ENTRIES) entries.push(entry);
    else unread++;
  }
  return { entries, unread };
}

// DNS names are case-insensitive, and one ECR registry has several names (FIPS, dual-stack): compare
// the registry they name.
function canonicalHost(host: string): string | undefined {
  const registry = parseEcrRegistry(host.toLowerCase());
  return registry && ecrRegistryHost(registry);
}

function objectField(value: unknown, key: string): Record<string, unknown> | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const field = (value as Record<string, unknown>)[key];
  return typeof field === 'object' && field !== null && !Array.isArray(field)
    ? (field as Record<string, unknown>)
    : undefined;
}
