/**
 * An error a GraphQL resolver of the fake GitHub throws on purpose: it becomes one entry of the answer's
 * `errors`, with GitHub's `type` (`NOT_FOUND`, `STALE_DATA`, `UNPROCESSABLE`, ...) beside `message` and
 * `path`, as GitHub's GraphQL API words its refusals (docs.github.com/graphql, "Errors" of each mutation;
 * the types are those GitHub sends, not in its schema). A field the fake does not serve fails with no type.
 */
export class GraphqlFailure extends Error {
  constructor(
    readonly type: string | undefined,
    message: string,
  ) {
    super(message);
    this.name = 'GraphqlFailure';
  }

  /** GitHub's answer for a repository that does not exist or that the credentials cannot see. */
  static repositoryNotFound(nameWithOwner: string): GraphqlFailure {
    return new GraphqlFailure(
      'NOT_FOUND',
      `Could not resolve to a Repository with the name '${nameWithOwner}'.`,
    );
  }
}
