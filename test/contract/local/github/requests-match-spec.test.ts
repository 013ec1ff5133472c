import { OpenApiSpec, type SchemaObject } from '@ecr-image-updater/local/github/openapi-spec';
import { OpenApiValidator } from '@ecr-image-updater/local/github/openapi-validator';
import { describe, expect, it } from 'vitest';

const spec = OpenApiSpec.load();
const validator = new OpenApiValidator(spec);

/** A concrete request path for a template, with slashes inside parameters encoded as Octokit sends them. */
function samplePath(route: string): string {
  return route.replace(/\{([^}]+)\}/g, (_, name: string) =>
    ['path', 'ref', 'branch'].includes(name)
      ? encodeURIComponent(`a/b-${name}`)
      : name.endsWith('number') || name.endsWith('_id')
        ? '7'
        : `x-${name}`,
  );
}

/** GitHub's own example request bodies, straight from the description. */
function exampleBodies(): Array<{ operationId: string; body: unknown }> {
  const paths = spec.document.paths as Record<string, Record<string, SchemaObject>>;
  return Object.values(paths).flatMap((item) =>
    Object.values(item).flatMap((operation) => {
      const content = (operation.requestBody as SchemaObject | undefined)?.content as
        | Record<string, { examples?: Record<string, { value: unknown }> }>
        | undefined;
      const examples = content?.['application/json']?.examples ?? {};
      return Object.values(examples).map((example) => ({
        operationId: String(operation.operationId),
        body: example.value,
      }));
    }),
  );
}

describe('request checks of the fake GitHub against the OpenAPI description', () => {
  it('routes every operation of the description from its own path template', () => {
    const misrouted = spec.operations.flatMap((operation) => {
      const found = spec.match(operation.method, samplePath(operation.route));
      return found?.operation.operationId === operation.operationId
        ? []
        : [`${operation.operationId} -> ${found?.operation.operationId}`];
    });
    expect(misrouted).toEqual([]);
  });

  it('decodes slashes inside path parameters', () => {
    const found = spec.match('GET', '/repos/acme/gitops/contents/flask-app%2F.argocd-source-flask-app.yaml');
    expect(found?.params).toEqual({
      owner: 'acme',
      repo: 'gitops',
      path: 'flask-app/.argocd-source-flask-app.yaml',
    });
    expect(
      spec.match('PATCH', '/repos/acme/gitops/git/refs/heads%2Fimage-updater%2Fflask-app')?.params.ref,
    ).toBe('heads/image-updater/flask-app');
  });

  it("accepts GitHub's own example request bodies", () => {
    const examples = exampleBodies();
    expect(examples.length).toBeGreaterThan(10);
    const refused = examples.flatMap(({ operationId, body }) => {
      const operation = spec.operation(operationId);
      const params = Object.fromEntries(
        operation.parameters
          .filter((p) => p.in === 'path')
          .map((p) => [p.name, p.schema.type === 'integer' ? '1' : 'x']),
      );
      const problems = validator.validateRequest(operation, { params, query: new URLSearchParams(), body });
      return problems.length > 0 ? [`${operationId}: ${problems.join(' ')}`] : [];
    });
    expect(refused).toEqual([]);
  });

  it.each([
    ['repos/create-or-update-file-contents', { content: 'eA==' }, `"message" wasn't supplied.`],
    [
      'repos/create-or-update-file-contents',
      { message: 'm', content: 'eA==', sha: null },
      "For 'properties/sha', nil is not a string.",
    ],
    ['repos/delete-file', { message: 'm' }, `"sha" wasn't supplied.`],
    ['git/create-tree', {}, `"tree" wasn't supplied.`],
    [
      'git/create-tree',
      { tree: [{ path: 'a', mode: '100645', type: 'blob', sha: null }] },
      `For 'properties/tree/items/properties/mode', "100645" is not a member of ["100644","100755","040000","160000","120000"].`,
    ],
    ['git/update-ref', { sha: 'abc', force: 'yes' }, `For 'properties/force', "yes" is not a boolean.`],
    ['pulls/create', { title: 't' }, `"head", "base" weren't supplied.`],
  ])('words a bad %s body as GitHub does: %j', (operationId, body, message) => {
    const operation = spec.operation(operationId);
    const params = { owner: 'acme', repo: 'gitops', path: 'a.txt', ref: 'heads/main' };
    expect(validator.validateRequest(operation, { params, query: new URLSearchParams(), body })).toEqual([
      message,
    ]);
  });

  it('checks query parameters against their types and enums', () => {
    const operation = spec.operation('pulls/list');
    const query = new URLSearchParams('state=merged&per_page=ten');
    expect(
      validator.validateRequest(operation, { params: { owner: 'a', repo: 'b' }, query, body: undefined }),
    ).toEqual([
      `For 'state', "merged" is not a member of ["open","closed","all"].`,
      `For 'per_page', "ten" is not an integer.`,
    ]);
  });
});
