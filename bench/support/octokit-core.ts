// Octokit's core alone (ADR 0003's earlier choice), standing in for @octokit/rest in the bundle bench's
// variant (d), so that what the endpoint methods cost on a cold start stays measured.
export { Octokit } from '@octokit/core';
