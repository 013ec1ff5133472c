/**
 * One GitHub repository through Octokit: commits onto a branch through the GraphQL API (the files and the
 * head in one query, the commit in one mutation: github-graphql.ts); the Contents API to read a file
 * at a commit, the Git Data API (tree, commit, ref) for the branches of our own that write branches and
 * pull requests commit onto; pull requests.
 */
import type { Octokit } from '@octokit/rest';
import type { BranchSnapshot, GitFile, GitLocation, GitRepository, PullRequest } from '../app/ports.ts';
import { InvalidTargetError, UpstreamError } from '../domain/errors.ts';
import { toGitHubError } from './github-errors.ts';
import { commitOnBranch, readFilesAtHead } from './github-graphql.ts';

/** The part of Octokit a GitHub App's authentication uses: `request`, which @octokit/core and @octokit/rest share. */
export type OctokitRequest = Pick<Octokit, 'request'>;

/** The part of Octokit this adapter uses: `request` and `graphql`, which @octokit/core and @octokit/rest share. */
export type OctokitClient = Pick<Octokit, 'request' | 'graphql'>;

export class OctokitGitRepository implements GitRepository {
  private readonly defaultBranches = new Map<string, Promise<string>>();

  constructor(private readonly octokit: OctokitClient) {}

  defaultBranch(owner: string, name: string): Promise<string> {
    const key = `${owner}/${name}`;
    let branch = this.defaultBranches.get(key);
    if (!branch) {
      branch = this.octokit
        .request('GET /repos/{owner}/{repo}', { owner, repo: name })
        .then((response) => response.data.default_branch)
        .catch((error) => {
          this.defaultBranches.delete(key);
          throw toGitHubError(`reading ${key}`, error);
        });
      this.defaultBranches.set(key, branch);
    }
    return branch;
  }

  async readFile(location: GitLocation, path: string): Promise<GitFile | undefined> {
    const where = `${location.owner}/${location.name}@${location.branch}:${path}`;
    let data: unknown;
    try {
      ({ data } = await this.octokit.request('GET /repos/{owner}/{repo}/contents/{path}', {
        owner: location.owner,
        repo: location.name,
        path,
        ref: location.branch,
      }));
    } catch (error) {
      // No file yet. (A missing repository or branch answers 404 too; the write then fails and says so.)
      if ((error as { status?: number }).status === 404) return undefined;
      throw toGitHubError(`reading ${where}`, error);
    }
    expectJson(data, `reading ${where}`);
    if (
      Array.isArray(data) ||
      typeof data !== 'object' ||
      data === null ||
      (data as { type?: string }).type !== 'file'
    ) {
      throw new InvalidTargetError(where, 'is not a file');
    }
    const file = data as { sha: string; content?: string; encoding?: string };
    if (file.encoding === 'base64' && file.content !== undefined)
      return { sha: file.sha, text: Buffer.from(file.content, 'base64').toString('utf8') };
    // Files over 1 MB come without content; their blob still can be read.
    return { sha: file.sha, text: await this.readBlob(location, file.sha, where) };
  }

  readFilesAtHead(location: GitLocation, paths: readonly string[]): Promise<BranchSnapshot> {
    return readFilesAtHead(this.octokit, location, paths, (sha, where) =>
      this.readBlob(location, sha, where),
    );
  }

  commitOnBranch(
    location: GitLocation,
    expectedHead: string,
    files: ReadonlyMap<string, string>,
    message: string,
  ): Promise<string> {
    return commitOnBranch(this.octokit, location, expectedHead, files, message);
  }

  /** A blob's text, through the Git Data API (up to 100 MB). */
  private async readBlob(location: GitLocation, sha: string, where: string): Promise<string> {
    try {
      const blob = await this.octokit.request('GET /repos/{owner}/{repo}/git/blobs/{file_sha}', {
        owner: location.owner,
        repo: location.name,
        file_sha: sha,
      });
      return Buffer.from(blob.data.content, 'base64').toString('utf8');
    } catch (error) {
      throw toGitHubError(`reading the blob of ${where}`, error);
    }
  }

  async branchHead(owner: string, name: string, branch: string): Promise<string | undefined> {
    try {
      const { data } = await this.octokit.request('GET /repos/{owner}/{repo}/git/ref/{ref}', {
        owner,
        repo: name,
        ref: `heads/${branch}`,
      });
      return data.object.sha;
    } catch (error) {
      if ((error as { status?: number }).status === 404) return undefined;
      throw toGitHubError(`reading branch ${branch} of ${owner}/${name}`, error);
    }
  }

  async commitFiles(
    owner: string,
    name: string,
    change: { parent: string; files: ReadonlyMap<string, string>; message: string },
  ): Promise<string> {
    const repo = { owner, repo: name };
    try {
      const parent = await this.octokit.request('GET /repos/{owner}/{repo}/git/commits/{commit_sha}', {
        ...repo,
        commit_sha: change.parent,
      });
      const tree = await this.octokit.request('POST /repos/{owner}/{repo}/git/trees', {
        ...repo,
        base_tree: parent.data.tree.sha,
        tree: [...change.files].map(([path, content]) => ({
          path,
          mode: '100644' as const,
          type: 'blob' as const,
          content,
        })),
      });
      const commit = await this.octokit.request('POST /repos/{owner}/{repo}/git/commits', {
        ...repo,
        message: change.message,
        tree: tree.data.sha,
        parents: [change.parent],
      });
      return commit.data.sha;
    } catch (error) {
      throw toGitHubError(
        `committing ${change.files.size} file(s) on ${change.parent.slice(0, 7)} in ${owner}/${name}`,
        error,
      );
    }
  }

  async moveBranch(
    owner: string,
    name: string,
    branch: string,
    sha: string,
    how: 'create' | 'fast-forward',
  ): Promise<void> {
    try {
      if (how === 'create')
        await this.octokit.request('POST /repos/{owner}/{repo}/git/refs', {
          owner,
          repo: name,
          ref: `refs/heads/${branch}`,
          sha,
        });
      else
        await this.octokit.request('PATCH /repos/{owner}/{repo}/git/refs/{ref}', {
          owner,
          repo: name,
          ref: `heads/${branch}`,
          sha,
          force: false,
        });
    } catch (error) {
      throw toGitHubError(
        `${how === 'create' ? 'creating' : 'moving'} branch ${branch} of ${owner}/${name}`,
        error,
      );
    }
  }

  async findPullRequest(
    owner: string,
    name: string,
    head: string,
    base: string,
  ): Promise<PullRequest | undefined> {
    try {
      const { data } = await this.octokit.request('GET /repos/{owner}/{repo}/pulls', {
        owner,
        repo: name,
        head: `${owner}:${head}`,
        base,
        state: 'open',
        per_page: 10,
      });
      const pull = data.find((p) => p.head.ref === head);
      return pull && { number: pull.number, url: pull.html_url, title: pull.title, body: pull.body ?? '' };
    } catch (error) {
      throw toGitHubError(`listing pull requests of ${owner}/${name}`, error);
    }
  }

  async createPullRequest(
    owner: string,
    name: string,
    pull: { head: string; base: string; title: string; body: string },
  ): Promise<PullRequest> {
    try {
      const { data } = await this.octokit.request('POST /repos/{owner}/{repo}/pulls', {
        owner,
        repo: name,
        ...pull,
      });
      return { number: data.number, url: data.html_url, title: data.title, body: data.body ?? '' };
    } catch (error) {
      throw toGitHubError(`opening a pull request from ${pull.head} in ${owner}/${name}`, error);
    }
  }

  async updatePullRequest(
    owner: string,
    name: string,
    number: number,
    pull: { title: string; body: string },
  ): Promise<PullRequest> {
    try {
      const { data } = await this.octokit.request('PATCH /repos/{owner}/{repo}/pulls/{pull_number}', {
        owner,
        repo: name,
        pull_number: number,
        ...pull,
      });
      return { number: data.number, url: data.html_url, title: data.title, body: data.body ?? '' };
    } catch (error) {
      throw toGitHubError(`updating pull request #${number} of ${owner}/${name}`, error);
    }
  }
}

/**
 * Octokit hands over an answer it could not read as JSON as text: a proxy's HTML page, a cut-off body.
 * That is GitHub (or what stands in front of it) failing, not the file: retryable, and said plainly.
 */
function expectJson(data: unknown, what: string): object {
  if (typeof data === 'object' && data !== null && !(data instanceof ArrayBuffer)) return data;
  const shown = typeof data === 'string' ? data.replace(/\s+/g, ' ').trim().slice(0, 80) : typeof data;
  throw new UpstreamError('GitHub', `${what}: the answer is not JSON (${shown || 'empty'})`, {
    retryable: true,
    status: 502,
  });
}
