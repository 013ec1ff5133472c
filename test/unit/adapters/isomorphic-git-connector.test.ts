import { describe, expect, it } from 'vitest';
import { readGitRemoteCredentials, TOKEN_USERNAME } from '../../../lib/adapters/isomorphic-git-connector.ts';
import { UpstreamError } from '../../../lib/domain/errors.ts';

describe('readGitRemoteCredentials', () => {
  it.each([
    [
      'a username and password',
      '{"username":"deployer","password":"p:w"}',
      { username: 'deployer', password: 'p:w' },
    ],
    ['a token in JSON', '{"token":" glpat-abc "}', { username: TOKEN_USERNAME, password: 'glpat-abc' }],
    ['a bare token', 'glpat-abc\n', { username: TOKEN_USERNAME, password: 'glpat-abc' }],
  ])('reads %s', (_what, secret, expected) => {
    expect(readGitRemoteCredentials(secret, 'git/gitlab')).toEqual(expected);
  });

  it.each([
    ['nothing', '', 'does not hold a token'],
    ['JSON that does not parse', '{"username":', 'is neither a token nor JSON'],
    ['a username without a password', '{"username":"deployer"}', 'needs {"username", "password"}'],
    ['a username with a colon', '{"username":"a:b","password":"p"}', 'a "username" with a colon'],
  ])('refuses %s without retrying, naming the secret and not its value', (_what, secret, problem) => {
    let error: unknown;
    try {
      readGitRemoteCredentials(secret, 'git/gitlab');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(UpstreamError);
    expect(error).toMatchObject({ retryable: false });
    expect((error as Error).message).toContain('secret git/gitlab');
    expect((error as Error).message).toContain(problem);
  });
});
