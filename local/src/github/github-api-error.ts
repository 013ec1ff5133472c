/** One entry of the `errors` array GitHub adds to some 422 answers. */
export interface GitHubValidationDetail {
  readonly resource?: string;
  readonly field?: string;
  readonly code: string;
  readonly message?: string;
}

/**
 * An answer GitHub gives instead of a success, thrown by a route and rendered by the server as
 * `{ message, documentation_url, status[, errors] }`, the body GitHub sends.
 */
export class GitHubApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly errors?: readonly GitHubValidationDetail[],
    /** Headers the answer carries (a rate limit's `retry-after`), and the page it links instead of the operation's. */
    readonly answer: {
      readonly headers?: Readonly<Record<string, string>>;
      readonly documentationUrl?: string;
    } = {},
  ) {
    super(message);
    this.name = 'GitHubApiError';
  }

  /** 404 with GitHub's bare wording, the answer for anything unknown or not visible. */
  static notFound(message = 'Not Found'): GitHubApiError {
    return new GitHubApiError(404, message);
  }

  /** 422 `Validation Failed` with its `errors` array, as pull request checks answer. */
  static validationFailed(...errors: GitHubValidationDetail[]): GitHubApiError {
    return new GitHubApiError(422, 'Validation Failed', errors);
  }

  /** 422 `Invalid request.` with a reason, as GitHub's request schema checks answer. */
  static invalidRequest(...problems: string[]): GitHubApiError {
    return new GitHubApiError(422, `Invalid request.\n\n${problems.join('\n')}`);
  }
}
