/**
 * One-line descriptions of a registration, for people: what an app follows and where it writes.
 */
import { argoCdSourceFileName } from '../targets/argocd-source-file.ts';
import type { Registration } from './registration.ts';
import { joinRepositoryPath } from './repository-path.ts';

/** `registered flask-app (revision 1): follows <image> (semver ~1.0); writes <repo>@<branch>:<file>`. */
export function describeRegistration(registration: Registration, revision: number, paused: boolean): string {
  const images = registration.images.map((image) => {
    const constraint = image.policy.constraint?.text ?? image.policy.trackedTag;
    const gate = image.policy.filters.find((filter) => filter.kind === 'scanGate');
    const how = constraint ? `${image.policy.strategy} ${constraint}` : image.policy.strategy;
    return `${image.imageName} (${how}${gate ? `, ${gate.description}` : ''})`;
  });
  return `registered ${registration.name} (revision ${revision}${paused ? ', paused' : ''}): follows ${images.join(', ')}; writes ${describeWriteBack(registration)}`;
}

/**
 * `replaced flask-app (revision 1 -> 2): writeBack git -> argocd`: a registration that replaced the
 * app of the same name, with what it changed (from describeRegistrationChanges).
 */
export function describeReplacement(
  name: string,
  revisions: { readonly from: number; readonly to: number },
  paused: boolean,
  changes: readonly string[],
): string {
  return `replaced ${name} (revision ${revisions.from} -> ${revisions.to}${paused ? ', paused' : ''}): ${describeChanges(changes)}`;
}

/** The changes of a replacement in one phrase: `writeBack git -> argocd, images[0].image ...`. */
export function describeChanges(changes: readonly string[]): string {
  return changes.length > 0 ? changes.join(', ') : 'no field changed';
}

/** Where an app's updates are written: `owner/repo@branch:path/file`, or the Argo CD Application. */
export function describeWriteBack(registration: Registration): string {
  const writeBack = registration.writeBack;
  if (writeBack.method === 'argocd')
    return `the Argo CD Application through ${writeBack.connection ? `the connection '${writeBack.connection}'` : 'the default Argo CD connection'}`;
  const file =
    writeBack.target.kind === 'argocd-source'
      ? (writeBack.target.file ?? joinRepositoryPath(writeBack.path, argoCdSourceFileName(registration.name)))
      : writeBack.target.kind === 'kustomization'
        ? joinRepositoryPath(writeBack.target.dir, 'kustomization.yaml')
        : writeBack.target.file;
  return `${writeBack.repo.owner}/${writeBack.repo.name}${writeBack.branch ? `@${writeBack.branch}` : ''}:${file}`;
}
