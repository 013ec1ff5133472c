/**
 * GitHub's `createCommitOnBranch` mutation over the fake's git store: one commit of whole files on top of
 * a branch, only if the branch is still at `expectedHeadOid`, moved in the same step as the REST routes
 * move branches (the repository's exclusive section). What GitHub documents of it
 * (docs.github.com/graphql/reference/mutations#createcommitonbranch): the commit's parent is the branch's
 * head; it is "authored by the owner of the credential which authenticates the API request" and its
 * committer is "identical to that of commits authored using the web interface"; a branch is named by
 * `repositoryNameWithOwner` and `branchName` (the `refs/heads/` prefix optional) or by its node id.
 */
import { Buffer } from 'node:buffer';
import { isValidTreePath } from './apply-tree-changes.ts';
import { commitFiles } from './commit-files.ts';
import { userIdentity } from './commit-identity.ts';
import type { GitIdentity } from './git-store.ts';
import { GraphqlFailure } from './graphql-failure.ts';
import { type GraphqlContext, type GraphqlNode, gitObjectNode, refNode } from './graphql-objects.ts';
import { commitOnBranchRefusal } from './repository-policy.ts';

/** The mutation's input, as the schema's CreateCommitOnBranchInput has it after variable coercion. */
interface CreateCommitOnBranchInput {
  readonly branch: {
    readonly repositoryNameWithOwner?: string;
    readonly branchName?: string;
    readonly id?: string;
  };
  readonly expectedHeadOid: string;
  readonly fileChanges?: {
    readonly additions?: ReadonlyArray<{ readonly path: string; readonly contents: string }> | null;
    readonly deletions?: ReadonlyArray<{ readonly path: string }> | null;
  } | null;
  readonly message: { readonly headline: string; readonly body?: string | null };
  readonly clientMutationId?: string | null;
}

// The committer of GitHub's web commits (and of this mutation's), as `git log` shows them on github.com.
const WEB_COMMITTER = { name: 'GitHub', email: 'noreply@github.com' };

/** The `createCommitOnBranch(input:)` field of the mutation root. */
export async function createCommitOnBranch(
  { input }: { input: CreateCommitOnBranchInput },
  context: GraphqlContext,
): Promise<GraphqlNode> {
  const { repositoryNameWithOwner, branchName } = input.branch;
  if (repositoryNameWithOwner === undefined || branchName === undefined) {
    throw new GraphqlFailure(
      'UNPROCESSABLE',
      'The fake GitHub finds a branch by repositoryNameWithOwner and branchName only; send both instead of id',
    );
  }
  const [owner = '', name = '', ...extra] = repositoryNameWithOwner.split('/');
  const repository = extra.length === 0 ? await context.findRepository(owner, name) : undefined;
  if (!repository) throw GraphqlFailure.repositoryNotFound(repositoryNameWithOwner);
  const branch = branchName.replace(/^refs\/heads\//, '');
  const refused = commitOnBranchRefusal(repository, branch);
  if (refused) throw refused;
  const files = readFileChanges(input.fileChanges);
  const who: GitIdentity = userIdentity(context.login, context.now());
  const message = [input.message.headline, input.message.body ?? '']
    .filter((part) => part !== '')
    .join('\n\n');
  const written = await repository.git.exclusive(async () => {
    const head = await repository.git.readRef(`refs/heads/${branch}`);
    // The fake's wording: GitHub's for a missing branch is not published.
    if (head === undefined)
      throw new GraphqlFailure(
        'NOT_FOUND',
        `A ref named "refs/heads/${branch}" does not exist in ${repository.fullName}.`,
      );
    // GitHub's answer when the branch moved, as its clients match it (tried against github.com in
    // github.com/typedef-ai/fenic/pull/332): type STALE_DATA, path and `createCommitOnBranch: null`.
    if (head !== input.expectedHeadOid.toLowerCase())
      throw new GraphqlFailure(
        'STALE_DATA',
        `Expected branch to point to "${input.expectedHeadOid}" but it did not. Pull and try again.`,
      );
    const tree = (await repository.git.readCommit(head))!.tree;
    for (const [path, content] of Object.entries(files)) {
      if (content !== null) continue;
      // The fake's wording, as for a missing branch.
      if ((await repository.git.entryAt(tree, path))?.type !== 'blob')
        throw new GraphqlFailure(
          'UNPROCESSABLE',
          `A path was requested for deletion which does not exist as of commit oid \`${head}\``,
        );
    }
    return commitFiles(repository, {
      branch,
      files,
      // "The createCommitOnBranch GraphQL mutation creates all files as mode 100644 (non-executable)"
      // (github.com/babarot/gh-infra/pull/167): an executable file it rewrites loses its bit, and a
      // symbolic link it rewrites becomes a regular file holding the new text.
      mode: '100644',
      message,
      author: who,
      committer: { ...WEB_COMMITTER, date: who.date },
    });
  });
  return {
    __typename: 'CreateCommitOnBranchPayload',
    clientMutationId: input.clientMutationId ?? null,
    commit: async () => (await gitObjectNode(repository, written.sha)) ?? null,
    ref: refNode(repository, `refs/heads/${branch}`, written.sha),
  };
}

/** The files to write (`null`: delete), checked as GitHub checks them before it touches the branch. */
function readFileChanges(
  changes: CreateCommitOnBranchInput['fileChanges'],
): Record<string, Uint8Array | null> {
  const files: Record<string, Uint8Array | null> = {};
  for (const { path } of changes?.deletions ?? []) files[checkedPath(path)] = null;
  for (const { path, contents } of changes?.additions ?? []) {
    const compact = contents.replace(/\s/g, '');
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact) || compact.length % 4 === 1)
      throw new GraphqlFailure('UNPROCESSABLE', `The contents of ${path} are not valid Base64`);
    files[checkedPath(path)] = new Uint8Array(Buffer.from(compact, 'base64'));
  }
  return files;
}

function checkedPath(path: string): string {
  if (!isValidTreePath(path))
    throw new GraphqlFailure('UNPROCESSABLE', `"${path}" is not a valid path for a file`);
  return path;
}
