import { execFileSync } from 'node:child_process';
import type { FakeGitHubServer } from '@ecr-image-updater/local/github/fake-github-server';
import { Octokit } from '@octokit/rest';

/** Octokit logs every failed request; the tests provoke failures on purpose. */
const QUIET = { debug() {}, info() {}, warn() {}, error() {} };

/** The real Octokit client, pointed at the fake. */
export function octokitFor(server: FakeGitHubServer, token = 'local-token'): Octokit {
  return new Octokit({ auth: token, baseUrl: server.url, log: QUIET });
}

/** The real Octokit client with no credentials at all. */
export function anonymousOctokit(server: FakeGitHubServer): Octokit {
  return new Octokit({ baseUrl: server.url, log: QUIET });
}

/** Sends a request Octokit's types would refuse, to see how the fake answers a malformed one. */
export function sendUnchecked(
  octokit: Octokit,
  route: string,
  params: Record<string, unknown>,
): Promise<unknown> {
  const request = octokit.request as (route: string, params: Record<string, unknown>) => Promise<unknown>;
  return request(route, params);
}

/** Runs the real `git` CLI against a repository directory and returns its output. */
export function git(dir: string, ...args: string[]): string {
  return execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** `git fsck` output for the repository; throws when git finds it broken. */
export function fsck(dir: string): string {
  return git(dir, 'fsck', '--full', '--strict', '--no-dangling');
}

/** Base64 of a text, as the contents API wants it. */
export function base64(text: string): string {
  return Buffer.from(text).toString('base64');
}

/** Text of base64 content, as the contents API sends it. */
export function fromBase64(content: string): string {
  return Buffer.from(content, 'base64').toString('utf8');
}

/** The error a request rejected with: Octokit's RequestError, whose name is `HttpError`. */
export async function failure(request: Promise<unknown>): Promise<{
  name: string;
  status: number;
  message: string;
  data: { message?: string; errors?: unknown[]; documentation_url?: string; status?: string };
  headers: Record<string, string | undefined>;
}> {
  try {
    await request;
  } catch (error) {
    const failed = error as {
      name: string;
      status: number;
      message: string;
      response?: { data: unknown; headers: Record<string, string | undefined> };
    };
    return {
      name: failed.name,
      status: failed.status,
      message: failed.message,
      data: (failed.response?.data ?? {}) as { message?: string },
      headers: failed.response?.headers ?? {},
    };
  }
  throw new Error('The request succeeded; a failure was expected');
}

let counter = 0;

/** A repository name no other test in the run uses. */
export function uniqueRepo(prefix = 'gitops'): string {
  counter += 1;
  return `${prefix}-${counter}`;
}

/** The GitOps file an image updater rewrites, in its two states. */
export const SOURCE_PATH = 'flask-app/.argocd-source-flask-app.yaml';
export const SOURCE_BEFORE = 'helm:\n  parameters:\n  - name: image.tag\n    value: "1.0.0"\n';
export const SOURCE_AFTER = 'helm:\n  parameters:\n  - name: image.tag\n    value: "1.1.0"\n';
