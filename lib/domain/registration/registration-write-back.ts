/**
 * The `writeBack` of a registration: a commit to the GitOps repository on GitHub (`git`), or an update
 * of the Argo CD Application through the Argo CD REST API (`argocd`).
 */

import { CONNECTION_NAME, CONNECTIONS_DOC } from '../connections/connections.ts';
import { InvalidInputError, quoteInput } from '../errors.ts';
import { ProblemCollector } from '../problem-collector.ts';
import { compileChangeTemplate } from '../targets/change-templates.ts';
import {
  type DocumentMapping,
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
  | {
      readonly kind: 'argocd-source';
      /** The parameter file; `.argocd-source-<app>.yaml` under the app path when absent. */
      readonly file?: string;
    }
  | { readonly kind: 'kustomization'; readonly dir: string }
  | { readonly kind: 'helmvalues'; readonly file: string };

export interface GitWriteBack {
  readonly method: 'git';
  /** The platform's git connection (GitHub or a plain git host) it writes through; the default when absent. */
  readonly connection?: string;
  /**
   * The repository: `owner/name` on GitHub; on a plain git host, its path under the connection's URL,
   * whose last segment is `name` and the segments before it `owner` (`group/sub/gitops`).
   */
  readonly repo: { readonly owner: string; readonly name: string };
  /** The base branch; the repository's default branch when absent. */
  readonly branch?: string;
  /** The app's source path, relative to the repository root ('' for the root). */
  readonly path: string;
  readonly target: WriteBackTarget;
  readonly writeBranch?: string;
  readonly pullRequest: boolean;
  readonly commitMessage?: string;
}

export interface ArgoCdWriteBack {
  readonly method: 'argocd';
  /** The platform's Argo CD connection it patches through; the default connection when absent. */
  readonly connection?: string;
  /**
   * The Application's namespace, when it is not Argo CD's own. Absent, no namespace is sent and Argo CD
   * looks in its own (which need not be `argocd`); another one must be in its `--application-namespaces`.
   */
  readonly appNamespace?: string;
  readonly project: string;
  /** auto: sync only when the app has no automated sync policy; always; never. */
  readonly sync: 'auto' | 'always' | 'never';
}

/**
 * The fields a registration once carried and that only a connection may hold now: an endpoint, a
 * credential, a TLS setting. A registration giving one is refused; a stored one that still has one is
 * skipped (not-allowed) without a call.
 */
export const CONNECTION_ONLY_FIELDS = {
  git: ['apiUrl', 'credentialsSecret'],
  argocd: ['server', 'tokenSecret', 'caBundleSecret', 'insecure'],
} as const;

/** The connection-only fields (`writeBack.git.apiUrl`, ...) a registration document holds, if any. */
export function connectionOnlyFields(document: unknown): string[] {
  const writeBack = (document as { writeBack?: unknown } | null)?.writeBack;
  if (typeof writeBack !== 'object' || writeBack === null) return [];
  const found: string[] = [];
  for (const method of ['git', 'argocd'] as const) {
    const section = (writeBack as Record<string, unknown>)[method];
    if (typeof section !== 'object' || section === null) continue;
    for (const key of CONNECTION_ONLY_FIELDS[method])
      if ((section as Record<string, unknown>)[key] !== undefined) found.push(`writeBack.${method}.${key}`);
  }
  return found;
}

function refuseConnectionFields(section: DocumentMapping, field: string, keys: readonly string[]): void {
  const problems = new ProblemCollector();
  for (const key of keys)
    if (section[key] !== undefined)
      problems.add(
        new InvalidInputError(
          fieldPath(field, key),
          "is not allowed in a registration: endpoints, credentials and TLS settings belong to the platform's connections",
          `remove it and name a connection with ${fieldPath(field, 'connection')} (${CONNECTIONS_DOC})`,
        ),
      );
  problems.throwIfAny();
}

export type WriteBack = GitWriteBack | ArgoCdWriteBack;

// owner/name on GitHub; a plain git host's path may have more segments (GitLab's subgroups, Azure
// DevOps' org/project/_git/name), never `.` or `..`.
const REPO_SEGMENT = /^[A-Za-z0-9_.-]{1,100}$/;
const MAX_REPO_SEGMENTS = 8;

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
  const problems = new ProblemCollector();
  problems.check(() => rejectUnknownKeys(object, field, ['method', 'git', 'argocd']));
  const writeBack = problems.check(() => {
    const method = requiredString(object, 'method', field, 'use git or argocd');
    if (method === 'git') return parseGit(object.git, fieldPath(field, 'git'));
    if (method === 'argocd') return parseArgoCd(object.argocd ?? {}, fieldPath(field, 'argocd'));
    throw new InvalidInputError(
      fieldPath(field, 'method'),
      `unknown method ${quoteInput(method)}`,
      'use git or argocd',
    );
  });
  problems.throwIfAny();
  return writeBack!;
}

const GIT_FIELDS = [
  'connection',
  'repo',
  'branch',
  'path',
  'target',
  'writeBranch',
  'pullRequest',
  'commitMessage',
];

// Every field is read even when another is wrong, so that all mistakes are reported at once.
function parseGit(value: unknown, field: string): GitWriteBack {
  if (value === undefined || value === null)
    throw new InvalidInputError(field, 'is required for method git', 'give at least repo and path');
  const git = expectObject(value, field);
  const problems = new ProblemCollector();
  const at = (key: string) => fieldPath(field, key);
  problems.check(() => refuseConnectionFields(git, field, CONNECTION_ONLY_FIELDS.git));
  problems.check(() =>
    rejectUnknownKeys(
      Object.fromEntries(Object.entries(git).filter(([key]) => !isConnectionOnly('git', key))),
      field,
      GIT_FIELDS,
    ),
  );
  const connection = problems.check(() => connectionName(git, field));
  const repo = problems.check(() =>
    parseRepo(
      requiredString(
        git,
        'repo',
        field,
        'give the repository as owner/name (or its path on a plain git host)',
      ),
      at('repo'),
    ),
  );
  const path = problems.check(() =>
    normalizeRepositoryPath(
      requiredString(git, 'path', field, "give the app's source path in the repository, e.g. flask-app"),
      at('path'),
    ),
  );
  const branch = problems.check(() => {
    const text = optionalString(git, 'branch', field)?.trim();
    if (text !== undefined && text !== '' && !isValidBranchName(text))
      throw new InvalidInputError(at('branch'), `${quoteInput(text)} is not a valid branch name`);
    return text;
  });
  const writeBranch = problems.check(() => {
    const text = optionalString(git, 'writeBranch', field)?.trim();
    if (text) compileChangeTemplate(text, at('writeBranch'), 'branch');
    return text;
  });
  const commitMessage = problems.check(() => {
    const text = optionalString(git, 'commitMessage', field);
    if (text?.trim()) compileChangeTemplate(text, at('commitMessage'), 'commit');
    return text;
  });
  // Targets are resolved from the path: with a bad path, a target could only be wrongly refused.
  const target =
    path === undefined
      ? undefined
      : problems.check(() => parseTarget(optionalString(git, 'target', field), path, at('target')));
  const pullRequest = problems.check(() => optionalBoolean(git, 'pullRequest', field));
  problems.throwIfAny();
  return {
    method: 'git',
    ...(connection ? { connection } : {}),
    repo: repo!,
    ...(branch ? { branch } : {}),
    path: path!,
    target: target!,
    ...(writeBranch ? { writeBranch } : {}),
    pullRequest: pullRequest ?? false,
    ...(commitMessage?.trim() ? { commitMessage } : {}),
  };
}

/** `owner/name`, or a GitHub URL in https or ssh form. */
function parseRepo(text: string, field: string): GitWriteBack['repo'] {
  const bare = text
    .replace(/^(?:https?:\/\/[^/]+\/|git@[^:]+:|ssh:\/\/git@[^/]+\/)/, '')
    .replace(/\.git$/, '')
    .replace(/\/+$/, '');
  const segments = bare.split('/');
  if (
    segments.length < 2 ||
    segments.length > MAX_REPO_SEGMENTS ||
    segments.some((segment) => !REPO_SEGMENT.test(segment) || segment === '.' || segment === '..')
  )
    throw new InvalidInputError(
      field,
      `${quoteInput(text)} is not a GitHub repository or a repository path`,
      'write owner/name, e.g. devopscube/argocd-image-updater (on a plain git host: its path, group/sub/gitops)',
    );
  const name = segments.pop()!;
  return { owner: segments.join('/'), name };
}

const KUSTOMIZATION_FILE = /(^|\/)kustomization\.ya?ml$|(^|\/)Kustomization$/;

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
    case 'argocd-source': {
      if (!argument) return { kind };
      // Argo CD Image Updater writes its parameter file at a plain write-back-target path, but refuses
      // a kustomization's name there (pkg/argocd/argocd.go, newWBCFromSettings).
      const file = resolve(argument);
      if (KUSTOMIZATION_FILE.test(file)) {
        throw new InvalidInputError(
          field,
          `${quoteInput(argument)} names a kustomization file`,
          'name a file of its own, or use kustomization:<dir> to edit the kustomization',
        );
      }
      return { kind, file };
    }
    case 'kustomization': {
      const dir = resolve(argument || '.');
      if (KUSTOMIZATION_FILE.test(dir)) {
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
        'use argocd-source[:file], kustomization[:dir] or helmvalues[:file]',
      );
  }
}

function parseArgoCd(value: unknown, field: string): ArgoCdWriteBack {
  const argocd = expectObject(value, field);
  const problems = new ProblemCollector();
  problems.check(() => refuseConnectionFields(argocd, field, CONNECTION_ONLY_FIELDS.argocd));
  problems.check(() =>
    rejectUnknownKeys(
      Object.fromEntries(Object.entries(argocd).filter(([key]) => !isConnectionOnly('argocd', key))),
      field,
      ['connection', 'appNamespace', 'project', 'sync'],
    ),
  );
  const connection = problems.check(() => connectionName(argocd, field));
  const sync = problems.check(() => {
    const text = optionalString(argocd, 'sync', field)?.trim() || 'auto';
    if (text !== 'auto' && text !== 'always' && text !== 'never') {
      throw new InvalidInputError(
        fieldPath(field, 'sync'),
        `unknown sync ${quoteInput(text)}`,
        'use auto, always or never',
      );
    }
    return text;
  });
  const [appNamespace, project] = (['appNamespace', 'project'] as const).map((key) =>
    problems.check(() => optionalString(argocd, key, field)?.trim()),
  );
  problems.throwIfAny();
  return {
    method: 'argocd',
    ...(connection ? { connection } : {}),
    ...(appNamespace ? { appNamespace } : {}),
    project: project || 'default',
    sync: sync!,
  };
}

function isConnectionOnly(method: 'git' | 'argocd', key: string): boolean {
  return (CONNECTION_ONLY_FIELDS[method] as readonly string[]).includes(key);
}

// A connection's name as the platform declares it (domain/connections).
function connectionName(section: DocumentMapping, field: string): string | undefined {
  const text = optionalString(section, 'connection', field)?.trim();
  if (text && !CONNECTION_NAME.test(text))
    throw new InvalidInputError(
      fieldPath(field, 'connection'),
      `${quoteInput(text)} is not a connection name`,
      'name one the platform declares (lowercase letters, digits, -)',
    );
  return text || undefined;
}
