import { access, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { commitFiles } from './commit-files.ts';
import { type GitIdentity, GitStore } from './git-store.ts';
import { HostedRepository } from './hosted-repository.ts';

/** What a new repository starts with. */
export interface CreateRepositoryOptions {
  /** The branch HEAD names and the initial commit lands on. Default `main`. */
  readonly defaultBranch?: string;
  /** The files of the initial commit, by path; text is stored as UTF-8. */
  readonly files: Readonly<Record<string, string>>;
  /**
   * No initial commit: a repository created without a README, as GitHub's "Git Repository is empty."
   * answers know it. `files` must then be empty.
   */
  readonly empty?: boolean;
  /** The message of the initial commit. */
  readonly message?: string;
  /** Author and committer of the initial commit. */
  readonly author?: { readonly name: string; readonly email: string };
}

// GitHub's own rule for owner and repository names; it also keeps every path inside the data directory.
const NAME = /^(?!\.\.?$)[A-Za-z0-9_.-]{1,100}$/;

/** Who makes commits the fake makes for itself (initial commits, test set-up). */
export const FAKE_GITHUB_IDENTITY = { name: 'Fake GitHub', email: 'fake-github@users.noreply.localhost' };

/**
 * The repositories under a data directory: `<dataDir>/<owner>/<repo>.git` (bare) and
 * `<dataDir>/<owner>/<repo>.meta.json`. Repositories created by an earlier server on the same
 * directory are found again on first use.
 */
export class RepositoryRegistry {
  readonly #open = new Map<string, Promise<HostedRepository | undefined>>();

  constructor(
    readonly dataDir: string,
    readonly now: () => Date,
  ) {}

  /** Whether a name can be an owner or repository name on GitHub. */
  static isValidName(name: string): boolean {
    return NAME.test(name);
  }

  /** Where the bare repository of `owner/repo` lives on disk. */
  path(owner: string, repo: string): string {
    if (!RepositoryRegistry.isValidName(owner) || !RepositoryRegistry.isValidName(repo)) {
      throw new Error(`'${owner}/${repo}' is not a valid GitHub repository name`);
    }
    return join(this.dataDir, owner, `${repo}.git`);
  }

  /** Creates a bare repository with one commit holding `options.files`. */
  async create(owner: string, repo: string, options: CreateRepositoryOptions): Promise<HostedRepository> {
    const gitdir = this.path(owner, repo);
    if (await this.find(owner, repo)) throw new Error(`Repository ${owner}/${repo} already exists`);
    const branch = options.defaultBranch ?? 'main';
    await mkdir(join(this.dataDir, owner), { recursive: true });
    const store = await GitStore.create(gitdir, branch);
    const now = this.now();
    const repository = await HostedRepository.create(
      owner,
      repo,
      store,
      this.#metadataFile(owner, repo),
      now,
    );
    const who: GitIdentity = { ...(options.author ?? FAKE_GITHUB_IDENTITY), date: now };
    if (options.empty && Object.keys(options.files).length > 0)
      throw new Error(`An empty repository has no files; ${owner}/${repo} was given some`);
    if (!options.empty)
      await store.exclusive(() =>
        commitFiles(repository, {
          branch,
          files: options.files,
          message: options.message ?? 'Initial commit',
          author: who,
          committer: who,
        }),
      );
    this.#open.set(key(owner, repo), Promise.resolve(repository));
    return repository;
  }

  /** The repository `owner/repo`, or undefined when there is none (or the name is not valid). */
  find(owner: string, repo: string): Promise<HostedRepository | undefined> {
    if (!RepositoryRegistry.isValidName(owner) || !RepositoryRegistry.isValidName(repo)) {
      return Promise.resolve(undefined);
    }
    const cached = this.#open.get(key(owner, repo));
    if (cached) return cached;
    const opening = this.#openFromDisk(owner, repo);
    this.#open.set(key(owner, repo), opening);
    // A miss is not cached: the repository may be created a moment later.
    void opening.then((found) => {
      if (!found) this.#open.delete(key(owner, repo));
    });
    return opening;
  }

  async #openFromDisk(owner: string, repo: string): Promise<HostedRepository | undefined> {
    const gitdir = this.path(owner, repo);
    try {
      await access(join(gitdir, 'HEAD'));
    } catch {
      return undefined;
    }
    return HostedRepository.open(
      owner,
      repo,
      GitStore.open(gitdir),
      this.#metadataFile(owner, repo),
      this.now(),
    );
  }

  #metadataFile(owner: string, repo: string): string {
    return join(this.dataDir, owner, `${repo}.meta.json`);
  }
}

function key(owner: string, repo: string): string {
  return `${owner}/${repo}`.toLowerCase();
}
