/**
 * The bare repositories a {@link FakeGitHttpServer} serves, made and read with the system's `git`
 * (the same program that serves them): created with their first commit, committed to by "someone
 * else" (a teammate's push, for races), read back with `git show` and `git log`.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, posix } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Who commits when the fake stands in for someone else. */
export const TEAMMATE = { name: 'A Teammate', email: 'teammate@example.com' };

// A repository path as hosts take it: segments of letters, digits, `.`, `_` and `-`; never `.` or `..`.
const SEGMENT = /^[A-Za-z0-9_.-]{1,100}$/;

export class GitRepositories {
  constructor(
    /** The folder holding every repository: http-backend's GIT_PROJECT_ROOT. */
    readonly root: string,
  ) {}

  /** The folder of a repository path (`group/gitops` is `<root>/group/gitops.git`). */
  gitdir(path: string): string {
    const segments = path.replace(/\.git$/, '').split('/');
    if (segments.length < 1 || segments.some((s) => !SEGMENT.test(s) || s === '.' || s === '..'))
      throw new Error(`'${path}' is not a repository path`);
    return `${join(this.root, ...segments)}.git`;
  }

  /**
   * Creates a bare repository whose HEAD is `branch`, with one commit holding `files`. Pushes that are
   * not fast-forwards are refused, as hosts refuse them on a protected branch (git-config(1),
   * receive.denyNonFastForwards; GitLab protects the default branch by default).
   */
  async create(path: string, files: Readonly<Record<string, string>>, branch = 'main'): Promise<string> {
    const gitdir = this.gitdir(path);
    await mkdir(dirname(gitdir), { recursive: true });
    await git(['init', '--quiet', '--bare', `--initial-branch=${branch}`, gitdir]);
    await git(['--git-dir', gitdir, 'config', 'receive.denyNonFastForwards', 'true']);
    await git(['--git-dir', gitdir, 'config', 'receive.denyDeletes', 'true']);
    return this.commit(path, branch, files, 'Initial commit');
  }

  /** Commits `files` onto `branch` as someone else would (a clone, a commit, a push); answers the sha. */
  async commit(
    path: string,
    branch: string,
    files: Readonly<Record<string, string>>,
    message: string,
  ): Promise<string> {
    const gitdir = this.gitdir(path);
    const work = await mkdtemp(join(tmpdir(), 'git-http-commit-'));
    try {
      const head = await this.head(path, branch);
      await git(['init', '--quiet', `--initial-branch=${branch}`, work]);
      if (head) {
        await git(['-C', work, 'fetch', '--quiet', gitdir, branch]);
        await git(['-C', work, 'reset', '--quiet', '--hard', 'FETCH_HEAD']);
      }
      for (const [file, text] of Object.entries(files)) {
        const target = join(work, ...posix.normalize(file).split('/'));
        await mkdir(dirname(target), { recursive: true });
        await writeFile(target, text);
      }
      await git(['-C', work, 'add', '--all']);
      await git(['-C', work, 'commit', '--quiet', '--allow-empty', '-m', message], TEAMMATE);
      await git(['-C', work, 'push', '--quiet', gitdir, `HEAD:refs/heads/${branch}`]);
      return (await git(['-C', work, 'rev-parse', 'HEAD'])).trim();
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  }

  /** The commit a branch points at, or undefined. */
  async head(path: string, branch: string): Promise<string | undefined> {
    try {
      const out = await git([
        '--git-dir',
        this.gitdir(path),
        'rev-parse',
        '--verify',
        '--quiet',
        `refs/heads/${branch}`,
      ]);
      return out.trim() || undefined;
    } catch {
      return undefined;
    }
  }

  /** A file's text at a branch, or undefined when it is not there. */
  async read(path: string, branch: string, file: string): Promise<string | undefined> {
    try {
      return await git(['--git-dir', this.gitdir(path), 'show', `refs/heads/${branch}:${file}`]);
    } catch {
      return undefined;
    }
  }

  /** `git log` of a branch, one line a commit: sha, author, subject. */
  async log(path: string, branch: string): Promise<Array<{ sha: string; author: string; subject: string }>> {
    const out = await git([
      '--git-dir',
      this.gitdir(path),
      'log',
      '--format=%H%x09%an%x09%s',
      `refs/heads/${branch}`,
    ]);
    return out
      .split('\n')
      .filter(Boolean)
      .map((line) => {
        const [sha, author, subject] = line.split('\t') as [string, string, string];
        return { sha, author, subject };
      });
  }
}

async function git(args: readonly string[], who = TEAMMATE): Promise<string> {
  const { stdout } = await run('git', [...args], {
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: tmpdir(),
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_CONFIG_GLOBAL: '/dev/null',
      GIT_AUTHOR_NAME: who.name,
      GIT_AUTHOR_EMAIL: who.email,
      GIT_COMMITTER_NAME: who.name,
      GIT_COMMITTER_EMAIL: who.email,
    },
    maxBuffer: 64 * 1024 * 1024,
  });
  return stdout;
}
