import { createPrivateKey } from 'node:crypto';
import { FakeGitHubServer } from '@ecr-image-updater/local/github/fake-github-server';
import { BLOB_TEXT_LIMIT } from '@ecr-image-updater/local/github/graphql-objects';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { signGitHubAppJwt } from '../../../../lib/adapters/github-app-jwt.ts';
import { generateAppKeyPair } from '../../../support/github-app-keys.ts';
import { base64, fsck, octokitFor, uniqueRepo } from './fake-github-kit.ts';

const APP = 81;
const keys = generateAppKeyPair();
let server: FakeGitHubServer;
let repo = '';
let head = '';

beforeAll(async () => {
  server = await FakeGitHubServer.start({
    tokens: ['t'],
    apps: [
      {
        appId: APP,
        publicKeyPem: keys.publicKeyPem,
        slug: 'image-bot',
        installations: [{ account: 'acme', id: 2001, repositories: ['reachable'] }],
      },
    ],
  });
  await server.createRepository('acme', 'reachable', { files: { 'a.txt': 'a\n' } });
});
afterAll(() => server.close());
beforeEach(async () => {
  repo = uniqueRepo('graphql');
  ({ sha: head } = await server.createRepository('acme', repo, {
    files: { 'apps/values.yaml': 'tag: "1.0.0"\n', 'apps/README.md': 'apps\n' },
  }));
  server.clearCalls();
});

/** A GraphQL answer as the tests read it: any shape, checked by the assertions. */
// biome-ignore lint/suspicious/noExplicitAny: the answers' shapes are what the assertions check
type Answer = any;

/** A GraphQL request as any client sends it: the status and the JSON body GitHub answers with. */
async function graphql(query: string, variables: object = {}, token = 't') {
  const response = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { authorization: `bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Answer };
}

const FILES = `query ($owner: String!, $name: String!, $ref: String!, $path: String!) {
  repository(owner: $owner, name: $name) {
    ref(qualifiedName: $ref) { name prefix target { oid ... on Commit {
      file(path: $path) { name path mode type oid object { __typename ... on Blob { text oid byteSize isTruncated isBinary } } }
    } } }
  }
}`;
const COMMIT = `mutation ($input: CreateCommitOnBranchInput!) {
  createCommitOnBranch(input: $input) { commit { oid messageHeadline messageBody } ref { name target { oid } } }
}`;
const commitInput = (input: Record<string, unknown>) => ({
  input: {
    branch: { repositoryNameWithOwner: `acme/${repo}`, branchName: 'main' },
    expectedHeadOid: head,
    message: { headline: 'build: update', body: 'Image-Digest: a sha256:1' },
    ...input,
  },
});

describe('the fake GitHub GraphQL API, reading', () => {
  it("reads a branch's head and a file at that commit, as GitHub's schema describes them", async () => {
    const read = (path: string) =>
      graphql(FILES, { owner: 'acme', name: repo, ref: 'refs/heads/main', path });
    const { status, body, headers } = await read('apps/values.yaml');
    expect(status).toBe(200);
    expect(headers.get('x-ratelimit-resource')).toBe('graphql');
    expect(body).toEqual({
      data: {
        repository: {
          ref: {
            name: 'main',
            prefix: 'refs/heads/',
            target: {
              oid: head,
              file: {
                name: 'values.yaml',
                path: 'apps/values.yaml',
                mode: 0o100644,
                type: 'blob',
                oid: expect.stringMatching(/^[0-9a-f]{40}$/),
                object: {
                  __typename: 'Blob',
                  text: 'tag: "1.0.0"\n',
                  oid: body.data.repository.ref.target.file.oid,
                  byteSize: 13,
                  isTruncated: false,
                  isBinary: false,
                },
              },
            },
          },
        },
      },
    });
    expect((await read('apps')).body.data.repository.ref.target.file).toMatchObject({
      mode: 0o40000,
      type: 'tree',
      object: { __typename: 'Tree' },
    });
    expect((await read('apps/missing.yaml')).body.data.repository.ref.target.file).toBeNull();
  });

  it('cuts the text of a blob past 512,000 bytes and says so; sends no text for a binary one', async () => {
    await server.commitFiles('acme', repo, {
      files: { 'big.yaml': `# ${'x'.repeat(BLOB_TEXT_LIMIT)}\n`, 'bin.dat': 'a\u0000b' },
    });
    const blob = `query ($e: String!) { repository(owner: "acme", name: "${repo}") {
      object(expression: $e) { ... on Blob { text byteSize isTruncated isBinary } } } }`;
    const big = (await graphql(blob, { e: 'main:big.yaml' })).body.data.repository.object;
    expect(big).toMatchObject({ byteSize: BLOB_TEXT_LIMIT + 3, isTruncated: true, isBinary: false });
    expect(big.text).toHaveLength(BLOB_TEXT_LIMIT);
    expect((await graphql(blob, { e: 'HEAD:bin.dat' })).body.data.repository.object).toEqual({
      text: null,
      byteSize: 3,
      isTruncated: false,
      isBinary: true,
    });
  });

  it('answers NOT_FOUND for a repository that is not there, or that an installation token does not reach', async () => {
    const query = 'query ($name: String!) { repository(owner: "acme", name: $name) { nameWithOwner } }';
    expect((await graphql(query, { name: 'gone' })).body).toEqual({
      data: { repository: null },
      errors: [
        {
          type: 'NOT_FOUND',
          path: ['repository'],
          locations: [{ line: 1, column: 26 }],
          message: "Could not resolve to a Repository with the name 'acme/gone'.",
        },
      ],
    });
    const jwt = signGitHubAppJwt(
      { appId: APP, privateKey: createPrivateKey(keys.privateKeyPem) },
      Date.now(),
    );
    const minted = await octokitFor(server, jwt).apps.createInstallationAccessToken({
      installation_id: 2001,
    });
    const asApp = (name: string) => graphql(query, { name }, minted.data.token);
    expect((await asApp('reachable')).body).toEqual({
      data: { repository: { nameWithOwner: 'acme/reachable' } },
    });
    expect((await asApp(repo)).body.errors[0].type).toBe('NOT_FOUND');
  });

  it('checks credentials as the REST routes do: none, unknown or an app JWT is 401', async () => {
    const anonymous = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      body: '{"query":"{ __typename }"}',
    });
    expect(anonymous.status).toBe(401);
    expect((await graphql('{ __typename }', {}, 'nope')).status).toBe(401);
    const jwt = signGitHubAppJwt(
      { appId: APP, privateKey: createPrivateKey(keys.privateKeyPem) },
      Date.now(),
    );
    expect((await graphql('{ __typename }', {}, jwt)).status).toBe(401);
  });

  it('refuses a document that does not parse or validate against GitHub’s schema, and keeps it as invalid', async () => {
    const unknown = await graphql('query { repository(owner: "acme", name: "x") { nope } }');
    expect(unknown).toMatchObject({
      status: 200,
      body: {
        errors: [
          {
            locations: [{ line: 1, column: 48 }],
            message: 'Cannot query field "nope" on type "Repository". Did you mean "name"?',
          },
        ],
      },
    });
    expect(unknown.body).not.toHaveProperty('data');
    expect((await graphql('query { repository(')).body.errors[0].message).toMatch(/^Syntax Error/);
    const missing = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { authorization: 'token t' },
      body: '{}',
    });
    expect(await missing.json()).toEqual({
      errors: [{ message: 'A query attribute must be specified and must be a string.' }],
    });
    const mistyped = await graphql('query ($n: String!) { repository(owner: "acme", name: $n) { name } }', {
      n: 7,
    });
    expect(mistyped.body).toEqual({
      errors: [
        {
          locations: [{ line: 1, column: 8 }],
          message: 'Variable "$n" got invalid value 7; String cannot represent a non string value: 7',
        },
      ],
    });
    expect(server.invalidCalls()).toHaveLength(4);
    expect(server.graphqlCalls.map((call) => call.problems.length > 0)).toEqual([true, true, true, true]);
  });

  it('names a field of the schema it does not serve, null where it stood as GitHub nulls a failed field', async () => {
    const viewer = (await graphql('query { viewer { login } }')).body;
    // `viewer` is non-null: its failure nulls the whole answer, as the GraphQL specification says.
    expect(viewer).toMatchObject({
      data: null,
      errors: [{ path: ['viewer'], message: 'The fake GitHub does not serve Query.viewer' }],
    });
    const stars = (
      await graphql(`query { repository(owner: "acme", name: "${repo}") { name stargazerCount } }`)
    ).body;
    expect(stars).toMatchObject({
      data: { repository: null },
      errors: [
        {
          path: ['repository', 'stargazerCount'],
          message: 'The fake GitHub does not serve Repository.stargazerCount',
        },
      ],
    });
  });
});

describe('the fake GitHub GraphQL API, createCommitOnBranch', () => {
  it('commits additions and deletions onto the branch, authored as the token, committed as GitHub', async () => {
    const { body } = await graphql(
      COMMIT,
      commitInput({
        fileChanges: {
          additions: [{ path: 'apps/values.yaml', contents: base64('tag: "1.0.1"\n') }],
          deletions: [{ path: 'apps/README.md' }],
        },
      }),
    );
    const oid = body.data.createCommitOnBranch.commit.oid;
    expect(body).toEqual({
      data: {
        createCommitOnBranch: {
          commit: { oid, messageHeadline: 'build: update', messageBody: 'Image-Digest: a sha256:1' },
          ref: { name: 'main', target: { oid } },
        },
      },
    });
    const [commit] = await server.log('acme', repo, 'main');
    expect(commit).toMatchObject({
      sha: oid,
      parents: [head],
      message: 'build: update\n\nImage-Digest: a sha256:1',
      files: ['apps/README.md', 'apps/values.yaml'],
      author: { name: 'local-user' },
      committer: { name: 'GitHub', email: 'noreply@github.com' },
    });
    expect(await server.readFile('acme', repo, 'main', 'apps/README.md')).toBeUndefined();
    expect(fsck(server.repositoryPath('acme', repo))).toBe('');
  });

  it("refuses a branch that moved with GitHub's STALE_DATA, and writes nothing", async () => {
    const theirs = await server.commitFiles('acme', repo, { files: { 'other.txt': 'x\n' } });
    const { status, body } = await graphql(
      COMMIT,
      commitInput({ fileChanges: { additions: [{ path: 'a.txt', contents: base64('a') }] } }),
    );
    expect(status).toBe(200);
    expect(body).toEqual({
      data: { createCommitOnBranch: null },
      errors: [
        {
          type: 'STALE_DATA',
          path: ['createCommitOnBranch'],
          locations: [{ line: 2, column: 3 }],
          message: `Expected branch to point to "${head}" but it did not. Pull and try again.`,
        },
      ],
    });
    expect((await server.branches('acme', repo))[0]?.sha).toBe(theirs);
  });

  it('refuses a missing branch, a deletion of a path that is not there and contents that are not Base64', async () => {
    const refused = async (input: Record<string, unknown>) =>
      (await graphql(COMMIT, commitInput(input))).body.errors[0];
    expect(
      await refused({ branch: { repositoryNameWithOwner: `acme/${repo}`, branchName: 'nope' } }),
    ).toMatchObject({
      type: 'NOT_FOUND',
      message: `A ref named "refs/heads/nope" does not exist in acme/${repo}.`,
    });
    expect(await refused({ fileChanges: { deletions: [{ path: 'nope.txt' }] } })).toMatchObject({
      type: 'UNPROCESSABLE',
    });
    expect(await refused({ fileChanges: { additions: [{ path: 'a.txt', contents: '%%%' }] } })).toMatchObject(
      {
        type: 'UNPROCESSABLE',
        message: 'The contents of a.txt are not valid Base64',
      },
    );
    expect(await server.log('acme', repo, 'main')).toHaveLength(1);
  });

  it('shows mutations, and only them, to the beforeWrite hook', async () => {
    const seen: string[] = [];
    server.beforeWrite = (write) => {
      seen.push(`${write.operationId} ${String((write.body as { query: string }).query).split(' ')[0]}`);
    };
    try {
      await graphql(FILES, { owner: 'acme', name: repo, ref: 'main', path: 'a.txt' });
      await graphql(COMMIT, commitInput({}));
    } finally {
      server.beforeWrite = undefined;
    }
    expect(seen).toEqual(['graphql mutation']);
  });
});
