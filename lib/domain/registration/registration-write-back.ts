/**
 * The `writeBack` of a registration: a commit to the GitOps repository on GitHub (`git`), or an update
 * of the Argo CD Application through the Argo CD REST API (`argocd`).
 */

import { InvalidInputError, quoteInput } from '../errors.ts';
import { compileChangeTemplate } from '../targets/change-templates.ts';
import {
  expectObject,
  fieldPath,
  optionalBoolean,
  optionalString,
  rejectUnknownKeys,
  requiredString,
} from './document-fields.ts';
import { normalizeRepositoryPath } from './repository-path.ts';

/**
 * Where in the repository a git write-back writes the new tags (Argo CD Image Updater's
 * `write-back-target`). Paths are resolved from the repository root.
 */
export type WriteBackTarget =
  | { readonly kind: 'argocd-source' }
  | { readonly kind: 'kustomization'; readonly dir: string }
  | { readonly kind: 'helmvalues'; readonly file: string };

export interface GitWriteBack {
  readonly method: 'git';
  readonly repo: { readonly owner: string; readonly name: string };
  /** GitHub Enterprise API URL; github.com when absent. */
  readonly apiUrl?: string;
  /** The base branch; the repository's default branch when absent. */
  readonly branch?: string;
  /** The app's source path, relative to the repository root ('' for the root). */
  readonly path: string;
  readonly target: WriteBackTarget;
  readonly writeBranch?: string;
  readonly pullRequest: boolean;
  readonly commitMessage?: string;
  readonly credentialsSecret?: string;
}

export interface ArgoCdWriteBack {
  readonly method: 'argocd';
  readonly server?: string;
  readonly appNamespace: string;
  readonly project: string;
  readonly tokenSecret?: string;
  /** auto: sync only when the app has no automated sync policy; always; never. */
  readonly sync: 'auto' | 'always' | 'never';
  readonly insecure: boolean;
  readonly caBundleSecret?: string;
}

export type WriteBack = GitWriteBack | ArgoCdWriteBack;

const REPO = /^[A-Za-z0-9_.-]{1,100}\/[A-Za-z0-9_.-]{1,100}$/;

/** A branch name git accepts (git check-ref-format, as a branch). */
export function isValidBranchName(name: string): boolean {
  if (
    name.length === 0 ||
    name.length > 255 ||
    name.startsWith('/') ||
    name.startsWith('-') ||
    name.endsWith('/') ||
    name.endsWith('.')
  )
    return false;
  if (
    name.includes('..') ||
    name.includes('//') ||
    name.includes('@{') ||
    name === '@' ||
    name.endsWith('.lock')
  )
    return false;
  if (name.split('/').some((part) => part.startsWith('.') || part.endsWith('.lock'))) return false;
  for (const char of name) {
    const code = char.charCodeAt(0);
    if (code < 0x20 || code === 0x7f || ' ~^:?*[\\'.includes(char)) return false;
  }
  return true;
}

export function parseWriteBack(value: unknown, field: string): WriteBack {
  if (value === undefined || value === null) {
    throw new InvalidInputError(
      field,
      'is required',
      'say how to write updates back: method git (with git: repo, path) or argocd',
    );
  }
  const object = expectObject(value, field);
  rejectUnknownKeys(object, field, ['method', 'git', 'argocd']);
  const method = requiredString(object, 'method', field, 'use git or argocd');
  if (method === 'git') return parseGit(object.git, fieldPath(field, 'git'));
  if (method === 'argocd') return parseArgoCd(object.argocd ?? {}, fieldPath(field, 'argocd'));
  throw new InvalidInputError(
    fieldPath(field, 'method'),
    `unknown method ${quoteInput(method)}`,
    'use git or argocd',
  );
}

function parseGit(value: unknown, field: string): GitWriteBack {
  if (value === undefined || value === null)
    throw new InvalidInputError(field, 'is required for method git', 'give at least repo and path');
  const git = expectObject(value, field);
  rejectUnknownKeys(git, field, [
    'repo',
    'apiUrl',
    'branch',
    'path',
    'target',
    'writeBranch',
    'pullRequest',
    'commitMessage',
    'credentialsSecret',
  ]);
  const path = normalizeRepositoryPath(
    requiredString(git, 'path', field, "give the app's source path in the repository, e.g. flask-app"),
    fieldPath(field, 'path'),
  );
  const branch = optionalString(git, 'branch', field)?.trim();
  if (branch !== undefined && branch !== '' && !isValidBranchName(branch)) {
    throw new InvalidInputError(
      fieldPath(field, 'branch'),
      `${quoteInput(branch)} is not a valid branch name`,
    );
  }
  const apiUrl = optionalString(git, 'apiUrl', field)?.trim();
  if (apiUrl) checkUrl(apiUrl, fieldPath(field, 'apiUrl'));
  const writeBranch = optionalString(git, 'writeBranch', field)?.trim();
  if (writeBranch) compileChangeTemplate(writeBranch, fieldPath(field, 'writeBranch'), 'branch');
  const commitMessage = optionalString(git, 'commitMessage', field);
  if (commitMessage?.trim())
    compileChangeTemplate(commitMessage, fieldPath(field, 'commitMessage'), 'commit');
  const credentialsSecret = optionalString(git, 'credentialsSecret', field)?.trim();
  return {
    method: 'git',
    repo: parseRepo(
      requiredString(git, 'repo', field, 'give the GitHub repository as owner/name'),
      fieldPath(field, 'repo'),
    ),
    ...(apiUrl ? { apiUrl: apiUrl.replace(/\/+$/, '') } : {}),
    ...(branch ? { branch } : {}),
    path,
    target: parseTarget(optionalString(git, 'target', field), path, fieldPath(field, 'target')),
    ...(writeBranch ? { writeBranch } : {}),
    pullRequest: optionalBoolean(git, 'pullRequest', field) ?? false,
    ...(commitMessage?.trim() ? { commitMessage } : {}),
    ...(credentialsSecret ? { credentialsSecret } : {}),
  };
}

/** `owner/name`, or a GitHub URL in https or ssh form. */
function parseRepo(text: string, field: string): GitWriteBack['repo'] {
  const bare = text
    .replace(/^(?:https?:\/\/[^/]+\/|git@[^:]+:|ssh:\/\/git@[^/]+\/)/, '')
    .replace(/\.git$/, '')
    .replace(/\/+$/, '');
  if (!REPO.test(bare))
    throw new InvalidInputError(
      field,
      `${quoteInput(text)} is not a GitHub repository`,
      'write owner/name, e.g. devopscube/argocd-image-updater',
    );
  const [owner, name] = bare.split('/') as [string, string];
  return { owner, name };
}

// Targets as Argo CD Image Updater spells them; paths are relative to the app path, or to the
// repository root when they start with '/'.
function parseTarget(text: string | undefined, appPath: string, field: string): WriteBackTarget {
  const value = text?.trim() || 'argocd-source';
  const colon = value.indexOf(':');
  const kind = colon === -1 ? value : value.slice(0, colon);
  const argument = colon === -1 ? undefined : value.slice(colon + 1).trim();
  const resolve = (path: string) =>
    normalizeRepositoryPath(
      path.startsWith('/') ? path.slice(1) : appPath ? `${appPath}/${path}` : path,
      field,
    );
  switch (kind) {
    case 'argocd-source':
      if (argument !== undefined)
        throw new InvalidInputError(field, 'argocd-source takes no path', 'write argocd-source');
      return { kind };
    case 'kustomization': {
      const dir = resolve(argument || '.');
      if (/(^|\/)kustomization\.ya?ml$|(^|\/)Kustomization$/.test(dir)) {
        throw new InvalidInputError(
          field,
          `${quoteInput(argument ?? '')} names a kustomization file`,
          'name its directory: kustomization:<dir>',
        );
      }
      return { kind, dir };
    }
    case 'helmvalues':
      return { kind, file: resolve(argument || 'values.yaml') };
    default:
      throw new InvalidInputError(
        field,
        `unknown target ${quoteInput(value)}`,
        'use argocd-source, kustomization[:dir] or helmvalues[:file]',
      );
  }
}

function parseArgoCd(value: unknown, field: string): ArgoCdWriteBack {
  const argocd = expectObject(value, field);
  rejectUnknownKeys(argocd, field, [
    'server',
    'appNamespace',
    'project',
    'tokenSecret',
    'sync',
    'insecure',
    'caBundleSecret',
  ]);
  const server = optionalString(argocd, 'server', field)?.trim();
  if (server) checkUrl(server, fieldPath(field, 'server'));
  const sync = optionalString(argocd, 'sync', field)?.trim() || 'auto';
  if (sync !== 'auto' && sync !== 'always' && sync !== 'never') {
    throw new InvalidInputError(
      fieldPath(field, 'sync'),
      `unknown sync ${quoteInput(sync)}`,
      'use auto, always or never',
    );
  }
  const tokenSecret = optionalString(argocd, 'tokenSecret', field)?.trim();
  const caBundleSecret = optionalString(argocd, 'caBundleSecret', field)?.trim();
  return {
    method: 'argocd',
    ...(server ? { server: server.replace(/\/+$/, '') } : {}),
    appNamespace: optionalString(argocd, 'appNamespace', field)?.trim() || 'argocd',
    project: optionalString(argocd, 'project', field)?.trim() || 'default',
    ...(tokenSecret ? { tokenSecret } : {}),
    sync,
    insecure: optionalBoolean(argocd, 'insecure', field) ?? false,
    ...(caBundleSecret ? { caBundleSecret } : {}),
  };
}

function checkUrl(text: string, field: string): void {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new InvalidInputError(
      field,
      `${quoteInput(text)} is not a URL`,
      'write e.g. https://argocd.internal.example.com',
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new InvalidInputError(field, `${quoteInput(text)} is not an http(s) URL`);
  }
  if (url.username || url.password)
    throw new InvalidInputError(field, 'holds credentials', 'keep credentials in Secrets Manager');
}
