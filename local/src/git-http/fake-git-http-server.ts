/**
 * A plain git host on loopback: git's own `git http-backend` behind HTTP Basic authentication, serving
 * bare repositories over smart HTTP, as GitLab, Gitea, Bitbucket or Azure DevOps serve theirs. As strict
 * as those hosts: every request, fetch included, needs a known user and password (401 with a Basic
 * challenge otherwise, RFC 7617), and branches refuse pushes that are not fast-forwards.
 *
 * Fault knobs play what a host does on a bad day: answer 5xx, hang, or take a teammate's push onto the
 * branch between our fetch and our push (the race a real branch has).
 */

import { mkdtemp, rm } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FaultQueue, waitUnlessClosed } from '../fault-queue.ts';
import { LoopbackServer } from '../http/loopback-server.ts';
import { runGitHttpBackend } from './git-http-backend.ts';
import { GitRepositories } from './git-repositories.ts';

/** The two git services and the two requests each takes: the ref advertisement, then the exchange. */
export type GitService = 'git-upload-pack' | 'git-receive-pack';
export type GitPhase = 'advertise' | 'exchange';

/** One request of the smart HTTP protocol, as the fake saw it. */
export interface GitHttpCall {
  readonly method: string;
  readonly path: string;
  readonly service: GitService | undefined;
  readonly phase: GitPhase | undefined;
  readonly user: string | undefined;
  readonly status: number;
}

/**
 * A fault for the next `times` requests it applies to (of `service` and `phase`, when given):
 * answer `status`, hang until the server closes (`stall`), or let a teammate push `files` onto
 * `branch` of `repository` just before the request is served.
 */
export type GitHttpFault = {
  readonly service?: GitService;
  readonly phase?: GitPhase;
  readonly times?: number;
} & (
  | { readonly kind: 'status'; readonly status: number }
  | { readonly kind: 'stall' }
  | {
      readonly kind: 'move-branch';
      readonly repository: string;
      readonly branch: string;
      readonly files?: Readonly<Record<string, string>>;
    }
);

export interface FakeGitHttpServerOptions {
  /** Users and their passwords (or tokens). Default: `{ local: 'local-git-password' }`. */
  readonly users?: Readonly<Record<string, string>>;
  /** Where the repositories live. Default: a temporary folder, removed by `close()`. */
  readonly dataDir?: string;
  readonly host?: string;
}

// The path of a smart (or dumb) HTTP request after the repository's path; git-http-backend(1), URL TRANSLATION.
const SERVICE_PATH = /^(\/.+?)(\/info\/refs|\/git-upload-pack|\/git-receive-pack|\/HEAD|\/objects\/.+)$/;

export class FakeGitHttpServer {
  readonly repositories: GitRepositories;
  /** Every request served, in order. */
  readonly calls: GitHttpCall[] = [];
  /** Extra time every request takes, for benchmarks. */
  latencyMs = 0;
  readonly #faults = new FaultQueue<GitHttpFault>(
    (fault, operation) =>
      (fault.service === undefined || operation?.startsWith(fault.service) === true) &&
      (fault.phase === undefined || operation?.endsWith(fault.phase) === true),
  );
  #closed: Promise<void> | undefined;

  private constructor(
    private readonly server: LoopbackServer,
    private readonly users: Readonly<Record<string, string>>,
    root: string,
    private readonly ownsRoot: boolean,
  ) {
    this.repositories = new GitRepositories(root);
  }

  static async start(options: FakeGitHttpServerOptions = {}): Promise<FakeGitHttpServer> {
    const root = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'fake-git-http-')));
    const server = await LoopbackServer.listen(options.host ? { host: options.host } : {});
    const fake = new FakeGitHttpServer(
      server,
      options.users ?? { local: 'local-git-password' },
      root,
      options.dataDir === undefined,
    );
    server.serve((request, response) => fake.#serve(request, response));
    return fake;
  }

  /** `http://127.0.0.1:<port>`: a repository `group/gitops` is at `<url>/group/gitops` (or `.git`). */
  get url(): string {
    return this.server.url;
  }

  /** Queues a fault; see {@link GitHttpFault}. */
  inject(fault: GitHttpFault): void {
    this.#faults.inject(fault);
  }

  /** Drops every queued fault. */
  clearFaults(): void {
    this.#faults.clear();
  }

  close(): Promise<void> {
    this.#closed ??= (async () => {
      await this.server.close();
      if (this.ownsRoot) await rm(this.repositories.root, { recursive: true, force: true });
    })();
    return this.#closed;
  }

  async #serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://fake');
    const method = request.method ?? 'GET';
    const match = SERVICE_PATH.exec(decodeURIComponent(url.pathname));
    const service = serviceOf(url, match?.[2]);
    const phase: GitPhase | undefined = service
      ? match?.[2] === '/info/refs'
        ? 'advertise'
        : 'exchange'
      : undefined;
    const user = this.#authenticate(request);
    const record = (status: number) =>
      this.calls.push({ method, path: url.pathname, service, phase, user, status });
    if (!(await waitUnlessClosed(this.latencyMs, this.server.closing))) return void request.destroy();
    // Hosts challenge before anything else, fetches included (GitLab, Gitea and Azure DevOps on a
    // private repository; RFC 7235 section 3.1).
    if (user === undefined) {
      record(401);
      response.writeHead(401, {
        'www-authenticate': 'Basic realm="fake git host"',
        'content-type': 'text/plain',
      });
      return void response.end('HTTP Basic: Access denied\n');
    }
    const fault = this.#faults.take(service && phase ? `${service} ${phase}` : undefined);
    if (fault?.kind === 'status') {
      record(fault.status);
      response.writeHead(fault.status, { 'content-type': 'text/plain' });
      return void response.end(`fault injected: ${fault.status}\n`);
    }
    if (fault?.kind === 'stall') {
      record(0);
      // Hangs until the server closes, as a host whose backend is stuck does: only the client's timeout ends it.
      const closing = this.server.closing;
      if (!closing.aborted)
        await new Promise((resolve) => closing.addEventListener('abort', resolve, { once: true }));
      return void request.destroy();
    }
    if (fault?.kind === 'move-branch')
      await this.repositories.commit(
        fault.repository,
        fault.branch,
        fault.files ?? { 'TEAMMATE.md': `a teammate's change at ${this.calls.length}\n` },
        "A teammate's push",
      );
    const pathInfo = match ? this.#pathInfo(match[1]!, match[2]!) : undefined;
    if (!pathInfo) {
      record(404);
      response.writeHead(404, { 'content-type': 'text/plain' });
      return void response.end('Repository not found\n');
    }
    await runGitHttpBackend(request, response, {
      projectRoot: this.repositories.root,
      pathInfo,
      query: url.search.replace(/^\?/, ''),
      remoteUser: user,
    });
    record(response.statusCode);
  }

  /** Basic credentials of a known user, checked in constant time per user. */
  #authenticate(request: IncomingMessage): string | undefined {
    const header = request.headers.authorization ?? '';
    const match = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header);
    if (!match) return undefined;
    const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return undefined;
    const user = decoded.slice(0, colon);
    const password = decoded.slice(colon + 1);
    return Object.hasOwn(this.users, user) && this.users[user] === password ? user : undefined;
  }

  // Hosts answer for `group/gitops` and `group/gitops.git` alike; the folder is `group/gitops.git`.
  #pathInfo(repository: string, rest: string): string | undefined {
    try {
      const gitdir = this.repositories.gitdir(repository.slice(1));
      return `${gitdir.slice(this.repositories.root.length)}${rest}`;
    } catch {
      return undefined;
    }
  }
}

function serviceOf(url: URL, rest: string | undefined): GitService | undefined {
  const named = rest === '/info/refs' ? url.searchParams.get('service') : rest?.slice(1);
  return named === 'git-upload-pack' || named === 'git-receive-pack' ? named : undefined;
}
