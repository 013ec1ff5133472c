import { Buffer } from 'node:buffer';
import { isValidTreePath } from './apply-tree-changes.ts';
import { BranchMovedError, workingHead } from './branch-head.ts';
import { commitFiles } from './commit-files.ts';
import { identityFrom, userIdentity } from './commit-identity.ts';
import { renderGitCommit } from './commit-shapes.ts';
import { renderContentEntry, renderContentFile } from './content-shapes.ts';
import type { TreeEntryRecord } from './git-store.ts';
import { GitHubApiError } from './github-api-error.ts';
import type { HostedRepository } from './hosted-repository.ts';
import { resolveCommitish } from './resolve-commitish.ts';
import type { RouteContext, RouteResult, RouteTable } from './route-context.ts';

/** The repository contents API: read a file or directory, create, update or delete one file. */
export const contentsRoutes: RouteTable = {
  'repos/get-content': getContent,
  'repos/create-or-update-file-contents': putContent,
  'repos/delete-file': deleteContent,
};

async function getContent(context: RouteContext): Promise<RouteResult> {
  const repository = await context.repository();
  const ref = context.query.get('ref') ?? (await repository.git.defaultBranch());
  const sha = await resolveCommitish(repository, ref);
  if (sha === undefined) throw GitHubApiError.notFound(`No commit found for the ref ${ref}`);
  const commit = (await repository.git.readCommit(sha))!;
  const path = trimSlashes(context.params.path ?? '');
  const entry = await repository.git.entryAt(commit.tree, path);
  if (!entry) throw GitHubApiError.notFound();
  if (entry.type === 'tree') {
    const children = (await repository.git.readTree(entry.sha)) ?? [];
    const listing = await Promise.all(
      children.map(async (child) => {
        const full = { ...child, path: path ? `${path}/${child.path}` : child.path };
        const size = child.type === 'blob' ? ((await repository.git.readBlob(child.sha))?.length ?? 0) : 0;
        return renderContentEntry(repository, full, size, ref, context.urls);
      }),
    );
    if (!context.accept.includes('object')) return { status: 200, body: listing };
    const self = renderContentEntry(repository, entry, 0, ref, context.urls);
    return { status: 200, body: { ...self, entries: listing } };
  }
  if (entry.type === 'commit') {
    const self = renderContentEntry(repository, entry, 0, ref, context.urls);
    return { status: 200, body: { ...self, submodule_git_url: context.urls.html(`/${entry.path}.git`) } };
  }
  // "If the requested {path} points to a symlink, and the symlink's target is a normal file in the
  // repository, then the API responds with the content of the file" (docs.github.com/en/rest/repos/
  // contents#get-repository-content, "If the content is a symlink"): a client sees the target's path, sha and text, not the link.
  const file =
    entry.mode === '120000' ? ((await symlinkTarget(repository, commit.tree, entry)) ?? entry) : entry;
  const bytes = (await repository.git.readBlob(file.sha)) ?? new Uint8Array();
  const raw = context.accept.includes('.raw');
  const object = context.accept.includes('.object');
  // The same page, "File size limits": up to 1 MB every media type; 1-100 MB "only the raw or object
  // custom media types are supported", object with `content: ""` and `encoding: "none"`; over 100 MB
  // "this endpoint is not supported". The default media type past 1 MB answers 403 `too_large`, worded
  // as in github.com/tinacms/tinacms/issues/1308 and github.com/octokit/core.js/issues/414.
  if (bytes.length > CONTENTS_LIMIT_BYTES && (bytes.length > LARGE_LIMIT_BYTES || !(raw || object)))
    throw new GitHubApiError(
      403,
      bytes.length > LARGE_LIMIT_BYTES
        ? 'This API returns blobs up to 100 MB in size. The requested blob is too large to fetch via the API.'
        : 'This API returns blobs up to 1 MB in size. The requested blob is too large to fetch via the API, but you can use the Git Data API to request blobs up to 100 MB in size.',
      [{ resource: 'Blob', field: 'data', code: 'too_large' }],
    );
  if (raw) return { status: 200, body: Buffer.from(bytes).toString('utf8') };
  const rendered = renderContentFile(repository, file, bytes, ref, context.urls);
  if (bytes.length > CONTENTS_LIMIT_BYTES)
    return { status: 200, body: { ...rendered, content: '', encoding: 'none' } };
  return { status: 200, body: rendered };
}

// docs.github.com/en/rest/repos/contents#get-repository-content, "File size limits".
const CONTENTS_LIMIT_BYTES = 1024 * 1024;
const LARGE_LIMIT_BYTES = 100 * 1024 * 1024;

/** The regular file a symbolic link points at inside the repository, with its full path; else undefined. */
async function symlinkTarget(repository: HostedRepository, tree: string, link: TreeEntryRecord) {
  const target = new TextDecoder().decode((await repository.git.readBlob(link.sha)) ?? new Uint8Array());
  const segments = target.startsWith('/') ? [] : link.path.split('/').slice(0, -1);
  for (const part of target.split('/')) {
    if (part === '..') {
      if (segments.pop() === undefined) return undefined;
    } else if (part !== '.' && part !== '') segments.push(part);
  }
  if (target.startsWith('/')) return undefined;
  const path = segments.join('/');
  const entry = path === '' ? undefined : await repository.git.entryAt(tree, path);
  return entry?.type === 'blob' && (entry.mode === '100644' || entry.mode === '100755') ? entry : undefined;
}

async function putContent(context: RouteContext): Promise<RouteResult> {
  const repository = await context.repository();
  const body = context.body as { message: string; content: string; sha?: string; branch?: string };
  const bytes = decodeBase64(body.content);
  const path = writablePath(context);
  return repository.git.exclusive(async () => {
    const branch = await targetBranch(repository, body.branch);
    const head = (await workingHead(repository, branch, context.headOnArrival))!;
    const current = await entryIn(repository, head, path);
    if (current?.type === 'tree') throw GitHubApiError.invalidRequest(`"${path}" is a directory.`);
    await refuseFileInTheWay(repository, head, path);
    if (current && body.sha === undefined) throw GitHubApiError.invalidRequest(`"sha" wasn't supplied.`);
    if (current && body.sha !== current.sha) {
      throw new GitHubApiError(409, `${path} does not match ${body.sha}`);
    }
    const written = await commitOne(context, repository, { branch, head }, { [path]: bytes });
    const entry = (await repository.git.entryAt(written.tree, path))!;
    return {
      status: current ? 200 : 201,
      body: {
        content: renderContentEntry(repository, entry, bytes.length, branch, context.urls),
        commit: renderGitCommit(repository, written.commit, context.urls),
      },
    };
  });
}

async function deleteContent(context: RouteContext): Promise<RouteResult> {
  const repository = await context.repository();
  const body = context.body as { message: string; sha: string; branch?: string };
  const path = writablePath(context);
  return repository.git.exclusive(async () => {
    const branch = await targetBranch(repository, body.branch);
    const head = (await workingHead(repository, branch, context.headOnArrival))!;
    const current = await entryIn(repository, head, path);
    if (current?.type !== 'blob') throw GitHubApiError.notFound();
    if (body.sha !== current.sha) throw new GitHubApiError(409, `${path} does not match ${body.sha}`);
    const written = await commitOne(context, repository, { branch, head }, { [path]: null });
    return {
      status: 200,
      body: { content: null, commit: renderGitCommit(repository, written.commit, context.urls) },
    };
  });
}

/** A write below an existing file (`README.md/x`) would silently turn the file into a directory. */
async function refuseFileInTheWay(repository: HostedRepository, head: string, path: string): Promise<void> {
  const parts = path.split('/');
  for (let depth = 1; depth < parts.length; depth++) {
    const prefix = parts.slice(0, depth).join('/');
    if ((await entryIn(repository, head, prefix))?.type === 'blob') {
      throw GitHubApiError.invalidRequest(`"${prefix}" is a file, so "${path}" cannot be created.`);
    }
  }
}

/** The branch a write goes to; GitHub refuses a branch that does not exist. */
async function targetBranch(repository: HostedRepository, requested: string | undefined): Promise<string> {
  const branch = requested ?? (await repository.git.defaultBranch());
  if ((await repository.git.readRef(`refs/heads/${branch}`)) === undefined) {
    throw GitHubApiError.notFound(`Branch ${branch} not found`);
  }
  return branch;
}

async function entryIn(repository: HostedRepository, commitSha: string, path: string) {
  const commit = (await repository.git.readCommit(commitSha))!;
  return repository.git.entryAt(commit.tree, path);
}

/**
 * Commits onto the head the write works against; GitHub's 409 when the branch moved while the write
 * was in flight (see branch-head.ts).
 */
async function commitOne(
  context: RouteContext,
  repository: HostedRepository,
  at: { readonly branch: string; readonly head: string },
  files: Record<string, Uint8Array | null>,
) {
  const body = context.body as { message: string; author?: unknown; committer?: unknown };
  const committer = identityFrom(body.committer, userIdentity(context.login, context.now()));
  const author = identityFrom(body.author, committer);
  let written: Awaited<ReturnType<typeof commitFiles>>;
  try {
    written = await commitFiles(repository, {
      branch: at.branch,
      parent: at.head,
      files,
      message: body.message,
      author,
      committer,
    });
  } catch (error) {
    if (error instanceof BranchMovedError) throw new GitHubApiError(409, error.message);
    throw error;
  }
  const commit = (await repository.git.readCommit(written.sha))!;
  return { tree: written.tree, commit };
}

function decodeBase64(content: string): Uint8Array {
  const compact = content.replace(/\s/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact) || compact.length % 4 === 1) {
    throw new GitHubApiError(422, 'content is not valid Base64');
  }
  return new Uint8Array(Buffer.from(compact, 'base64'));
}

/** The file a write names; the repository root is no file. */
function writablePath(context: RouteContext): string {
  const path = trimSlashes(context.params.path ?? '');
  if (path === '') throw GitHubApiError.notFound();
  if (!isValidTreePath(path)) throw new GitHubApiError(422, 'path contains a malformed path component');
  return path;
}

function trimSlashes(path: string): string {
  return path.replace(/^\/+|\/+$/g, '');
}
