/**
 * One GitHub repository through Octokit's request API: the Contents API to read a file with its blob
 * sha and to write it back guarded by that sha.
 */
import type { Octokit } from '@octokit/rest';
import type { GitFile, GitLocation, GitRepository } from '../app/ports.ts';
import { InvalidTargetError } from '../domain/errors.ts';
import { toGitHubError } from './github-errors.ts';

/** The part of Octokit this adapter uses: `request`, which @octokit/core and @octokit/rest share. */
export type OctokitRequest = Pick<Octokit, 'request'>;

export class OctokitGitRepository implements GitRepository {
  private readonly defaultBranches = new Map<string, Promise<string>>();

  constructor(private readonly octokit: OctokitRequest) {}

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
    if (
      Array.isArray(data) ||
      typeof data !== 'object' ||
      data === null ||
      (data as { type?: string }).type !== 'file'
    ) {
      throw new InvalidTargetError(where, 'is not a file');
    }
    const file = data as { sha: string; content?: string; encoding?: string };
    if (file.encoding === 'base64' && file.content !== undefined) {
      return { sha: file.sha, text: Buffer.from(file.content, 'base64').toString('utf8') };
    }
    // Files over 1 MB come without content; their blob still can be read.
    try {
      const blob = await this.octokit.request('GET /repos/{owner}/{repo}/git/blobs/{file_sha}', {
        owner: location.owner,
        repo: location.name,
        file_sha: file.sha,
      });
      return { sha: file.sha, text: Buffer.from(blob.data.content, 'base64').toString('utf8') };
    } catch (error) {
      throw toGitHubError(`reading the blob of ${where}`, error);
    }
  }

  async writeFile(
    location: GitLocation,
    path: string,
    change: { text: string; sha?: string; message: string },
  ): Promise<{ commitSha: string; url?: string }> {
    try {
      const { data } = await this.octokit.request('PUT /repos/{owner}/{repo}/contents/{path}', {
        owner: location.owner,
        repo: location.name,
        path,
        branch: location.branch,
        message: change.message,
        content: Buffer.from(change.text, 'utf8').toString('base64'),
        ...(change.sha ? { sha: change.sha } : {}),
      });
      const sha = data.commit.sha;
      if (!sha) throw new Error('GitHub answered without a commit sha');
      return { commitSha: sha, ...(data.commit.html_url ? { url: data.commit.html_url } : {}) };
    } catch (error) {
      throw toGitHubError(`writing ${location.owner}/${location.name}@${location.branch}:${path}`, error);
    }
  }
}
