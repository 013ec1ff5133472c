import { describe, expect, it } from 'vitest';
import { gitRemoteOf, parsePlainGitHost } from '../../../../lib/domain/migration/git-remote-of.ts';

const hosts = [
  { connection: 'gitlab', url: 'https://gitlab.example.com' },
  { connection: 'gitlab-infra', url: 'https://gitlab.example.com/infra' },
  { connection: 'azure', url: 'https://dev.azure.com' },
  { connection: 'local', url: 'http://127.0.0.1:8123/git' },
];

describe('gitRemoteOf', () => {
  it('takes github.com URLs as GitHub repositories, whatever hosts are given', () => {
    for (const url of [
      'https://github.com/acme/gitops.git',
      'git@github.com:acme/gitops.git',
      'ssh://git@github.com/acme/gitops',
    ])
      expect(gitRemoteOf(url, hosts), url).toEqual({ kind: 'github', repo: 'acme/gitops' });
  });

  it('gives the path under the longest matching base URL, without .git', () => {
    expect(gitRemoteOf('https://gitlab.example.com/platform/teams/gitops.git', hosts)).toEqual({
      kind: 'plain',
      connection: 'gitlab',
      repo: 'platform/teams/gitops',
      overSsh: false,
    });
    expect(gitRemoteOf('https://GitLab.example.com/infra/env/prod', hosts)).toMatchObject({
      connection: 'gitlab-infra',
      repo: 'env/prod',
    });
    expect(gitRemoteOf('https://dev.azure.com/org/project/_git/gitops', hosts)).toMatchObject({
      connection: 'azure',
      repo: 'org/project/_git/gitops',
    });
    expect(gitRemoteOf('http://127.0.0.1:8123/git/acme/gitops', hosts)).toMatchObject({
      connection: 'local',
      repo: 'acme/gitops',
    });
  });

  it('matches SSH remotes by host name and path, and says they were SSH', () => {
    expect(gitRemoteOf('git@gitlab.example.com:platform/gitops.git', hosts)).toEqual({
      kind: 'plain',
      connection: 'gitlab',
      repo: 'platform/gitops',
      overSsh: true,
    });
    expect(gitRemoteOf('ssh://git@gitlab.example.com:2222/platform/gitops', hosts)).toMatchObject({
      connection: 'gitlab',
      overSsh: true,
    });
  });

  it('drops credentials in the URL and compares ports of HTTP URLs', () => {
    expect(gitRemoteOf('https://user:token@gitlab.example.com/a/b.git', hosts)).toMatchObject({
      connection: 'gitlab',
      repo: 'a/b',
    });
    expect(gitRemoteOf('http://127.0.0.1:9999/git/acme/gitops', hosts)).toBeUndefined();
  });

  it('covers nothing another host, a base URL that is only a prefix of a name, or a path of one part', () => {
    for (const url of [
      'https://bitbucket.org/acme/gitops.git',
      'https://gitlab.example.com.evil.test/a/b',
      'https://gitlab.example.com/gitops.git',
      'https://gitlab.example.com/a/../b',
      'not a url',
      'file:///srv/git/a/b',
    ])
      expect(gitRemoteOf(url, hosts), url).toBeUndefined();
    expect(gitRemoteOf('https://gitlab.example.com/infrastructure/x', hosts)).toMatchObject({
      connection: 'gitlab',
      repo: 'infrastructure/x',
    });
  });
});

describe('parsePlainGitHost', () => {
  it('reads <connection>=<url> and drops a trailing slash', () => {
    expect(parsePlainGitHost('gitlab=https://gitlab.example.com/')).toEqual({
      connection: 'gitlab',
      url: 'https://gitlab.example.com',
    });
  });

  it.each([
    ['gitlab', "has no '='"],
    ['=https://gitlab.example.com', 'is not a connection name'],
    ['gitlab=ssh://git@gitlab.example.com', "is not a git host's base URL"],
    ['gitlab=https://user:pw@gitlab.example.com', "is not a git host's base URL"],
    ['gitlab=https://gitlab.example.com/?a=b', "is not a git host's base URL"],
  ])('refuses %s', (text, problem) => {
    expect(() => parsePlainGitHost(text)).toThrow(problem);
  });
});
