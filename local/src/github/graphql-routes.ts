/**
 * `POST /graphql`, GitHub's GraphQL API, for the subset the product uses: `repository { ref { target }
 * object file }`, the git objects, and `createCommitOnBranch`. Every request is parsed, validated against
 * GitHub's published schema and executed by the `graphql` reference implementation (graphql-schema.ts);
 * the fields are served from the same git store as the REST routes (graphql-objects.ts,
 * graphql-commit-on-branch.ts). A field of the schema the fake does not serve fails with an error that
 * names it, as a field GitHub could not resolve does: null where it stood, and an entry in `errors`.
 *
 * Answers are GitHub's (docs.github.com/graphql/guides/forming-calls-with-graphql): HTTP 200 with
 * `{"data": ..., "errors": [{"type", "path", "locations", "message"}]}`; a request that does not parse
 * or validate gets only `errors`, and is kept as an invalid call (problems) as REST requests are.
 * Credentials are checked as for the REST routes, before any of this (github-request-handler.ts).
 */
import type { DocumentNode, GraphQLError, GraphQLFieldResolver, OperationDefinitionNode } from 'graphql';
import type { BeforeWriteHook } from '../http/operation-routes.ts';
import type { OperationMatch } from '../http/path-router.ts';
import { covers } from './github-apps.ts';
import { parseJson } from './github-http.ts';
import { createCommitOnBranch } from './graphql-commit-on-branch.ts';
import { GraphqlFailure } from './graphql-failure.ts';
import { type GraphqlContext, repositoryField } from './graphql-objects.ts';
import { loadGitHubGraphql } from './graphql-schema.ts';
import type { OpenApiOperation } from './openapi-spec.ts';
import type { RepositoryRegistry } from './repository-registry.ts';
import type { RouteResult } from './route-context.ts';
import type { Caller } from './token-registry.ts';

/**
 * The GraphQL endpoint as the REST routes' dispatcher sees it: one operation, so that latency, injected
 * faults (`operationId: 'graphql'`), the call journal and credentials apply to it as to any route.
 */
export const GRAPHQL_OPERATION: OpenApiOperation = {
  operationId: 'graphql',
  method: 'post',
  route: '/graphql',
  documentationUrl: 'https://docs.github.com/graphql',
  parameters: [],
  requestBody: undefined,
  responses: {},
};

/** The GraphQL operation, for `POST /graphql`; undefined for any other request. */
export function matchGraphql(method: string, rawPath: string): OperationMatch<OpenApiOperation> | undefined {
  return method.toUpperCase() === 'POST' && /^\/graphql\/?$/.test(rawPath)
    ? { kind: 'operation', operation: GRAPHQL_OPERATION, params: {} }
    : undefined;
}

/** One GraphQL request the fake received, as sent: what contract tests check against the schema. */
export interface GraphqlCall {
  readonly query: string;
  readonly variables: Readonly<Record<string, unknown>>;
  /** `query` or `mutation`, when the document parsed. */
  readonly operation: OperationDefinitionNode['operation'] | undefined;
  /** Why it did not parse or validate; empty for a valid request. */
  readonly problems: readonly string[];
  /** When it was served, epoch ms (the fake's clock). */
  readonly at: number;
}

export interface GraphqlEndpointDeps {
  readonly registry: RepositoryRegistry;
  readonly now: () => Date;
  /** Read on every mutation, as the REST routes read it on every write. */
  readonly settings: { readonly beforeWrite: BeforeWriteHook | undefined };
}

const QUERY_ROOT = { repository: repositoryField };
const MUTATION_ROOT = { createCommitOnBranch };

export class GraphqlEndpoint {
  readonly #calls: GraphqlCall[] = [];

  constructor(private readonly deps: GraphqlEndpointDeps) {}

  /** Every GraphQL request received since the last {@link clearCalls}, oldest first. */
  get calls(): readonly GraphqlCall[] {
    return this.#calls;
  }

  clearCalls(): void {
    this.#calls.length = 0;
  }

  /**
   * Answers one request whose credentials were checked; sets `exchange.problems` for one that does not
   * parse or validate. `caller` is a token's (GitHub takes no app JWT here).
   */
  async serve(
    exchange: { readonly body: string; problems: readonly string[] },
    caller: Caller,
  ): Promise<RouteResult> {
    const request = readRequest(parseJson(exchange.body));
    const call = { query: request.query ?? '', variables: request.variables, operation: undefined };
    if (request.query === undefined) return this.#refuse(exchange, call, [{ message: request.problem }]);
    const { graphql, schema } = await loadGitHubGraphql();
    let document: DocumentNode;
    try {
      document = graphql.parse(request.query);
    } catch (error) {
      return this.#refuse(exchange, call, [error as GraphQLError]);
    }
    const operation = graphql.getOperationAST(document, request.operationName)?.operation;
    const invalid = graphql.validate(schema, document);
    if (invalid.length > 0) return this.#refuse(exchange, { ...call, operation }, invalid);
    const recorded =
      this.#calls.push({ ...call, operation, problems: [], at: this.deps.now().getTime() }) - 1;
    if (operation === 'mutation') {
      await this.deps.settings.beforeWrite?.({
        operationId: GRAPHQL_OPERATION.operationId,
        method: 'POST',
        params: {},
        body: { query: request.query, variables: request.variables },
      });
    }
    const result = await graphql.execute({
      schema,
      document,
      rootValue: operation === 'mutation' ? MUTATION_ROOT : QUERY_ROOT,
      contextValue: this.#context(caller),
      variableValues: request.variables,
      operationName: request.operationName,
      fieldResolver: resolveServedField,
      typeResolver: (value) => (value as { __typename?: string }).__typename,
    });
    // No `data` at all: the request itself was wrong (variables that do not fit their types, no
    // operation of that name), as a document that does not validate is.
    if (result.data === undefined && result.errors) {
      exchange.problems = result.errors.map((error) => error.message);
      this.#calls[recorded] = { ...this.#calls[recorded]!, problems: exchange.problems };
      return { status: 200, body: { errors: result.errors.map(gitHubError) } };
    }
    // A failure of the fake itself while executing is a 500 of the fake, not an error GitHub would give.
    const internal = result.errors?.find(
      (error) => error.originalError && !(error.originalError instanceof GraphqlFailure),
    );
    if (internal) throw internal.originalError;
    // Where item 1's limits hook in: GitHub counts a GraphQL request against its own primary limit, in
    // points (1 for a query without connections; 5,000 an hour for a token), reported with
    // `x-ratelimit-resource: graphql`, and against the same secondary limits as REST requests, a mutation
    // as a content-creating request (docs.github.com/graphql/overview/rate-limits-and-query-limits-for-the-graphql-api).
    return {
      status: 200,
      body: {
        data: result.data ?? null,
        ...(result.errors ? { errors: result.errors.map(gitHubError) } : {}),
      },
      headers: { 'x-ratelimit-resource': 'graphql' },
    };
  }

  #refuse(
    exchange: { problems: readonly string[] },
    call: Omit<GraphqlCall, 'problems' | 'at'>,
    errors: ReadonlyArray<Pick<GraphQLError, 'message'> & Partial<Pick<GraphQLError, 'locations'>>>,
  ): RouteResult {
    exchange.problems = errors.map((error) => error.message);
    this.#calls.push({ ...call, problems: exchange.problems, at: this.deps.now().getTime() });
    return { status: 200, body: { errors: errors.map(gitHubError) } };
  }

  #context(caller: Caller): GraphqlContext {
    const { registry, now } = this.deps;
    const installation = caller.kind === 'token' ? caller.installation : undefined;
    return {
      login: caller.kind === 'token' ? caller.login : '',
      now,
      async findRepository(owner, name) {
        const found = await registry.find(owner, name);
        // An installation token sees only the repositories its installation reaches.
        return found && (!installation || covers(installation, found.owner, found.name)) ? found : undefined;
      },
    };
  }
}

/** The fields of a node the fake serves: values, or functions of the field's arguments. */
const resolveServedField: GraphQLFieldResolver<unknown, GraphqlContext> = (source, args, context, info) => {
  const node = source as Record<string, unknown> | null;
  if (node === null || typeof node !== 'object' || !(info.fieldName in node))
    throw new GraphqlFailure(
      undefined,
      `The fake GitHub does not serve ${info.parentType.name}.${info.fieldName}`,
    );
  const value = node[info.fieldName];
  return typeof value === 'function' ? value.call(node, args, context, info) : value;
};

/** The body of a GraphQL request: `query`, optional `variables` and `operationName`. */
function readRequest(body: unknown): {
  query: string | undefined;
  variables: Record<string, unknown>;
  operationName: string | undefined;
  problem: string;
} {
  const fields = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const variables =
    typeof fields.variables === 'object' && fields.variables !== null
      ? (fields.variables as Record<string, unknown>)
      : {};
  return {
    query: typeof fields.query === 'string' ? fields.query : undefined,
    variables,
    operationName: typeof fields.operationName === 'string' ? fields.operationName : undefined,
    problem: 'A query attribute must be specified and must be a string.',
  };
}

/** An error as GitHub lists it: its `type` when it has one, the field's `path`, `locations`, `message`. */
function gitHubError(error: Pick<GraphQLError, 'message'> & Partial<GraphQLError>) {
  const failure = error.originalError instanceof GraphqlFailure ? error.originalError : undefined;
  return {
    ...(failure?.type ? { type: failure.type } : {}),
    ...(error.path ? { path: error.path } : {}),
    ...(error.locations ? { locations: error.locations } : {}),
    message: error.message,
  };
}
