/**
 * What bringing apps to their tags needs, for the push function, the queue writer, reconcile and local
 * mode alike; and the ports as the use cases call them, with transient failures retried.
 */
import type { Connections } from '../domain/connections/connections.ts';
import type {
  AppRegistry,
  ArgoCdConnector,
  AuditLog,
  Clock,
  GitHubConnector,
  GitRemoteConnector,
  ImageCatalog,
  Logger,
  WriteQueue,
} from './ports.ts';
import { retryTransient, type TransientRetryContext, withTransientRetries } from './retry-transient.ts';

export interface UpdateDependencies {
  /** The platform's connections: the only endpoints and credentials a write-back may use. */
  readonly connections: Connections;
  readonly registry: AppRegistry;
  readonly images: ImageCatalog;
  readonly github: GitHubConnector;
  /** Plain git hosts over smart HTTP; apps written through a plain git connection fail without it. */
  readonly gitRemote?: GitRemoteConnector;
  readonly argocd: ArgoCdConnector;
  readonly audit: AuditLog;
  readonly clock: Clock;
  readonly random: () => number;
  readonly logger: Logger;
  /**
   * Where writes go to be made by the writer (the FIFO queue it consumes): git writes in a group per
   * branch, Argo CD writes in a group per Application. When absent, they are written at once.
   */
  readonly writeQueue?: WriteQueue;
  /** Apps (or groups of apps sharing a commit) processed at once (default 8). */
  readonly concurrency?: number;
  /** Attempts at a write that keeps losing races (default 5). */
  readonly maxWriteAttempts?: number;
  /** Retries of calls that fail for a moment (throttling, 5xx, dropped connections). */
  readonly transientRetries?: Omit<TransientRetryContext, 'clock' | 'random'>;
}

/** The ports a use case calls, with transient failures retried. */
export type ResilientPorts = ReturnType<typeof resilient>;

// The ports with transient failures retried: GitHub and Argo CD calls. The AWS calls among them (ECR
// reads, the Secrets Manager reads of connect) fail already retried by the SDK and go straight up.
export function resilient(deps: UpdateDependencies) {
  const context = { ...deps.transientRetries, clock: deps.clock, random: deps.random };
  return {
    images: withTransientRetries(deps.images, context),
    github: {
      connect: async (...target: Parameters<GitHubConnector['connect']>) =>
        withTransientRetries(await retryTransient(context, () => deps.github.connect(...target)), context),
    } satisfies GitHubConnector,
    gitRemote: deps.gitRemote
      ? ({
          connect: async (...target: Parameters<GitRemoteConnector['connect']>) =>
            withTransientRetries(
              await retryTransient(context, () => deps.gitRemote!.connect(...target)),
              context,
            ),
        } satisfies GitRemoteConnector)
      : undefined,
    argocd: {
      connect: async (connection: Parameters<ArgoCdConnector['connect']>[0]) =>
        withTransientRetries(await retryTransient(context, () => deps.argocd.connect(connection)), context),
    } satisfies ArgoCdConnector,
  };
}
