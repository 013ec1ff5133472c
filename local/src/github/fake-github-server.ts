import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { byOperationId, FaultQueue } from '../fault-queue.ts';
import { CallJournal } from '../http/call-journal.ts';
import { LoopbackServer } from '../http/loopback-server.ts';
import { SpecDispatcher } from '../http/spec-dispatcher.ts';
import { commitFiles } from './commit-files.ts';
import type { FaultSpec } from './fault-injector.ts';
import { type FakeGitHubApp, type FakeGitHubInstallation, GitHubApps } from './github-apps.ts';
import {
  type BeforeWriteHook,
  type FakeGitHubCall,
  GitHubRequestHandler,
  type PendingWrite,
} from './github-request-handler.ts';
import { GitHubUrls } from './github-urls.ts';
import { type GraphqlCall, GraphqlEndpoint } from './graphql-routes.ts';
import { type CommitSummary, type PullSummary, RepositoryInspector } from './inspect-repository.ts';
import { OpenApiSpec } from './openapi-spec.ts';
import { OpenApiValidator } from './openapi-validator.ts';
import { RateLimiter } from './rate-limiter.ts';
import { type GitHubRateLimits, resolveRateLimits } from './rate-limits.ts';
import type { RepositoryPolicy } from './repository-policy.ts';
import {
  type CreateRepositoryOptions,
  FAKE_GITHUB_IDENTITY,
  RepositoryRegistry,
} from './repository-registry.ts';
import { TokenRegistry } from './token-registry.ts';

export type {
  BeforeWriteHook,
  CommitSummary,
  CreateRepositoryOptions,
  FakeGitHubApp,
  FakeGitHubCall,
  FakeGitHubInstallation,
  FaultSpec,
  GitHubRateLimits,
  GraphqlCall,
  PendingWrite,
  PullSummary,
  RepositoryPolicy,
};

/** How to start a {@link FakeGitHubServer}. */
export interface FakeGitHubServerOptions {
  /** Where repositories live. Default: a new temporary directory, removed by `close()`. */
  readonly dataDir?: string;
  /** Keep a temporary data directory after `close()` (a given `dataDir` is always kept). */
  readonly keepData?: boolean;
  /** Tokens accepted in `authorization: token …` or `Bearer …`. Default `['local-token']`. */
  readonly tokens?: readonly string[];
  /**
   * GitHub Apps the fake knows: their JWTs (RS256, checked against `publicKeyPem`) reach the
   * installation routes, and the installation tokens they mint reach the installations' repositories.
   */
  readonly apps?: readonly FakeGitHubApp[];
  /**
   * Extra time every request takes, for benchmarks: the time it is in flight, after the fake admitted it
   * and a write read the head it works against. Default 0.
   */
  readonly latencyMs?: number;
  /**
   * GitHub's rate limits, enforced by default at GitHub's numbers (see rate-limits.ts); give some to
   * change them, or `false` to refuse nothing (the `x-ratelimit-*` headers still count). A test that
   * turns them off is about something else and says why.
   */
  readonly rateLimits?: Partial<GitHubRateLimits> | false;
  /**
   * Whether a write works against the head its branch had when it arrived and fails with GitHub's 409
   * when the branch moved while it was in flight (see branch-head.ts). Default true; `false` is the
   * kinder fake that serializes writes, for tests about something else, which say why.
   */
  readonly branchRaces?: boolean;
  /** Runs before each write request does its work; see {@link FakeGitHubServer.beforeWrite}. */
  readonly beforeWrite?: BeforeWriteHook;
  /** The clock for commit dates, timestamps and the rate-limit windows (a test may run it fast). Default: the system clock. */
  readonly now?: () => Date;
  /** Interface to listen on. Default `127.0.0.1`. */
  readonly host?: string;
  /** Port to listen on. Default 0 (any free port). */
  readonly port?: number;
}

/**
 * A loopback GitHub REST API backed by real bare git repositories, for tests and local mode. Point the
 * real `@octokit/rest` at {@link url}. Every request is checked against GitHub's OpenAPI description
 * (the vendored subset) and answered with the status, message and body shape GitHub uses; invalid
 * requests get GitHub's `422 Invalid request.` and are kept in {@link calls}.
 */
export class FakeGitHubServer {
  /** Simulated latency added to every request, in milliseconds; may be changed at any time. */
  latencyMs: number;
  /**
   * Runs after a write request passed authentication and validation and before it is carried out.
   * A test can commit to the branch here (with {@link commitFiles}) to lose a race on purpose.
   */
  beforeWrite: BeforeWriteHook | undefined;
  /** Where the API is, `http://127.0.0.1:<port>`: the `baseUrl` for Octokit. */
  readonly url: string;
  readonly #journal = new CallJournal<FakeGitHubCall>();
  readonly #faults = new FaultQueue<FaultSpec>(byOperationId);
  readonly #inspector: RepositoryInspector;
  readonly #graphql: GraphqlEndpoint;
  #closed: Promise<void> | undefined;

  private constructor(
    readonly dataDir: string,
    private readonly server: LoopbackServer,
    private readonly registry: RepositoryRegistry,
    private readonly removeOnClose: boolean,
    private readonly tokens: TokenRegistry,
    options: FakeGitHubServerOptions,
  ) {
    this.url = server.url;
    this.latencyMs = options.latencyMs ?? 0;
    this.beforeWrite = options.beforeWrite;
    this.#inspector = new RepositoryInspector(registry);
    this.#graphql = new GraphqlEndpoint({ registry, now: registry.now, settings: this });
  }

  /** Starts a server on a loopback port. Schemas compile lazily, so this takes a few tens of ms. */
  static async start(options: FakeGitHubServerOptions = {}): Promise<FakeGitHubServer> {
    const now = options.now ?? (() => new Date());
    const limits = resolveRateLimits(options.rateLimits || {});
    const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'fake-github-')));
    const registry = new RepositoryRegistry(dataDir, now);
    const spec = OpenApiSpec.load();
    const validator = new OpenApiValidator(spec);
    let http: LoopbackServer;
    try {
      http = await LoopbackServer.listen(options);
    } catch (error) {
      if (options.dataDir === undefined) await rm(dataDir, { recursive: true, force: true });
      throw error;
    }
    const removeOnClose = options.dataDir === undefined && options.keepData !== true;
    const tokens = new TokenRegistry(options.tokens ?? ['local-token'], now, new GitHubApps(options.apps));
    const fake = new FakeGitHubServer(dataDir, http, registry, removeOnClose, tokens, options);
    const handler = new GitHubRequestHandler({
      spec,
      validator,
      registry,
      tokens,
      urls: new GitHubUrls(http.url),
      now,
      limiter: new RateLimiter(limits, options.rateLimits !== false, () => now().getTime()),
      branchRaces: options.branchRaces ?? true,
      settings: fake,
      graphql: fake.#graphql,
    });
    const dispatcher = new SpecDispatcher(handler, {
      faults: fake.#faults,
      settings: fake,
      closing: http.closing,
      now,
      record: (call) => fake.#journal.record(call),
    });
    http.serve((request, response) => dispatcher.handle(request, response));
    return fake;
  }

  /** Every request served so far, oldest first. */
  get calls(): readonly FakeGitHubCall[] {
    return this.#journal.calls;
  }

  /** How many requests were served, for one operation or for all. */
  callCount(operationId?: string): number {
    return this.#journal.count(operationId);
  }

  /** Requests that broke the OpenAPI description (answered 422 `Invalid request.`). */
  invalidCalls(): readonly FakeGitHubCall[] {
    return this.#journal.invalid();
  }

  /** The GraphQL requests (`POST /graphql`) received so far, as sent, oldest first. */
  get graphqlCalls(): readonly GraphqlCall[] {
    return this.#graphql.calls;
  }

  /** Forgets the calls recorded so far. */
  clearCalls(): void {
    this.#journal.clear();
    this.#graphql.clearCalls();
  }

  /** Makes a GitHub App known to the fake, as the `apps` option does; throws when its id is taken. */
  registerApp(app: FakeGitHubApp): void {
    this.tokens.apps.register(app);
  }

  /** Revokes every installation token minted so far: the next request with one answers 401. */
  revokeInstallationTokens(): void {
    this.tokens.revokeInstallationTokens();
  }

  /** Queues a fault; faults are consumed in the order they were injected. */
  injectFault(fault: FaultSpec): void {
    this.#faults.inject(fault);
  }

  /** Drops every queued fault. */
  clearFaults(): void {
    this.#faults.clear();
  }

  /**
   * Creates a bare repository at `<dataDir>/<owner>/<repo>.git` with one commit holding `files` on
   * the default branch, and returns that commit's sha ('' for an `empty` one). Throws if the repository
   * exists.
   */
  async createRepository(
    owner: string,
    repo: string,
    options: CreateRepositoryOptions,
  ): Promise<{ sha: string }> {
    const created = await this.registry.create(owner, repo, options);
    const sha = await created.git.readRef(`refs/heads/${options.defaultBranch ?? 'main'}`);
    return { sha: sha ?? '' };
  }

  /**
   * Sets what `owner/repo`'s settings refuse, as GitHub answers each: archived, branches that want a pull
   * request (classic protection or a ruleset), tokens without a permission (see repository-policy.ts).
   */
  async setRepositoryPolicy(owner: string, repo: string, policy: RepositoryPolicy): Promise<void> {
    (await this.#inspector.repository(owner, repo)).policy = policy;
  }

  /** Whether `owner/repo` exists (also when an earlier server on the same data directory made it). */
  async hasRepository(owner: string, repo: string): Promise<boolean> {
    return (await this.registry.find(owner, repo)) !== undefined;
  }

  /** Where the bare repository of `owner/repo` is on disk (for `git -C <path> log`). */
  repositoryPath(owner: string, repo: string): string {
    return this.registry.path(owner, repo);
  }

  /**
   * Commits files straight onto an existing branch (default: the default branch), bypassing HTTP:
   * another writer, for races and set-up. `null` deletes a file. Returns the new commit's sha.
   */
  async commitFiles(
    owner: string,
    repo: string,
    change: { branch?: string; files: Record<string, string | null>; message?: string },
  ): Promise<string> {
    const repository = await this.#inspector.repository(owner, repo);
    const branch = change.branch ?? (await repository.git.defaultBranch());
    if ((await repository.git.readRef(`refs/heads/${branch}`)) === undefined) {
      throw new Error(`${owner}/${repo} has no branch '${branch}'; create it first`);
    }
    const who = { ...FAKE_GITHUB_IDENTITY, date: this.registry.now() };
    const message = change.message ?? `Update ${Object.keys(change.files).join(', ')}`;
    return repository.git.exclusive(async () => {
      const written = await commitFiles(repository, {
        branch,
        files: change.files,
        message,
        author: who,
        committer: who,
      });
      return written.sha;
    });
  }

  /** A file's text at a ref (branch, tag or sha), or undefined when the file is not there. */
  readFile(owner: string, repo: string, ref: string, path: string): Promise<string | undefined> {
    return this.#inspector.readFile(owner, repo, ref, path);
  }

  /** The commits reachable from `ref`, newest first, with the files each changed. */
  log(owner: string, repo: string, ref: string): Promise<CommitSummary[]> {
    return this.#inspector.log(owner, repo, ref);
  }

  /** Branch names and the commits they point at. */
  branches(owner: string, repo: string): Promise<Array<{ name: string; sha: string }>> {
    return this.#inspector.branches(owner, repo);
  }

  /** The repository's pull requests, oldest first. */
  pulls(owner: string, repo: string): Promise<PullSummary[]> {
    return this.#inspector.pulls(owner, repo);
  }

  /** Stops listening, drops open connections and, for a temporary data directory, deletes it. */
  close(): Promise<void> {
    this.#closed ??= (async () => {
      // Requests cut off mid-way still finish their disk work before the directory goes.
      await this.server.close();
      if (this.removeOnClose) await rm(this.dataDir, { recursive: true, force: true });
    })();
    return this.#closed;
  }
}
