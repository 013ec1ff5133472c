/**
 * The file a git write-back edits for each target kind, and how: `.argocd-source-<app>.yaml` or a
 * parameter file at a path of its own (created when missing), a chart's values file, or a
 * kustomization (both must exist: writing one from nothing would deploy something nobody wrote).
 */

import type { ImageRegistration } from '../registration/registration-images.ts';
import type { GitWriteBack } from '../registration/registration-write-back.ts';
import { joinRepositoryPath } from '../registration/repository-path.ts';
import {
  argoCdSourceFileName,
  readArgoCdSourceVersion,
  renderArgoCdSourceFile,
  type VersionWrite,
} from './argocd-source-file.ts';
import { readHelmValuesVersion, renderHelmValuesFile } from './helm-values-file.ts';
import {
  KUSTOMIZATION_FILE_NAMES,
  readKustomizationVersion,
  renderKustomizationFile,
} from './kustomization-file.ts';

export interface TargetEditor {
  /** The file to edit; the first that exists when there are several names (kustomization). */
  readonly paths: readonly string[];
  /** Whether a missing file is written from nothing (true) or refused (false). */
  readonly createIfMissing: boolean;
  read(text: string | undefined, image: ImageRegistration, path: string): string | undefined;
  render(text: string | undefined, writes: readonly VersionWrite[], path: string): string;
  /** A short, stable name of the target, for branch names. */
  readonly id: string;
}

export function targetEditor(appName: string, git: GitWriteBack): TargetEditor {
  const target = git.target;
  switch (target.kind) {
    case 'argocd-source':
      return {
        paths: [target.file ?? joinRepositoryPath(git.path, argoCdSourceFileName(appName))],
        createIfMissing: true,
        read: readArgoCdSourceVersion,
        render: renderArgoCdSourceFile,
        id: target.file === undefined ? 'argocd-source' : `argocd-source-${shortHash(target.file)}`,
      };
    case 'helmvalues':
      return {
        paths: [target.file],
        createIfMissing: false,
        read: (text, image, path) =>
          text === undefined ? undefined : readHelmValuesVersion(text, image, path),
        render: (text, writes, path) => renderHelmValuesFile(text ?? '', writes, path),
        id: `helmvalues-${shortHash(target.file)}`,
      };
    case 'kustomization':
      return {
        paths: KUSTOMIZATION_FILE_NAMES.map((name) => joinRepositoryPath(target.dir, name)),
        createIfMissing: false,
        read: (text, image, path) =>
          text === undefined ? undefined : readKustomizationVersion(text, image, path),
        render: (text, writes, path) => renderKustomizationFile(text ?? '', writes, path),
        id: `kustomization-${shortHash(target.dir)}`,
      };
  }
}

// FNV-1a: a few stable characters that tell two targets of one app apart in a branch name.
function shortHash(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return hash.toString(16).padStart(8, '0');
}
