/**
 * Commit messages and pull request texts for write-backs. The default names the app, lists each image
 * `old -> new`, and ends with trailers that link every new version to its ECR digest, so `git log`
 * answers "what was deployed". A registration's own template (Go syntax, as in Argo CD Image Updater)
 * replaces the body; the trailers stay.
 */

import type { ImageChange } from '../updates/image-update.ts';
import { commitTemplateData } from './change-templates.ts';
import { compileGoTemplate } from './go-template.ts';

/** One app's part of a write. */
export interface AppChanges {
  readonly appName: string;
  readonly changes: readonly ImageChange[];
  /** The registration's commit message template, if it has one. */
  readonly template?: string;
}

/** The message of a commit that holds one app's changes. */
export function renderCommitMessage(
  appName: string,
  changes: readonly ImageChange[],
  template?: string,
): string {
  const body = template
    ? compileGoTemplate(template).render(commitTemplateData(appName, changes)).trimEnd()
    : defaultBody(appName, changes);
  return withTrailers(body, changes);
}

/** The message of one commit that holds several apps' changes (one push, one repository and branch). */
export function renderGroupCommitMessage(apps: readonly AppChanges[]): string {
  if (apps.length === 1) return renderCommitMessage(apps[0]!.appName, apps[0]!.changes, apps[0]!.template);
  const sections = apps.map(({ appName, changes, template }) =>
    template
      ? compileGoTemplate(template).render(commitTemplateData(appName, changes)).trimEnd()
      : [`${appName}:`, ...changeLines(changes)].join('\n'),
  );
  const body = [
    `build: update ${apps.length} apps (${apps.map((a) => a.appName).join(', ')})`,
    '',
    'Updated by ecr-image-updater after an ECR push:',
    '',
    sections.join('\n\n'),
  ].join('\n');
  return withTrailers(
    body,
    apps.flatMap((a) => a.changes),
  );
}

/** Title and body of the pull request that proposes one app's changes. */
export function renderPullRequest(
  appName: string,
  changes: readonly ImageChange[],
  base: string,
): { title: string; body: string } {
  return {
    title: subject(appName, changes),
    body: [
      `ecr-image-updater proposes to move \`${appName}\` on \`${base}\`:`,
      '',
      '| image | from | to | digest |',
      '|---|---|---|---|',
      ...changes.map(
        (c) =>
          `| \`${c.imageName}\` | ${c.from ?? '(unset)'} | ${c.to} | ${c.digest ? `\`${c.digest}\`` : ''} |`,
      ),
      '',
      'A newer push updates this pull request instead of opening another.',
    ].join('\n'),
  };
}

function defaultBody(appName: string, changes: readonly ImageChange[]): string {
  return [
    subject(appName, changes),
    '',
    'Updated by ecr-image-updater after an ECR push:',
    ...changeLines(changes),
  ].join('\n');
}

function subject(appName: string, changes: readonly ImageChange[]): string {
  return changes.length === 1
    ? `build(${appName}): update ${displayName(changes[0]!)} to ${shortVersion(changes[0]!.to)}`
    : `build(${appName}): update ${changes.length} images`;
}

function changeLines(changes: readonly ImageChange[]): string[] {
  return changes.map((change) => `- ${change.imageName}: ${change.from ?? '(unset)'} -> ${change.to}`);
}

function withTrailers(body: string, changes: readonly ImageChange[]): string {
  const digests = [
    ...new Set(
      changes.filter((c) => c.digest !== undefined).map((c) => `Image-Digest: ${c.imageName}@${c.digest}`),
    ),
  ];
  return [body, '', ...digests, 'Updated-By: ecr-image-updater'].join('\n');
}

function displayName(change: ImageChange): string {
  return change.alias ?? change.imageName.slice(change.imageName.lastIndexOf('/') + 1);
}

// In a subject line a digest-pinned version reads better as its tag.
function shortVersion(version: string): string {
  const at = version.indexOf('@');
  return at === -1 ? version : `${version.slice(0, at)} (${version.slice(at + 1, at + 20)}...)`;
}
