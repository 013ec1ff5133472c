import {
  FakeGitHubServer,
  type FakeGitHubServerOptions,
} from '@ecr-image-updater/local/github/fake-github-server';
import type { Octokit } from '@octokit/rest';
import { afterEach, describe, expect, it } from 'vitest';
import { anonymousOctokit, failure, octokitFor } from './fake-github-kit.ts';

const SECONDARY_DOC =
  'https://docs.github.com/free-pro-team@latest/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits';
const T0 = Date.parse('2026-03-01T10:00:00Z');

let servers: FakeGitHubServer[] = [];
let clock = T0;

/** A fake GitHub with a clock the test moves, and one repository. */
async function github(options: FakeGitHubServerOptions = {}) {
  clock = T0;
  const server = await FakeGitHubServer.start({ now: () => new Date(clock), ...options });
  servers.push(server);
  await server.createRepository('acme', 'gitops', { files: { 'README.md': '# GitOps\n' } });
  return { server, octokit: octokitFor(server) };
}

afterEach(async () => {
  await Promise.all(servers.map((server) => server.close()));
  servers = [];
});

const repo = { owner: 'acme', repo: 'gitops' };
const readme = (octokit: Octokit) => octokit.repos.getContent({ ...repo, path: 'README.md' });
const blob = (octokit: Octokit, n: number) => octokit.git.createBlob({ ...repo, content: `blob ${n}\n` });

describe('the primary rate limit', () => {
  it("reports the caller's budget on every answer, and GET /rate_limit counts against none of it", async () => {
    const { octokit } = await github();
    const first = await readme(octokit);
    expect(first.headers).toMatchObject({
      'x-ratelimit-limit': '5000',
      'x-ratelimit-remaining': '4999',
      'x-ratelimit-used': '1',
      'x-ratelimit-reset': String(T0 / 1000 + 3600),
      'x-ratelimit-resource': 'core',
    });
    const refused = await failure(octokit.repos.getContent({ ...repo, path: 'missing' }));
    expect(refused.headers['x-ratelimit-used']).toBe('2');
    const { data, headers } = await octokit.rateLimit.get();
    expect(data.resources.core).toEqual({ limit: 5000, used: 2, remaining: 4998, reset: T0 / 1000 + 3600 });
    expect(data.rate).toEqual(data.resources.core);
    expect(data.resources.graphql).toMatchObject({ limit: 5000, used: 0 });
    expect(headers['x-ratelimit-used']).toBe('2');
  });

  it('refuses a spent budget with 403, remaining 0, until the reset an hour after the first request', async () => {
    const { octokit } = await github({ rateLimits: { requestsPerHour: 2 } });
    await readme(octokit);
    clock += 10 * 60_000;
    await readme(octokit);
    const refused = await failure(readme(octokit));
    expect(refused).toMatchObject({
      status: 403,
      headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(T0 / 1000 + 3600) },
    });
    expect(refused.data.message).toMatch(
      /^API rate limit exceeded for user ID \d+\. If you reach out to GitHub Support/,
    );
    clock = T0 + 3600_000;
    expect((await readme(octokit)).headers['x-ratelimit-used']).toBe('1');
  });

  it('gives a caller without credentials 60 requests an hour, at its address', async () => {
    const { server } = await github();
    const { data, headers } = await anonymousOctokit(server).rateLimit.get();
    expect(data.resources.core).toMatchObject({ limit: 60, used: 0 });
    expect(headers['x-ratelimit-limit']).toBe('60');
  });
});

describe('the secondary rate limits', () => {
  it('refuses the 101st request in flight at once with 403, naming no time to wait', async () => {
    // Long enough that all 101 are in flight together whatever the load on the machine.
    const { server, octokit } = await github({ latencyMs: 1_000 });
    const settled = await Promise.allSettled(Array.from({ length: 101 }, () => readme(octokit)));
    const refused = await Promise.all(
      settled
        .filter((result): result is PromiseRejectedResult => result.status === 'rejected')
        .map((result) => failure(Promise.reject(result.reason))),
    );
    expect(refused).toHaveLength(1);
    expect(refused[0]).toMatchObject({ status: 403, data: { documentation_url: SECONDARY_DOC } });
    expect(refused[0]?.data.message).toMatch(
      /^You have exceeded a secondary rate limit\. Please wait a few minutes before you try again\. If you reach out to GitHub Support for help, please include the request ID \S+ and timestamp 2026-03-01 10:00:00 UTC\.$/,
    );
    expect(refused[0]?.headers['retry-after']).toBeUndefined();
    expect(Number(refused[0]?.headers['x-ratelimit-remaining'])).toBeGreaterThan(0);
    expect(refused[0]?.headers['x-github-request-id']).toBe(
      refused[0]?.data.message?.match(/ID (\S+) /)?.[1],
    );
    server.latencyMs = 0;
    await readme(octokit);
  });

  it('refuses the 81st content-creating request of a minute, and says when there is room again', async () => {
    const { octokit } = await github();
    for (let n = 0; n < 80; n++) {
      clock += 100;
      await blob(octokit, n);
    }
    const refused = await failure(blob(octokit, 80));
    expect(refused).toMatchObject({ status: 403, data: { documentation_url: SECONDARY_DOC } });
    expect(refused.data.message).toMatch(
      /^You have exceeded a secondary rate limit and have been temporarily blocked from content creation\./,
    );
    // The first of the 80 leaves the minute's window 60 s after it came, 7.9 s from now.
    expect(refused.headers['retry-after']).toBe('53');
    await readme(octokit);
    clock += 53_000;
    await blob(octokit, 81);
  });

  it('refuses content creation past the budget of an hour, until the oldest leaves the hour', async () => {
    const { octokit } = await github({
      rateLimits: { contentCreatingPerMinute: 2, contentCreatingPerHour: 3 },
    });
    await blob(octokit, 1);
    await blob(octokit, 2);
    clock += 61_000;
    await blob(octokit, 3);
    clock += 61_000;
    const refused = await failure(blob(octokit, 4));
    expect(refused).toMatchObject({ status: 403, headers: { 'retry-after': String(3600 - 122) } });
    expect(refused.data.message).toMatch(/blocked from content creation/);
  });

  it('refuses more points a minute than one endpoint takes, and lets other endpoints through', async () => {
    const { octokit } = await github({ rateLimits: { restPointsPerMinute: 4 } });
    for (let n = 0; n < 4; n++) await readme(octokit);
    const busy = await failure(readme(octokit));
    expect(busy).toMatchObject({ status: 403, headers: { 'retry-after': '60' } });
    expect(busy.data.message).toMatch(/^You have exceeded a secondary rate limit\. Please wait/);
    await octokit.repos.get(repo);
  });

  it('answers 429 instead of 403 when told to, as GitHub may', async () => {
    const { octokit } = await github({ rateLimits: { restPointsPerMinute: 1, refusalStatus: 429 } });
    await readme(octokit);
    expect(await failure(readme(octokit))).toMatchObject({ status: 429, headers: { 'retry-after': '60' } });
  });

  it('refuses nothing with the limits off, and still reports the budget', async () => {
    const { octokit } = await github({ rateLimits: false });
    for (let n = 0; n < 85; n++) await blob(octokit, n);
    const { headers } = await readme(octokit);
    expect(headers).toMatchObject({ 'x-ratelimit-limit': '5000', 'x-ratelimit-used': '86' });
  });

  it('refuses a limit that is no whole number, naming the setting and what to give', async () => {
    await expect(FakeGitHubServer.start({ rateLimits: { requestsPerHour: -1 } })).rejects.toThrow(
      "rateLimits.requestsPerHour is -1: give a whole number of 0 or more, or leave it out for GitHub's own",
    );
    await expect(FakeGitHubServer.start({ rateLimits: { refusalStatus: 500 as 403 } })).rejects.toThrow(
      'rateLimits.refusalStatus is 500: give 403 or 429',
    );
  });
});
