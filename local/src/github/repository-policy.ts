/**
 * What a repository's settings refuse, as GitHub words each refusal: an archived repository, a branch
 * under classic protection or a ruleset that wants a pull request, credentials without the permission an
 * operation needs, and an empty repository (no commit yet). The REST routes and `createCommitOnBranch`
 * ask here before they write; a repository without settings refuses nothing.
 */
import { GitHubApiError } from './github-api-error.ts';
import { GraphqlFailure } from './graphql-failure.ts';
import type { HostedRepository } from './hosted-repository.ts';

/** A repository's settings that refuse writes. Default: none. */
export interface RepositoryPolicy {
  /** Archived: read-only for everyone. */
  readonly archived?: boolean;
  /** Branches under classic branch protection that requires a pull request. */
  readonly protectedBranches?: readonly string[];
  /** Branches a ruleset's `pull_request` rule covers. */
  readonly rulesetBranches?: readonly string[];
  /**
   * What every token may do here, as a GitHub App installation's (or a fine-grained token's) repository
   * permissions say. Default: write to both.
   */
  readonly permissions?: {
    readonly contents?: 'read' | 'write';
    readonly pull_requests?: 'read' | 'write';
  };
}

// An archived repository is "read-only to everyone", through the REST and the GraphQL APIs
// (developer.github.com/changes/2017-11-08-archiving-repositories); GitHub's REST answer is 403
// "Repository was archived so is read-only." (the wording is not in GitHub's docs; it is the one its API
// gives and issue 13, item 15 of this project quotes).
const ARCHIVED = 'Repository was archived so is read-only.';
// GitHub Apps and fine-grained tokens lacking a permission get 403 "Resource not accessible by
// integration" with the permissions that would do in `x-accepted-github-permissions`
// (github.blog/changelog/2023-08-10-x-accepted-github-permissions-header-for-fine-grained-permission-actors;
// docs.github.com/en/rest/using-the-rest-api/troubleshooting-the-rest-api#insufficient-permission-errors).
const NOT_ACCESSIBLE = 'Resource not accessible by integration';
// A ruleset's pull_request rule: "Repository rule violations found\n\nChanges must be made through a pull
// request." (github.com/satisfactory-factories/application/issues/67 on update-a-reference; the push
// wording GH013 in docs.github.com/en/repositories/configuring-branches-and-merges-in-your-repository/
// managing-rulesets/troubleshooting-rules).
const RULE_VIOLATIONS =
  'Repository rule violations found\n\nChanges must be made through a pull request.\n\n';
// "Git Repository is empty.": GitHub's 409 from the Git Data and commits APIs before the first commit
// (github.com/github/rest-api-description/issues/637 for trees and blobs; /385 for commits;
// github.com/noflo/noflo-ui/issues/500 for a ref).
const EMPTY = 'Git Repository is empty.';

/** The operations that need each permission to write. */
const CONTENTS_WRITES = new Set([
  'git/create-ref',
  'git/update-ref',
  'git/delete-ref',
  'git/create-commit',
  'git/create-blob',
  'git/create-tree',
  'repos/create-or-update-file-contents',
  'repos/delete-file',
]);
const PULL_WRITES = new Set(['pulls/create', 'pulls/update']);
// The Git Data API and the commit list answer 409 in an empty repository; the contents API can still
// make its first commit.
const EMPTY_REFUSES = (operationId: string) =>
  operationId.startsWith('git/') || operationId === 'repos/list-commits';

/** The REST refusal of `operationId` (with `branch`, the branch it writes) in `repository`, if any. */
export async function restRefusal(
  repository: HostedRepository,
  operationId: string,
  branch: string | undefined,
): Promise<GitHubApiError | undefined> {
  const policy = repository.policy;
  const writes = CONTENTS_WRITES.has(operationId) || PULL_WRITES.has(operationId);
  if (writes && policy.archived) return new GitHubApiError(403, ARCHIVED);
  const needed = CONTENTS_WRITES.has(operationId)
    ? policy.permissions?.contents === 'read' && 'contents=write'
    : PULL_WRITES.has(operationId) && policy.permissions?.pull_requests === 'read' && 'pull_requests=write';
  if (needed)
    return new GitHubApiError(403, NOT_ACCESSIBLE, undefined, {
      headers: { 'x-accepted-github-permissions': needed },
    });
  if (EMPTY_REFUSES(operationId) && (await repository.git.listRefs('refs/heads/')).length === 0)
    return new GitHubApiError(409, EMPTY);
  const contentsWrite =
    operationId === 'repos/create-or-update-file-contents' || operationId === 'repos/delete-file';
  // A contents write without a branch writes the default branch.
  if (contentsWrite) branch ??= await repository.git.defaultBranch();
  if (branch === undefined) return undefined;
  if (contentsWrite) {
    // The contents API answers either protection with 409 and the pull-request wording (as issue 13,
    // item 12 of this project records it; the 409 beside the race's is why a 409 is no proof of a race).
    if (policy.protectedBranches?.includes(branch) || policy.rulesetBranches?.includes(branch))
      return new GitHubApiError(409, RULE_VIOLATIONS);
  }
  if (operationId === 'git/update-ref' || operationId === 'git/delete-ref') {
    // A ref update into a classically protected branch: 422 "Protected branch update failed for
    // refs/heads/<b>." (GitHub's GH006 wording, github.com/cli/cli/issues/283).
    if (policy.protectedBranches?.includes(branch))
      return new GitHubApiError(422, `Protected branch update failed for refs/heads/${branch}.`);
    if (policy.rulesetBranches?.includes(branch)) return new GitHubApiError(422, RULE_VIOLATIONS);
  }
  return undefined;
}

/** The refusal of `createCommitOnBranch` onto `branch`, as GitHub's GraphQL API types it, if any. */
export function commitOnBranchRefusal(
  repository: HostedRepository,
  branch: string,
): GraphqlFailure | undefined {
  const policy = repository.policy;
  // GraphQL's answers name no permission header; the messages are REST's (github.com/dessant/
  // lock-threads/issues/47 logs "Resource not accessible by integration" from a GraphQL call). GitHub's
  // type for an archived repository is not published: the fake says FORBIDDEN.
  if (policy.archived) return new GraphqlFailure('FORBIDDEN', ARCHIVED);
  if (policy.permissions?.contents === 'read') return new GraphqlFailure('FORBIDDEN', NOT_ACCESSIBLE);
  // Classic protection: type BRANCH_PROTECTION_RULE_VIOLATION (github.com/Thinkmill/keystatic/issues/1598)
  // and "protected branch '<b>' check failed" (github.com/microsoft/vscode-remote-repositories-github/
  // issues/252). A ruleset answers another type, unpublished (keystatic#1598, #1559): the fake says
  // UNPROCESSABLE with the REST wording.
  if (policy.protectedBranches?.includes(branch))
    return new GraphqlFailure(
      'BRANCH_PROTECTION_RULE_VIOLATION',
      `protected branch '${branch}' check failed:\n  Changes must be made through a pull request.`,
    );
  if (policy.rulesetBranches?.includes(branch)) return new GraphqlFailure('UNPROCESSABLE', RULE_VIOLATIONS);
  return undefined;
}
