/**
 * The GraphQL the product sends, checked against GitHub's published schema by the schema package's own
 * `validate` (independent of the fake's check), with its variables coerced as GitHub would; and the fake
 * refusing exactly what that schema refuses.
 */
import { FakeGitHubServer } from '@ecr-image-updater/local/github/fake-github-server';
import { schema as published, validate } from '@octokit/graphql-schema';
import {
  buildClientSchema,
  getOperationAST,
  getVariableValues,
  type IntrospectionQuery,
  parse,
} from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OctokitGitRepository } from '../../../../lib/adapters/github-repository.ts';
import type { GitPlan } from '../../../../lib/app/git-plan.ts';
import { commitToBranch } from '../../../../lib/app/git-writes.ts';
import { octokitFor } from '../../../integration/local/github/fake-github-kit.ts';
import { seedGitPlan } from '../../../support/git-plans.ts';

const schema = buildClientSchema(published.json as IntrospectionQuery);
const context = { clock: { now: Date.now, sleep: async () => {} }, random: () => 0.5, maxAttempts: 3 };
let github: FakeGitHubServer;

beforeAll(async () => {
  github = await FakeGitHubServer.start({ tokens: ['t'] });
});
afterAll(() => github.close());

const plan = (name: string, requireConsent = false): GitPlan =>
  seedGitPlan(name, { git: { repo: 'acme/gitops', branch: 'main' }, requireConsent });

/** Why GitHub would refuse a request: its document, then its variables. */
function refusals(query: string, variables: Readonly<Record<string, unknown>>): string[] {
  const invalid = validate(query).map((error) => error.message);
  if (invalid.length > 0) return invalid;
  const operation = getOperationAST(parse(query));
  const coerced = getVariableValues(schema, operation?.variableDefinitions ?? [], { ...variables });
  return (coerced.errors ?? []).map((error) => error.message);
}

describe('the GraphQL the product sends', () => {
  it("validates against GitHub's published schema, its variables included", async () => {
    await github.createRepository('acme', 'gitops', {
      files: { 'apps/README.md': 'apps\n', '.ecr-image-updater.yaml': 'allow: []\n' },
    });
    const repository = new OctokitGitRepository(octokitFor(github, 't'));
    const target = { repository, owner: 'acme', name: 'gitops', base: 'main' };
    github.clearCalls();
    // A commit of one app, of ten, one that asks for consent, a read of nothing and one at a commit.
    await commitToBranch([plan('one')], target, context);
    await commitToBranch(
      Array.from({ length: 10 }, (_, i) => plan(`app-${i}`)),
      target,
      context,
    );
    await commitToBranch([plan('consenting', true)], target, context);
    const snapshot = await repository.readFilesAtHead({ owner: 'acme', name: 'gitops', branch: 'main' }, []);
    await snapshot.read('apps/README.md');
    const sent = github.graphqlCalls;
    expect(new Set(sent.map((call) => call.operation))).toEqual(new Set(['query', 'mutation']));
    expect(sent.length).toBeGreaterThanOrEqual(7);
    expect(sent.flatMap((call) => refusals(call.query, call.variables))).toEqual([]);
    expect(github.invalidCalls()).toEqual([]);
  });
});

describe("the fake's GraphQL checks", () => {
  it.each([
    [
      'a valid query',
      'query { repository(owner: "a", name: "b") { ref(qualifiedName: "main") { target { oid } } } }',
    ],
    ['an unknown field', 'query { repository(owner: "a", name: "b") { nope } }'],
    ['a missing argument', 'query { repository(owner: "a") { name } }'],
    ['a selection on a scalar', 'query { repository(owner: "a", name: "b") { name { x } } }'],
    ['an undeclared variable', 'query { repository(owner: $o, name: "b") { name } }'],
    ['a mutation without its input', 'mutation { createCommitOnBranch { commit { oid } } }'],
    ['an unused fragment', 'query { __typename } fragment f on Blob { oid }'],
  ])('refuses what the published schema refuses: %s', async (_what, query) => {
    github.clearCalls();
    await fetch(`${github.url}/graphql`, {
      method: 'POST',
      headers: { authorization: 'token t' },
      body: JSON.stringify({ query }),
    });
    expect(github.graphqlCalls[0]?.problems).toEqual(validate(query).map((error) => error.message));
  });
});
