/**
 * Commit messages for write-backs. The default names the app, lists each image `old -> new`, and ends
 * with trailers that link every new version to its ECR digest, so `git log` answers "what was deployed".
 */
import type { ImageChange } from './image-update.ts';

/** The default message for one app's write. */
export function renderCommitMessage(appName: string, changes: readonly ImageChange[]): string {
  const subject =
    changes.length === 1
      ? `build(${appName}): update ${displayName(changes[0]!)} to ${shortVersion(changes[0]!.to)}`
      : `build(${appName}): update ${changes.length} images`;
  const lines = changes.map((change) => `- ${change.imageName}: ${change.from ?? '(unset)'} -> ${change.to}`);
  const trailers = changes
    .filter((change) => change.digest !== undefined)
    .map((change) => `Image-Digest: ${change.imageName}@${change.digest}`);
  return [
    subject,
    '',
    `Updated by ecr-image-updater after an ECR push:`,
    ...lines,
    '',
    ...trailers,
    'Updated-By: ecr-image-updater',
  ]
    .join('\n')
    .replace(/\n\n\n+/g, '\n\n');
}

function displayName(change: ImageChange): string {
  return change.alias ?? change.imageName.slice(change.imageName.lastIndexOf('/') + 1);
}

// In a subject line a digest-pinned version reads better as its tag.
function shortVersion(version: string): string {
  const at = version.indexOf('@');
  return at === -1 ? version : `${version.slice(0, at)} (${version.slice(at + 1, at + 20)}...)`;
}
