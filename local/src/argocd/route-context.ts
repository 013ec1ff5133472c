import type { RouteRequest } from '../http/operation-routes.ts';
import type { ApplicationStore } from './application-store.ts';
import type { ArgoCdProjects } from './argocd-projects.ts';
import type { Caller } from './argocd-tokens.ts';
import type { FakeClusterTrouble } from './cluster-trouble.ts';
import type { FakeRepoServer } from './repo-server.ts';
import type { SwaggerOperation } from './swagger-spec.ts';
import type { SwaggerValidator } from './swagger-validator.ts';

/**
 * Everything a route sees of one request that routed, decoded and (where required) authenticated. The
 * body comes without nulls, as Go's decoder leaves a field at its zero value for `null`.
 */
export interface RouteContext extends RouteRequest<SwaggerOperation> {
  readonly caller: Caller;
  readonly store: ApplicationStore;
  /** Projects, sync windows and the namespaces the server serves. */
  readonly projects: ArgoCdProjects;
  readonly repoServer: FakeRepoServer;
  readonly cluster: FakeClusterTrouble;
  readonly validator: SwaggerValidator;
  readonly now: () => Date;
  /**
   * The time Argo CD's API server spends validating a changed spec between reading the Application
   * and writing it (repository access, manifest generation: `validateAndNormalizeApp` in
   * server/application/application.go). Another write may land meanwhile.
   */
  readonly validating: () => Promise<void>;
}

/** What a route answers: always JSON, as grpc-gateway forwards a response message. */
export interface RouteResult {
  readonly status: number;
  readonly body: unknown;
}

/** A route: one operation of the description, implemented. */
export type RouteHandler = (context: RouteContext) => RouteResult | Promise<RouteResult>;

/** Routes by operationId. */
export type RouteTable = Readonly<Record<string, RouteHandler>>;

/** A string field of a decoded body, '' when absent (Go's zero value). */
export function stringField(body: Readonly<Record<string, unknown>>, field: string): string {
  const value = body[field];
  return typeof value === 'string' ? value : '';
}
