import { describe, expect, it } from 'vitest';
import {
  argoCdConnectionFor,
  connectionsDocument,
  gitConnectionFor,
  gitHubConnectionFor,
  gitRemoteUrl,
  parseConnections,
} from '../../../../lib/domain/connections/connections.ts';
import { InvalidInputError, WriteRefusedError } from '../../../../lib/domain/errors.ts';

const declared = {
  github: {
    gitops: { secret: 'github/gitops', repositories: ['acme/gitops', 'acme/env-*'], default: true },
    ghe: { secret: 'github/ghe', apiUrl: 'https://ghe.example.com/api/v3/', repositories: ['platform/*'] },
  },
  argocd: {
    prod: {
      server: 'https://argocd.internal.example.com/',
      tokenSecret: 'argocd/prod',
      caBundleSecret: 'argocd/ca',
      projects: ['team-*'],
      appNamespaces: ['argocd', 'team-*'],
      requireConsent: false,
    },
  },
};

const problemsOf = (value: unknown): string[] => {
  try {
    parseConnections(value);
  } catch (error) {
    if (error instanceof InvalidInputError) return error.problems.map((p) => p.message.split('\n')[0]!);
    throw error;
  }
  return [];
};

const refusal = (run: () => unknown): WriteRefusedError => {
  try {
    run();
  } catch (error) {
    if (error instanceof WriteRefusedError) return error;
    throw error;
  }
  throw new Error('not refused');
};

describe('parseConnections', () => {
  it('reads each connection with its defaults, and which one of each kind is the default', () => {
    const connections = parseConnections(declared);
    expect(connections.github).toEqual([
      {
        name: 'gitops',
        apiUrl: 'https://api.github.com',
        secret: 'github/gitops',
        repositories: ['acme/gitops', 'acme/env-*'],
        requireConsent: true,
      },
      {
        name: 'ghe',
        apiUrl: 'https://ghe.example.com/api/v3',
        secret: 'github/ghe',
        repositories: ['platform/*'],
        requireConsent: true,
      },
    ]);
    expect(connections.argocd).toEqual([
      {
        name: 'prod',
        server: 'https://argocd.internal.example.com',
        tokenSecret: 'argocd/prod',
        caBundleSecret: 'argocd/ca',
        insecure: false,
        projects: ['team-*'],
        appNamespaces: ['argocd', 'team-*'],
        requireConsent: false,
      },
    ]);
    // Marked, and the only one of its kind.
    expect(connections.defaultGitHub).toBe('gitops');
    expect(connections.defaultArgoCd).toBe('prod');
  });

  it('reads back what it wrote for the environment', () => {
    const connections = parseConnections(declared);
    expect(parseConnections(JSON.parse(JSON.stringify(connectionsDocument(connections))))).toEqual(
      connections,
    );
  });

  it('has no default when several of a kind are declared and none is marked', () => {
    const { gitops, ghe } = declared.github;
    const connections = parseConnections({ github: { gitops: { ...gitops, default: false }, ghe } });
    expect(connections.defaultGitHub).toBeUndefined();
  });

  it('reports every mistake at once, each naming its field and the fix', () => {
    expect(
      problemsOf({
        gitlab: {},
        github: {
          'Bad Name': { secret: 's', repositories: ['a/b'] },
          one: { repositories: ['acme'], apiUrl: 'https://user:pw@ghe.example.com', default: true },
          two: { secret: 's', repositories: ['a/[b'], default: true, token: 'ghp_x' },
        },
        argocd: { prod: { server: 'ftp://argocd', projects: [] } },
      }),
    ).toEqual([
      "connections.gitlab: unknown field; did you mean 'github'?",
      "connections.github.'Bad Name': 'Bad Name' is not a connection name; use lowercase letters, digits and -, at most 63",
      'connections.github.one.secret: is required; the secret that holds its credentials',
      'connections.github.one.apiUrl: holds credentials; keep credentials in the secret',
      "connections.github.one.repositories[0]: 'acme' is not allowed; write owner/name, with * where any name will do (acme/*)",
      'connections.github.two.token: unknown field; known fields: secret, apiUrl, repositories, default, requireConsent',
      expect.stringContaining('connections.github.two.repositories[0]:'),
      "connections.argocd.prod.server: 'ftp://argocd' is not an http(s) URL",
      'connections.argocd.prod.tokenSecret: is required; the secret that holds its token',
      "connections.argocd.prod.projects: is required; name the Argo CD projects it may touch ('*' for every one)",
    ]);
  });

  it('refuses two defaults of one kind', () => {
    const one = { secret: 's', repositories: ['a/b'], default: true };
    expect(problemsOf({ github: { one, two: one } })).toEqual([
      'connections.github: one and two are both marked default; mark one',
    ]);
  });
});

describe('gitHubConnectionFor', () => {
  const connections = parseConnections(declared);

  it('takes the named connection, or the default, when it covers the repository (any case)', () => {
    expect(gitHubConnectionFor(connections, undefined, { owner: 'Acme', name: 'GitOps' }).name).toBe(
      'gitops',
    );
    expect(gitHubConnectionFor(connections, undefined, { owner: 'acme', name: 'env-prod' }).name).toBe(
      'gitops',
    );
    expect(gitHubConnectionFor(connections, 'ghe', { owner: 'platform', name: 'apps' }).name).toBe('ghe');
  });

  it.each([
    [
      'a repository the connection does not cover',
      undefined,
      { owner: 'acme', name: 'payments' },
      "the GitHub connection 'gitops' may not write acme/payments (it writes acme/gitops, acme/env-*)",
    ],
    [
      'a glob that would need * to cross /',
      undefined,
      { owner: 'acme', name: 'env-x/../y' },
      "the GitHub connection 'gitops' may not write acme/env-x/../y (it writes acme/gitops, acme/env-*)",
    ],
    [
      'a connection that is not declared',
      'personal',
      { owner: 'acme', name: 'gitops' },
      "writeBack.git.connection: the platform declares no GitHub connection 'personal' (declared: gitops, ghe)",
    ],
  ])('refuses %s (not-allowed)', (_what, name, repo, message) => {
    const error = refusal(() => gitHubConnectionFor(connections, name, repo));
    expect(error.code).toBe('not-allowed');
    expect(error.message).toBe(message);
  });

  it('refuses a registration naming none when there is no default', () => {
    const { defaultGitHub: _, ...noDefault } = connections;
    expect(refusal(() => gitHubConnectionFor(noDefault, undefined, { owner: 'a', name: 'b' })).message).toBe(
      'no GitHub connection is named and the platform has no default one (writeBack.git.connection; declared: gitops, ghe)',
    );
  });
});

describe('argoCdConnectionFor', () => {
  const connections = parseConnections(declared);

  it('takes the connection when the project and the namespace are among its globs', () => {
    expect(argoCdConnectionFor(connections, 'prod', { project: 'team-a', appNamespace: 'team-a' }).name).toBe(
      'prod',
    );
  });

  it('refuses another project or namespace (not-allowed)', () => {
    expect(
      refusal(() =>
        argoCdConnectionFor(connections, undefined, { project: 'payments', appNamespace: 'argocd' }),
      ).message,
    ).toBe("the Argo CD connection 'prod' may not touch project 'payments' (it may touch team-*)");
    expect(
      refusal(() =>
        argoCdConnectionFor(connections, undefined, { project: 'team-a', appNamespace: 'kube-system' }),
      ).message,
    ).toBe(
      "the Argo CD connection 'prod' may not touch namespace 'kube-system' (it may touch argocd, team-*)",
    );
  });

  // Argo CD's own namespace is known only once the Application is read; it is checked then.
  it('leaves the namespace to the read when the registration names none', () => {
    expect(argoCdConnectionFor(connections, undefined, { project: 'team-a' }).name).toBe('prod');
  });
});

describe('plain git connections', () => {
  const withGit = {
    ...declared,
    git: {
      gitlab: {
        url: 'https://gitlab.example.com/',
        secret: 'git/gitlab',
        repositories: ['platform/gitops', 'teams/*/gitops'],
      },
    },
  };

  it('reads a plain git connection beside the GitHub ones, and back from the environment', () => {
    const connections = parseConnections(withGit);
    expect(connections.git).toEqual([
      {
        name: 'gitlab',
        url: 'https://gitlab.example.com',
        secret: 'git/gitlab',
        repositories: ['platform/gitops', 'teams/*/gitops'],
        requireConsent: true,
      },
    ]);
    expect(connections.defaultGitHub).toBe('gitops');
    expect(parseConnections(JSON.parse(JSON.stringify(connectionsDocument(connections))))).toEqual(
      connections,
    );
  });

  it('makes the only git connection the default, whatever its kind', () => {
    const { git } = withGit;
    const connections = parseConnections({ git });
    expect(connections).toMatchObject({ defaultGit: 'gitlab' });
    expect(connections.defaultGitHub).toBeUndefined();
    expect(gitConnectionFor(connections, undefined, { owner: 'platform', name: 'gitops' }).name).toBe(
      'gitlab',
    );
  });

  it('refuses a name both kinds use, two defaults across kinds, and paths that are not paths', () => {
    expect(
      problemsOf({
        github: { one: { secret: 's', repositories: ['a/b'], default: true } },
        git: {
          one: { url: 'https://git.example.com', secret: 's', repositories: ['a/b'] },
          two: { url: 'https://git.example.com', secret: 's', repositories: ['gitops'], default: true },
          three: { url: 'ssh://git.example.com', repositories: ['a/b'] },
        },
      }),
    ).toEqual([
      "connections.git.two.repositories[0]: 'gitops' is not allowed; write the repository path under the URL, with * where any name will do (group/*)",
      "connections.git.three.url: 'ssh://git.example.com' is not an http(s) URL",
      'connections.git.three.secret: is required; the secret that holds its username and password, or a token',
    ]);
    const one = { url: 'https://git.example.com', secret: 's', repositories: ['a/b'], default: true };
    expect(
      problemsOf({ github: { one: { secret: 's', repositories: ['a/b'] } }, git: { one, two: one } }),
    ).toEqual([
      'connections.git: one also names a GitHub connection; registrations name either by writeBack.git.connection: give each its own name',
      'connections.git: one and two are both marked default; mark one',
    ]);
  });

  it('takes the named plain git connection when it covers the repository path', () => {
    const connections = parseConnections(withGit);
    const repo = { owner: 'teams/payments', name: 'gitops' };
    const connection = gitConnectionFor(connections, 'gitlab', repo);
    expect(connection.name).toBe('gitlab');
    expect(gitRemoteUrl(connection as never, repo)).toBe('https://gitlab.example.com/teams/payments/gitops');
    expect(gitConnectionFor(connections, undefined, { owner: 'acme', name: 'gitops' }).name).toBe('gitops');
  });

  it.each([
    [
      'a path outside its globs',
      'gitlab',
      { owner: 'teams/payments/deep', name: 'gitops' },
      "the git connection 'gitlab' may not write teams/payments/deep/gitops (it writes platform/gitops, teams/*/gitops)",
    ],
    [
      'a path of several segments through a GitHub connection',
      'gitops',
      { owner: 'acme/sub', name: 'gitops' },
      "the GitHub connection 'gitops' writes owner/name repositories, not acme/sub/gitops (a path of a plain git host needs a git connection)",
    ],
  ])('refuses %s (not-allowed)', (_what, name, repo, message) => {
    const error = refusal(() => gitConnectionFor(parseConnections(withGit), name, repo));
    expect(error.code).toBe('not-allowed');
    expect(error.message).toBe(message);
  });
});
