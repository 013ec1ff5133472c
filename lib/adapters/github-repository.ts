/**
 * One GitHub repository through Octokit: commits onto a branch through the GraphQL API (the files and the
 * head in one query, the commit in one mutation: github-graphql.ts); GraphQL to read a file at a
 * commit (its mode and kind told, never a symbolic link's target), the Git Data API (tree, commit, ref) for the branches of our own that write branches and
 * pull requests commit onto; pull requests.
 */
import type { Octokit } from '@octokit/rest';
import type { BranchSnapshot, GitFile, GitLocation, GitRepository, PullRequest } from '../app/ports.ts';
import { toGitHubError } from './github-errors.ts';
import { commitOnBranch, readFileAt, readFilesAtHead } from './github-graphql.ts';

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

  readFile(location: GitLocation, path: string): Promise<GitFile | undefined> {
    return readFileAt(this.octokit, location, path, (sha, where) => this.readBlob(location, sha, where));
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
    change: {
      parent: string;
      files: ReadonlyMap<string, string>;
      message: string;
      executables?: ReadonlySet<string>;
    },
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
          // The file's own mode: a tree entry is written with the mode it names, whatever it was.
          mode: change.executables?.has(path) ? ('100755' as const) : ('100644' as const),
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
