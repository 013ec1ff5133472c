/**
 * Whether the owners of a GitOps repository consent to a write: an image, into a file. Either consent
 * file, the repository root's or the app folder's, may consent; a file speaks only for paths under its
 * own folder, so the file of one app's folder can never open another app's folder.
 */

import { joinRepositoryPath } from '../registration/repository-path.ts';
import { CONSENT_FILE_NAME, type ConsentFile, type ConsentRule } from './consent-file.ts';

export type Consent =
  | { readonly kind: 'consented' /** The consent file whose rule allowed it. */; readonly file: string }
  | { readonly kind: 'refused'; readonly reason: string };

/**
 * The folders whose consent file may speak for `target` (a file path from the repository root): the
 * root, and the app's folder (`writeBack.git.path`) when the target lies below it.
 */
export function consentFolders(appPath: string, target: string): string[] {
  return appPath !== '' && isBelow(target, appPath) ? ['', appPath] : [''];
}

/** The path of the consent file of a folder. */
export function consentFilePath(folder: string): string {
  return joinRepositoryPath(folder, CONSENT_FILE_NAME);
}

/**
 * Decides whether `files` consent to writing `image` (`host/repository`, the host as ecrRegistryHost
 * writes it) into `target`. Files of folders that do not hold the target are not heard.
 */
export function decideConsent(files: readonly ConsentFile[], image: string, target: string): Consent {
  if (target.split('/').at(-1) === CONSENT_FILE_NAME)
    return {
      kind: 'refused',
      reason: `${target} is a consent file of the repository's owners: ecr-image-updater never writes one`,
    };
  const heard = files.filter((file) => file.folder === '' || isBelow(target, file.folder));
  for (const file of heard) {
    if (file.kind !== 'rules') continue;
    const relative = file.folder === '' ? target : target.slice(file.folder.length + 1);
    if (file.rules.some((rule) => allows(rule, image, relative)))
      return { kind: 'consented', file: consentFilePath(file.folder) };
  }
  const places = heard.map((file) => (file.folder === '' ? 'at the repository root' : `in ${file.folder}/`));
  const malformed = heard.flatMap((file) =>
    file.kind === 'malformed'
      ? [`${consentFilePath(file.folder)} is malformed and consents to nothing: ${file.problem}`]
      : [],
  );
  return {
    kind: 'refused',
    reason: [
      `no ${CONSENT_FILE_NAME} ${places.join(' or ') || 'at the repository root'} allows ${image} to write ${target}`,
      ...malformed,
      `the repository's owners consent with a rule in one of them (docs/write-back.md, "Consent of the repository's owners")`,
    ].join('; '),
  };
}

function allows(rule: ConsentRule, image: string, relative: string): boolean {
  if (!rule.images.some((glob) => glob.matches(image))) return false;
  if (rule.paths === undefined) return true;
  const names = relative.split('/');
  // A path names a file, or a folder and so everything below it.
  return rule.paths.some(
    (path) => path.length <= names.length && path.every((glob, i) => glob.matches(names[i]!)),
  );
}

function isBelow(path: string, folder: string): boolean {
  return folder === '' || path.startsWith(`${folder}/`);
}
