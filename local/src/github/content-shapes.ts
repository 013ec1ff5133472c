import { Buffer } from 'node:buffer';
import type { TreeEntryRecord } from './git-store.ts';
import { encodePath, type GitHubUrls } from './github-urls.ts';
import type { HostedRepository } from './hosted-repository.ts';

/** The `type` the contents API gives an entry: GitHub calls trees `dir` and commits `submodule`. */
export function contentType(entry: TreeEntryRecord): 'file' | 'dir' | 'symlink' | 'submodule' {
  if (entry.type === 'tree') return 'dir';
  if (entry.type === 'commit') return 'submodule';
  return entry.mode === '120000' ? 'symlink' : 'file';
}

/** Base64 wrapped at 60 characters a line, as GitHub sends file and blob content. */
export function wrappedBase64(bytes: Uint8Array): string {
  const text = Buffer.from(bytes).toString('base64');
  return text.replace(/.{1,60}/g, '$&\n');
}

/**
 * Renders one entry of the contents API (a directory listing item, or the metadata part of a file),
 * with the URLs GitHub gives: `url` with `?ref=`, `git_url` to the Git Data API, `html_url`.
 */
export function renderContentEntry(
  repository: HostedRepository,
  entry: TreeEntryRecord,
  size: number,
  ref: string,
  urls: GitHubUrls,
): Record<string, unknown> {
  const api = urls.repo(repository.fullName);
  const path = encodePath(entry.path);
  const type = contentType(entry);
  const url = `${api}/contents/${path}?ref=${encodeURIComponent(ref)}`;
  const gitUrl =
    type === 'submodule' ? null : `${api}/git/${type === 'dir' ? 'trees' : 'blobs'}/${entry.sha}`;
  const htmlUrl = urls.html(
    `/${repository.fullName}/${type === 'dir' ? 'tree' : 'blob'}/${encodePath(ref)}/${path}`,
  );
  const downloadUrl =
    type === 'file' ? urls.html(`/${repository.fullName}/raw/${encodePath(ref)}/${path}`) : null;
  return {
    type,
    size,
    name: entry.path.split('/').pop() ?? entry.path,
    path: entry.path,
    sha: entry.sha,
    url,
    git_url: gitUrl,
    html_url: htmlUrl,
    download_url: downloadUrl,
    _links: { self: url, git: gitUrl, html: htmlUrl },
  };
}

/** Renders a `content-file` (GET contents of a file), content base64-encoded. */
export function renderContentFile(
  repository: HostedRepository,
  entry: TreeEntryRecord,
  bytes: Uint8Array,
  ref: string,
  urls: GitHubUrls,
): Record<string, unknown> {
  const rendered = renderContentEntry(repository, entry, bytes.length, ref, urls);
  if (rendered.type === 'symlink') return { ...rendered, target: new TextDecoder().decode(bytes) };
  return { ...rendered, content: wrappedBase64(bytes), encoding: 'base64' };
}
