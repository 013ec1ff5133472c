/**
 * Connections: the platform's named endpoints, each with the one credential that belongs to it. A
 * registration names a connection (or takes its kind's default) and never carries a URL, a secret or a
 * TLS setting of its own, so a credential is only ever sent to the endpoint it was declared with. Each
 * connection also says what it may write: GitHub repositories (`owner/name` globs), Argo CD projects and
 * application namespaces. The stack's configuration declares them (`connections` in cdk.json, or the
 * construct's props); the function reads them from its environment, written by the construct.
 *
 * The format, the same in the configuration and in the environment:
 *
 *     github:
 *       gitops:                                   # the connection's name
 *         secret: ecr-image-updater/github         # a token, JSON {"token"}, or GitHub App credentials
 *         apiUrl: https://api.github.com           # default; GitHub Enterprise: https://<host>/api/v3
 *         repositories: [acme/gitops, acme/env-*]  # what it may write (owner/name globs)
 *         default: true                            # used by registrations that name none
 *         requireConsent: true                     # default: the repository's owners must consent
 *     git:                                        # plain git hosts over HTTPS (GitLab, Bitbucket, Gitea, ...)
 *       gitlab:
 *         url: https://gitlab.example.com          # a repository's remote is this URL, a slash and its path
 *         secret: ecr-image-updater/gitlab         # JSON {"username","password"}, or a token
 *         repositories: [group/gitops, group/env/*]   # the repository paths it may write (globs)
 *         requireConsent: true
 *     argocd:
 *       prod:
 *         server: https://argocd.internal.example.com
 *         tokenSecret: ecr-image-updater/argocd
 *         caBundleSecret: ecr-image-updater/argocd-ca   # optional: a private CA
 *         insecure: false                               # optional: skip TLS verification
 *         projects: ['*']                               # Argo CD projects it may touch (globs)
 *         appNamespaces: [argocd]                       # default [argocd]
 *         default: true
 */

import { InvalidInputError, quoteInput, WriteRefusedError } from '../errors.ts';
import { ProblemCollector } from '../problem-collector.ts';
import {
  type DocumentMapping,
  expectObject,
  fieldPath,
  optionalBoolean,
  optionalString,
  rejectUnknownKeys,
} from '../registration/document-fields.ts';
import { compileGlob, GlobSyntaxError } from '../tags/glob.ts';

export interface GitHubConnection {
  readonly name: string;
  /** The GitHub REST API this connection's credentials belong to. */
  readonly apiUrl: string;
  /** The secret (name or ARN) holding a token, JSON `{"token"}`, or GitHub App credentials. */
  readonly secret: string;
  /** The repositories it may write, as `owner/name` globs (compared without regard to case). */
  readonly repositories: readonly string[];
  /** Whether a write needs the consent file of the repository's owners (default true). */
  readonly requireConsent: boolean;
}

/**
 * A git host reached over smart HTTP(S) with a username and password (or token): GitLab, Bitbucket,
 * Azure DevOps, Gitea, CodeCommit's HTTPS endpoint, a `git http-backend`. Commits and write branches;
 * pull and merge requests are GitHub's only.
 */
export interface GitRemoteConnection {
  readonly name: string;
  /** The host's base URL: a repository's remote is this, a slash and the registration's `repo`. */
  readonly url: string;
  /** The secret (name or ARN) holding JSON `{"username","password"}`, JSON `{"token"}` or a bare token. */
  readonly secret: string;
  /** The repository paths it may write, as globs (`group/gitops`, `group/*`), compared as written. */
  readonly repositories: readonly string[];
  /** Whether a write needs the consent file of the repository's owners (default true). */
  readonly requireConsent: boolean;
}

/** A connection a git write-back can go through. */
export type GitConnection = GitHubConnection | GitRemoteConnection;

/** Whether a git connection is a plain git host rather than GitHub. */
export function isGitRemoteConnection(connection: GitConnection): connection is GitRemoteConnection {
  return 'url' in connection;
}

/** A plain git repository's remote URL: the connection's URL, a slash and the repository's path. */
export function gitRemoteUrl(
  connection: GitRemoteConnection,
  repo: { readonly owner: string; readonly name: string },
): string {
  return `${connection.url}/${repo.owner}/${repo.name}`;
}

export interface ArgoCdConnection {
  readonly name: string;
  /** The Argo CD API as the function reaches it. */
  readonly server: string;
  /** The secret holding the Argo CD token (the token, or JSON `{"token"}`). */
  readonly tokenSecret: string;
  /** The secret holding the PEM CA bundle the server's certificate chains to. */
  readonly caBundleSecret?: string;
  /** Skips TLS verification: only here, never in a registration. */
  readonly insecure: boolean;
  /** The Argo CD projects whose Applications it may patch (globs). */
  readonly projects: readonly string[];
  /** The namespaces of the Applications it may patch (globs); default `argocd`. */
  readonly appNamespaces: readonly string[];
  /** Whether a patch needs the Application's consent annotation (default true). */
  readonly requireConsent: boolean;
}

export interface Connections {
  readonly github: readonly GitHubConnection[];
  readonly argocd: readonly ArgoCdConnection[];
  /** Plain git hosts; absent when none is declared. */
  readonly git?: readonly GitRemoteConnection[];
  /** The connection a git registration without `connection` uses, when it is a GitHub one. */
  readonly defaultGitHub?: string;
  /** The connection a git registration without `connection` uses, when it is a plain git one. */
  readonly defaultGit?: string;
  /** The connection an Argo CD registration without `connection` uses. */
  readonly defaultArgoCd?: string;
}

export const NO_CONNECTIONS: Connections = { github: [], argocd: [] };

export const DEFAULT_GITHUB_API = 'https://api.github.com';

/** Where people read about connections, for the fixes of messages. */
export const CONNECTIONS_DOC = 'docs/connections.md';

// A connection's name: short, as registrations write it.
export const CONNECTION_NAME = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * Reads the connections of a configuration (`field` names where they are, for messages). Every field of
 * every connection is read, so that one run reports all mistakes.
 */
export function parseConnections(value: unknown, field = 'connections'): Connections {
  if (value === undefined || value === null) return NO_CONNECTIONS;
  const root = expectObject(value, field);
  const problems = new ProblemCollector();
  problems.check(() => rejectUnknownKeys(root, field, ['github', 'git', 'argocd']));
  const github = problems.check(() => named(root.github, fieldPath(field, 'github'), parseGitHub)) ?? [];
  const git = problems.check(() => named(root.git, fieldPath(field, 'git'), parseGitRemote)) ?? [];
  const argocd = problems.check(() => named(root.argocd, fieldPath(field, 'argocd'), parseArgoCd)) ?? [];
  // GitHub and plain git connections serve the same registrations (writeBack.git.connection): one
  // namespace of names, one default among them.
  problems.check(() => {
    const taken = new Set(github.map((p) => p.connection.name));
    const twice = git.filter((p) => taken.has(p.connection.name)).map((p) => p.connection.name);
    if (twice.length > 0)
      throw new InvalidInputError(
        fieldPath(field, 'git'),
        `${twice.join(', ')} also names a GitHub connection`,
        'registrations name either by writeBack.git.connection: give each its own name',
      );
  });
  const gitDefault = problems.check(() =>
    defaultOf<GitConnection>([...github, ...git], fieldPath(field, git.length > 0 ? 'git' : 'github')),
  );
  const defaultArgoCd = problems.check(() => defaultOf(argocd, fieldPath(field, 'argocd')));
  problems.throwIfAny();
  const defaultIsGit = git.some((p) => p.connection.name === gitDefault);
  return {
    github: github.map(({ connection }) => connection),
    argocd: argocd.map(({ connection }) => connection),
    ...(git.length > 0 ? { git: git.map(({ connection }) => connection) } : {}),
    ...(gitDefault && !defaultIsGit ? { defaultGitHub: gitDefault } : {}),
    ...(gitDefault && defaultIsGit ? { defaultGit: gitDefault } : {}),
    ...(defaultArgoCd ? { defaultArgoCd } : {}),
  };
}

/** The connections as the function's environment carries them (parseConnections reads them back). */
export function connectionsDocument(connections: Connections): DocumentMapping {
  const entries = <C extends { name: string }>(list: readonly C[], defaultName?: string) =>
    Object.fromEntries(
      list.map(({ name, ...rest }) => [
        name,
        { ...rest, ...(name === defaultName ? { default: true } : {}) },
      ]),
    );
  return {
    github: entries(connections.github, connections.defaultGitHub),
    argocd: entries(connections.argocd, connections.defaultArgoCd),
    ...(connections.git?.length ? { git: entries(connections.git, connections.defaultGit) } : {}),
  };
}

/**
 * The connection a git write-back uses, GitHub or a plain git host, when it may write `repo`. Refuses
 * (not-allowed) as {@link gitHubConnectionFor} does, and a plain git connection's repository outside
 * its globs.
 */
export function gitConnectionFor(
  connections: Connections,
  name: string | undefined,
  repo: { readonly owner: string; readonly name: string },
): GitConnection {
  const remotes = connections.git ?? [];
  const chosen = name ?? connections.defaultGitHub ?? connections.defaultGit;
  const remote = remotes.find((c) => c.name === chosen);
  if (!remote) {
    if (name === undefined && chosen === undefined && remotes.length > 0)
      throw new WriteRefusedError(
        'not-allowed',
        `no git connection is named and the platform has no default one (writeBack.git.connection; declared: ${[...connections.github, ...remotes].map((c) => c.name).join(', ')})`,
      );
    return gitHubConnectionFor(connections, chosen, repo);
  }
  const path = `${repo.owner}/${repo.name}`;
  if (!remote.repositories.some((glob) => compileGlob(glob).matches(path)))
    throw new WriteRefusedError(
      'not-allowed',
      `the git connection '${remote.name}' may not write ${path} (it writes ${remote.repositories.join(', ')})`,
    );
  return remote;
}

/**
 * The GitHub connection a git write-back uses, when it may write `repo`. Refuses (not-allowed) a name
 * that is not declared, a registration without one when there is no default, and a repository the
 * connection does not cover.
 */
export function gitHubConnectionFor(
  connections: Connections,
  name: string | undefined,
  repo: { readonly owner: string; readonly name: string },
): GitHubConnection {
  const connection = pick(connections.github, name, connections.defaultGitHub, 'GitHub', 'writeBack.git');
  if (repo.owner.includes('/'))
    throw new WriteRefusedError(
      'not-allowed',
      `the GitHub connection '${connection.name}' writes owner/name repositories, not ${repo.owner}/${repo.name} (a path of a plain git host needs a git connection)`,
    );
  const full = `${repo.owner}/${repo.name}`.toLowerCase();
  if (!connection.repositories.some((glob) => compileGlob(glob.toLowerCase()).matches(full)))
    throw new WriteRefusedError(
      'not-allowed',
      `the GitHub connection '${connection.name}' may not write ${repo.owner}/${repo.name} (it writes ${connection.repositories.join(', ')})`,
    );
  return connection;
}

/** The Argo CD connection an Argo CD write-back uses, when it may touch the app's project and namespace. */
export function argoCdConnectionFor(
  connections: Connections,
  name: string | undefined,
  scope: { readonly project: string; readonly appNamespace?: string },
): ArgoCdConnection {
  const connection = pick(connections.argocd, name, connections.defaultArgoCd, 'Argo CD', 'writeBack.argocd');
  checkArgoCdScope(connection, scope);
  return connection;
}

/**
 * Refuses (not-allowed) an Application outside the connection's projects and namespaces: checked on the
 * registration's scope before any call, and on the project and namespace the Application really has
 * once it is read. A registration that names no namespace means Argo CD's own, known only once read.
 */
export function checkArgoCdScope(
  connection: ArgoCdConnection,
  scope: { readonly project: string; readonly appNamespace?: string },
): void {
  if (!connection.projects.some((glob) => compileGlob(glob).matches(scope.project)))
    throw new WriteRefusedError(
      'not-allowed',
      `the Argo CD connection '${connection.name}' may not touch project ${quoteInput(scope.project)} (it may touch ${connection.projects.join(', ')})`,
    );
  const namespace = scope.appNamespace;
  if (namespace === undefined) return;
  if (!connection.appNamespaces.some((glob) => compileGlob(glob).matches(namespace)))
    throw new WriteRefusedError(
      'not-allowed',
      `the Argo CD connection '${connection.name}' may not touch namespace ${quoteInput(namespace)} (it may touch ${connection.appNamespaces.join(', ')})`,
    );
}

function pick<C extends { readonly name: string }>(
  list: readonly C[],
  name: string | undefined,
  defaultName: string | undefined,
  kind: string,
  field: string,
): C {
  const declared = list.map((c) => c.name).join(', ') || 'none';
  if (name === undefined) {
    const connection = list.find((c) => c.name === defaultName);
    if (!connection)
      throw new WriteRefusedError(
        'not-allowed',
        `no ${kind} connection is named and the platform has no default one (${field}.connection; declared: ${declared})`,
      );
    return connection;
  }
  const connection = list.find((c) => c.name === name);
  if (!connection)
    throw new WriteRefusedError(
      'not-allowed',
      `${field}.connection: the platform declares no ${kind} connection ${quoteInput(name)} (declared: ${declared})`,
    );
  return connection;
}

type Parsed<C> = { readonly connection: C; readonly isDefault: boolean };

function named<C>(
  value: unknown,
  field: string,
  parse: (name: string, o: DocumentMapping, field: string) => Parsed<C>,
): Parsed<C>[] {
  if (value === undefined || value === null) return [];
  const o = expectObject(value, field);
  const problems = new ProblemCollector();
  const parsed: Parsed<C>[] = [];
  for (const [name, entry] of Object.entries(o)) {
    const at = fieldPath(field, name);
    problems.check(() => {
      if (!CONNECTION_NAME.test(name))
        throw new InvalidInputError(
          at,
          `${quoteInput(name)} is not a connection name`,
          'use lowercase letters, digits and -, at most 63',
        );
      parsed.push(parse(name, expectObject(entry, at), at));
    });
  }
  problems.throwIfAny();
  return parsed;
}

// The default: the one marked `default: true`, or the only one of its kind.
function defaultOf<C extends { readonly name: string }>(
  parsed: readonly Parsed<C>[],
  field: string,
): string | undefined {
  const marked = parsed.filter((p) => p.isDefault);
  if (marked.length > 1)
    throw new InvalidInputError(
      field,
      `${marked.map((p) => p.connection.name).join(' and ')} are both marked default`,
      'mark one',
    );
  if (marked.length === 1) return marked[0]!.connection.name;
  return parsed.length === 1 ? parsed[0]!.connection.name : undefined;
}

function parseGitHub(name: string, o: DocumentMapping, field: string): Parsed<GitHubConnection> {
  const problems = new ProblemCollector();
  problems.check(() =>
    rejectUnknownKeys(o, field, ['secret', 'apiUrl', 'repositories', 'default', 'requireConsent']),
  );
  const secret = problems.check(() => required(o, 'secret', field, 'the secret that holds its credentials'));
  const apiUrl = problems.check(() => {
    const text = optionalString(o, 'apiUrl', field)?.trim();
    if (text) checkEndpoint(text, fieldPath(field, 'apiUrl'));
    return text?.replace(/\/+$/, '');
  });
  const repositories = problems.check(() =>
    globs(o, 'repositories', field, {
      required: 'name the repositories it may write, as owner/name globs (acme/gitops, acme/*)',
      shape: /^[^/]+\/[^/]+$/,
      shapeFix: 'write owner/name, with * where any name will do (acme/*)',
    }),
  );
  const flags = problems.check(() => readFlags(o, field));
  problems.throwIfAny();
  return {
    connection: {
      name,
      apiUrl: apiUrl || DEFAULT_GITHUB_API,
      secret: secret!,
      repositories: repositories!,
      requireConsent: flags!.requireConsent,
    },
    isDefault: flags!.isDefault,
  };
}

function parseGitRemote(name: string, o: DocumentMapping, field: string): Parsed<GitRemoteConnection> {
  const problems = new ProblemCollector();
  problems.check(() =>
    rejectUnknownKeys(o, field, ['url', 'secret', 'repositories', 'default', 'requireConsent']),
  );
  const url = problems.check(() => {
    const text = required(o, 'url', field, 'the base URL of the git host, e.g. https://gitlab.example.com');
    checkEndpoint(text, fieldPath(field, 'url'));
    return text.replace(/\/+$/, '');
  });
  const secret = problems.check(() =>
    required(o, 'secret', field, 'the secret that holds its username and password, or a token'),
  );
  const repositories = problems.check(() =>
    globs(o, 'repositories', field, {
      required: 'name the repository paths it may write, as globs (group/gitops, group/*)',
      shape: /^[^/]+(?:\/[^/]+)+$/,
      shapeFix: 'write the repository path under the URL, with * where any name will do (group/*)',
    }),
  );
  const flags = problems.check(() => readFlags(o, field));
  problems.throwIfAny();
  return {
    connection: {
      name,
      url: url!,
      secret: secret!,
      repositories: repositories!,
      requireConsent: flags!.requireConsent,
    },
    isDefault: flags!.isDefault,
  };
}

function parseArgoCd(name: string, o: DocumentMapping, field: string): Parsed<ArgoCdConnection> {
  const problems = new ProblemCollector();
  problems.check(() =>
    rejectUnknownKeys(o, field, [
      'server',
      'tokenSecret',
      'caBundleSecret',
      'insecure',
      'projects',
      'appNamespaces',
      'default',
      'requireConsent',
    ]),
  );
  const server = problems.check(() => {
    const text = required(o, 'server', field, 'the Argo CD API as the function reaches it');
    checkEndpoint(text, fieldPath(field, 'server'));
    return text.replace(/\/+$/, '');
  });
  const tokenSecret = problems.check(() =>
    required(o, 'tokenSecret', field, 'the secret that holds its token'),
  );
  const caBundleSecret = problems.check(() => optionalString(o, 'caBundleSecret', field)?.trim());
  const insecure = problems.check(() => optionalBoolean(o, 'insecure', field));
  const projects = problems.check(() =>
    globs(o, 'projects', field, { required: "name the Argo CD projects it may touch ('*' for every one)" }),
  );
  const appNamespaces = problems.check(() => globs(o, 'appNamespaces', field, {}));
  const flags = problems.check(() => readFlags(o, field));
  problems.throwIfAny();
  return {
    connection: {
      name,
      server: server!,
      tokenSecret: tokenSecret!,
      ...(caBundleSecret ? { caBundleSecret } : {}),
      insecure: insecure ?? false,
      projects: projects!,
      appNamespaces: appNamespaces?.length ? appNamespaces : ['argocd'],
      requireConsent: flags!.requireConsent,
    },
    isDefault: flags!.isDefault,
  };
}

function readFlags(o: DocumentMapping, field: string): { isDefault: boolean; requireConsent: boolean } {
  const problems = new ProblemCollector();
  const isDefault = problems.check(() => optionalBoolean(o, 'default', field));
  const requireConsent = problems.check(() => optionalBoolean(o, 'requireConsent', field));
  problems.throwIfAny();
  return { isDefault: isDefault ?? false, requireConsent: requireConsent ?? true };
}

function required(o: DocumentMapping, key: string, field: string, fix: string): string {
  const text = optionalString(o, key, field)?.trim();
  if (!text) throw new InvalidInputError(fieldPath(field, key), 'is required', fix);
  return text;
}

function globs(
  o: DocumentMapping,
  key: string,
  field: string,
  rules: { required?: string; shape?: RegExp; shapeFix?: string },
): string[] {
  const at = fieldPath(field, key);
  const value = o[key];
  if (value === undefined || value === null || (Array.isArray(value) && value.length === 0)) {
    if (rules.required) throw new InvalidInputError(at, 'is required', rules.required);
    return [];
  }
  if (!Array.isArray(value)) throw new InvalidInputError(at, 'expected a list of globs');
  const problems = new ProblemCollector();
  const list = value.flatMap(
    (item, i) =>
      problems.check(() => {
        if (typeof item !== 'string' || item.trim() === '')
          throw new InvalidInputError(fieldPath(at, i), 'expected text');
        const glob = item.trim();
        if (rules.shape && !rules.shape.test(glob))
          throw new InvalidInputError(fieldPath(at, i), `${quoteInput(glob)} is not allowed`, rules.shapeFix);
        try {
          compileGlob(glob);
        } catch (error) {
          if (error instanceof GlobSyntaxError) throw new InvalidInputError(fieldPath(at, i), error.message);
          throw error;
        }
        return [glob];
      }) ?? [],
  );
  problems.throwIfAny();
  return list;
}

function checkEndpoint(text: string, field: string): void {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new InvalidInputError(field, `${quoteInput(text)} is not a URL`, 'give https://host[:port][/path]');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new InvalidInputError(field, `${quoteInput(text)} is not an http(s) URL`);
  if (url.username || url.password)
    throw new InvalidInputError(field, 'holds credentials', 'keep credentials in the secret');
  if (url.search || url.hash)
    throw new InvalidInputError(field, 'has a query or fragment', 'give the API base URL only');
}
