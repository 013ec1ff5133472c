import { Buffer } from 'node:buffer';

/**
 * Builds the URLs GitHub puts in its bodies, pointed at the fake: API URLs under the server's base,
 * web (`html_url`) URLs under `/_web` on the same server. Path parts are percent-encoded segment by
 * segment so every URL is a valid URI, as the response schemas demand.
 */
export class GitHubUrls {
  constructor(readonly base: string) {}

  /** An API URL: `api('/repos/o/r')`. */
  api(path: string): string {
    return `${this.base}${path}`;
  }

  /** A web page URL, as github.com would have it: `html('/o/r/pull/1')`. */
  html(path: string): string {
    return `${this.base}/_web${path}`;
  }

  /** The API root of a repository. */
  repo(fullName: string): string {
    return this.api(`/repos/${fullName}`);
  }
}

/** Percent-encodes each segment of a slash-separated path, keeping the slashes. */
export function encodePath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

/** A GraphQL-style node id, as GitHub derives them (opaque to clients). */
export function nodeId(kind: string, id: number | string): string {
  return Buffer.from(`${kind}:${id}`).toString('base64').replace(/=+$/, '');
}
