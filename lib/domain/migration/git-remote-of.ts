/**
 * Which of the platform's git connections an imported Application's repository URL belongs to. Argo CD
 * Image Updater writes to any git remote (its `git-repository` annotation, else the Application's
 * `repoURL`); we write to github.com through a GitHub connection, and to any other host through a plain
 * git connection whose base URL the import is told with `--git-connection <name>=<url>`. A repository
 * path is what follows that URL, as `gitRemoteUrl` (connections.ts) puts them back together.
 *
 * Argo CD often reaches a repository over SSH (`git@host:group/repo.git`, `ssh://git@host/group/repo`);
 * a plain git connection speaks HTTPS only, so an SSH URL matches a connection on the same host name and
 * path, and the caller says that the write will go over HTTPS.
 */

import { InvalidInputError, quoteInput } from '../errors.ts';

/** A plain git connection's name and base URL, as `--git-connection <name>=<url>` gives them. */
export interface PlainGitHost {
  readonly connection: string;
  readonly url: string;
}

export type GitRemote =
  | { readonly kind: 'github'; readonly repo: string }
  | {
      readonly kind: 'plain';
      readonly connection: string;
      readonly repo: string;
      /** The Application reaches it over SSH; the updater will write over HTTPS. */
      readonly overSsh: boolean;
    };

const GITHUB =
  /^(?:https?:\/\/(?:[^@/]+@)?(?:www\.)?github\.com\/|git@github\.com:|ssh:\/\/git@github\.com(?::[0-9]+)?\/)([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+?)(?:\.git)?\/?$/i;
const SCP_LIKE = /^(?:[^@/\s]+@)?([A-Za-z0-9.-]+):(?!\/\/)([^\s]+)$/;
const CONNECTION_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

/** `owner/name` of a github.com repository URL (https, ssh or scp-like), else undefined. */
export function gitHubRepository(url: string): string | undefined {
  const match = GITHUB.exec(url.trim());
  return match ? `${match[1]}/${match[2]}` : undefined;
}

/** Reads `--git-connection <name>=<url>`; throws InvalidInputError naming the flag. */
export function parsePlainGitHost(text: string, field = '--git-connection'): PlainGitHost {
  const equals = text.indexOf('=');
  const fix = 'give <connection>=<its base URL>, e.g. gitlab=https://gitlab.example.com';
  if (equals === -1) throw new InvalidInputError(field, `${quoteInput(text)} has no '='`, fix);
  const connection = text.slice(0, equals).trim();
  const url = text.slice(equals + 1).trim();
  if (!CONNECTION_NAME.test(connection))
    throw new InvalidInputError(field, `${quoteInput(connection)} is not a connection name`, fix);
  const parsed = httpUrl(url);
  if (parsed === undefined || parsed.username || parsed.password || parsed.search || parsed.hash)
    throw new InvalidInputError(field, `${quoteInput(url)} is not a git host's base URL`, fix);
  return { connection, url: url.replace(/\/+$/, '') };
}

/**
 * The connection and repository of `url`: github.com first, then the plain git host whose base URL is
 * the longest prefix of it (host name compared without case; SSH URLs by host name and path). Undefined
 * when none covers it, or when what follows the base URL is not a path of two or more parts.
 */
export function gitRemoteOf(url: string, hosts: readonly PlainGitHost[]): GitRemote | undefined {
  const repo = gitHubRepository(url);
  if (repo !== undefined) return { kind: 'github', repo };
  const remote = comparable(url);
  if (remote === undefined) return undefined;
  const matches = hosts.flatMap((host) => {
    const base = comparable(host.url);
    if (base === undefined || base.host !== remote.host) return [];
    if (!remote.overSsh && base.port !== remote.port) return [];
    const prefix = base.path === '' ? '' : `${base.path}/`;
    if (!remote.path.startsWith(prefix)) return [];
    return [{ host, length: prefix.length, rest: remote.path.slice(prefix.length) }];
  });
  const best = matches.sort((a, b) => b.length - a.length)[0];
  if (best === undefined) return undefined;
  const path = best.rest.replace(/\.git$/, '');
  const parts = path.split('/');
  if (parts.length < 2 || parts.some((part) => part === '' || part === '.' || part === '..'))
    return undefined;
  return { kind: 'plain', connection: best.host.connection, repo: path, overSsh: remote.overSsh };
}

interface Comparable {
  readonly host: string;
  readonly port: string;
  /** Without leading or trailing slashes. */
  readonly path: string;
  readonly overSsh: boolean;
}

function comparable(text: string): Comparable | undefined {
  const trimmed = text.trim();
  const scp = SCP_LIKE.exec(trimmed);
  if (scp && !/^[a-z+]+:\/\//i.test(trimmed))
    return { host: scp[1]!.toLowerCase(), port: '', path: clean(scp[2]!), overSsh: true };
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return undefined;
  }
  const overSsh = url.protocol === 'ssh:';
  if (!overSsh && url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  return { host: url.hostname.toLowerCase(), port: url.port, path: clean(url.pathname), overSsh };
}

function clean(path: string): string {
  return path.replace(/^\/+|\/+$/g, '');
}

function httpUrl(text: string): URL | undefined {
  try {
    const url = new URL(text);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url : undefined;
  } catch {
    return undefined;
  }
}
