/**
 * The routes of a spec-checked fake, by operationId, and the order every fake runs one in: the route
 * is looked up (a fake answers its own "not implemented"), a write is shown to the `beforeWrite` hook,
 * and only then is the route's context built and the route run.
 */

/** A write about to be carried out, shown to a `beforeWrite` hook. */
export interface PendingWrite {
  readonly operationId: string;
  readonly method: string;
  readonly params: Readonly<Record<string, string>>;
  readonly body: Readonly<Record<string, unknown>>;
}

/**
 * Runs between a write's checks and its work: the place for another writer to win a race (commit to
 * the branch, change the Application under the client).
 */
export type BeforeWriteHook = (write: PendingWrite) => Promise<void> | void;

/** What every route sees of a request that passed its fake's checks. */
export interface RouteRequest<Operation> {
  readonly operation: Operation;
  /** Path parameters, percent-decoded. */
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  /** The decoded JSON body; an empty object when the request had none. */
  readonly body: Readonly<Record<string, unknown>>;
}

/** A request on its way to a route: its body as decoded, possibly absent. */
export type RoutedRequest<Operation> = Omit<RouteRequest<Operation>, 'body'> & { readonly body: unknown };

/** One operation of the description, implemented. */
export type OperationRoute<Context, Result> = (context: Context) => Result | Promise<Result>;

export class OperationRoutes<
  Operation extends { readonly operationId: string; readonly method: string },
  Context,
  Result,
> {
  constructor(
    private readonly routes: Readonly<Record<string, OperationRoute<Context, Result>>>,
    /** The fake's answer for an operation of the description it does not implement. */
    private readonly notImplemented: (operationId: string) => Error,
  ) {}

  /** Every operationId with a route. */
  get implemented(): readonly string[] {
    return Object.keys(this.routes);
  }

  /**
   * Runs the request's route: throws `notImplemented` when there is none, awaits `beforeWrite` for
   * anything but a GET, then builds the route's context from the request (body `{}` when absent).
   */
  async run(
    request: RoutedRequest<Operation>,
    beforeWrite: BeforeWriteHook | undefined,
    context: (request: RouteRequest<Operation>) => Context,
  ): Promise<Result> {
    const { operation, params } = request;
    const route = this.routes[operation.operationId];
    if (!route) throw this.notImplemented(operation.operationId);
    const body = (request.body ?? {}) as Readonly<Record<string, unknown>>;
    if (beforeWrite && operation.method !== 'get') {
      await beforeWrite({
        operationId: operation.operationId,
        method: operation.method.toUpperCase(),
        params,
        body,
      });
    }
    return route(context({ ...request, body }));
  }
}
