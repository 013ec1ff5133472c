/**
 * The `writeBack` of an imported Application, from `write-back-method`, `git-repository`, `git-branch`
 * and `write-back-target` as Argo CD Image Updater reads them (pkg/argocd/update.go, git.go), with the
 * repository, path and branch of the Application's source. Kubernetes secrets and Argo CD's repository
 * credentials cannot be read from outside the cluster: those become warnings saying what to set.
 */

import { InvalidInputError, quoteInput } from '../errors.ts';
import { isValidBranchName } from '../registration/registration-write-back.ts';
import type { ApplicationSourceSummary, SourceType } from '../targets/application-source.ts';
import { type GitRemote, gitRemoteOf, type PlainGitHost } from './git-remote-of.ts';
import { ANNOTATION_PREFIX, type AppSetting, annotationField } from './image-updater-annotations.ts';

/** The `writeBack` of a registration document, in the shape `parseRegistration` reads. */
export type WriteBackDocument =
  | {
      method: 'git';
      git: {
        connection?: string;
        repo: string;
        path: string;
        branch?: string;
        target?: string;
        writeBranch?: string;
        pullRequest?: boolean;
      };
    }
  | { method: 'argocd'; argocd: { connection?: string; project: string; appNamespace?: string } };

export interface WriteBackImportContext {
  /** `metadata.name` of the Application. */
  readonly name: string;
  readonly app: ReadonlyMap<AppSetting, string>;
  /** How the app renders its images, as decided for its images. */
  readonly sourceType: SourceType;
  readonly source: ApplicationSourceSummary;
  /** `spec.project` and `metadata.namespace` of the Application. */
  readonly project?: string | undefined;
  readonly namespace?: string | undefined;
  /** The platform's connections to name (--github-connection, --argocd-connection); the defaults when absent. */
  readonly githubConnection?: string | undefined;
  readonly argocdConnection?: string | undefined;
  /** The platform's plain git connections and their base URLs (--git-connection <name>=<url>). */
  readonly gitHosts?: readonly PlainGitHost[] | undefined;
  readonly warn: (text: string) => void;
  readonly origin: (field: string, from: string) => void;
  /**
   * Where a setting was written, as warnings (`from`) and errors (`field`) name it; the annotation
   * when absent. An `ImageUpdater` names the field of the level that set it.
   */
  readonly where?: (name: AppSetting) => { readonly from: string; readonly field: string };
}

const GIT_ONLY = ['git-repository', 'git-branch', 'write-back-target'] as const;
const TAG_OR_SHA = /^(?:refs\/tags\/.+|v?[0-9]+(?:\.[0-9]+){0,2}(?:[-+].*)?|[0-9a-f]{7,40})$/i;

function where(context: WriteBackImportContext, name: AppSetting) {
  return context.where?.(name) ?? { from: `${ANNOTATION_PREFIX}${name}`, field: annotationField(name) };
}

/** The write-back of the registration; throws on a method or git-branch the anchor refuses too. */
export function writeBackFromAnnotations(context: WriteBackImportContext): WriteBackDocument {
  const text = context.app.get('write-back-method')?.trim() || 'argocd';
  if (text === 'argocd') {
    for (const name of GIT_ONLY.filter((n) => context.app.has(n)))
      context.warn(`${where(context, name).from}: not mapped: it applies to write-back-method git only`);
    return argoCd(context);
  }
  const colon = text.indexOf(':');
  const method = colon === -1 ? text : text.slice(0, colon);
  const credentials = colon === -1 ? 'repocreds' : text.slice(colon + 1);
  if (method !== 'git' || !/^(?:repocreds|secret:(?:[^/\s]+\/)?[^/\s]+)$/.test(credentials)) {
    throw new InvalidInputError(
      where(context, 'write-back-method').field,
      `${quoteInput(text)} is not a write-back method`,
      'use argocd, git, git:repocreds or git:secret:<namespace>/<secret>',
    );
  }
  const repoURL = context.app.get('git-repository')?.trim() || context.source.repoURL;
  const repoFrom = context.app.has('git-repository')
    ? where(context, 'git-repository').field
    : `${context.source.field}.repoURL`;
  const remote = repoURL === undefined ? undefined : gitRemoteOf(repoURL, context.gitHosts ?? []);
  if (remote === undefined) {
    context.warn(
      `${repoFrom}: ${quoteInput(redact(repoURL ?? ''))} is on no git host the import was told of; imported with write-back method argocd instead (give --git-connection <name>=<base URL> for a plain git host; for GitHub Enterprise, register method git with repo owner/name and a connection to its API)`,
    );
    return argoCd(context);
  }
  const connection = connectionOf(remote, context);
  context.warn(
    `${where(context, 'write-back-method').from}: ${quoteInput(text)}: ${
      credentials === 'repocreds'
        ? "Argo CD's repository credentials"
        : `the Kubernetes secret ${credentials.slice('secret:'.length)}`
    } cannot be read by the updater; it writes through the platform's ${
      remote.kind === 'github' ? 'GitHub' : 'git'
    } connection ${connection === undefined ? '(the default one)' : `'${connection}'`}, which must cover ${remote.repo}`,
  );
  if (remote.kind === 'plain' && remote.overSsh)
    context.warn(
      `${repoFrom}: the Application reaches its repository over SSH; the updater writes to it over HTTPS through '${remote.connection}'`,
    );
  if (context.argocdConnection !== undefined)
    context.warn('--argocd-connection: not used: it applies to write-back-method argocd only');
  context.origin('writeBack.git.repo', repoFrom);
  if (remote.kind === 'plain') context.origin('writeBack.git.connection', '--git-connection');
  else if (connection !== undefined) context.origin('writeBack.git.connection', '--github-connection');
  const repo = remote.repo;
  return {
    method: 'git',
    git: {
      ...(connection === undefined ? {} : { connection }),
      repo,
      ...gitPlace(context),
    },
  };
}

function argoCd(context: WriteBackImportContext): WriteBackDocument {
  context.origin('writeBack.argocd.project', 'spec.project');
  context.origin('writeBack.argocd.appNamespace', 'metadata.namespace');
  if (context.argocdConnection !== undefined)
    context.origin('writeBack.argocd.connection', '--argocd-connection');
  return {
    method: 'argocd',
    argocd: {
      ...(context.argocdConnection === undefined ? {} : { connection: context.argocdConnection }),
      project: context.project ?? 'default',
      // Unknown, none is written: Argo CD then looks in its own namespace, whatever it is.
      ...(context.namespace === undefined ? {} : { appNamespace: context.namespace }),
    },
  };
}

// Repository URLs may carry a token (https://user:token@host/...); warnings never show it.
function redact(url: string): string {
  return url.replace(/^([a-z+]+:\/\/)[^@/]+@/i, '$1***@');
}

/** The connection a git write-back names: the plain host's, else --github-connection (or the default). */
function connectionOf(remote: GitRemote, context: WriteBackImportContext): string | undefined {
  return remote.kind === 'plain' ? remote.connection : context.githubConnection;
}

function gitPlace(
  context: WriteBackImportContext,
): Omit<Extract<WriteBackDocument, { method: 'git' }>['git'], 'repo'> {
  const { source } = context;
  if (source.path === undefined)
    context.warn(`${source.field}.path: not set; the updater writes relative to the repository root`);
  else context.origin('writeBack.git.path', `${source.field}.path`);

  const annotation = context.app.get('git-branch')?.trim();
  const parts = annotation ? annotation.split(':') : [];
  if (parts.length > 2) {
    throw new InvalidInputError(
      where(context, 'git-branch').field,
      `${quoteInput(annotation ?? '')} has more than one ':'`,
      'write <branch> or <base>:<write-branch-template>',
    );
  }
  const [base, writeBranch] = parts.map((part) => part.trim());
  const branch = base ? base : branchOf(source, context.warn);
  context.origin(
    'writeBack.git.branch',
    base ? where(context, 'git-branch').field : `${source.field}.targetRevision`,
  );
  if (writeBranch) context.origin('writeBack.git.writeBranch', where(context, 'git-branch').field);
  const text = context.app.get('write-back-target')?.trim();
  const target = text ? registrationTarget(text, context.sourceType) : undefined;
  if (text && target !== text) warnPlainTarget(text, target!, context);
  if (target) context.origin('writeBack.git.target', where(context, 'write-back-target').field);
  return {
    path: source.path ?? '.',
    ...(branch ? { branch } : {}),
    ...(target ? { target } : {}),
    ...(writeBranch ? { writeBranch } : {}),
  };
}

/** Whether the app's git write-back writes a Helm values file (`helmvalues[:file]` or a plain path). */
export function writesHelmValues(target: string, method: string, sourceType: SourceType): boolean {
  return (
    target !== '' &&
    registrationTarget(target, sourceType).startsWith('helmvalues') &&
    method.startsWith('git')
  );
}

/**
 * The registration target of a `write-back-target` value: `kustomization[:dir]` and
 * `helmvalues[:file]` as written; a plain file path, which Argo CD Image Updater joins to the
 * repository root, becomes `argocd-source:/<path>`, except on a Helm app whose file is not named
 * `.argocd-source-*`: the anchor writes Helm values there (pkg/argocd/update.go), so `helmvalues:/<path>`.
 */
export function registrationTarget(text: string, sourceType: SourceType): string {
  if (/^(?:kustomization|helmvalues)(?::|$)/.test(text)) return text;
  const path = text.replace(/^\/+/, '');
  const name = path.slice(path.lastIndexOf('/') + 1);
  return sourceType === 'helm' && !name.startsWith('.argocd-source-')
    ? `helmvalues:/${path}`
    : `argocd-source:/${path}`;
}

function warnPlainTarget(text: string, target: string, context: WriteBackImportContext): void {
  const warn = (problem: string) =>
    context.warn(`${where(context, 'write-back-target').from}: ${quoteInput(text)}: ${problem}`);
  if (target.startsWith('helmvalues:')) {
    warn(
      `for a Helm app Argo CD Image Updater writes Helm values there, not a parameter file; imported as ${target}, a values file that must exist (the anchor creates it)`,
    );
    return;
  }
  // Argo CD reads parameter overrides from these two names in the source path only
  // (https://argo-cd.readthedocs.io/en/stable/user-guide/parameters/#store-overrides-in-git).
  const appPath = context.source.path?.replace(/^\.?\/+|\/+$/g, '') ?? '';
  const read = ['.argocd-source.yaml', `.argocd-source-${context.name}.yaml`];
  if (read.some((name) => target === `argocd-source:/${appPath ? `${appPath}/` : ''}${name}`)) return;
  warn(
    `Argo CD Image Updater writes its parameter file there, and so does the updater (target ${target}); Argo CD itself reads only ${read.join(' and ')} in ${appPath || 'the repository root'}, so the change deploys only if something else reads this file`,
  );
}

// Git write-back commits to a branch: HEAD, a tag or a commit cannot take one, so the repository's
// default branch is used, as Argo CD Image Updater does for HEAD.
function branchOf(source: ApplicationSourceSummary, warn: (text: string) => void): string | undefined {
  const revision = source.targetRevision?.replace(/^refs\/heads\//, '');
  const field = `${source.field}.targetRevision`;
  const pin = 'set writeBack.git.branch (or the git-branch annotation) to pin the branch';
  if (revision === undefined || revision === 'HEAD') {
    warn(`${field}: ${revision ?? 'not set (HEAD)'}: the branch is left to the repository's default; ${pin}`);
    return undefined;
  }
  if (TAG_OR_SHA.test(revision) || !isValidBranchName(revision)) {
    const what = isValidBranchName(revision) ? 'looks like a tag or a commit' : 'is not a branch name';
    warn(`${field}: ${quoteInput(revision)} ${what}; the repository's default branch is used; ${pin}`);
    return undefined;
  }
  return revision;
}
