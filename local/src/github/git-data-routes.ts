import { Buffer } from 'node:buffer';
import { identityFrom, userIdentity } from './commit-identity.ts';
import { renderGitCommit, renderGitRef } from './commit-shapes.ts';
import { wrappedBase64 } from './content-shapes.ts';
import { GitHubApiError } from './github-api-error.ts';
import { nodeId } from './github-urls.ts';
import type { HostedRepository } from './hosted-repository.ts';
import { isValidRefName } from './is-valid-ref-name.ts';
import type { RouteContext, RouteResult, RouteTable } from './route-context.ts';
import { treeRoutes } from './tree-routes.ts';

const BLOB_LIMIT_BYTES = 100 * 1024 * 1024;

/** The Git Data API: refs, commits, trees and blobs, read and written as git objects. */
export const gitDataRoutes: RouteTable = {
  'git/get-ref': getRef,
  'git/create-ref': createRef,
  'git/update-ref': updateRef,
  'git/delete-ref': deleteRef,
  'git/get-commit': getCommit,
  'git/create-commit': createCommit,
  'git/get-blob': getBlob,
  'git/create-blob': createBlob,
  ...treeRoutes,
};

async function getRef(context: RouteContext): Promise<RouteResult> {
  const repository = await context.repository();
  const ref = `refs/${context.params.ref ?? ''}`;
  const sha = await repository.git.readRef(ref);
  if (sha === undefined) throw GitHubApiError.notFound();
  return { status: 200, body: await renderRef(context, repository, ref, sha) };
}

async function createRef(context: RouteContext): Promise<RouteResult> {
  const repository = await context.repository();
  const { ref, sha } = context.body as { ref: string; sha: string };
  // GitHub's documented rule: a full ref name, starting with `refs` and holding at least two slashes.
  if (!isValidRefName(ref) || ref.split('/').length < 3) {
    throw new GitHubApiError(422, 'Reference name is not valid');
  }
  return repository.git.exclusive(async () => {
    if ((await repository.git.objectType(sha)) === undefined) {
      throw new GitHubApiError(422, 'Object does not exist');
    }
    if ((await repository.git.readRef(ref)) !== undefined) {
      throw new GitHubApiError(422, 'Reference already exists');
    }
    // Git keeps refs as paths: `refs/heads/a` and `refs/heads/a/b` cannot both exist. GitHub answers
    // such a name 422 "Reference update failed" (github.com/actions/github-script/issues/455, a create-ref
    // GitHub refused with it).
    if (await clashesWithRef(repository, ref)) throw new GitHubApiError(422, 'Reference update failed');
    await repository.git.writeRef(ref, sha);
    await repository.markPushed(context.now());
    const body = await renderRef(context, repository, ref, sha);
    return { status: 201, body, headers: { location: body.url } };
  });
}

async function updateRef(context: RouteContext): Promise<RouteResult> {
  const repository = await context.repository();
  const ref = `refs/${context.params.ref ?? ''}`;
  const { sha, force } = context.body as { sha: string; force?: boolean };
  return repository.git.exclusive(async () => {
    const current = await repository.git.readRef(ref);
    if (current === undefined) throw new GitHubApiError(422, 'Reference does not exist');
    if ((await repository.git.objectType(sha)) === undefined) {
      throw new GitHubApiError(422, 'Object does not exist');
    }
    // Checked when the update lands, against the head then: a branch that moved since the client read
    // it is no fast forward (422 "Update is not a fast forward", webspace-sdk/webspace-engine#104).
    if (force !== true && !(await repository.git.isAncestor(current, sha))) {
      throw new GitHubApiError(422, 'Update is not a fast forward');
    }
    await repository.git.writeRef(ref, sha);
    await repository.markPushed(context.now());
    return { status: 200, body: await renderRef(context, repository, ref, sha) };
  });
}

async function deleteRef(context: RouteContext): Promise<RouteResult> {
  const repository = await context.repository();
  const ref = `refs/${context.params.ref ?? ''}`;
  return repository.git.exclusive(async () => {
    if ((await repository.git.readRef(ref)) === undefined) {
      throw new GitHubApiError(422, 'Reference does not exist');
    }
    await repository.git.deleteRef(ref);
    return { status: 204 };
  });
}

async function getCommit(context: RouteContext): Promise<RouteResult> {
  const repository = await context.repository();
  const commit = await repository.git.readCommit(context.params.commit_sha ?? '');
  if (!commit) throw GitHubApiError.notFound();
  return { status: 200, body: renderGitCommit(repository, commit, context.urls) };
}

async function createCommit(context: RouteContext): Promise<RouteResult> {
  const repository = await context.repository();
  const body = context.body as { message: string; tree: string; parents?: string[]; author?: unknown };
  if ((await repository.git.objectType(body.tree)) !== 'tree') {
    throw new GitHubApiError(422, 'Tree SHA does not exist');
  }
  const parents = body.parents ?? [];
  for (const parent of parents) {
    if ((await repository.git.objectType(parent)) !== 'commit') {
      throw new GitHubApiError(422, 'Parent SHA does not exist or is not a commit object');
    }
  }
  const author = identityFrom(body.author, userIdentity(context.login, context.now()));
  const committer = identityFrom(context.body.committer, author);
  const sha = await repository.git.writeCommit({
    tree: body.tree,
    parents,
    message: body.message,
    author,
    committer,
  });
  const rendered = renderGitCommit(repository, (await repository.git.readCommit(sha))!, context.urls);
  return { status: 201, body: rendered, headers: { location: rendered.url } };
}

async function getBlob(context: RouteContext): Promise<RouteResult> {
  const repository = await context.repository();
  const sha = context.params.file_sha ?? '';
  const bytes = await repository.git.readBlob(sha);
  if (!bytes) throw GitHubApiError.notFound();
  // "This endpoint supports blobs up to 100 megabytes in size" (docs.github.com/en/rest/git/blobs#get-a-blob).
  // GitHub's answer past it is not documented; the fake refuses as the contents API does past its limit.
  if (bytes.length > BLOB_LIMIT_BYTES)
    throw new GitHubApiError(
      403,
      'This API returns blobs up to 100 MB in size. The requested blob is too large to fetch via the API.',
      [{ resource: 'Blob', field: 'data', code: 'too_large' }],
    );
  return {
    status: 200,
    body: {
      sha,
      node_id: nodeId('Blob', `${repository.id}:${sha}`),
      size: bytes.length,
      url: `${context.urls.repo(repository.fullName)}/git/blobs/${sha}`,
      content: wrappedBase64(bytes),
      encoding: 'base64',
    },
  };
}

async function createBlob(context: RouteContext): Promise<RouteResult> {
  const repository = await context.repository();
  const { content, encoding = 'utf-8' } = context.body as { content: string; encoding?: string };
  let bytes: Uint8Array;
  if (encoding === 'base64') bytes = new Uint8Array(Buffer.from(content, 'base64'));
  else if (encoding === 'utf-8' || encoding === 'utf8') bytes = new TextEncoder().encode(content);
  else throw new GitHubApiError(422, `encoding must be "utf-8" or "base64", not "${encoding}"`);
  const sha = await repository.git.writeBlob(bytes);
  const url = `${context.urls.repo(repository.fullName)}/git/blobs/${sha}`;
  return { status: 201, body: { url, sha }, headers: { location: url } };
}

async function renderRef(context: RouteContext, repository: HostedRepository, ref: string, sha: string) {
  const type = (await repository.git.objectType(sha)) ?? 'commit';
  return renderGitRef(repository, ref, sha, type, context.urls);
}

/** Whether `ref` is a folder of an existing ref's path, or an existing ref is a folder of its path. */
async function clashesWithRef(repository: HostedRepository, ref: string): Promise<boolean> {
  const parts = ref.split('/');
  for (let i = 3; i < parts.length; i++)
    if ((await repository.git.readRef(parts.slice(0, i).join('/'))) !== undefined) return true;
  return (await repository.git.listRefs(`${ref}/`)).length > 0;
}
