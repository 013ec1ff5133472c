import { diffTrees } from './diff-trees.ts';
import { commitHistory } from './git-history.ts';
import type { HostedRepository } from './hosted-repository.ts';
import type { RepositoryRegistry } from './repository-registry.ts';
import { resolveCommitish } from './resolve-commitish.ts';

/** A commit as tests look at it. */
export interface CommitSummary {
  readonly sha: string;
  /** The message without its final newline. */
  readonly message: string;
  readonly author: { readonly name: string; readonly email: string; readonly date: string };
  readonly committer: { readonly name: string; readonly email: string; readonly date: string };
  readonly parents: readonly string[];
  /** Paths the commit changed against its first parent (all paths for a root commit). */
  readonly files: readonly string[];
}

/** A pull request as tests look at it. */
export interface PullSummary {
  readonly number: number;
  readonly title: string;
  readonly body: string | null;
  readonly state: 'open' | 'closed';
  readonly draft: boolean;
  readonly head: string;
  readonly base: string;
  readonly headSha: string;
  readonly labels: readonly string[];
  readonly comments: readonly string[];
}

/** Reads a hosted repository's state directly, for assertions; throws for an unknown repository. */
export class RepositoryInspector {
  constructor(readonly registry: RepositoryRegistry) {}

  /** The repository, or an error naming it. */
  async repository(owner: string, repo: string): Promise<HostedRepository> {
    const found = await this.registry.find(owner, repo);
    if (!found) throw new Error(`The fake GitHub has no repository ${owner}/${repo}`);
    return found;
  }

  async readFile(owner: string, repo: string, ref: string, path: string): Promise<string | undefined> {
    const repository = await this.repository(owner, repo);
    const sha = await resolveCommitish(repository, ref);
    if (sha === undefined) return undefined;
    const commit = (await repository.git.readCommit(sha))!;
    const entry = await repository.git.entryAt(commit.tree, path);
    if (entry?.type !== 'blob') return undefined;
    const bytes = await repository.git.readBlob(entry.sha);
    return bytes && new TextDecoder().decode(bytes);
  }

  async log(owner: string, repo: string, ref: string): Promise<CommitSummary[]> {
    const repository = await this.repository(owner, repo);
    const sha = await resolveCommitish(repository, ref);
    if (sha === undefined) throw new Error(`${owner}/${repo} has no ref ${ref}`);
    const history = await commitHistory(repository.git, sha);
    return Promise.all(
      history.map(async (commit) => {
        const parent =
          commit.parents[0] === undefined ? undefined : await repository.git.readCommit(commit.parents[0]);
        const changes = await diffTrees(repository.git, parent?.tree, commit.tree);
        const person = (who: typeof commit.author) => ({
          name: who.name,
          email: who.email,
          date: who.date.toISOString(),
        });
        return {
          sha: commit.sha,
          message: commit.message.replace(/\n$/, ''),
          author: person(commit.author),
          committer: person(commit.committer),
          parents: commit.parents,
          files: changes.map((change) => change.path),
        };
      }),
    );
  }

  async branches(owner: string, repo: string): Promise<Array<{ name: string; sha: string }>> {
    const repository = await this.repository(owner, repo);
    const refs = await repository.git.listRefs('refs/heads/');
    return refs.map(({ ref, sha }) => ({ name: ref.slice('refs/heads/'.length), sha }));
  }

  async pulls(owner: string, repo: string): Promise<PullSummary[]> {
    const repository = await this.repository(owner, repo);
    return repository.pulls.map((pull) => ({
      number: pull.number,
      title: pull.title,
      body: pull.body,
      state: pull.state,
      draft: pull.draft,
      head: pull.head.ref,
      base: pull.base.ref,
      headSha: pull.head.sha,
      labels: [...pull.labels],
      comments: pull.comments.map((comment) => comment.body),
    }));
  }
}
