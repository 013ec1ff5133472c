import { PathRouter, type RoutedOperation } from '@ecr-image-updater/local/http/path-router';
import { describe, expect, it } from 'vitest';

const op = (operationId: string, method: string, route: string): RoutedOperation => ({
  operationId,
  method,
  route,
});

const OPERATIONS = [
  op('get-app', 'get', '/apps/{name}'),
  op('patch-app', 'patch', '/apps/{name}'),
  op('sync-app', 'post', '/apps/{name}/sync'),
  op('get-ref', 'get', '/refs/{ref}'),
  op('get-head', 'get', '/refs/heads'),
  op('get-file', 'get', '/files/{path}'),
  op('get-dotted', 'get', '/v1.2/{id}'),
];

const idOf = (found: ReturnType<PathRouter<RoutedOperation>['match']>) =>
  found?.kind === 'operation' ? found.operation.operationId : found?.kind;

describe('PathRouter', () => {
  const router = new PathRouter(OPERATIONS);

  it('matches a template by method, with its variables percent-decoded', () => {
    expect(router.match('GET', '/apps/flask%20app')).toEqual({
      kind: 'operation',
      operation: OPERATIONS[0],
      params: { name: 'flask app' },
    });
    expect(idOf(router.match('PATCH', '/apps/flask'))).toBe('patch-app');
  });

  it('tries the template with more literal text first', () => {
    expect(idOf(router.match('GET', '/refs/heads'))).toBe('get-head');
    expect(idOf(router.match('GET', '/refs/tags'))).toBe('get-ref');
  });

  it('says method-not-allowed for a path served only for other methods, and nothing for an unknown path', () => {
    expect(router.match('PUT', '/apps/flask')).toEqual({ kind: 'method-not-allowed' });
    expect(router.match('GET', '/nothing/here')).toBeUndefined();
  });

  it('lets a variable span one segment by default, with no trailing slash', () => {
    expect(router.match('GET', '/apps/a/b')).toBeUndefined();
    expect(router.match('GET', '/apps/a/')).toBeUndefined();
    expect(router.match('GET', '/apps/')).toBeUndefined();
  });

  it('reads the literal text of a template literally', () => {
    expect(idOf(router.match('GET', '/v1.2/x'))).toBe('get-dotted');
    expect(router.match('GET', '/v112/x')).toBeUndefined();
  });

  it('passes over a template whose variables do not decode', () => {
    expect(router.match('GET', '/refs/%E0%A4%A')).toBeUndefined();
  });

  it('takes the patterns, optional last variables and trailing slash an API allows', () => {
    const loose = new PathRouter(OPERATIONS, {
      variable: (name) => (name === 'path' ? '.*' : name === 'ref' ? '.+' : '[^/]+'),
      optionalAtEnd: new Set(['path']),
      trailingSlash: true,
    });
    expect(loose.match('GET', '/refs/heads/feature/x')).toMatchObject({ params: { ref: 'heads/feature/x' } });
    expect(loose.match('GET', '/files/a/b.yaml')).toMatchObject({ params: { path: 'a/b.yaml' } });
    expect(loose.match('GET', '/files')).toMatchObject({ params: { path: '' } });
    expect(loose.match('GET', '/apps/flask/')).toMatchObject({ params: { name: 'flask' } });
  });
});
