import { ArgoCdApiError, GrpcCode } from './argocd-api-error.ts';

/**
 * Trouble between Argo CD's API server and the Kubernetes API, for a number of calls each:
 * - failed reads: getAppEnforceRBAC (server/application/application.go) answers any error of reading an
 *   Application but not-found with the same bare 403 `permission denied` as a denial;
 * - lost updates: Server.updateApp tries an update ten times when Kubernetes answers Conflict, then
 *   gives up with Internal (HTTP 500) `Failed to update application. Too many conflicts`.
 */
export class FakeClusterTrouble {
  #failedReads = 0;
  #lostUpdates = 0;

  /** The next `times` reads of an Application fail (an API server restart, a throttled client). */
  failReads(times: number): void {
    this.#failedReads = times;
  }

  /** The next `times` PATCHes lose every one of their update attempts to other writers. */
  loseUpdates(times: number): void {
    this.#lostUpdates = times;
  }

  clear(): void {
    this.#failedReads = 0;
    this.#lostUpdates = 0;
  }

  /** Throws the 403 a failed read earns, when one is due. */
  read(): void {
    if (this.#failedReads <= 0) return;
    this.#failedReads--;
    throw ArgoCdApiError.permissionDenied();
  }

  /** Throws the 500 of an update that kept conflicting, when one is due. */
  update(): void {
    if (this.#lostUpdates <= 0) return;
    this.#lostUpdates--;
    throw new ArgoCdApiError(GrpcCode.Internal, 'Failed to update application. Too many conflicts');
  }
}
