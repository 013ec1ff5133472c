import { ArgoCdApiError, GrpcCode } from './argocd-api-error.ts';
import { isJsonObject, type JsonObject } from './argocd-application.ts';

/**
 * What can go wrong with the repo server while the API server validates a patched spec or resolves a
 * revision for a sync:
 * - `unavailable`: the repo server cannot be reached (a restart, a rollout);
 * - `repository-unreachable`: the repo server cannot reach the Git repository;
 * - `manifests-deadline-exceeded`: manifest generation, which validation asks for without the cache,
 *   takes longer than the API server's `--repo-server-timeout-seconds` (60 s by default).
 */
export type RepoServerTrouble = 'unavailable' | 'repository-unreachable' | 'manifests-deadline-exceeded';

const UNAVAILABLE =
  'connection error: desc = "transport: Error while dialing: dial tcp 10.96.0.20:8081: connect: connection refused"';

/**
 * The repo server as the API server sees it: fine, or in trouble for a number of calls. The answers are
 * Argo CD's: ValidateRepo and verifyGenerateManifests (util/argo/argo.go) turn the repo server's errors
 * into `InvalidSpecError` conditions, which validateAndNormalizeApp (server/application/application.go)
 * answers as InvalidArgument (HTTP 400); the gRPC interceptor kubeErrToGRPC (util/grpc/errors.go) keeps
 * that inner status and its message, dropping the `error validating and normalizing app:` wrapping.
 */
export class FakeRepoServer {
  #trouble: RepoServerTrouble | undefined;
  #times = 0;

  /** Puts the repo server in trouble for the next `times` calls that need it (default: until cleared). */
  troubled(trouble: RepoServerTrouble, times = Number.POSITIVE_INFINITY): void {
    this.#trouble = trouble;
    this.#times = times;
  }

  /** Ends any trouble. */
  clear(): void {
    this.#trouble = undefined;
    this.#times = 0;
  }

  /** ValidateRepo's checks of the patched spec of Application `name`. */
  validate(name: string, spec: JsonObject): void {
    const trouble = this.#take();
    if (trouble === undefined) return;
    const source = sourcesOf(spec)[0] ?? {};
    const repo = `&Repository{Repo: "${String(source.repoURL ?? '')}", Type: "", Name: "", Project: ""}`;
    const condition =
      trouble === 'manifests-deadline-exceeded'
        ? `Unable to generate manifests in ${String(source.path ?? '')}: rpc error: code = DeadlineExceeded desc = context deadline exceeded`
        : `repository not accessible: repositories not accessible: ${repo}: repo client error while testing repository: rpc error: code = ${
            trouble === 'unavailable'
              ? `Unavailable desc = ${UNAVAILABLE}`
              : 'Unknown desc = error testing repository connectivity: dial tcp: lookup github.com: i/o timeout'
          }`;
    throw ArgoCdApiError.invalidArgument(
      `application spec for ${name} is invalid: InvalidSpecError: ${condition}`,
    );
  }

  /**
   * Server.resolveRevision for a sync: its `error resolving repo revision: %w` reaches the client as the
   * repo server's own status (kubeErrToGRPC unwraps it), Unavailable (503) when it cannot be reached.
   */
  resolveRevision(): void {
    if (this.#trouble === 'unavailable' && this.#take())
      throw new ArgoCdApiError(GrpcCode.Unavailable, UNAVAILABLE);
  }

  #take(): RepoServerTrouble | undefined {
    if (this.#trouble === undefined || this.#times <= 0) return undefined;
    this.#times--;
    return this.#trouble;
  }
}

function sourcesOf(spec: JsonObject): JsonObject[] {
  const sources = Array.isArray(spec.sources) ? spec.sources.filter(isJsonObject) : [];
  return sources.length > 0 ? sources : isJsonObject(spec.source) ? [spec.source] : [];
}
