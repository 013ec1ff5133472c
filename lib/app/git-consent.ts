/**
 * The consent of a GitOps repository's owners to a plan's write, read from the repository: the consent
 * files of the root and of the app's folder, read through the working tree the target file is read
 * through, so that each is read once per commit, shared by every plan of it, and in the same round trip.
 */

import { type ConsentFile, parseConsentFile } from '../domain/consent/consent-file.ts';
import { consentFilePath, consentFolders, decideConsent } from '../domain/consent/decide-consent.ts';
import { InvalidTargetError, WriteRefusedError } from '../domain/errors.ts';
import { ecrRegistryHost } from '../domain/images/image-spec.ts';
import type { ImageRegistration } from '../domain/registration/registration-images.ts';
import type { GitFile } from './ports.ts';

/** Files as a working tree has them at the commit it was read at. */
export interface CommitFiles {
  original(path: string): Promise<GitFile | undefined>;
}

/** The consent files that may speak for a write into `target` of the app whose folder is `appPath`. */
export function consentPaths(appPath: string, target: string): string[] {
  return consentFolders(appPath, target).map(consentFilePath);
}

/**
 * Starts reading the consent files for a write into `target`, so that they arrive with the target file
 * rather than after it. A failed read is reported by {@link requireConsent}, which waits on the same read.
 */
export function startReadingConsent(files: CommitFiles, appPath: string, target: string): void {
  for (const path of consentPaths(appPath, target)) files.original(path).catch(() => undefined);
}

/**
 * Answers when the consent files in `files` let every one of `images` be written into `target`;
 * throws WriteRefusedError (`not-consented`), saying why and how the owners consent, when one is not.
 * `onto` names the branch `files` are read from when it is not the base but an existing branch the
 * write commits onto: that branch can withhold consent, never give it (see git-writes.ts).
 */
export async function requireConsent(
  files: CommitFiles,
  appPath: string,
  target: string,
  images: readonly ImageRegistration[],
  onto?: string,
): Promise<void> {
  const consentFiles = await Promise.all(
    consentFolders(appPath, target).map((folder) => readConsentFile(files, folder)),
  );
  for (const image of images) {
    const consent = decideConsent(
      consentFiles,
      `${ecrRegistryHost(image.registry)}/${image.repository}`,
      target,
    );
    if (consent.kind === 'refused')
      throw new WriteRefusedError(
        'not-consented',
        onto === undefined
          ? consent.reason
          : `the branch ${onto}, which this write commits onto, must consent too: ${consent.reason}`,
      );
  }
}

// Parsed once per file read: every plan of a commit asks about the same root file.
const parsed = new WeakMap<GitFile, ConsentFile>();

async function readConsentFile(files: CommitFiles, folder: string): Promise<ConsentFile> {
  let file: GitFile | undefined;
  try {
    file = await files.original(consentFilePath(folder));
  } catch (error) {
    // A folder or a link where the file should be consents to nothing, as any file that is not one.
    if (error instanceof InvalidTargetError)
      return { kind: 'malformed', folder, problem: 'it is not a file' };
    throw error;
  }
  if (file === undefined) return parseConsentFile(folder, undefined);
  let consent = parsed.get(file);
  if (!consent) {
    consent = parseConsentFile(folder, file.text);
    parsed.set(file, consent);
  }
  return consent;
}
