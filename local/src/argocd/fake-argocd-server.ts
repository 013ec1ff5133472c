import { byOperationId, FaultQueue } from '../fault-queue.ts';
import { CallJournal } from '../http/call-journal.ts';
import { LoopbackServer } from '../http/loopback-server.ts';
import { SpecDispatcher } from '../http/spec-dispatcher.ts';
import { ApplicationStore, type ApplicationStoreSnapshot, DEFAULT_NAMESPACE } from './application-store.ts';
import type { ArgoCdApplication } from './argocd-application.ts';
import type { ArgoCdFault } from './argocd-fault-injector.ts';
import { ArgoCdProjects, type FakeArgoCdProject } from './argocd-projects.ts';
import type { ArgoCdAction, ArgoCdPolicy, FakeArgoCdToken } from './argocd-rbac.ts';
import {
  ArgoCdRequestHandler,
  type BeforeWriteHook,
  type FakeArgoCdCall,
  type PendingWrite,
} from './argocd-request-handler.ts';
import { ArgoCdTokens } from './argocd-tokens.ts';
import { FakeClusterTrouble } from './cluster-trouble.ts';
import { FakeRepoServer, type RepoServerTrouble } from './repo-server.ts';
import { SwaggerSpec } from './swagger-spec.ts';
import { SwaggerValidator } from './swagger-validator.ts';
import { finishOperation, type OperationPhase } from './sync-operation.ts';

export type {
  ApplicationStoreSnapshot,
  ArgoCdAction,
  ArgoCdApplication,
  ArgoCdFault,
  ArgoCdPolicy,
  BeforeWriteHook,
  FakeArgoCdCall,
  FakeArgoCdProject,
  FakeArgoCdToken,
  OperationPhase,
  PendingWrite,
  RepoServerTrouble,
};

/** How to start a {@link FakeArgoCdServer}. */
export interface FakeArgoCdServerOptions {
  /**
   * Bearer tokens accepted: a string acts as `admin`, a {@link FakeArgoCdToken} only within its RBAC
   * policies (per project and action). Default `['local-argocd-token']`.
   */
  readonly tokens?: readonly (string | FakeArgoCdToken)[];
  /**
   * `--application-namespaces`: namespaces besides Argo CD's own the server serves Applications from
   * (globs). Default none: an app elsewhere answers 403 `permission denied`, as on a default install.
   */
  readonly applicationNamespaces?: readonly string[];
  /** The AppProjects that exist. Default: any project an Application names, admitting any namespace. */
  readonly projects?: readonly FakeArgoCdProject[];
  /** Serve HTTPS with this PEM key and certificate, as Argo CD does by default. Default: plain HTTP. */
  readonly tls?: { readonly key: string; readonly cert: string };
  /** Extra time every request takes, for benchmarks. Default 0. */
  readonly latencyMs?: number;
  /**
   * How long a patch spends validating between its read and its write; see
   * {@link FakeArgoCdServer.validationMs}. Default 25.
   */
  readonly validationMs?: number;
  /** Runs before each write does its work; see {@link FakeArgoCdServer.beforeWrite}. */
  readonly beforeWrite?: BeforeWriteHook;
  /** The clock for timestamps and the call log. Default: the system clock. */
  readonly now?: () => Date;
  /** Argo CD's own namespace, where apps live unless `appNamespace` says otherwise. Default `argocd`. */
  readonly namespace?: string;
  /** Interface to listen on. Default `127.0.0.1`. */
  readonly host?: string;
  /** Port to listen on. Default 0 (any free port). */
  readonly port?: number;
}

/**
 * A loopback Argo CD API server holding Application objects, for tests and local mode. It serves the
 * REST paths an image updater uses (get, list, patch, sync, userinfo, version) with the statuses, error
 * bodies and ordering of checks of the real server, checks every request against Argo CD's own
 * swagger.json, and keeps what it was asked in {@link calls}.
 */
export class FakeArgoCdServer {
  /** Simulated latency added to every request, in milliseconds; may be changed at any time. */
  latencyMs: number;
  /**
   * Runs after a write (PATCH, POST) passed the content-type guard, decoding and authentication and
   * before it is carried out. A test can change the Application here ({@link updateApplication}) so a
   * client's JSON-patch `test` fails as it would against a busy cluster.
   */
  beforeWrite: BeforeWriteHook | undefined;
  /**
   * Milliseconds a PATCH spends "validating" between applying the patch to the Application it read
   * and writing the result onto a fresh read, as Argo CD's `Server.Patch` -> `validateAndUpdateApp`
   * -> `updateApp` do (server/application/application.go; seconds on a real server). A `test` holds
   * only at the read: two patches validating at once both pass, and the later write wins. May be
   * changed at any time; 0 leaves only the event loop between the two steps.
   */
  validationMs: number;
  /**
   * Runs while a PATCH validates (after {@link validationMs}), between its read and its write: the
   * place for a test to line up concurrent patches. Unset by default.
   */
  duringValidation: BeforeWriteHook | undefined;
  /** Where the API is, `http://127.0.0.1:<port>` (`https://` with `tls`). */
  readonly url: string;
  readonly #journal = new CallJournal<FakeArgoCdCall>();
  readonly #faults = new FaultQueue<ArgoCdFault>(byOperationId);
  readonly #repoServer = new FakeRepoServer();
  readonly #cluster = new FakeClusterTrouble();
  #projects!: ArgoCdProjects;

  private constructor(
    private readonly server: LoopbackServer,
    private readonly store: ApplicationStore,
    private readonly now: () => Date,
    options: FakeArgoCdServerOptions,
  ) {
    this.url = server.url;
    this.latencyMs = options.latencyMs ?? 0;
    this.beforeWrite = options.beforeWrite;
    this.validationMs = options.validationMs ?? 25;
    this.duringValidation = undefined;
  }

  /** Starts a server on a loopback port. Schemas compile on first use, so this takes milliseconds. */
  static async start(options: FakeArgoCdServerOptions = {}): Promise<FakeArgoCdServer> {
    const now = options.now ?? (() => new Date());
    const spec = SwaggerSpec.load();
    const validator = new SwaggerValidator(spec);
    const store = new ApplicationStore(options.namespace ?? DEFAULT_NAMESPACE, now, (app) =>
      validator.decodeProblems('v1alpha1Application', app),
    );
    const server = await LoopbackServer.listen(options);
    const fake = new FakeArgoCdServer(server, store, now, options);
    fake.#projects = new ArgoCdProjects(
      store.namespace,
      options.applicationNamespaces ?? [],
      options.projects,
    );
    const handler = new ArgoCdRequestHandler({
      spec,
      validator,
      store,
      projects: fake.#projects,
      repoServer: fake.#repoServer,
      cluster: fake.#cluster,
      tokens: new ArgoCdTokens(options.tokens ?? ['local-argocd-token'], now()),
      now,
      settings: fake,
    });
    const dispatcher = new SpecDispatcher(handler, {
      faults: fake.#faults,
      settings: fake,
      closing: server.closing,
      now,
      record: (call) => fake.#journal.record(call),
    });
    server.serve((request, response) => dispatcher.handle(request, response));
    return fake;
  }

  /** Every request served so far, oldest first. */
  get calls(): readonly FakeArgoCdCall[] {
    return this.#journal.calls;
  }

  /** How many requests were served, for one operation (`ApplicationService_Patch`) or for all. */
  callCount(operationId?: string): number {
    return this.#journal.count(operationId);
  }

  /** Requests that broke the swagger description (answered 400 InvalidArgument). */
  invalidCalls(): readonly FakeArgoCdCall[] {
    return this.#journal.invalid();
  }

  /** Forgets the calls recorded so far. */
  clearCalls(): void {
    this.#journal.clear();
  }

  /** Queues a fault; faults are consumed in the order they were injected. */
  injectFault(fault: ArgoCdFault): void {
    this.#faults.inject(fault);
  }

  /** Drops every queued fault and ends the repo server's and the cluster's trouble. */
  clearFaults(): void {
    this.#faults.clear();
    this.#repoServer.clear();
    this.#cluster.clear();
  }

  /** The next `times` reads of an Application from the cluster fail: the API answers a bare 403. */
  failClusterReads(times = 1): void {
    this.#cluster.failReads(times);
  }

  /** The next `times` PATCHes conflict on every update attempt: 500 `Too many conflicts`. */
  loseUpdates(times = 1): void {
    this.#cluster.loseUpdates(times);
  }

  /**
   * Puts the repo server in trouble for the next `times` calls that need it (default: until
   * {@link clearFaults}): a PATCH's validation answers 400 with Argo CD's `InvalidSpecError` text, and a
   * sync, when the repo server is `unavailable`, 503. Nothing is written meanwhile.
   */
  troubleRepoServer(trouble: RepoServerTrouble, times?: number): void {
    this.#repoServer.troubled(trouble, times);
  }

  /**
   * Adds or replaces an AppProject: `syncBlocked` closes a sync window on it (syncs answer 403 `cannot
   * sync: blocked by sync window`), `sourceNamespaces` admits apps from other namespaces.
   */
  setProject(project: FakeArgoCdProject): void {
    this.#projects.set(project);
  }

  /**
   * Creates or replaces an Application, as `kubectl apply` would: fills in namespace (Argo CD's own by
   * default), uid, creationTimestamp, generation and a new resourceVersion, and defaults the project
   * to `default`. Throws when the object would not decode as Argo CD's Application type.
   */
  putApplication(app: ArgoCdApplication): ArgoCdApplication {
    return this.store.put(app) as unknown as ArgoCdApplication;
  }

  /** A copy of the Application as the API would serve it, or undefined. */
  application(name: string, namespace?: string): ArgoCdApplication | undefined {
    return this.store.get(this.store.namespaceOrDefault(namespace), name) as ArgoCdApplication | undefined;
  }

  /** Copies of every Application, by namespace then name. */
  applications(): ArgoCdApplication[] {
    return this.store.list() as unknown as ArgoCdApplication[];
  }

  /**
   * Changes an Application as another writer would (a person in the UI, the controller), bumping its
   * resourceVersion if anything changed. `change` gets a copy to edit. Returns the result.
   */
  updateApplication(
    name: string,
    change: (app: ArgoCdApplication) => void,
    namespace?: string,
  ): ArgoCdApplication {
    const where = this.store.namespaceOrDefault(namespace);
    return this.store.update(where, name, (app) =>
      change(app as unknown as ArgoCdApplication),
    ) as unknown as ArgoCdApplication;
  }

  /**
   * Completes the running sync as the application controller would; on `Succeeded` the app becomes
   * `Synced` and a new sync is accepted again. Throws when no operation is running.
   */
  finishOperation(name: string, phase: OperationPhase = 'Succeeded', namespace?: string): ArgoCdApplication {
    const where = { namespace: this.store.namespaceOrDefault(namespace), name };
    return finishOperation(this.store, where, phase, this.now) as unknown as ArgoCdApplication;
  }

  /** Every Application as JSON, with the revision counter (local mode keeps it across restarts). */
  snapshot(): ApplicationStoreSnapshot {
    return this.store.snapshot();
  }

  /** Puts back what {@link snapshot} answered (say, before a restart), resourceVersions and all. */
  restore(snapshot: ApplicationStoreSnapshot): void {
    this.store.restore(snapshot);
  }

  /** Stops listening, drops open connections and waits for requests in progress to end. */
  close(): Promise<void> {
    return this.server.close();
  }
}
