/**
 * GitHub's published GraphQL schema and the `graphql` reference implementation (16.x: 17 needs Node 22)
 * that checks and runs requests against it. The schema is the introspection result the
 * `@octokit/graphql-schema` package ships (downloaded from GitHub's API, the one its own `validate`
 * builds); its SDL has fields defined twice, which `buildSchema` refuses. Both are loaded on the fake's
 * first GraphQL request, once per process: the package parses 5 MB of JSON when imported (about 0.15 s).
 */
import type { GraphQLSchema, IntrospectionQuery } from 'graphql';

/** The reference implementation's module, loaded with the schema. */
export type GraphqlModule = typeof import('graphql');

/** GitHub's schema, built, and the implementation that built it. */
export interface GitHubGraphql {
  readonly schema: GraphQLSchema;
  readonly graphql: GraphqlModule;
}

let loading: Promise<GitHubGraphql> | undefined;

/** GitHub's GraphQL schema, built on first use and shared by every fake of the process. */
export function loadGitHubGraphql(): Promise<GitHubGraphql> {
  loading ??= (async () => {
    const [graphql, published] = await Promise.all([import('graphql'), import('@octokit/graphql-schema')]);
    const schema = graphql.buildClientSchema(published.schema.json as IntrospectionQuery);
    return { schema, graphql };
  })();
  // A failed load is tried again by the next request rather than remembered.
  loading.catch(() => {
    loading = undefined;
  });
  return loading;
}
